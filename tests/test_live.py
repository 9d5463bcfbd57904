"""The live class game (issue 22): a whole game through its views, its moves and their rules,
the answers recorded once through the quiz's own path, the events every screen gets."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from quizzes.live import game as rules
from quizzes.models import Attempt, LiveAnswer, LiveGame, LivePlayer, QuestionProgress, Response
from quizzes.models.live import ANSWER_CLOSED, end_idle_games, record_revealed
from tests import live
from tests.conftest import HTMX
from tests.factories import ClassroomFactory, MembershipFactory
from tests.live import answer, client_of, live_url, move, new_game

pytestmark = pytest.mark.django_db
published = live.published


@pytest.fixture
def classroom(tess, alice, bob):
    classroom = ClassroomFactory(teacher=tess, name="Year 10 History")
    for student in (alice, bob):
        MembershipFactory(classroom=classroom, student=student)
    return classroom


@pytest.fixture
def game(classroom, quiz):
    return new_game(classroom, quiz)


class TestAWholeGame:
    def test_it_plays_from_the_lobby_to_the_podium(self, game, tess, alice, bob, published):
        host, phone_a, phone_b = client_of(tess), client_of(alice), client_of(bob)
        assert host.get(live_url(game, "live_host")).status_code == 200
        for phone in (phone_a, phone_b):
            assert "You are in the game" in phone.get(live_url(game)).content.decode()
        assert move(host, game, "start", at="lobby-0").status_code == 302
        for number in range(1, game.total + 1):
            assert answer(phone_a, game, right=True).status_code == 302
            move(host, game, "reveal", at=f"question-{number}")
            move(host, game, "next", at=f"revealed-{number}")
            move(host, game, "next", at=f"board-{number}")
        game.refresh_from_db()
        assert game.state == rules.FINISHED
        # Alice's answers went through the quiz's own recording path, once each.
        attempt = Attempt.objects.get(user=alice, kind=Attempt.Kind.LIVE)
        assert attempt.question_ids == game.question_ids and attempt.is_finished
        assert Response.objects.filter(attempt=attempt).count() == game.total
        assert QuestionProgress.objects.filter(user=alice).count() == game.total
        assert not Attempt.objects.filter(user=bob).exists()
        player = LivePlayer.objects.get(user=alice)
        assert player.correct == game.total and player.points == attempt.score
        page = phone_a.get(live_url(game)).content.decode()
        assert "The game is over" in page and "1st" in page
        # Her answers are hers to look at again, and count in her progress.
        results = f"/attempts/{attempt.pk}/results/"
        assert results in page
        assert phone_a.get(results).status_code == 200
        assert phone_a.get("/progress/").status_code == 200

    def test_a_player_changes_their_answer_until_the_reveal_and_the_last_counts(
        self, game, tess, alice, bob, published
    ):
        host, phone = client_of(tess), client_of(alice)
        client_of(bob).get(live_url(game))
        move(host, game, "start")
        answer(phone, game, right=True)
        answer(phone, game, right=False)
        assert LiveAnswer.objects.count() == 1
        move(host, game, "reveal")
        response = Response.objects.get(user=alice)
        assert not response.is_correct

    def test_an_answer_after_the_reveal_is_refused_with_a_message(
        self, game, tess, alice, published
    ):
        host, phone = client_of(tess), client_of(alice)
        phone.get(live_url(game))
        move(host, game, "start")
        move(host, game, "reveal")
        late = answer(phone, game, **HTMX)
        assert late.status_code == 400
        assert ANSWER_CLOSED in late.content.decode()
        assert not LiveAnswer.objects.exists() and not Response.objects.exists()
        page = answer(phone, game, follow=True).content.decode()
        assert ANSWER_CLOSED in page

    def test_everyone_answering_reveals(self, game, tess, alice, bob, published):
        host = client_of(tess)
        phones = [client_of(alice), client_of(bob)]
        for phone in phones:
            phone.get(live_url(game))
        move(host, game, "start")
        answer(phones[0], game)
        game.refresh_from_db()
        assert game.state == rules.QUESTION
        last = answer(phones[1], game, right=False, **HTMX).content.decode()
        assert "Incorrect" in last and "You did not answer" not in last  # its own verdict
        game.refresh_from_db()
        assert game.state == rules.REVEALED
        assert Response.objects.count() == 2


class TestMoves:
    def test_a_double_click_moves_once(self, game, tess, published):
        host = client_of(tess)
        move(host, game, "start", at="lobby-0")
        move(host, game, "reveal", at="question-1")
        move(host, game, "next", at="revealed-1")
        move(host, game, "next", at="revealed-1")  # the second click of a double click
        game.refresh_from_db()
        assert (game.state, game.number) == (rules.BOARD, 1)

    def test_a_reveal_twice_records_each_answer_once(self, game, tess, alice, published):
        host = client_of(tess)
        client_of(alice).get(live_url(game))
        client_of(alice).get(live_url(game))
        move(host, game, "start")
        answer(client_of(alice), game)
        move(host, game, "reveal")
        move(host, game, "reveal")
        assert record_revealed(game) == 0
        assert Response.objects.count() == 1
        assert LivePlayer.objects.get().answered == 1

    def test_starting_twice_opens_one_game(self, classroom, quiz, tess):
        client = client_of(tess)
        for _ in range(2):
            client.post(f"/classes/{classroom.pk}/live/", {"quiz": quiz.pk})
        assert LiveGame.objects.count() == 1

    def test_a_game_left_idle_for_two_hours_ends_itself(self, game, tess, alice, published):
        with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
            page = client_of(alice).get(live_url(game)).content.decode()
        assert "The game is over" in page
        game.refresh_from_db()
        assert game.is_finished

    def test_the_command_ends_idle_games(self, game, published):
        assert end_idle_games(timezone.now()) == []
        ended = end_idle_games(timezone.now() + timedelta(hours=3))
        assert [g.pk for g in ended] == [game.pk]


class TestTime:
    def test_a_student_with_extra_time_answers_after_the_others_time(
        self, classroom, quiz, tess, alice, bob, published
    ):
        game = new_game(classroom, quiz, time_limit=20)
        alice.memberships.update(extra_time_percent=50)
        host = client_of(tess)
        phones = {alice: client_of(alice), bob: client_of(bob)}
        for phone in phones.values():
            phone.get(live_url(game))
        move(host, game, "start")
        with time_machine.travel(timezone.now() + timedelta(seconds=25)):
            assert answer(phones[bob], game, **HTMX).status_code == 400
            assert answer(phones[alice], game, **HTMX).status_code == 200
        assert list(LiveAnswer.objects.values_list("player__user", flat=True)) == [alice.pk]

    def test_the_teacher_adds_time(self, classroom, quiz, tess, bob, published):
        game = new_game(classroom, quiz, time_limit=20)
        client_of(bob).get(live_url(game))
        move(client_of(tess), game, "start")
        move(client_of(tess), game, "extend")
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            assert answer(client_of(bob), game, **HTMX).status_code == 200

    def test_the_screens_time_up_reveals_only_when_the_last_time_is_up(
        self, classroom, quiz, tess, alice, published
    ):
        game = new_game(classroom, quiz, time_limit=20)
        client_of(alice).get(live_url(game))
        host = client_of(tess)
        move(host, game, "start")
        assert move(host, game, "reveal", time_up="1").status_code == 204
        with time_machine.travel(timezone.now() + timedelta(seconds=21)):
            move(host, game, "reveal", time_up="1")
        game.refresh_from_db()
        assert game.state == rules.REVEALED


class TestRules:
    def test_speed_bonus_is_small_and_only_for_right_answers(self):
        assert rules.speed_bonus(Decimal(1), correct=True, elapsed=0, allowed=20) == Decimal("0.1")
        assert rules.speed_bonus(Decimal(1), correct=True, elapsed=20, allowed=20) == 0
        assert rules.speed_bonus(Decimal(1), correct=False, elapsed=0, allowed=20) == 0

    def test_extra_time_stretches_the_limit(self):
        assert rules.allowed_seconds(20, 50, 15) == 45
        assert rules.allowed_seconds(None, 50, 0) is None

    def test_next_goes_through_the_board_to_the_end(self):
        assert rules.next_state(rules.REVEALED, 1, 2) == (rules.BOARD, 1)
        assert rules.next_state(rules.BOARD, 1, 2) == (rules.QUESTION, 2)
        assert rules.next_state(rules.BOARD, 2, 2) == (rules.FINISHED, 2)


class TestEvents:
    def test_every_screen_gets_the_new_state_and_each_phone_its_own_verdict(
        self, game, tess, alice, bob, published
    ):
        host, phone_a, phone_b = client_of(tess), client_of(alice), client_of(bob)
        for phone in (phone_a, phone_b):
            phone.get(live_url(game))
        joined = [d for c, e, d in published if (c, e) == (game.host_channel, "players")]
        assert "2 students joined" in joined[-1]
        published.clear()
        move(host, game, "start")
        sent = {(channel, event) for channel, event, _ in published}
        assert (game.host_channel, "stage") in sent and (game.channel, "stage") in sent

        published.clear()
        answer(phone_a, game, right=True)
        assert [(c, e) for c, e, _ in published] == [(game.host_channel, "answers")]
        count = published[0][2]
        assert "<strong>1</strong> of 2 answered" in count and "Alice" not in count

        published.clear()
        move(host, game, "reveal")
        mine = {c: d for c, e, d in published if c.startswith(f"live:{game.pk}:player:")}
        assert "Correct" in mine[game.player_channel(alice.pk)]
        assert "You did not answer" in mine[game.player_channel(bob.pk)]
        assert "1st" in mine[game.player_channel(alice.pk)]

        published.clear()
        move(host, game, "next")
        mine = {c: d for c, e, d in published if c.startswith(f"live:{game.pk}:player:")}
        assert "You are <strong>2nd</strong> of 2" in mine[game.player_channel(bob.pk)]

    def test_an_anonymous_student_stays_anonymous_on_the_host_board(
        self, game, tess, alice, bob, published
    ):
        alice.anonymous_on_leaderboards = True
        alice.save()
        host = client_of(tess)
        client_of(bob).get(live_url(game))
        phone = client_of(alice)
        phone.get(live_url(game))
        move(host, game, "start")
        answer(phone, game)
        move(host, game, "reveal")
        move(host, game, "next")
        board = host.get(live_url(game, "live_host")).content.decode()
        assert "Anonymous student" in board and "Alice" not in board.split("<main")[1]


def test_the_command_ends_the_games_left_idle(game, published, capsys):
    from django.core.management import call_command

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        call_command("end_idle_live_games")
    assert "1 idle live game ended." in capsys.readouterr().out
    game.refresh_from_db()
    assert game.is_finished


class TestQueries:
    """The screens' queries do not grow with the class: the host's board and each phone's
    fragments are read in a fixed number of queries, however many play."""

    def class_playing(self, size: int, quiz, tess):
        from quizzes.models import Membership
        from quizzes.models.live import join
        from quizzes.models.live import move as apply
        from tests.factories import class_of

        classroom = class_of(size, teacher=tess)
        game = new_game(classroom, quiz)
        for membership in Membership.objects.filter(classroom=classroom):
            join(game, membership)
        apply(game.pk, "start", at=None, now=timezone.now())
        return game

    def test_a_move_sends_every_phone_its_own_state_in_a_fixed_number_of_queries(
        self, quiz, tess, published
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from quizzes.live import screens
        from quizzes.models.live import move as apply

        counts = {}
        for size in (3, 30):
            game = self.class_playing(size, quiz, tess)
            for action in ("reveal", "next", "next"):
                moved = apply(game.pk, action, at=None, now=timezone.now())
                screens.publish_move(moved)  # the question is cached by now
                published.clear()
                with CaptureQueriesContext(connection) as queries:
                    screens.publish_move(moved)
                counts[size, action, moved.state] = len(queries)
                assert sum(1 for c, _, _ in published if ":player:" in c) in (0, size)
        assert [n for (size, *_), n in counts.items() if size == 3] == [
            n for (size, *_), n in counts.items() if size == 30
        ]

    def test_the_host_screen_in_a_fixed_number_of_queries(
        self, quiz, tess, django_assert_max_num_queries
    ):
        host = client_of(tess)
        for size in (3, 30):
            game = self.class_playing(size, quiz, tess)
            host.get(live_url(game, "live_host"))
            with django_assert_max_num_queries(12):
                host.get(live_url(game, "live_host"))


def test_a_student_who_comes_after_the_end_sees_the_podium_and_is_not_counted(
    game, tess, alice, bob, published
):
    phone = client_of(alice)
    phone.get(live_url(game))
    move(client_of(tess), game, "end")
    page = client_of(bob).get(live_url(game)).content.decode()
    assert "The game is over" in page
    assert list(LivePlayer.objects.values_list("user", flat=True)) == [alice.pk]


def test_the_timer_counts_down_on_the_host_and_on_a_phone_with_extra_time(
    classroom, quiz, tess, alice, published
):
    alice.memberships.update(extra_time_percent=50)
    game = new_game(classroom, quiz, time_limit=20)
    phone = client_of(alice)
    phone.get(live_url(game))
    host = client_of(tess)
    move(host, game, "start")
    screen = host.get(live_url(game, "live_host")).content.decode()
    assert 'datetime="PT20S"' in screen and "15 more seconds" in screen
    # The screen asks to reveal once Alice's longer time is up (30 s and the grace).
    assert 'hx-trigger="load delay:32s"' in screen
    page = phone.get(live_url(game)).content.decode()
    assert 'datetime="PT30S"' in page and "with your extra time" in page
    move(host, game, "extend")
    assert 'datetime="PT45S"' in phone.get(live_url(game)).content.decode()
