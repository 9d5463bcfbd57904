"""Leaderboards: the point and tie rules, the week boundary, and the two ways to a ranking
(the database's window functions, and Redis with Python's sort) agreeing on every board.

Board tests run twice, on the database and on Redis (the Redis run needs REDIS_URL). A board
is read twice in each test: on Redis the first read is ranked by the database and fills Redis
in, the second is ranked from Redis alone, and both must show the same thing.
"""

import logging
import os
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes import leaderboards
from quizzes.models import Question, QuestionProgress, User
from quizzes.models.attempts import start_attempt
from quizzes.ranking import (
    ALL_TIME,
    ANONYMOUS,
    Board,
    Stats,
    answer_scopes,
    present,
    rank_stats,
    shown_name,
    week_of,
)
from tests.answers import answer_data
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    UserFactory,
    answer_question,
    class_of,
    single_choice_question,
)

LONDON = ZoneInfo("Europe/London")
REDIS_URL = os.environ.get("REDIS_URL", "")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# ---- The rules, without a database --------------------------------------------------------


def stats(points, correct=1, answered=1, reached=None) -> Stats:
    return Stats(Decimal(points), correct, answered, reached)


class TestRanking:
    def test_more_points_wins(self):
        ranked = rank_stats({1: stats(2), 2: stats(5)})
        assert [s.user_id for s in ranked] == [2, 1]
        assert [s.rank for s in ranked] == [1, 2]

    def test_level_on_points_the_higher_accuracy_wins(self):
        ranked = rank_stats({1: stats(3, 3, 6), 2: stats(3, 3, 4)})
        assert [s.user_id for s in ranked] == [2, 1]

    def test_a_thoughtful_student_beats_a_fast_guesser(self):
        # The guesser got to 3 points first, by answering fast and often wrong.
        guesser = stats(3, 3, 9, reached=at(2025, 3, 3, 9, 1))
        thoughtful = stats(3, 3, 3, reached=at(2025, 3, 3, 9, 40))
        assert rank_stats({1: guesser, 2: thoughtful})[0].user_id == 2

    def test_level_on_points_and_accuracy_who_got_there_first_wins(self):
        early, late = at(2025, 3, 3, 9), at(2025, 3, 3, 10)
        ranked = rank_stats({1: stats(3, 3, 4, late), 2: stats(3, 6, 8, early)})
        assert [s.user_id for s in ranked] == [2, 1]

    def test_a_tie_on_every_rule_shares_a_place(self):
        same = stats(4, 2, 4, at(2025, 3, 3, 9))
        ranked = rank_stats({3: stats(9), 1: same, 2: same, 4: stats(1)})
        assert [(s.user_id, s.rank, s.position) for s in ranked] == [
            (3, 1, 1),
            (1, 2, 2),
            (2, 2, 3),
            (4, 4, 4),
        ]

    def test_stats_add_up_and_keep_the_latest_moment(self):
        total = stats(1, 1, 2, at(2025, 1, 1)) + stats(2, 2, 2, at(2025, 2, 1))
        assert total == Stats(Decimal(3), 3, 4, at(2025, 2, 1))
        assert total.accuracy == 0.75
        assert Stats().accuracy is None


class TestNames:
    def test_classmates_see_the_display_name_or_anonymous(self):
        assert shown_name("Alice P.", False, is_viewer=False, to_teacher=False) == "Alice P."
        assert shown_name("Alice P.", True, is_viewer=False, to_teacher=False) == ANONYMOUS

    def test_the_teacher_and_the_student_see_the_real_name(self):
        assert shown_name("Alice P.", True, is_viewer=False, to_teacher=True) == "Alice P."
        assert shown_name("Alice P.", True, is_viewer=True, to_teacher=False) == "Alice P."

    def test_no_display_name_is_never_replaced_by_the_username(self):
        assert shown_name("  ", False, is_viewer=False, to_teacher=True) == "Unnamed student"


