"""Exactly once under real concurrency: 100 simultaneous posts of the same answer, of the last
answer (which finishes the attempt) and of "Start quiz" each take effect once.

These need a database server that lets threads write at once; on SQLite every write is
serialised anyway, so they run against PostgreSQL (CI runs the suite on both, and raises
PostgreSQL's max_connections so that 100 threads fit).
"""

from django.db import transaction

from quizzes.models import Attempt, Question, QuestionProgress, Response
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.concurrency import CONCURRENT, THREADS, run_at_once
from tests.factories import (
    QuizFactory,
    UserFactory,
    quiz_with_every_type,
    record,
    single_choice_question,
)

pytestmark = CONCURRENT


def test_simultaneous_identical_answers_record_one_response_and_count_its_points_once():
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
    progress = QuestionProgress.objects.get(user=student, question=question)
    assert (progress.answered_count, progress.points) == (1, 1)


def test_simultaneous_last_answers_finish_the_attempt_once():
    student = UserFactory()
    quiz = QuizFactory()
    questions = [single_choice_question(quiz=quiz) for _ in range(2)]
    attempt = start_attempt(user=student, quiz=quiz)
    first = Question.objects.get(pk=attempt.question_ids[0])
    with transaction.atomic():
        record(attempt, first, {"choice": first.choices.get(is_correct=True).id})
    last = Question.objects.get(pk=attempt.question_ids[1])
    data = answer_data(attempt, last, right=True)
    url = f"/attempts/{attempt.pk}/questions/2/answer/"

    statuses = run_at_once(student, lambda c: c.post(url, data, HTTP_HX_REQUEST="true").status_code)

    assert statuses == [200] * THREADS
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.position == 2 and attempt.score == 2
    assert Response.objects.filter(attempt=attempt).count() == len(questions)
    assert QuestionProgress.objects.filter(user=student).count() == 2


def test_simultaneous_starts_open_one_attempt():
    quiz = quiz_with_every_type()
    statuses = run_at_once(
        UserFactory(), lambda c: c.post(f"/quizzes/{quiz.slug}/start/").status_code
    )
    assert statuses == [302] * THREADS
    assert Attempt.objects.count() == 1
