"""Bytes and queries of every hot path: the first question page with every asset it loads,
the HTMX fragments, the progress and class pages and the polled leaderboard.

    .venv/bin/python -m bench.page_weight

Builds a throwaway SQLite database in a temporary folder, loads the banks, starts the demo quiz
as a new student in a class, and prints the raw and gzip-compressed size of each response
(what WhiteNoise or any proxy serves compressed) and the queries each request made, then the
queries again after the class has grown to 300 classmates with points and the student has
finished three more quizzes: they must not grow.
"""

import gzip
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/weight.sqlite3"

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import data  # sets Django up
from quizzes.models import Attempt, ContentStamp, Question


def sizes(body: bytes) -> tuple[int, int]:
    return len(body), len(gzip.compress(body, compresslevel=9)) if body else 0


def captured(
    request: Callable[[], HttpResponse], *, cold: bool, status: int = 200
) -> tuple[HttpResponse, list[str]]:
    """The response and the SQL it ran; if `cold`, as if the content had just been edited (the
    session stays in the cache)."""
    if cold:
        ContentStamp.bump()
    # With DEBUG on, the query log is a bounded deque that loading the banks filled up.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == status, response.status_code
    # Read the log now: the next request clears it.
    return response, [q["sql"] for q in queries.captured_queries]


def count(sqls: list[str]) -> int:
    # BEGIN and COMMIT are transaction control, not queries.
    return sum(1 for sql in sqls if sql not in {"BEGIN", "BEGIN IMMEDIATE", "COMMIT"})


class Student:
    """A student in a class, with an open attempt, and every hot path as a request."""

    def __init__(self, quiz: str) -> None:
        school = data.school([1], prefix="weight")
        self.user, self.classroom = school.students[0], school.classes[0]
        self.client = Client()
        self.client.force_login(self.user)
        self.url = self.client.post(f"/quizzes/{quiz}/start/").url
        self.attempt = Attempt.objects.get(user=self.user, finished_at__isnull=True)
        self.board = f"{self.classroom.get_absolute_url()}?board=week"

    def answer(self, number: int) -> Callable[[], HttpResponse]:
        question = Question.objects.get(pk=self.attempt.question_ids[number - 1])
        answer = data.answer_data(self.attempt, question, right=True)
        url = reverse("quizzes:answer", args=[self.attempt.pk, number])
        return lambda: self.client.post(url, answer, HTTP_HX_REQUEST="true")

    def requests(self, number: int) -> dict[str, Callable[[], HttpResponse]]:
        """The hot paths around question `number` (unanswered yet), in the order a student
        meets them."""
        get, hx = self.client.get, {"HTTP_HX_REQUEST": "true"}
        feedback = reverse("quizzes:feedback", args=[self.attempt.pk, number])
        return {
            "question page": lambda: get(self.url),
            "next question (HTMX card)": lambda: get(self.url, **hx),
            "answer post (HTMX feedback)": self.answer(number),
            "feedback page (no JavaScript)": lambda: get(feedback),
            "progress page": lambda: get("/progress/"),
            "class page": lambda: get(self.board),
            "leaderboard fragment (HTMX)": lambda: get(self.board, **hx),
        }


def finish_quizzes(student: Student, quiz: str, times: int) -> None:
    """More history: `times` finished attempts at `quiz`, answered through the app."""
    for _ in range(times):
        attempt = Attempt.objects.get(
            pk=student.client.post(f"/quizzes/{quiz}/start/").url.split("/")[2]
        )
        for number, question_id in enumerate(attempt.question_ids, start=1):
            question = Question.objects.get(pk=question_id)
            answer = data.answer_data(attempt, question, right=number % 3 > 0)
            student.client.post(reverse("quizzes:answer", args=[attempt.pk, number]), answer)


def grow_class(student: Student, size: int) -> None:
    """`size` classmates, each with points on the board."""
    mates = data.users(size, "mate")
    data.join(student.classroom, mates)
    data.give_points(mates)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_banks", verbosity=0)
    student = Student("moscow-trials")
    queries: dict[str, dict[str, int]] = {}
    bodies: dict[str, bytes] = {}
    for number, size in ((1, "small"), (3, "large")):
        if size == "large":
            grow_class(student, 300)
            finish_quizzes(student, "moscow-trials-mixed-review", 3)
        # Warm: the question's card was shown before (as every student meets it).
        student.client.get(student.url, HTTP_HX_REQUEST="true")
        for name, request in student.requests(number).items():
            response, sql = captured(request, cold=False)
            queries.setdefault(name, {})[size] = count(sql)
            bodies.setdefault(name, response.content)
        student.answer(number + 1)()  # the next one answered too, so the attempt moves on
    # A poll that finds the board unchanged: 204, nothing to swap.
    page = student.client.get(student.board).content
    unchanged = re.search(rb'hx-get="([^"]*since=[^"]*)"', page)[1]
    response, sql = captured(
        lambda: student.client.get(
            unchanged.decode().replace("&amp;", "&"), HTTP_HX_REQUEST="true"
        ),
        cold=False,
        status=204,
    )
    queries["leaderboard poll, unchanged (204)"] = {"small": count(sql), "large": count(sql)}
    bodies["leaderboard poll, unchanged (204)"] = response.content
    cold = {
        name: count(captured(request, cold=True)[1])
        for name, request in Student.requests(student, 5).items()
        if name in ("question page", "answer post (HTMX feedback)")
    }

    page = bodies["question page"]
    rows = [("first question page (HTML)", *sizes(page))]
    for asset in re.findall(rb'(?:href|src)="/static/([^"]+)"', page):
        path = finders.find(asset.decode())
        rows.append((f"  /static/{asset.decode()}", *sizes(Path(path).read_bytes())))
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'first page and its assets':<45}{'raw bytes':>12}{'gzip bytes':>12}")
    for name, raw, gz in rows:
        print(f"{name:<45}{raw:>12,}{gz:>12,}")
    print(f"{'first page with all assets':<45}{total_raw:>12,}{total_gz:>12,}   (goal: 40,960)")
    print()
    print(f"{'request':<38}{'raw bytes':>10}{'gzip':>8}{'queries':>9}{'large':>7}")
    for name, body in bodies.items():
        raw, gz = sizes(body)
        print(f"{name:<38}{raw:>10,}{gz:>8,}{queries[name]['small']:>9}{queries[name]['large']:>7}")
    print(
        "queries: with the question's content cached (as every student but the first meets "
        "it); 'large' after 300 classmates with points and 3 more finished quizzes.\n"
        f"With the cache cold (content just edited): question page {cold['question page']}, "
        f"answer post {cold['answer post (HTMX feedback)']}.\n"
        "Goals: answer post <= 6, question page <= 5, leaderboard fragment <= 4, "
        "answer fragment <= 4 KB gzip."
    )


if __name__ == "__main__":
    main()