class TestWeek:
    def test_a_week_runs_from_monday_midnight_local_time(self):
        week = week_of(at(2025, 7, 9, 15, 30), LONDON)  # a Wednesday in summer time
        assert week.start == at(2025, 7, 7)
        assert week.end == at(2025, 7, 14)
        assert week.key == "2025-W28"
        # Midnight in London in summer is 23:00 on Sunday in UTC.
        assert week.start.astimezone(UTC) == datetime(2025, 7, 6, 23, tzinfo=UTC)

    def test_sunday_night_belongs_to_the_week_before(self):
        assert week_of(at(2025, 7, 13, 23, 59, 59), LONDON).key == "2025-W28"
        assert week_of(at(2025, 7, 14, 0, 0), LONDON).key == "2025-W29"

    def test_a_week_across_the_clock_change_is_a_calendar_week(self):
        week = week_of(at(2025, 3, 27), LONDON)  # the clocks go forward on Sunday 30 March
        assert (week.start, week.end) == (at(2025, 3, 24), at(2025, 3, 31))
        assert week.end.astimezone(UTC) - week.start.astimezone(UTC) == timedelta(hours=167)


def standings_of(*points: int):
    """Students 1..n with these points, ranked."""
    return rank_stats({i: stats(p) for i, p in enumerate(points, start=1)})


NAMES = {i: (f"Student {i}", False) for i in range(1, 60)}


class TestWhatAStudentSees:
    def test_a_large_class_shows_the_top_ten_and_two_places_either_side_of_me(self):
        view = present(
            standings_of(*range(100, 60, -1)), NAMES, viewer_id=31, to_teacher=False, board_key="k"
        )
        assert [r.rank for r in view.top] == list(range(1, 11))
        assert [r.rank for r in view.around] == [29, 30, 31, 32, 33]
        assert [r.is_viewer for r in view.around] == [False, False, True, False, False]
        assert view.note == "1 more point to catch the place above."

    def test_just_below_the_top_ten_is_one_unbroken_list(self):
        view = present(
            standings_of(*range(100, 60, -1)), NAMES, viewer_id=12, to_teacher=False, board_key="k"
        )
        assert [r.rank for r in view.top] == list(range(1, 15))
        assert view.around == []

    def test_the_gap_to_the_next_place_is_in_points(self):
        view = present(standings_of(10, 7, 6), NAMES, viewer_id=2, to_teacher=False, board_key="k")
        assert view.note == "3 more points to catch the place above."
        level = present(standings_of(10, 7, 7), NAMES, viewer_id=3, to_teacher=False, board_key="k")
        assert level.note.startswith("Level on points with the place above")
        top = present(standings_of(10, 7), NAMES, viewer_id=1, to_teacher=False, board_key="k")
        assert top.note == "You are at the top of this board."

    def test_students_without_points_are_counted_not_ranked(self):
        view = present(standings_of(5, 0, 0), NAMES, viewer_id=2, to_teacher=False, board_key="k")
        assert [r.name for r in view.top] == ["Student 1"]
        assert view.unranked_viewer.rank is None
        assert view.unranked_viewer.is_viewer
        assert view.waiting == "You and 1 other have no points here yet."
        assert "Answer a question right" in view.note

    def test_the_teacher_sees_real_names_and_no_row_of_their_own(self):
        names = {1: ("Alice", True), 2: ("Bob", False)}
        standings = standings_of(5, 3)
        teacher = present(standings, names, viewer_id=None, to_teacher=True, board_key="k")
        assert [r.name for r in teacher.top] == ["Alice", "Bob"]
        assert not any(r.is_viewer for r in teacher.top) and not teacher.note
        bob = present(standings, names, viewer_id=2, to_teacher=False, board_key="k")
        assert [r.name for r in bob.top] == [ANONYMOUS, "Bob"]

    def test_the_fingerprint_changes_with_what_the_viewer_sees(self):
        def fingerprint(*points, viewer=1):
            view = present(
                standings_of(*points), NAMES, viewer_id=viewer, to_teacher=False, board_key="k"
            )
            return view.fingerprint

        assert fingerprint(5, 3) == fingerprint(5, 3)
        assert fingerprint(5, 3) != fingerprint(5, 4)
        assert fingerprint(5, 3) != fingerprint(5, 3, viewer=2)


# ---- Boards on the database and on Redis ------------------------------------------------------


@pytest.fixture
def fresh_redis(settings):
    """Redis as the environment has it (or none), with nothing cached yet."""
    leaderboards.clear_redis()
    yield
    leaderboards.clear_redis()


@pytest.fixture(params=["database", "redis"])
def backend(request, settings, db):
    if request.param == "redis":
        if not REDIS_URL:
            pytest.skip("needs Redis: set REDIS_URL")
        settings.REDIS_URL = REDIS_URL
    else:
        settings.REDIS_URL = ""
    leaderboards.clear_redis()
    yield request.param
    leaderboards.clear_redis()


