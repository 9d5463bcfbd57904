"""Benchmark of the progress page for a student with 5,000 responses.

Run from the project root against PostgreSQL (or any DATABASE_URL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quizsite_progress \\
        .venv/bin/python -m bench.progress [--responses 5000] [--runs 50] [--per-attempt 10]

It creates a throwaway test database (Django's `test_<name>`, dropped at the end: the database
named in DATABASE_URL is never written), loads the shipped banks, and gives one student
attempts at the shipped quizzes until they have the responses asked for: mostly quizzes, with a
review session between them, spread over a year or two, scores improving, the last quiz left
open. bench/data.py's History folds each QuestionProgress row answer by answer with the same
`apply` that `record_answer` uses, so the FSRS cards, due dates and mastery are real.
Then it requests /progress/ (and, for comparison, the mistakes page and the CSV) through
Django's test client, middleware and session included: warm-up requests first, then --runs
timed ones. It prints the median, p95 and max in milliseconds, the queries per request and the
page size, and checks the progress page's p95 against the 100 ms target.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse
from django.utils import timezone

from bench import data  # sets Django up, with DATABASE_URL
from bench.harness import percentile
from quizzes.models import Attempt, Quiz, Response, User

# As in production: no query log, no template debug information. (Set here rather than with
# DEBUG=0, which would also want collected static files and HTTPS.)
data.as_in_production()

LIMIT_MS = 100.0


def build_student(responses: int, per_attempt: int | None = None, seed: int = 6) -> User:
    call_command("load_banks", verbosity=0)
    student = data.users(1, "progress")[0]
    quizzes = list(Quiz.objects.published().order_by("slug"))
    history = data.History(random.Random(seed))
    progress: dict = {}
    at = timezone.now() - timedelta(days=365)
    total = n = 0
    while total < responses:
        kind, quiz, question_ids = history.quiz_or_review(n, quizzes[n % len(quizzes)], progress)
        question_ids = question_ids[:per_attempt][: responses - total]
        skill = 0.45 + 0.5 * total / responses
        at = history.attempt(student, quiz, kind, question_ids, at, skill, progress)
        at += timedelta(hours=history.rng.randrange(6, 60))
        total += len(question_ids)
        n += 1
    # One quiz left open, three answers in: "Resume quiz".
    question_ids = history.draw(quizzes[0])
    history.attempt(student, quizzes[0], Attempt.Kind.QUIZ, question_ids, at, skill, progress, 3)
    history.save()
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
                f"{name:9} runs: {args.runs}  median: {percentile(times, 50):6.1f} ms  "
                f"p95: {percentile(times, 95):6.1f} ms  max: {max(times):6.1f} ms  "
                f"queries: {queries}  size: {size / 1000:.0f} KB"
            )
            if name == "progress":
                ok = percentile(times, 95) < LIMIT_MS
                verdict = 0 if ok else 1
                line += f"  (limit {LIMIT_MS:.0f} ms: {'OK' if ok else 'TOO SLOW'})"
            print(line)
        return verdict
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
