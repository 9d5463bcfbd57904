"""Each student's row per question: counts, points earned once, and the FSRS review schedule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes.models import QuestionProgress
from quizzes.models.attempts import start_attempt
from tests.factories import QuizFactory, UserFactory, record, single_choice_question
from tests.test_models import _answer

pytestmark = pytest.mark.django_db


def answer(user, question, *, right):
    attempt = start_attempt(user=user, quiz=question.quiz)
    record(attempt, question, _answer(attempt, question, right=right))
    return QuestionProgress.objects.get(user=user, question=question)


def test_a_wrong_answer_comes_back_for_review_sooner_than_a_right_one():
    question = single_choice_question()
    right = answer(UserFactory(), question, right=True)
    wrong = answer(UserFactory(), question, right=False)
    assert wrong.due_at < right.due_at
    assert wrong.due_at - wrong.last_answered_at >= timedelta(hours=23)


def test_a_question_earns_its_points_once_however_often_it_is_answered_right():
    student = UserFactory()
    quiz = QuizFactory()
    question = single_choice_question(quiz=quiz, points=2)
    first = answer(student, question, right=True)
    for right in (False, True, True):
        progress = answer(student, question, right=right)
    assert progress.points == Decimal(2)
    assert progress.first_correct_at == first.first_correct_at
    assert (progress.answered_count, progress.correct_count, progress.last_correct) == (4, 3, True)
    assert QuestionProgress.objects.count() == 1


def test_a_right_answer_a_day_later_in_a_review_counts_as_spaced():
    progress = QuestionProgress(
        answered_count=1, last_answered_at=timezone.now(), due_at=timezone.now()
    )
    progress.apply(
        correct=True,
        points=Decimal(1),
        at=progress.last_answered_at + timedelta(hours=2),
        in_review=True,
    )
    assert progress.spaced_correct_at is None
    later = progress.last_answered_at + timedelta(days=1)
    progress.apply(correct=True, points=Decimal(1), at=later, in_review=True)
    assert progress.spaced_correct_at == later


def test_a_right_answer_outside_a_review_is_not_spaced():
    progress = QuestionProgress(
        answered_count=1, last_answered_at=timezone.now(), due_at=timezone.now()
    )
    progress.apply(
        correct=True,
        points=Decimal(1),
        at=progress.last_answered_at + timedelta(days=3),
        in_review=False,
    )
    assert progress.spaced_correct_at is None


def test_a_miss_after_a_spaced_review_needs_a_new_one_for_mastery():
    start = timezone.now()
    progress = QuestionProgress(answered_count=1, last_answered_at=start, due_at=start)
    progress.apply(correct=True, points=Decimal(1), at=start + timedelta(days=2), in_review=True)
    assert progress.spaced_correct_at is not None
    progress.apply(correct=False, points=Decimal(0), at=start + timedelta(days=3), in_review=False)
    progress.apply(correct=True, points=Decimal(1), at=start + timedelta(days=4), in_review=False)
    assert progress.spaced_correct_at is None