def read(classroom, board, viewer):
    """The board twice: on Redis, first ranked by the database, then from Redis alone."""
    first = leaderboards.class_board(classroom, board, viewer=viewer)
    second = leaderboards.class_board(classroom, board, viewer=viewer)
    assert second == first
    return second


def rows(view):
    return [(r.rank, r.name, r.points) for r in view.top]


@pytest.fixture
def classroom(db):
    classroom = ClassroomFactory()
    for name in ("Ann", "Ben", "Cat"):
        MembershipFactory(classroom=classroom, student=UserFactory(display_name=name))
    return classroom


def answer(*args, **kwargs):
    """Answer a question and run what waits for the commit (counting it in Redis), as a real
    request's commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return answer_question(*args, **kwargs)


def student(classroom, name):
    return User.objects.get(memberships__classroom=classroom, display_name=name)


MONDAY = at(2025, 3, 10, 9)  # a Monday morning


class TestPoints:
    def test_repeating_a_quiz_cannot_farm_points(self, backend, classroom):
        ann, ben = student(classroom, "Ann"), student(classroom, "Ben")
        question = single_choice_question(quiz=QuizFactory(), points=2)
        for _ in range(4):
            answer(ann, question, right=True)
        other = single_choice_question(quiz=QuizFactory())
        answer(ben, question, right=True)
        answer(ben, other, right=True)
        view = read(classroom, Board.all_time(), ann)
        assert rows(view) == [(1, "Ben", 3), (2, "Ann", 2)]

    def test_points_come_from_right_answers_only(self, backend, classroom):
        ann = student(classroom, "Ann")
        question = single_choice_question()
        answer(ann, question, right=False)
        assert read(classroom, Board.all_time(), ann).is_empty
        answer(ann, question, right=True)
        assert rows(read(classroom, Board.all_time(), ann)) == [(1, "Ann", 1)]

    def test_level_on_points_the_more_accurate_student_is_first(self, backend, classroom):
        ann, ben = student(classroom, "Ann"), student(classroom, "Ben")
        first, second = single_choice_question(), single_choice_question()
        answer(ann, first, right=False, at=MONDAY)
        answer(ann, first, right=True, at=MONDAY + timedelta(minutes=1))
        answer(ben, second, right=True, at=MONDAY + timedelta(minutes=5))
        assert rows(read(classroom, Board.all_time(), ann)) == [(1, "Ben", 1), (2, "Ann", 1)]

    def test_level_on_everything_else_who_got_there_first_is_first(self, backend, classroom):
        ann, ben = student(classroom, "Ann"), student(classroom, "Ben")
        first, second = single_choice_question(), single_choice_question()
        answer(ben, first, right=True, at=MONDAY + timedelta(minutes=2))
        answer(ann, second, right=True, at=MONDAY + timedelta(minutes=1))
        assert rows(read(classroom, Board.all_time(), ben)) == [(1, "Ann", 1), (2, "Ben", 1)]

    def test_a_quiz_board_counts_its_questions_and_those_of_the_banks_it_draws_from(
        self, backend, classroom
    ):
        ann, ben, cat = (student(classroom, n) for n in ("Ann", "Ben", "Cat"))
        bank = single_choice_question().quiz
        review = QuizFactory(source=None)
        review.draws_from.add(bank)
        own = single_choice_question(quiz=review)
        elsewhere = single_choice_question()
        answer(ann, own, right=True)
        answer(ben, bank.questions.get())
        answer(cat, elsewhere, right=True)
        board = Board.for_quiz(review.pk, review.title, [bank.pk])
        assert [name for _, name, _ in rows(read(classroom, board, ann))] == ["Ann", "Ben"]


class TestWeekBoard:
    def test_only_points_first_earned_since_monday_count(self, backend, classroom):
        ann, ben = student(classroom, "Ann"), student(classroom, "Ben")
        sunday_night = at(2025, 3, 9, 23, 59, 59)
        monday_midnight = at(2025, 3, 10, 0, 0)
        answer(ann, single_choice_question(), at=sunday_night)
        answer(ann, single_choice_question(), at=sunday_night)
        answer(ben, single_choice_question(), at=monday_midnight)
        this_week = Board.this_week(MONDAY, LONDON)
        assert rows(read(classroom, this_week, ann)) == [(1, "Ben", 1)]
        assert rows(read(classroom, Board.all_time(), ann)) == [(1, "Ann", 2), (2, "Ben", 1)]
        last_week = Board.this_week(sunday_night, LONDON)
        assert rows(read(classroom, last_week, ann)) == [(1, "Ann", 2)]

    def test_a_question_earned_last_week_earns_nothing_this_week(self, backend, classroom):
        ann = student(classroom, "Ann")
        question = single_choice_question()
        answer(ann, question, at=MONDAY - timedelta(days=2))
        answer(ann, question, at=MONDAY)
        assert read(classroom, Board.this_week(MONDAY, LONDON), ann).is_empty

    def test_the_weeks_accuracy_counts_the_weeks_answers(self, backend, classroom):
        ann, ben = student(classroom, "Ann"), student(classroom, "Ben")
        # Ann's wrong answers were last week; this week she answers right first time.
        old = single_choice_question()
        for _ in range(3):
            answer(ann, old, right=False, at=MONDAY - timedelta(days=3))
        answer(ann, single_choice_question(), at=MONDAY + timedelta(hours=2))
        # Ben got there first this week, but after a wrong answer this week.
        question = single_choice_question()
        answer(ben, question, right=False, at=MONDAY)
        answer(ben, question, right=True, at=MONDAY + timedelta(hours=1))
        assert rows(read(classroom, Board.this_week(MONDAY, LONDON), ben)) == [
            (1, "Ann", 1),
            (2, "Ben", 1),
        ]


class TestDatabaseAndRedisAgree:
    def test_on_a_class_full_of_ties(self, backend):
        """Random progress with many ties: the window functions and rank_stats agree."""
        rng = random.Random(7)
        classroom = class_of(40)
        members = list(User.objects.filter(memberships__classroom=classroom))
        questions = [single_choice_question(points=rng.choice([1, 2])) for _ in range(5)]
        moments = [MONDAY + timedelta(minutes=m) for m in range(3)]
        expected: dict[int, Stats] = {}
        rows_ = []
        for member in members:
            total = Stats()
            for question in rng.sample(questions, rng.randint(0, 3)):
                answered = rng.randint(1, 3)
                correct = rng.randint(0, answered)
                first = rng.choice(moments) if correct else None
                points = Decimal(question.points) if correct else Decimal(0)
                rows_.append(
                    QuestionProgress(
                        user=member,
                        question=question,
                        answered_count=answered,
                        correct_count=correct,
                        last_answered_at=MONDAY,
                        first_correct_at=first,
                        points=points,
                        due_at=MONDAY,
                    )
                )
                total += Stats(points, correct, answered, first)
            expected[member.pk] = total
        QuestionProgress.objects.bulk_create(rows_)

        members_qs = User.objects.filter(memberships__classroom=classroom)
        from_db, _, _ = members_qs.ranked_on(Board.all_time())
        assert [(s.user_id, s.rank, s.position) for s in from_db] == [
            (s.user_id, s.rank, s.position) for s in rank_stats(expected)
        ]
        assert len({s.rank for s in from_db}) < len(from_db)  # there were ties
        teacher = classroom.teacher
        read(classroom, Board.all_time(), teacher)  # and through Redis, when it is there


# ---- Redis: told of each answer, written afresh when behind, never required ------------------


@pytest.fixture
def with_redis(settings, db):
    if not REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL")
    settings.REDIS_URL = REDIS_URL
    leaderboards.clear_redis()
    yield
    leaderboards.clear_redis()


def ranking_queries(ctx) -> int:
    return sum("RANK()" in q["sql"] for q in ctx.captured_queries)


def board_reads(classroom, board):
    """What a board does before it writes: read Redis, then rank by the database. Returns its
    write, to run later (as a slow board would)."""
    members = User.objects.filter(memberships__classroom=classroom)
    client, prefix = leaderboards._client(), leaderboards._prefix()
    _, counts = leaderboards._read(client, prefix, board.scopes, [m.pk for m in members])
    _, _, scoped = members.ranked_on(board, with_scopes=True)
    return lambda: leaderboards._write(client, prefix, scoped, counts)


def points_in_redis(user, scope=ALL_TIME):
    client, prefix = leaderboards._client(), leaderboards._prefix()
    totals, _ = leaderboards._read(client, prefix, [scope], [user.pk])
    return totals[user.pk].points if totals else None


class TestRedis:
    def test_an_answer_is_counted_once_committed_and_the_next_read_takes_it_afresh(
        self, with_redis, classroom, django_capture_on_commit_callbacks
    ):
        ann = student(classroom, "Ann")
        read(classroom, Board.all_time(), ann)  # Redis now holds the class
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            answer_question(ann, single_choice_question(), right=True)
        assert len(callbacks) == 1
        with CaptureQueriesContext(connection) as ctx:
            view = leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
        assert rows(view) == [(1, "Ann", 1)]
        assert (len(ctx), ranking_queries(ctx)) == (1, 1)  # Ann's entry is behind: the ranking
        with CaptureQueriesContext(connection) as ctx:
            again = leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
        assert again == view
        assert (len(ctx), ranking_queries(ctx)) == (1, 0)  # the members' names; no ranking

    def test_the_answer_hook_makes_no_query(
        self, with_redis, classroom, django_capture_on_commit_callbacks, django_assert_num_queries
    ):
        ann = student(classroom, "Ann")
        question = single_choice_question()
        with django_capture_on_commit_callbacks() as callbacks:
            answer_question(ann, question)
        with django_assert_num_queries(0):
            for callback in callbacks:
                callback()
        client, prefix = leaderboards._client(), leaderboards._prefix()
        scopes = answer_scopes(question.quiz_id, timezone.now(), LONDON)
        _, counts = leaderboards._read(client, prefix, scopes, [ann.pk])
        assert counts == {scope: {ann.pk: 1} for scope in scopes}  # all time, week, bank

    def test_an_answer_post_makes_as_many_queries_with_redis_as_without(
        self, with_redis, settings, alice, alice_client
    ):
        quiz = QuizFactory()
        for position in range(4):
            single_choice_question(quiz=quiz, position=position)
        attempt = start_attempt(user=alice, quiz=quiz)

        def post(number: int) -> tuple[int, int]:
            question = Question.objects.get(pk=attempt.question_ids[number - 1])
            data = answer_data(attempt, question, right=True)
            page = reverse("quizzes:answer", args=[attempt.pk, number])
            with (
                CaptureQueriesContext(connection) as ctx,
                TestCase.captureOnCommitCallbacks(execute=True) as callbacks,
            ):
                response = alice_client.post(page, data, HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            return len(ctx), len(callbacks)

        settings.REDIS_URL = ""
        post(1)  # (warm)
        without_redis, hooks = post(2)
        assert hooks == 0
        settings.REDIS_URL = REDIS_URL
        with_redis_, hooks = post(3)
        assert hooks == 1  # it ran, inside the count
        assert with_redis_ == without_redis
        client, prefix = leaderboards._client(), leaderboards._prefix()
        _, counts = leaderboards._read(client, prefix, [ALL_TIME], [alice.pk])
        assert counts == {ALL_TIME: {alice.pk: 1}}  # the answer was counted

    def test_a_missing_entry_is_ranked_by_the_database_and_filled_in(self, with_redis, classroom):
        ann = student(classroom, "Ann")
        answer_question(ann, single_choice_question())  # (no commit: Redis never hears of it)
        with CaptureQueriesContext(connection) as ctx:
            leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
        assert (len(ctx), ranking_queries(ctx)) == (2, 1)  # first sight of the class: names too
        with CaptureQueriesContext(connection) as ctx:
            view = leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
        assert (len(ctx), ranking_queries(ctx)) == (1, 0)
        assert rows(view) == [(1, "Ann", 1)]

    def test_a_new_member_is_read_and_one_who_left_is_not(self, with_redis, classroom):
        ann = student(classroom, "Ann")
        answer(ann, single_choice_question())
        read(classroom, Board.all_time(), ann)
        dan = UserFactory(display_name="Dan")
        MembershipFactory(classroom=classroom, student=dan)
        answer(dan, single_choice_question())
        answer(dan, single_choice_question())
        view = read(classroom, Board.all_time(), ann)
        assert rows(view) == [(1, "Dan", 2), (2, "Ann", 1)]
        assert (view.ranked, view.unranked) == (2, 2)
        ann.memberships.all().delete()  # and one who left is not
        assert rows(read(classroom, Board.all_time(), dan)) == [(1, "Dan", 2)]

    def test_a_board_never_writes_over_an_entry_that_has_seen_more_answers(
        self, with_redis, classroom
    ):
        ann = student(classroom, "Ann")
        answer(ann, single_choice_question())
        read(classroom, Board.all_time(), ann)  # Ann's entry: 1 point, 1 answer seen
        client, prefix = leaderboards._client(), leaderboards._prefix()
        older = {ALL_TIME: {ann.pk: Stats()}}
        leaderboards._write(client, prefix, older, {})  # a slow board that had read no count
        assert points_in_redis(ann) == 1

    def test_an_answer_between_a_boards_query_and_its_write_is_not_lost(
        self, with_redis, classroom
    ):
        ann = student(classroom, "Ann")
        board = Board.all_time()
        answer(ann, single_choice_question())
        write = board_reads(classroom, board)  # 1 point
        answer(ann, single_choice_question())  # committed and counted after the board's query
        write()  # the board writes what it read
        with CaptureQueriesContext(connection) as ctx:
            view = leaderboards.class_board(classroom, board, viewer=ann)
        assert rows(view) == [(1, "Ann", 2)]
        assert ranking_queries(ctx) == 1  # Ann's entry was behind her answers
        assert rows(read(classroom, board, ann)) == [(1, "Ann", 2)]
        assert points_in_redis(ann) == 2

    def test_two_boards_and_an_answer_in_any_order_lose_nothing(self, with_redis, classroom):
        ann = student(classroom, "Ann")
        board = Board.all_time()
        answer(ann, single_choice_question())
        first, second = board_reads(classroom, board), board_reads(classroom, board)  # 1 point
        first()
        answer(ann, single_choice_question())
        second()  # older rows than the answer's: must not pass for fresh
        assert rows(read(classroom, board, ann)) == [(1, "Ann", 2)]
        # And a slow board's older rows never replace a newer board's.
        answer(ann, single_choice_question())
        slow = board_reads(classroom, board)  # 3 points
        answer(ann, single_choice_question())
        board_reads(classroom, board)()  # 4 points
        slow()
        with CaptureQueriesContext(connection) as ctx:
            view = leaderboards.class_board(classroom, board, viewer=ann)
        assert rows(view) == [(1, "Ann", 4)] and ranking_queries(ctx) == 0

    def test_each_database_has_its_own_entries(self, with_redis, classroom, settings):
        prefix = leaderboards._prefix()
        assert connection.settings_dict["NAME"] not in prefix  # hashed, short
        assert prefix != leaderboards._prefix(now=0)  # and the hour is part of it


class TestWithoutRedis:
    def test_a_closed_port_falls_back_to_the_database_quietly(self, settings, classroom, caplog):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        ann = student(classroom, "Ann")
        answer_question(ann, single_choice_question())
        with caplog.at_level(logging.WARNING, logger="quizzes.leaderboards"):
            view = leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
            again = leaderboards.class_board(classroom, Board.all_time(), viewer=ann)
        assert rows(view) == rows(again) == [(1, "Ann", 1)]
        # One warning, then Redis is left alone for a while rather than waited on each time.
        assert len([r for r in caplog.records if "Redis failed" in r.message]) == 1

    def test_an_answer_is_recorded_when_redis_is_down(
        self, settings, classroom, django_capture_on_commit_callbacks, caplog
    ):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        ann = student(classroom, "Ann")
        with django_capture_on_commit_callbacks(execute=True):
            answer_question(ann, single_choice_question())
        assert QuestionProgress.objects.get(user=ann).points == 1

    def test_without_redis_url_nothing_waits_for_a_commit(
        self, settings, classroom, django_capture_on_commit_callbacks
    ):
        settings.REDIS_URL = ""
        with django_capture_on_commit_callbacks() as callbacks:
            answer_question(student(classroom, "Ann"), single_choice_question())
        assert callbacks == []


class TestQueries:
    @pytest.mark.parametrize("size", [3, 300])
    @pytest.mark.parametrize("key", ["week", "all", "quiz"])
    def test_a_board_is_one_query_whatever_the_size_of_the_class(
        self, backend, size, key, django_assert_num_queries
    ):
        classroom = class_of(size)
        members = list(User.objects.filter(memberships__classroom=classroom)[:5])
        quiz = QuizFactory()
        for member in members:
            answer(member, single_choice_question(quiz=quiz))
        board = {
            "week": Board.this_week(timezone.now(), LONDON),
            "all": Board.all_time(),
            "quiz": Board.for_quiz(quiz.pk, quiz.title, []),
        }[key]
        viewer = members[0]
        leaderboards.class_board(classroom, board, viewer=viewer)  # (fills Redis in)
        with django_assert_num_queries(1):
            view = leaderboards.class_board(classroom, board, viewer=viewer)
        assert (view.ranked, view.unranked) == (len(members), size - len(members))
