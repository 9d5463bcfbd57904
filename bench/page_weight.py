"""Bytes on the wire: the first question page with every asset it loads, and the answer fragment.

    .venv/bin/python bench/page_weight.py

Builds a throwaway SQLite database in a temporary folder, loads the banks, starts the demo quiz
as a new student, and prints the raw and gzip-compressed size of each response (what
WhiteNoise or any proxy serves compressed), plus the queries each request made: with a cold
cache (the first student to see a question since its content last changed) and a warm one.
"""

import gzip
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/weight.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from quizzes.models import ContentStamp, User  # noqa: E402
from tests.answers import answer_data  # noqa: E402


def sizes(body: bytes) -> tuple[int, int]:
    return len(body), len(gzip.compress(body, compresslevel=9))


def captured(request: Callable[[], HttpResponse], *, cold: bool) -> tuple[HttpResponse, list[str]]:
    """The response and the SQL it ran; if `cold`, as if the content had just been edited (the
    session stays in the cache)."""
    if cold:
        ContentStamp.bump()
    # With DEBUG on, the query log is a bounded deque that loading the banks filled up.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200, response.status_code
    # Read the log now: the next request clears it.
    return response, [q["sql"] for q in queries.captured_queries]


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_banks", verbosity=0)
    student = User.objects.create_user("weight", password="x", display_name="Weight")
    client = Client()
    client.force_login(student)
    attempt_url = client.post("/quizzes/moscow-trials/start/").url
    sql: dict[tuple[str, str], list[str]] = {}
    page, sql["question page", "cold"] = captured(lambda: client.get(attempt_url), cold=True)
    page = page.content
    _, sql["question page", "warm"] = captured(lambda: client.get(attempt_url), cold=False)
    assets = re.findall(rb'(?:href|src)="/static/([^"]+)"', page)
    rows = [("first question page (HTML)", *sizes(page))]
    for asset in assets:
        path = finders.find(asset.decode())
        rows.append((f"  /static/{asset.decode()}", *sizes(Path(path).read_bytes())))
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)

    from quizzes.models import Attempt, Question

    attempt = Attempt.objects.get()

    def answer(number: int) -> Callable[[], HttpResponse]:
        question = Question.objects.get(pk=attempt.question_ids[number - 1])
        data = answer_data(attempt, question, right=True)
        url = reverse("quizzes:answer", args=[attempt.pk, number])
        return lambda: client.post(url, data, HTTP_HX_REQUEST="true")

    def feedback(number: int) -> Callable[[], HttpResponse]:
        return lambda: client.get(reverse("quizzes:feedback", args=[attempt.pk, number]))

    # Question 1 cold, question 2 warmed by its page, as a student meets it.
    fragment, sql["answer post", "cold"] = captured(answer(1), cold=True)
    fragment = fragment.content
    _, sql["feedback", "cold"] = captured(feedback(1), cold=True)
    next_card = client.get(attempt_url, HTTP_HX_REQUEST="true").content
    _, sql["answer post", "warm"] = captured(answer(2), cold=False)
    _, sql["feedback", "warm"] = captured(feedback(2), cold=False)

    print(f"{'what':<45}{'raw bytes':>12}{'gzip bytes':>12}")
    for name, raw, gz in rows:
        print(f"{name:<45}{raw:>12,}{gz:>12,}")
    print(f"{'first page with all assets':<45}{total_raw:>12,}{total_gz:>12,}")
    print(
        f"{'answer feedback fragment (HTMX)':<45}{sizes(fragment)[0]:>12,}{sizes(fragment)[1]:>12,}"
    )
    raw, gz = sizes(next_card)
    print(f"{'next question card fragment (HTMX)':<45}{raw:>12,}{gz:>12,}")

    def count(sqls: list[str]) -> int:
        # BEGIN and COMMIT are transaction control, not queries.
        return sum(1 for sql in sqls if sql not in {"BEGIN", "BEGIN IMMEDIATE", "COMMIT"})

    for state in ("cold", "warm"):
        counts = ", ".join(
            f"{what} {count(sqls)}" for (what, when), sqls in sql.items() if when == state
        )
        print(f"queries ({state} cache): {counts}")
    if "-v" in sys.argv:
        for (what, state), sqls in sql.items():
            print(f"{what}, {state} cache:")
            for line in sqls:
                print("  ", line[:110])


if __name__ == "__main__":
    main()
