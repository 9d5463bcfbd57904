"""Spaced review and practice: the FSRS schedule each answer sets, what is due when, and the
practice and review sessions (start_practice, start_review) that run through the quiz flow."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.mastery import Level
from quizzes.models import Attempt, Question, QuestionProgress, Status
from quizzes.models.attempts import SESSION_SIZE, start_attempt, start_practice, start_review
from quizzes.models.progress import topic_mastery
from tests.factories import (
    AttemptFactory,
    QuestionProgressFactory,
    QuizFactory,
    UserFactory,
    record,
    single_choice_question,
)
from tests.test_models import _answer

pytestmark = pytest.mark.django_db


def take(attempt, *, right):
    """Answer every question of the attempt, all right or all wrong."""
    for question_id in attempt.question_ids:
        question = Question.objects.prefetch_related("choices").get(pk=question_id)
        record(attempt, question, _answer(attempt, question, right=right))
    attempt.refresh_from_db()
    return attempt


def progress(user, question):
    return QuestionProgress.objects.get(user=user, question=question)


def due_count(user, at):
    return QuestionProgress.objects.for_user(user).live().due(at).count()


class TestSchedule:
    def test_a_wrong_answer_comes_back_sooner_than_a_right_one(self):
        quiz = QuizFactory()
        question = single_choice_question(quiz=quiz)
        right, wrong = UserFactory(), UserFactory()
        take(start_attempt(user=right, quiz=quiz), right=True)
        take(start_attempt(user=wrong, quiz=quiz), right=False)
        assert progress(wrong, question).due_at < progress(right, question).due_at
        # FSRS with no sub-day steps: a miss comes back the next day, a right answer later.
        wrong_gap = progress(wrong, question).due_at - progress(wrong, question).last_answered_at
        right_gap = progress(right, question).due_at - progress(right, question).last_answered_at
        assert wrong_gap == timedelta(days=1)
        assert right_gap >= timedelta(days=2)

    def test_the_card_state_is_stored_for_each_student_and_question(self, alice):
        question = single_choice_question()
        take(start_attempt(user=alice, quiz=question.quiz), right=True)
        card = progress(alice, question).card
        assert {"stability", "difficulty", "due", "last_review"} <= card.keys()

    def test_due_counts_grow_as_time_passes(self, alice):
        quiz = QuizFactory()
        for _ in range(3):
            single_choice_question(quiz=quiz)
        wrong_one = single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        for question_id in attempt.question_ids:
            question = Question.objects.prefetch_related("choices").get(pk=question_id)
            right = question != wrong_one
            record(attempt, question, _answer(attempt, question, right=right))
        now = timezone.now()
        assert due_count(alice, now) == 0
        assert due_count(alice, now + timedelta(days=1, minutes=1)) == 1
        assert due_count(alice, now + timedelta(days=3)) == 4

    def test_questions_no_longer_published_are_not_due(self, alice):
        question = single_choice_question()
        QuestionProgressFactory(user=alice, question=question, due_at=timezone.now())
        assert due_count(alice, timezone.now()) == 1
        question.status = Status.DRAFT
        question.save()
        assert due_count(alice, timezone.now()) == 0

    def test_a_right_review_a_day_later_updates_the_schedule_and_masters_the_topic(self, alice):
        question = single_choice_question()
        take(start_attempt(user=alice, quiz=question.quiz), right=True)
        first_due = progress(alice, question).due_at
        with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
            review = start_review(user=alice, now=timezone.now())
            assert review.question_ids == [question.pk]
            take(review, right=True)
            row = progress(alice, question)
            assert row.spaced_correct_at == timezone.now()
            assert row.due_at > first_due + timedelta(days=3)
            (topic,) = topic_mastery(alice, now=timezone.now())
            assert topic.level is Level.MASTERED
        assert review.is_finished and review.kind == Attempt.Kind.REVIEW

    def test_a_right_answer_in_a_quiz_a_day_later_is_not_a_spaced_review(self, alice):
        question = single_choice_question()
        take(start_attempt(user=alice, quiz=question.quiz), right=True)
        with time_machine.travel(timezone.now() + timedelta(days=3)):
            take(start_attempt(user=alice, quiz=question.quiz), right=True)
        assert progress(alice, question).spaced_correct_at is None
        (topic,) = topic_mastery(alice, now=timezone.now())
        assert topic.level is Level.PROFICIENT


class TestStartReview:
    def test_it_asks_the_due_questions_most_overdue_first(self, alice):
        now = timezone.now()
        questions = [single_choice_question(points=n + 1) for n in range(4)]
        for days, question in zip([2, 5, -1, 1], questions, strict=True):
            QuestionProgressFactory(
                user=alice, question=question, due_at=now - timedelta(days=days)
            )
        review = start_review(user=alice, now=now)
        assert review.question_ids == [questions[1].pk, questions[0].pk, questions[3].pk]
        assert review.max_score == 2 + 1 + 4
        assert (review.kind, review.quiz, review.title) == (Attempt.Kind.REVIEW, None, "Review")

    def test_a_session_asks_at_most_session_size_questions(self, alice):
        now = timezone.now()
        quiz = QuizFactory()
        for n in range(SESSION_SIZE + 5):
            QuestionProgressFactory(
                user=alice,
                question=single_choice_question(quiz=quiz),
                due_at=now - timedelta(minutes=n),
            )
        assert len(start_review(user=alice, now=now).question_ids) == SESSION_SIZE

    def test_nothing_due_starts_nothing(self, alice):
        QuestionProgressFactory(user=alice, due_at=timezone.now() + timedelta(hours=1))
        assert start_review(user=alice, now=timezone.now()) is None
        assert not Attempt.objects.exists()

    def test_starting_again_resumes_the_open_review(self, alice):
        QuestionProgressFactory(user=alice, due_at=timezone.now())
        first = start_review(user=alice, now=timezone.now())
        QuestionProgressFactory(user=alice, due_at=timezone.now())
        assert start_review(user=alice, now=timezone.now()) == first
        assert Attempt.objects.count() == 1

    def test_the_database_refuses_a_second_open_session_of_a_kind(self, alice):
        AttemptFactory(user=alice, quiz=None, kind=Attempt.Kind.REVIEW)
        with pytest.raises(IntegrityError), transaction.atomic():
            AttemptFactory(user=alice, quiz=None, kind=Attempt.Kind.REVIEW)
        # ...but an open practice beside it, finished reviews, and other students are fine.
        AttemptFactory(user=alice, quiz=None, kind=Attempt.Kind.PRACTICE)
        AttemptFactory(user=alice, quiz=None, kind=Attempt.Kind.REVIEW, finished=True)
        AttemptFactory(quiz=None, kind=Attempt.Kind.REVIEW)

    def test_another_students_due_questions_are_not_asked(self, alice, bob):
        QuestionProgressFactory(user=bob, due_at=timezone.now())
        assert start_review(user=alice, now=timezone.now()) is None


class TestStartPractice:
    def test_it_asks_the_questions_whose_latest_answer_was_wrong_in_bank_order(self, alice):
        quiz = QuizFactory()
        questions = [single_choice_question(quiz=quiz, position=n) for n in range(4)]
        for question, right in zip(questions, [False, True, False, True], strict=True):
            QuestionProgressFactory(user=alice, question=question, last_correct=right)
        practice = start_practice(user=alice)
        assert practice.question_ids == [questions[0].pk, questions[2].pk]
        assert (practice.kind, practice.quiz, practice.title) == (
            Attempt.Kind.PRACTICE,
            None,
            "Practise my mistakes",
        )

    def test_practising_a_mistake_right_puts_it_right(self, alice):
        question = single_choice_question()
        take(start_attempt(user=alice, quiz=question.quiz), right=False)
        practice = take(start_practice(user=alice), right=True)
        assert practice.is_finished and practice.score == 1
        assert progress(alice, question).last_correct is True
        assert start_practice(user=alice) is None
        # Practice is not a spaced review, however long after.
        assert progress(alice, question).spaced_correct_at is None

    def test_it_resumes_the_open_practice_and_leaves_review_alone(self, alice):
        QuestionProgressFactory(user=alice, last_correct=False, due_at=timezone.now())
        practice = start_practice(user=alice)
        assert start_practice(user=alice) == practice
        review = start_review(user=alice, now=timezone.now())
        assert review != practice and review.kind == Attempt.Kind.REVIEW

    def test_no_mistakes_starts_nothing(self, alice):
        QuestionProgressFactory(user=alice, last_correct=True)
        QuestionProgressFactory(
            user=alice,
            last_correct=False,
            question=single_choice_question(quiz=QuizFactory(status=Status.DRAFT)),
        )
        assert start_practice(user=alice) is None
