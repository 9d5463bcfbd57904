"""Bytes on the wire: the first question page with every asset it loads, and the answer fragment.

    .venv/bin/python bench/page_weight.py

Builds a throwaway SQLite database in a temporary folder, loads the banks, starts the demo quiz
as a new student, and prints the raw and gzip-compressed size of each response (what
WhiteNoise or any proxy serves compressed), plus the queries each request made.
"""

import gzip
import os
import re
import sys
import tempfile
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from quizzes.models import User  # noqa: E402
from tests.answers import answer_data  # noqa: E402


def sizes(body: bytes) -> tuple[int, int]:
    return len(body), len(gzip.compress(body, compresslevel=9))


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_banks", verbosity=0)
    student = User.objects.create_user("weight", password="x", display_name="Weight")
    client = Client()
    client.force_login(student)
    attempt_url = client.post("/quizzes/moscow-trials/start/").url
    # With DEBUG on, the query log is a bounded deque that loading the banks filled up.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(attempt_url).content
    # Read the log now: the next request clears it.
    page_sql = [q["sql"] for q in page_queries.captured_queries]
    assets = re.findall(rb'(?:href|src)="/static/([^"]+)"', page)
    rows = [("first question page (HTML)", *sizes(page))]
    for asset in assets:
        path = finders.find(asset.decode())
        rows.append((f"  /static/{asset.decode()}", *sizes(Path(path).read_bytes())))
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)

    from quizzes.models import Attempt, Question

    attempt = Attempt.objects.get()
    question = Question.objects.get(pk=attempt.question_ids[0])
    data = answer_data(attempt, question, right=True)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as answer_queries:
        fragment = client.post(f"{attempt_url}questions/1/answer/", data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200, fragment.status_code
    answer_sql = [q["sql"] for q in answer_queries.captured_queries]
    fragment = fragment.content
    next_card = client.get(attempt_url, HTTP_HX_REQUEST="true").content

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

    print(f"queries: question page {count(page_sql)}, answer post {count(answer_sql)}")
    if "-v" in sys.argv:
        for sql in [*page_sql, *answer_sql]:
            print("  ", sql[:110])


if __name__ == "__main__":
    main()
