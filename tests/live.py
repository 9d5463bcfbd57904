"""Helpers for the live game's tests (issue 22): a class with a game, its players' clients, the
events the game publishes, and the answer a phone posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import LiveGame, Question
from quizzes.models.live import start_game
from tests.answers import answer_data


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, str, str]]:
    """Every event the game publishes, as (channel, event, data), instead of the bus's."""
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr("quizzes.live.bus.publish_many", sent.extend)
    # The test's transaction never commits: send at once what would be sent at the commit.
    monkeypatch.setattr("quizzes.live.screens.after_commit", lambda send: send())
    return sent


@pytest.fixture
def background_recording(settings):
    """The live game's answers recorded as a server records them: after the reveal's response,
    by the process's recorder thread (quizzes/live/recording.py), whose database connection is
    closed at the end."""
    from quizzes.live import recording

    settings.LIVE_RECORDING = "background"
    yield recording
    recording.close()


def new_game(classroom: Any, quiz: Any, **options: Any) -> LiveGame:
    options = {"time_limit": None, "speed_bonus": False} | options
    return start_game(classroom=classroom, quiz=quiz, host=classroom.teacher, **options)


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def live_url(game: LiveGame, name: str = "live_phone", *args: Any) -> str:
    return reverse(f"quizzes:{name}", args=[game.code, *args])


def move(client: Client, game: LiveGame, action: str, **data: Any) -> Any:
    return client.post(live_url(game, "live_move", action), data)


def current(game: LiveGame) -> Question:
    game.refresh_from_db()
    return Question.objects.get(pk=game.question_ids[game.number - 1])


def answer(client: Client, game: LiveGame, *, right: bool = True, **headers: Any) -> Any:
    """Post the open question's answer as a phone does (through the game's shuffle)."""
    question = current(game)
    data = answer_data(game, question, right=right) | {"number": str(game.number)}
    return client.post(live_url(game, "live_answer"), data, **headers)
