"""Benchmark of the progress page for a student with 5,000 responses.

Run from the project root against PostgreSQL (or any DATABASE_URL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quizsite_progress \\
        .venv/bin/python bench/progress_bench.py [--responses 5000] [--runs 50] [--per-attempt 10]

It creates a throwaway test database (Django's `test_<name>`, dropped at the end: the database
named in DATABASE_URL is never written), loads the shipped banks, and gives one student
attempts at the shipped quizzes until they have the responses asked for: mostly quizzes, with a
review session between them, spread over a year, scores improving. Rows are bulk-inserted, and
each QuestionProgress row is folded answer by answer with the same `apply` that
`record_answer` uses, so the FSRS cards, due dates and mastery are real. Then it requests
/progress/ (and, for comparison, the mistakes page and the CSV) through Django's test client,
middleware and session included: warm-up requests first, then --runs timed ones. It prints the
median, p95 and max in milliseconds, the queries per request and the page size, and checks the
progress page's p95 against the 100 ms target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# As in production: no query log, no template debug information. (Set here rather than with
# DEBUG=0, which would also want collected static files and HTTPS.)
settings.DEBUG = False

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from quizzes.models import Attempt, Question, QuestionProgress, Quiz, Response, User  # noqa: E402

LIMIT_MS = 100.0
REVIEW_SIZE = 20


def build_student(responses: int, per_attempt: int | None = None, seed: int = 6) -> User:
    rng = random.Random(seed)
    call_command("load_banks", verbosity=0)
    student = User.objects.create(username="bench-student", display_name="Bench Student")
    quizzes = list(Quiz.objects.published().order_by("slug"))
    points = dict(Question.objects.values_list("id", "points"))
    now = timezone.now()
    at = now - timedelta(days=365)
    step = timedelta(days=365) / max(responses, 1)
    attempts: list[Attempt] = []
    answers: list[tuple[int, int, bool]] = []  # (attempt index, question id, right)
    progress: dict[int, QuestionProgress] = {}
    total = 0
    n = 0
    while total < responses:
        if n % 4 == 3 and progress:
            kind, quiz = Attempt.Kind.REVIEW, None
            due = sorted(progress.values(), key=lambda p: p.due_at)
            question_ids = [p.question_id for p in due[:REVIEW_SIZE]]
        else:
            kind, quiz = Attempt.Kind.QUIZ, quizzes[n % len(quizzes)]
            question_ids = quiz.draw_question_ids(rng)
        question_ids = question_ids[:per_attempt][: responses - total]
        skill = 0.45 + 0.5 * total / responses
        attempt = Attempt(
            user=student,
            quiz=quiz,
            kind=kind,
            question_ids=question_ids,
            seed=rng.randrange(2**31),
            started_at=at,
            max_score=sum(points[q] for q in question_ids),
        )
        for question_id in question_ids:
            right = rng.random() < skill
            at += step
            answers.append((len(attempts), question_id, right))
            row = progress.get(question_id) or QuestionProgress(
                user=student, question_id=question_id, last_answered_at=at, due_at=at
            )
            row.apply(
                correct=right,
                points=Decimal(points[question_id]) if right else Decimal(0),
                at=at,
                in_review=kind == Attempt.Kind.REVIEW,
            )
            progress[question_id] = row
            attempt.position += 1
            attempt.score += points[question_id] if right else 0
            attempt.correct_count += int(right)
        attempt.finished_at = at
        attempts.append(attempt)
        total += len(question_ids)
        n += 1
        at += timedelta(hours=rng.randrange(6, 60))
    attempts[-1].finished_at = None  # one left open: "Resume quiz"
    if attempts[-1].kind != Attempt.Kind.QUIZ:
        attempts[-1].finished_at = attempts[-1].started_at
    Attempt.objects.bulk_create(attempts, batch_size=500)
    when = now - timedelta(days=365)
    rows = []
    for index, question_id, right in answers:
        when += step
        rows.append(
            Response(
                attempt=attempts[index],
                question_id=question_id,
                user=student,
                answer={},
                answer_text="an answer",
                score=Decimal(int(right)),
                points=Decimal(points[question_id]) if right else Decimal(0),
                is_correct=right,
                answered_at=when,
            )
        )
    Response.objects.bulk_create(rows, batch_size=1000)
    QuestionProgress.objects.bulk_create(progress.values(), batch_size=500)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return student


def measure(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    for _ in range(3):
        client.get(url)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Counted now: each later request clears the connection's query log.
    query_count = len(queries)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times, query_count, len(response.content)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--per-attempt",
        type=int,
        help="questions per attempt (default: each quiz's own; 10 gives 500 attempts)",
    )
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        student = build_student(args.responses, args.per_attempt)
        built = time.perf_counter() - started
        attempts = Attempt.objects.filter(user=student).count()
        responses = Response.objects.filter(user=student).count()
        print(
            f"database: {connection.vendor} ({connection.settings_dict['NAME']}); "
            f"{os.cpu_count()} cores"
        )
        print(f"student: {responses} responses in {attempts} attempts (built in {built:.1f} s)")
        client = Client()
        client.force_login(student)
        verdict = 0
        for name in ["progress", "mistakes", "my_data"]:
            times, queries, size = measure(client, reverse(f"quizzes:{name}"), args.runs)
            line = (
                f"{name:9} runs: {args.runs}  median: {statistics.median(times):6.1f} ms  "
                f"p95: {p95(times):6.1f} ms  max: {max(times):6.1f} ms  "
                f"queries: {queries}  size: {size / 1000:.0f} KB"
            )
            if name == "progress":
                ok = p95(times) < LIMIT_MS
                verdict = 0 if ok else 1
                line += f"  (limit {LIMIT_MS:.0f} ms: {'OK' if ok else 'TOO SLOW'})"
            print(line)
        return verdict
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
