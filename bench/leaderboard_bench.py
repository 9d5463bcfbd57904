"""Benchmark of the class leaderboards on a school-sized PostgreSQL database.

Run from the project root (PostgreSQL on 127.0.0.1:5432, Redis optional):

    .venv/bin/python bench/leaderboard_bench.py [--redis redis://127.0.0.1:6379/5] [--fresh]

The first run creates the database `quizsite_bench` (never the development or test one) and
fills it with 100,000 students in classes of 30, one large class of 300, 1,000 questions in 20
banks and 1,000,000 answers spread over the last eight weeks (with their progress rows), by
INSERT ... SELECT over generate_series; later runs reuse it (`--fresh` rebuilds it).

It then requests the class page through Django's test client, as a student ranked about 31st
on the large class's all-time board would (the top ten and "around me") and as the teacher:
the all-time board, this week's board and an assigned quiz's board, the full page and the
polled fragment. It prints the queries each request makes and the server time (p50 and p95
over --runs requests), first ranked by the database, then (with --redis) from Redis.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT_MS = 30.0
LIMIT_QUERIES = 4


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="quizsite_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="", help="Redis URL for the boards' second pass")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    return parser.parse_args()


def prepare_database(args: argparse.Namespace) -> bool:
    """Create the benchmark database if needed; True if it has to be filled."""
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        if exists and args.fresh:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.database}"')
    return not exists


def fill(students: int, answers: int) -> None:
    """The school: users and classes through the ORM, answers and progress in SQL."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from quizzes.models import Choice, Question, Quiz, SourceDocument, Status, Topic, User

    started = time.perf_counter()
    topic = Topic.named("The Moscow Trials")
    source = SourceDocument.objects.create(slug="bench", title="Bench source", text="Bench.")
    banks = Quiz.objects.bulk_create(
        Quiz(slug=f"bank-{b}", title=f"Bank {b}", source=source, status=Status.PUBLISHED)
        for b in range(20)
    )
    questions = Question.objects.bulk_create(
        Question(
            quiz=bank,
            key=f"q{n}",
            position=n,
            type="single_choice",
            prompt=f"Question {n} of {bank.title}?",
            passage="Bench.",
            topic=topic,
            status=Status.PUBLISHED,
        )
        for bank in banks
        for n in range(50)
    )
    Choice.objects.bulk_create(
        Choice(question=q, position=i, text=t, is_correct=i == 0)
        for q in questions
        for i, t in enumerate(["Right", "Wrong"])
    )
    password = make_password("quizsite-demo")
    teacher = User.objects.create(
        username="bench_teacher", display_name="Ms Bench", is_staff=True, password=password
    )
    User.objects.bulk_create(
        (
            User(
                username=f"bench{i}",
                display_name=f"Student {i}",
                password=password,
                anonymous_on_leaderboards=i % 10 == 3,
            )
            for i in range(students)
        ),
        batch_size=5_000,
    )
    print(f"  users and questions: {time.perf_counter() - started:.1f} s")
    per_attempt = 10
    first_question = questions[0].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(id) FROM quizzes_user WHERE username LIKE 'bench%%' AND NOT is_staff"
        )
        first_user = cursor.fetchone()[0]
        # Classes of 30, and one large class of 300 (whose students are in a small one too).
        cursor.execute(
            """
            INSERT INTO quizzes_classroom (name, teacher_id, join_code, created_at)
            SELECT 'Class ' || c, %s, upper(substr(md5(c::text), 1, 8)), now()
            FROM generate_series(0, %s) c
            """,
            [teacher.pk, students // 30],
        )
        cursor.execute("SELECT min(id) FROM quizzes_classroom")
        first_class = cursor.fetchone()[0]
        big_class = first_class + students // 30
        cursor.execute(
            "UPDATE quizzes_classroom SET name = 'Large class' WHERE id = %s", [big_class]
        )
        cursor.execute(
            """
            INSERT INTO quizzes_membership (classroom_id, student_id, joined_at)
            SELECT %s + (s / 30), %s + s, now() FROM generate_series(0, %s) s
            WHERE %s + (s / 30) < %s
            """,
            [first_class, first_user, students - 1, first_class, big_class],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_membership (classroom_id, student_id, joined_at)
            SELECT %s, %s + s * 97, now() FROM generate_series(0, 299) s
            """,
            [big_class, first_user],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_assignment (classroom_id, quiz_id, due_at, assigned_at)
            SELECT id, %s, NULL, now() FROM quizzes_classroom
            """,
            [banks[0].pk],
        )
        # One attempt of ten answers per student, over the last eight weeks; 70% right.
        attempts = answers // per_attempt
        cursor.execute(
            """
            INSERT INTO quizzes_attempt (user_id, quiz_id, kind, question_ids, seed, position,
                                         score, max_score, correct_count, started_at, finished_at)
            SELECT %s + (a %% %s), %s + (a %% 20), 'quiz', '[]', 0, %s, 0, %s, 0, t, t
            FROM (SELECT a, now() - random() * interval '56 days' AS t
                  FROM generate_series(0, %s) a) x
            """,
            [first_user, students, banks[0].pk, per_attempt, per_attempt, attempts - 1],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_response (attempt_id, question_id, user_id, answer, answer_text,
                                          score, points, is_correct, answered_at)
            SELECT id, %s + (quiz_id - %s) * 50 + ((id * 7 + k * 3) %% 50), user_id, '{}', '',
                   ok::int, ok::int, ok, started_at + k * interval '40 seconds'
            FROM (SELECT a.id, a.quiz_id, a.user_id, a.started_at, k, random() < 0.7 AS ok
                  FROM quizzes_attempt a CROSS JOIN generate_series(0, %s) k) x
            """,
            [first_question, banks[0].pk, per_attempt - 1],
        )
        print(f"  answers: {time.perf_counter() - started:.1f} s")
        cursor.execute(
            """
            INSERT INTO quizzes_questionprogress (user_id, question_id, answered_count,
                correct_count, last_correct, last_answered_at, first_correct_at, points,
                spaced_correct_at, card, due_at)
            SELECT user_id, question_id, count(*), count(*) FILTER (WHERE is_correct),
                   (array_agg(is_correct ORDER BY answered_at DESC))[1], max(answered_at),
                   min(answered_at) FILTER (WHERE is_correct),
                   CASE WHEN bool_or(is_correct) THEN 1 ELSE 0 END,
                   NULL, '{}', max(answered_at) + interval '1 day'
            FROM quizzes_response GROUP BY user_id, question_id
            """
        )
        cursor.execute("ANALYZE")
    print(f"  progress rows, analyze: {time.perf_counter() - started:.1f} s")


def timed(call: Callable[[], object], runs: int) -> tuple[int, float, float]:
    """Queries of one call, then p50 and p95 of `runs` calls, in ms (after a warm-up call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm: templates, Redis entries
    connection.queries_log.clear()  # (a request clears it: start the count from empty)
    with CaptureQueriesContext(connection) as ctx:
        call()
    queries = len(ctx)  # now: the next request empties the log that `ctx` reads
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return queries, statistics.median(times), times[int(len(times) * 0.95) - 1]


def get(client, url: str, headers: dict[str, str]) -> None:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)


def report(args: argparse.Namespace) -> bool:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from quizzes import leaderboards
    from quizzes.models import Classroom, QuestionProgress, Response, User
    from quizzes.ranking import Board, week_of

    big = Classroom.objects.get(name="Large class")
    small = Classroom.objects.filter(name="Class 7").get()
    quiz_id = big.assignments.get().quiz_id
    members = User.objects.filter(memberships__classroom=big)
    standings, _, _ = members.ranked_on(Board.all_time())
    ranked = [s for s in standings if s.stats.points > 0]
    student = User.objects.get(pk=ranked[30].user_id)
    week = week_of(timezone.now(), timezone.get_default_timezone())
    print(
        f"data: {User.objects.count():,} users, {Response.objects.count():,} answers, "
        f"{QuestionProgress.objects.count():,} progress rows, "
        f"{Classroom.objects.count():,} classes; "
        f"{Response.objects.filter(answered_at__gte=week.start).count():,} answers this week"
    )
    print(f"viewer: {student.display_name}, place {ranked[30].rank} of {len(ranked)} ranked")

    cases = []
    for classroom, size in ((big, 300), (small, 30)):
        viewer = student if classroom is big else classroom.students.first()
        base = classroom.get_absolute_url()
        for board in ("all", "week", f"quiz-{quiz_id}"):
            label = {"all": "all time", "week": "this week"}.get(board, "quiz")
            cases.append(
                (
                    f"class of {size}, {label}, student (top 10 + around me)",
                    viewer,
                    f"{base}?board={board}",
                    {},
                )
            )
            if board == "all":
                cases.append(
                    (
                        f"class of {size}, {label}, polled fragment",
                        viewer,
                        f"{base}?board={board}",
                        {"HTTP_HX_REQUEST": "true"},
                    )
                )
                cases.append(
                    (f"class of {size}, {label}, teacher", big.teacher, f"{base}?board={board}", {})
                )
    passes = [("database", "")]
    if args.redis:
        passes.append(("redis", args.redis))
    ok = True
    for name, url in passes:
        settings.REDIS_URL = url  # (a new URL: a fresh client, quizzes/leaderboards.py)
        leaderboards.clear_redis()
        print(f"\n== boards ranked by the {name}" + (f" ({url})" if url else ""))
        print(f"{'request':<62} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for label, viewer, page, headers in cases:
            client = Client()
            client.force_login(viewer)
            queries, p50, p95 = timed(partial(get, client, page, headers), args.runs)
            good = queries <= LIMIT_QUERIES and p95 <= LIMIT_MS
            ok &= good
            print(f"{label:<62} {queries:>7} {p50:>8.1f} {p95:>8.1f}{'' if good else '  <- over'}")
        if url:
            question = student.question_progress.select_related("question").first().question
            count = partial(leaderboards.count_answer, student.pk, question.quiz_id)
            queries, p50, p95 = timed(count, args.runs)
            label = "after an answer: counted against the student in Redis"
            print(f"{label:<62} {queries:>7} {p50:>8.1f} {p95:>8.1f}")
    verdict = "OK" if ok else "OVER"
    print(f"\nlimits: <= {LIMIT_QUERIES} queries and p95 <= {LIMIT_MS:.0f} ms -> {verdict}")
    connection.close()
    return ok


def main() -> int:
    args = parse_args()
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.pop("REDIS_URL", None)  # sessions in local memory; Redis only for the boards
    os.environ["DJANGO_SETTINGS_MODULE"] = "quizsite.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    empty = prepare_database(args)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # as in production: no query log, no template debugging
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    if empty:
        print(f"filling {args.database}: {args.students:,} students, {args.answers:,} answers")
        fill(args.students, args.answers)
    return 0 if report(args) else 1


if __name__ == "__main__":
    raise SystemExit(main())
