"""Data for the admin, analysis and interchange tests: teachers' quizzes, and finished attempts
with chosen right and wrong answers (the personas are tests/conftest.py's)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from quizzes.models import Assignment, Attempt, Question, Quiz, Response, User
from tests.factories import UserFactory, quiz_with_every_type

PASSWORD = "quizsite-demo"


def make_quiz(owner: User | None, **kwargs: object) -> Quiz:
    """A quiz of one question of every type (in tests.factories.QUESTION_MAKERS order)."""
    return quiz_with_every_type(owner=owner, **kwargs)


def finished_attempt(
    student: User,
    quiz: Quiz,
    questions: Sequence[Question],
    right: Sequence[bool],
    *,
    wrong: str = "Kirov",
    assignment: Assignment | None = None,
) -> Attempt:
    """A finished attempt in which the student got each question right or wrong, written
    straight to the tables (the quiz flow itself is tested elsewhere)."""
    now = timezone.now()
    score = Decimal(sum(right))
    number = None
    if assignment is not None:
        number = Attempt.objects.filter(user=student, assignment=assignment).count() + 1
    attempt = Attempt.objects.create(
        user=student,
        quiz=quiz,
        assignment=assignment,
        number=number,
        question_ids=[q.pk for q in questions],
        position=len(questions),
        score=score,
        max_score=Decimal(len(questions)),
        correct_count=sum(right),
        finished_at=now,
    )
    Response.objects.bulk_create(
        Response(
            attempt=attempt,
            question=question,
            user=student,
            answer={},
            answer_text="Right" if ok else wrong,
            score=Decimal(int(ok)),
            points=Decimal(int(ok)),
            is_correct=ok,
            answered_at=now,
        )
        for question, ok in zip(questions, right, strict=True)
    )
    return attempt


def students(count: int, prefix: str = "pupil") -> list[User]:
    return [UserFactory(username=f"{prefix}{n}") for n in range(count)]
