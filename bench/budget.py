"""What the 60% goal leaves the question page and the answer post, and what their parts cost.

    .venv/bin/python -m bench.budget                       # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quizsite_profile REDIS_URL=redis://... \\
        .venv/bin/python -m bench.budget                   # a database it may empty

In one process, as bench/profile_hot_paths.py (whose set-up it shares), CPU milliseconds per
call. First the yardsticks: the bare one-row read and update, and the same signed in, which is
what any student's page pays before its own work. A page at 60% of the bare endpoint may cost
bare / 0.6; what that leaves beyond being signed in is its budget. Then the parts of the two
views, each alone: the attempt's query through the ORM and the same SQL through a cursor, the
question from the cache, the grading and spaced-repetition update of an answer, and the two
fragments' templates.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

os.environ.setdefault("PROFILE", "0")

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from bench import profile_hot_paths as hot  # sets Django up
from quizzes.forms import AnswerForm
from quizzes.models import Attempt, ContentStamp, Question, QuestionProgress

RUNS = int(os.environ.get("BUDGET_RUNS", "1000"))


def cpu_ms(call: Callable[[], object]) -> float:
    for _ in range(RUNS // 10):
        call()
    started = time.process_time()
    for _ in range(RUNS):
        call()
    return (time.process_time() - started) / RUNS * 1000


def main() -> None:
    client, student, *_ = hot.set_up()
    url, data = hot.next_answer(client, student)
    attempt_url = url.split("questions")[0]
    attempt = Attempt.objects.annotate(content_stamp=ContentStamp.current()).get(
        pk=url.split("/")[2]
    )
    number = attempt.current_number
    question = Question.cached(attempt.question_id_at(number), stamp=attempt.content_stamp)
    form = AnswerForm(question, attempt.seed, data=data)
    assert form.is_valid(), form.errors
    request = RequestFactory().get(attempt_url, HTTP_HX_REQUEST="true")
    request.user, request.htmx = student, HtmxDetails(request)
    card = {"attempt": attempt, "number": number, "question": question, "form": form}
    card["links"] = attempt.links(number)
    response = attempt.responses.first() or _answered(client, student)
    answered = Question.cached(response.question_id, stamp=attempt.content_stamp)
    feedback = {**card, "question": answered, "response": response, "is_last": False}
    # The answer post's response: the feedback with the next question's card (views.students).
    upcoming = {"number": number, "question": question, "form": AnswerForm(question, attempt.seed)}
    with_next = {**feedback, "upcoming": {**upcoming, "links": card["links"]}}
    sql = (
        "SELECT a.*, q.title, (SELECT version FROM quizzes_contentstamp LIMIT 1) "
        "FROM quizzes_attempt a LEFT JOIN quizzes_quiz q ON q.id = a.quiz_id "
        "WHERE a.id = %s AND a.user_id = %s"
    )

    def raw_attempt() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [attempt.pk, student.pk])
            cursor.fetchone()

    def fsrs() -> None:
        progress = QuestionProgress(
            user_id=student.pk, question_id=question.pk, last_answered_at=timezone.now()
        )
        progress.apply(correct=True, points=question.points, at=timezone.now(), in_review=False)

    yardsticks = {
        "bare read (1 row)": cpu_ms(lambda: client.get(f"/bench/read/{student.pk}/")),
        "bare update (1 row)": cpu_ms(lambda: client.post(f"/bench/update/{student.pk}/")),
        "signed-in read": cpu_ms(lambda: client.get("/bench/read/me/")),
        "signed-in update": cpu_ms(lambda: client.post("/bench/update/me/")),
        "next question (whole request)": cpu_ms(lambda: client.get(attempt_url, **hot.HX)),
    }
    parts = {
        "attempt query, ORM (as the views)": cpu_ms(
            lambda: (
                Attempt.objects.filter(user=student)
                .select_related("quiz")
                .annotate(content_stamp=ContentStamp.current())
                .get(pk=attempt.pk)
            )
        ),
        "attempt query, same SQL by cursor": cpu_ms(raw_attempt),
        "question from the cache": cpu_ms(
            lambda: Question.cached(question.pk, stamp=attempt.content_stamp)
        ),
        "grade the answer": cpu_ms(lambda: question.grade(form.answer())),
        "spaced-repetition update (FSRS)": cpu_ms(fsrs),
        "question card template": cpu_ms(
            lambda: render_to_string("quizzes/attempt.html#question-card", card, request)
        ),
        "feedback template": cpu_ms(
            lambda: render_to_string("quizzes/attempt.html#answer-feedback", feedback, request)
        ),
        "feedback with the next card (as posted)": cpu_ms(
            lambda: render_to_string("quizzes/attempt.html#answer-feedback", with_next, request)
        ),
    }
    print(f"{'in one process':<40}{'CPU ms':>8}")
    for name, ms in {**yardsticks, **parts}.items():
        print(f"{name:<40}{ms:>8.3f}")
    for page, bare, signed_in in (
        ("question page", "bare read (1 row)", "signed-in read"),
        ("answer post", "bare update (1 row)", "signed-in update"),
    ):
        most = yardsticks[bare] / 0.6
        print(
            f"{page} at 60% of the {bare}: at most {most:.3f} ms, "
            f"{most - yardsticks[signed_in]:.3f} ms beyond being signed in"
        )


def _answered(client, student):
    """A recorded response, for the feedback template: answer the next question."""
    url, data = hot.next_answer(client, student)
    client.post(url, data, **hot.HX)
    return Attempt.objects.get(pk=url.split("/")[2]).responses.last()


if __name__ == "__main__":
    main()
