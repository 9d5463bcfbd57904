"""Benchmark of the class leaderboards on a school-sized PostgreSQL database.

Run from the project root (PostgreSQL on 127.0.0.1:5432, Redis optional):

    .venv/bin/python -m bench.leaderboards [--redis redis://127.0.0.1:6379/5] [--fresh]

The first run creates the database `quizsite_bench` (never the development or test one) and
fills it with bench/data.py's district: 100,000 students in classes of 30, one large class of
300, 1,000 questions in 20 banks and 1,000,000 answers spread over the last eight weeks (with
their progress rows); later runs reuse it (`--fresh` rebuilds it).

It then requests the class page through Django's test client, as a student ranked about 31st
on the large class's all-time board would (the top ten and "around me") and as the teacher:
the all-time board, this week's board and an assigned quiz's board, the full page and the
polled fragment. It prints the queries each request makes and the server time (p50 and p95
over --runs requests), first ranked by the database, then (with --redis) from Redis.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from functools import partial

from bench.harness import kept_postgres, percentile

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
    return queries, percentile(times, 50), percentile(times, 95)


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
    empty = kept_postgres(args.server, args.database, fresh=args.fresh)

    from django.core.management import call_command

    from bench import data  # sets Django up

    data.as_in_production()
    call_command("migrate", verbosity=0)
    if empty:
        print(f"filling {args.database}: {args.students:,} students, {args.answers:,} answers")
        data.district(args.students, args.answers)
    return 0 if report(args) else 1


if __name__ == "__main__":
    raise SystemExit(main())
