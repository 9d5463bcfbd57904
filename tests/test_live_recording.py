"""Recording a live game's answers (issue 22, quizzes/live/recording.py): the reveal answers the
teacher and reaches the phones before any answer is recorded; the process's recorder then
records each once through the quiz's own path; what a stopped recorder left, the next move
records."""

import threading

import pytest

from quizzes.live import game as rules
from quizzes.models import LiveAnswer, QuestionProgress, Response
from tests import live
from tests.conftest import HTMX
from tests.factories import ClassroomFactory, MembershipFactory, UserFactory
from tests.live import answer, client_of, live_url, new_game

published = live.published
background_recording = live.background_recording


@pytest.fixture
def carol(db):
    return UserFactory(username="carol")


@pytest.fixture
def game(tess, alice, bob, carol, quiz):
    classroom = ClassroomFactory(teacher=tess)
    for student in (alice, bob, carol):
        MembershipFactory(classroom=classroom, student=student)
    return new_game(classroom, quiz)


def move(client, game, action: str, **headers):
    return client.post(live_url(game, "live_move", action), **headers)


@pytest.mark.django_db(transaction=True)
def test_the_reveal_reaches_the_phones_before_the_recorder_records_each_answer_once(
    game, tess, alice, bob, carol, published, background_recording, monkeypatch
):
    host, phone_a, phone_b = client_of(tess), client_of(alice), client_of(bob)
    for phone in (phone_a, phone_b, client_of(carol)):  # Carol does not answer
        phone.get(live_url(game))
    move(host, game, "start")
    answer(phone_a, game, right=True)
    answer(phone_b, game, right=False)
    go = threading.Event()
    record = background_recording.record_game
    monkeypatch.setattr(background_recording, "record_game", lambda pk: go.wait(10) and record(pk))
    published.clear()

    assert move(host, game, "reveal", **HTMX).status_code == 200

    # The teacher has the reveal, and each phone its verdict, with nothing recorded yet: what
    # every phone shows went first, once, then the host's screen, then each phone's own part.
    sent = [(c, e) for c, e, _ in published]
    assert sent.index((game.channel, "stage")) < sent.index((game.host_channel, "stage"))
    assert sent.index((game.host_channel, "stage")) < sent.index(
        (game.player_channel(alice.pk), "mine")
    )
    assert sum(1 for c, _ in sent if ":player:" in c) == 3  # one event each
    mine = {c: d for c, e, d in published if e == "mine"}
    assert "Correct" in mine[game.player_channel(alice.pk)]
    assert "Incorrect" in mine[game.player_channel(bob.pk)]
    assert "You did not answer" in mine[game.player_channel(carol.pk)]
    assert not Response.objects.exists()
    go.set()
    background_recording.wait()
    assert Response.objects.count() == 2 and QuestionProgress.objects.count() == 2
    assert not LiveAnswer.objects.filter(response__isnull=True).exists()
    # Every later move asks the recorder again: nothing is recorded twice.
    move(host, game, "next")
    move(host, game, "end")
    background_recording.wait()
    assert Response.objects.count() == 2


@pytest.mark.django_db
def test_the_next_move_records_what_a_stopped_recorder_left(
    game, tess, alice, bob, published, monkeypatch
):
    host, phone = client_of(tess), client_of(alice)
    phone.get(live_url(game))
    client_of(bob).get(live_url(game))  # who does not answer: the teacher reveals
    move(host, game, "start")
    answer(phone, game)
    with monkeypatch.context() as patched:  # the worker dies before it records
        patched.setattr("quizzes.live.recording.record_soon", lambda game_id: None)
        move(host, game, "reveal")
    assert not Response.objects.exists()
    game.refresh_from_db()
    assert game.state == rules.REVEALED

    move(host, game, "next")

    assert Response.objects.filter(user=alice).count() == 1
