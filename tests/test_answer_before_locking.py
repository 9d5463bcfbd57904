"""On SQLite an answer is read, checked and graded before the transaction that takes the write
lock, which then holds it for the writes alone (quizzes/models/attempts.py,
_record_before_locking): its first write claims the attempt's turn only if no other answer moved
the attempt since it was read. These tests overtake a post between its read and its write, as a
second post of the same answer does, and check that the answer counts once. (On PostgreSQL the
attempt's row lock does this: tests/test_concurrency.py.)
"""

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.models import Attempt, QuestionProgress, Response
from quizzes.models.attempts import Given, record_answer, start_attempt
from tests.factories import single_choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(alice):
    question = single_choice_question()
    attempt = start_attempt(user=alice, quiz=question.quiz)
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    return attempt, right, wrong


def test_a_stale_claim_writes_nothing(alice, setting):
    attempt, right, _ = setting
    stale = Attempt.objects.with_content_stamp().get(pk=attempt.pk)
    record_answer(Attempt.objects.filter(user=alice), attempt.pk, 1, {"choice": right.pk})
    question = stale.question(1)
    response = Response.graded(stale, question, {"choice": right.pk}, at=timezone.now())
    assert not stale.claim_turn(response)
    assert stale.position == 1  # read again, as it is now
    attempt.refresh_from_db()
    assert (attempt.position, attempt.correct_count) == (1, 1)
    assert Response.objects.count() == 1


def test_a_post_overtaken_before_its_write_gets_the_first_answer(alice, setting):
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the answer is read under the attempt's row lock")
    attempt, right, wrong = setting
    attempts = Attempt.objects.filter(user=alice)

    def overtaken(read_attempt, question):
        # Another post of this question lands between this one's read and its write.
        record_answer(attempts, attempt.pk, 1, {"choice": right.pk})
        return Given({"choice": wrong.pk})

    turn = record_answer(attempts, attempt.pk, 1, overtaken)
    assert not turn.recorded
    assert turn.response.answer == {"choice": right.pk}  # the first answer stands
    assert Response.objects.count() == 1
    assert QuestionProgress.objects.get().answered_count == 1
    attempt.refresh_from_db()
    assert (attempt.position, attempt.correct_count, attempt.is_finished) == (1, 1, True)
