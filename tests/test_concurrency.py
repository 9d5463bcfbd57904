"""Exactly once under real concurrency: simultaneous posts of the same answer, or of "Start quiz".

These need a database server that lets threads write at once; on SQLite every write is
serialised anyway, so they run against PostgreSQL (CI runs the suite on both).
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from quizzes.models import Attempt, Question, Response
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.factories import UserFactory, quiz_with_every_type

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]
THREADS = 20


def run_at_once(user, action) -> list:
    """Run `action(client)` in THREADS threads released at the same instant, each its own
    logged-in client and database connection, and return what each returned."""
    barrier = threading.Barrier(THREADS)
    results = []

    def worker():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            results.append(action(client))
        finally:
            from django.db import connections

            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_identical_answers_record_one_response():
    student = UserFactory()
    attempt = start_attempt(user=student, quiz=quiz_with_every_type())
    question = Question.objects.get(pk=attempt.question_ids[0])
    data = answer_data(attempt, question, right=True)
    url = f"/attempts/{attempt.pk}/questions/1/answer/"

    statuses = run_at_once(student, lambda c: c.post(url, data, HTTP_HX_REQUEST="true").status_code)

    assert statuses == [200] * THREADS
    assert Response.objects.count() == 1
    attempt.refresh_from_db()
    assert (attempt.position, attempt.score, attempt.correct_count) == (1, 1, 1)


def test_simultaneous_starts_open_one_attempt():
    quiz = quiz_with_every_type()
    statuses = run_at_once(
        UserFactory(), lambda c: c.post(f"/quizzes/{quiz.slug}/start/").status_code
    )
    assert statuses == [302] * THREADS
    assert Attempt.objects.count() == 1
