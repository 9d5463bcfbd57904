"""The last allowed attempt at an assignment is made once under real concurrency: a hundred
simultaneous starts make one attempt (the attempt's number is unique per student and
assignment), every request answered with a redirect, none with a 500. PostgreSQL only, like
tests/test_concurrency.py."""

from quizzes.models import Attempt
from tests.admin_helpers import finished_attempt
from tests.concurrency import CONCURRENT, THREADS, run_at_once
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = CONCURRENT


def test_simultaneous_starts_of_the_last_allowed_attempt_make_one():
    question = single_choice_question()
    quiz = question.quiz
    assignment = AssignmentFactory(quiz=quiz, attempts_allowed=2)
    student = UserFactory()
    MembershipFactory(classroom=assignment.classroom, student=student)
    finished_attempt(student, quiz, [question], [False], assignment=assignment)  # attempt 1

    start = f"/quizzes/{quiz.slug}/start/"
    responses = run_at_once(student, lambda c: c.post(start, {"assignment": assignment.pk}))

    assert [getattr(r, "status_code", r) for r in responses] == [302] * THREADS
    attempts = Attempt.objects.filter(user=student, assignment=assignment)
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2]
    # Everyone was sent to the one new attempt.
    second = attempts.get(number=2)
    assert {r.url for r in responses} == {second.step_url()}


def test_simultaneous_starts_after_the_last_attempt_are_refused():
    question = single_choice_question()
    assignment = AssignmentFactory(quiz=question.quiz, attempts_allowed=1)
    student = UserFactory()
    MembershipFactory(classroom=assignment.classroom, student=student)
    finished_attempt(student, question.quiz, [question], [True], assignment=assignment)

    start = f"/quizzes/{question.quiz.slug}/start/"
    responses = run_at_once(student, lambda c: c.post(start, {"assignment": assignment.pk}))

    assert {(r.status_code, r.url) for r in responses} == {(302, question.quiz.get_absolute_url())}
    assert Attempt.objects.filter(user=student).count() == 1
