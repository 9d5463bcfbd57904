"""Simultaneous clicks on "Start review" or "Practise my mistakes" open one session, not two.

Like tests/test_concurrency.py, these need threads writing at once, so PostgreSQL only.
"""

import pytest
from django.utils import timezone

from quizzes.models import Attempt
from tests.concurrency import CONCURRENT, run_at_once
from tests.factories import QuestionProgressFactory, UserFactory

pytestmark = CONCURRENT


@pytest.mark.parametrize(
    ("url", "kind"), [("/progress/review/", "review"), ("/progress/mistakes/practise/", "practice")]
)
def test_simultaneous_starts_open_one_session(url, kind):
    student = UserFactory()
    for _ in range(3):
        QuestionProgressFactory(user=student, last_correct=False, due_at=timezone.now())
    responses = run_at_once(student, lambda c: c.post(url))
    attempt = Attempt.objects.get()
    assert attempt.kind == kind
    assert {(r.status_code, r.url) for r in responses} == {(302, attempt.step_url())}
