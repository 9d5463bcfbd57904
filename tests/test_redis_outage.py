"""With REDIS_URL pointing at a Redis that is down, students notice nothing: the cache (and the
sessions read through it) and the class boards fall back to the database."""

import pytest
from django.test import override_settings
from django.urls import reverse

from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.factories import ClassroomFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DOWN = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.fixture
def redis_down():
    # override_settings makes Django reopen its caches with the new settings.
    with override_settings(CACHES=DOWN):
        yield


def test_a_student_logs_in_and_answers_while_redis_is_down(client, alice, quiz, redis_down):
    assert (
        client.post(
            "/accounts/login/", {"username": "alice", "password": "quizsite-demo"}
        ).status_code
        == 302
    )
    assert client.get("/").status_code == 200
    attempt = start_attempt(user=alice, quiz=quiz)
    question = quiz.questions.get(pk=attempt.question_ids[0])
    url = reverse("quizzes:answer", args=[attempt.pk, 1])
    response = client.post(url, answer_data(attempt, question, right=True), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Correct" in response.content.decode()


def test_the_class_board_shows_an_answer_given_while_redis_is_down(
    client, alice, quiz, redis_down, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the leaderboards' Redis is down too
    classroom = ClassroomFactory()
    MembershipFactory(classroom=classroom, student=alice)
    client.force_login(alice)
    attempt = start_attempt(user=alice, quiz=quiz)
    question = quiz.questions.get(pk=attempt.question_ids[0])
    url = reverse("quizzes:answer", args=[attempt.pk, 1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, answer_data(attempt, question, right=True), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    board = client.get(classroom.get_absolute_url(), {"board": "all"}, HTTP_HX_REQUEST="true")
    assert board.status_code == 200
    assert '<th scope="row">Alice' in board.content.decode()


def test_a_student_joins_a_class_while_redis_is_down(client, alice, redis_down, settings):
    settings.RATELIMIT_ENABLE = True  # its count lives in Redis: with Redis down, it lets through
    classroom = ClassroomFactory()
    client.force_login(alice)
    for n in range(12):
        assert client.post("/classes/join/", {"code": f"AAAA{n:04}"}).status_code == 400
    assert client.post("/classes/join/", {"code": classroom.join_code}).status_code == 302
    assert classroom.students.filter(pk=alice.pk).exists()
