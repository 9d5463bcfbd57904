"""Login cards (issue 20): a class list of 1,000 names made into accounts, and signing in with a
card's link, timed through the whole Django stack in one process (Django's test client: every
middleware, django-axes on, the view, the database; production settings).

    .venv/bin/python -m bench.roster [--db postgres|sqlite] [--redis URL] [--names 1000]
                                     [--signins 60]

It prints, with the machine and its load:

- the roster: one POST of `--names` names, with QR codes on the cards and without, its seconds,
  statements and page size; and what hashing that many one-time passwords with Django's
  default hasher would have cost instead (one hashed, times the count);
- signing in: for `--signins` students, the link's page (GET) and the sign-in (POST), each
  request's milliseconds (p50, p95, max), beside a sign-in with the login form and a password
  hashed by Django's default hasher.

A fresh database each run (PostgreSQL `quizsite_bench_roster`, or SQLite in a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from bench import harness


def _ms(values: list[float]) -> str:
    p50, p95 = harness.percentile(values, 50), harness.percentile(values, 95)
    return f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--redis", default="", help="a Redis URL for the cache and sessions")
    parser.add_argument("--names", type=int, default=1000)
    parser.add_argument("--signins", type=int, default=60)
    args = parser.parse_args()
    if args.db == "postgres":
        url = harness.fresh_postgres("quizsite_bench_roster")
    else:
        url = harness.fresh_sqlite(Path(tempfile.mkdtemp(prefix="quizsite-roster-")) / "db.sqlite3")
    harness.in_process(url, args.redis, AXES_ENABLED="1", DEBUG="1")
    harness.flush_redis(args.redis)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quizzes.models import Classroom, User

    call_command("migrate", verbosity=0)
    teacher = User.objects.create_user("bench-teacher", is_staff=True, display_name="Teacher")
    lines = [f"{os.uname().nodename}: {harness.machine()}, load average {os.getloadavg()}"]
    lines.append(f"database {args.db}, cache {'Redis' if args.redis else 'on disk'}")

    names = "\n".join(f"Pupil {n // 26:03d} {chr(65 + n % 26)}" for n in range(args.names))
    teachers = Client()
    teachers.force_login(teacher)
    tokens: list[str] = []
    cards: list[tuple[str, str]] = []  # (username, one-time password)
    for links in ("on", ""):
        classroom = Classroom.objects.create(name=f"Roster {links or 'plain'}", teacher=teacher)
        url_add = reverse("quizzes:add_students", args=[classroom.pk])
        teachers.get(url_add)  # templates compiled: not timed
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = teachers.post(url_add, {"names": names, "links": links})
            seconds = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        page = response.content.decode()
        if links:
            tokens = re.findall(r"/accounts/card/([\w-]+)/", page)[::2]  # each card's link once
            cards = re.findall(r"<code>([^<]+)</code>.*?<code>([^<]+)</code>", page, re.S)
        lines.append(
            f"roster of {args.names:,} names {'with' if links else 'without'} QR codes: "
            f"{seconds:.2f} s, {len(queries)} statements, page {len(page) / 1e6:.1f} MB"
        )
    started = time.perf_counter()
    make_password("a one-time password")
    hashed = time.perf_counter() - started
    lines.append(
        f"instead, {args.names:,} one-time passwords hashed by Django's default hasher: "
        f"{hashed * args.names:.0f} s of CPU ({hashed * 1000:.0f} ms each)"
    )

    gets, posts = [], []
    for token in tokens[: args.signins]:
        student = Client()
        started = time.perf_counter()
        assert student.get(reverse("signin_link", args=[token])).status_code == 200
        gets.append(time.perf_counter() - started)
        started = time.perf_counter()
        response = student.post(reverse("signin_with_link"), {"token": token})
        posts.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    lines.append(f"sign-in link, its page (GET), {len(gets)} students: {_ms(gets)}")
    lines.append(f"sign-in link, signing in (POST), {len(posts)} students: {_ms(posts)}")

    typed = []
    for username, password in cards[-args.signins :]:
        student = Client()
        started = time.perf_counter()
        response = student.post(reverse("login"), {"username": username, "password": password})
        typed.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    lines.append(f"the login form with a one-time password, {len(typed)} students: {_ms(typed)}")

    User.objects.create_user("bench-pupil", password="a password of the pupil's own")
    forms = []
    for _ in range(5):
        student = Client()
        started = time.perf_counter()
        response = student.post(
            reverse("login"),
            {"username": "bench-pupil", "password": "a password of the pupil's own"},
        )
        forms.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    lines.append(f"the login form with a hashed password, {len(forms)} sign-ins: {_ms(forms)}")
    lines.append(f"load average at the end {os.getloadavg()}")
    text = "\n".join(lines) + "\n"
    harness.results("roster.txt").write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
