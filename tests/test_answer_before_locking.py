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


@pytest.mark.parametrize("row", ["new", "existing"])
def test_an_answer_whose_progress_moved_before_its_write_counts_once_beside_the_other(
    alice, setting, row, monkeypatch
):
    """The student's progress on the question is read before the lock too: another answer to
    the same question (in another attempt) that changes it meanwhile sends this one to the
    locked path, which folds it into the row as it now is."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the answer is read under the attempt's row lock")
    attempt, right, wrong = setting
    attempts = Attempt.objects.filter(user=alice)
    question_ids = attempt.question_ids
    practice, review = (
        Attempt.objects.create(user=alice, kind=kind, question_ids=question_ids, max_score=1)
        for kind in (Attempt.Kind.PRACTICE, Attempt.Kind.REVIEW)
    )
    if row == "existing":
        record_answer(attempts, review.pk, 1, {"choice": wrong.pk})
    read = QuestionProgress.as_read
    overtakers = [practice]

    def overtaken(cls, response, rows=None):
        stale = read(response, rows)
        if rows is None and response.attempt_id == attempt.pk and overtakers:
            record_answer(attempts, overtakers.pop().pk, 1, {"choice": wrong.pk})
        return stale

    monkeypatch.setattr(QuestionProgress, "as_read", classmethod(overtaken))
    turn = record_answer(attempts, attempt.pk, 1, {"choice": right.pk})
    assert turn.recorded and not overtakers
    assert Response.objects.filter(attempt=attempt).count() == 1
    progress = QuestionProgress.objects.get()
    answers = 3 if row == "existing" else 2
    assert (progress.answered_count, progress.correct_count) == (answers, 1)
    assert progress.last_correct and progress.last_answer_text == turn.response.answer_text
    attempt.refresh_from_db()
    assert (attempt.position, attempt.correct_count, attempt.run_of_right) == (1, 1, 1)
