"""Where the time of each hot path goes: CPU time per request, and a pyinstrument profile.

    .venv/bin/python -m bench.profile_hot_paths         # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quizsite_profile REDIS_URL=redis://... \\
        .venv/bin/python -m bench.profile_hot_paths     # a database it may empty

Production settings (DEBUG off, cached templates) and the bare endpoints (bench.settings), in
one process, through Django's test client: no network, no gunicorn, so what is left is the
app's own work. Prints the CPU milliseconds per request (process time, which other programs on
the machine disturb less than the clock) and the queries each made, and writes each path's
profile to bench/results/profile-<path>.txt. The bare one-row read and update are the
yardstick. PROFILE=0: CPU times only; PROFILE_RUNS: requests per path (200); PROFILE_ONLY=word:
only the paths whose name has the word.
"""

from __future__ import annotations

import itertools
import os
import random
import tempfile
import time
from collections.abc import Callable

from bench import harness

harness.in_process(
    os.environ.get("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/profile.sqlite3"),
    os.environ.get("REDIS_URL", ""),
    DJANGO_SETTINGS_MODULE="bench.settings",
)

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from bench import data  # noqa: E402
from quizzes.models import Attempt, Classroom, Question, User  # noqa: E402

HX = {"HTTP_HX_REQUEST": "true"}
RUNS = int(os.environ.get("PROFILE_RUNS", "200"))
PROFILE = os.environ.get("PROFILE", "1") == "1"  # PROFILE=0: CPU times only
ONLY = os.environ.get("PROFILE_ONLY", "")  # e.g. "results": only the paths whose name has it


def set_up() -> tuple[Client, User, Classroom, list[User]]:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_banks", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    school = data.school([26], prefix="profile")  # a student and 25 classmates on the board
    student, classroom = school.students[0], school.classes[0]
    client = Client()
    client.force_login(student)
    return client, student, classroom, school.students[1:]


def next_answer(client: Client, student: User, right: bool | None = None) -> tuple[str, dict]:
    """The URL and data of an answer to the student's next question, its card just shown (as
    in a real quiz, so the question is in the cache); starts a quiz when none is open."""
    attempt = Attempt.objects.filter(user=student, finished_at__isnull=True).first()
    if attempt is None:
        client.post("/quizzes/moscow-trials/start/")
        attempt = Attempt.objects.get(user=student, finished_at__isnull=True)
    client.get(f"/attempts/{attempt.pk}/", **HX)
    number = attempt.position + 1
    question = Question.objects.get(pk=attempt.question_ids[number - 1])
    right = number % 2 == 0 if right is None else right
    answer = data.answer_data(attempt, question, right=right)
    return f"/attempts/{attempt.pk}/questions/{number}/answer/", answer


def finished_attempt(client: Client, student: User, right: float | None = None) -> Attempt:
    """A quiz the student has answered to the end, for its results page: every other answer
    right, or each right with probability `right`."""
    while True:
        chance = None if right is None else random.random() < right
        url, answer = next_answer(client, student, chance)
        client.post(url, answer, **HX)
        attempt = Attempt.objects.get(pk=url.split("/")[2])
        if attempt.is_finished:
            return attempt


def answered(client: Client, student: User) -> tuple:
    """The setup of a request that follows an answer: the student answers their next question."""
    url, answer = next_answer(client, student)
    client.post(url, answer, **HX)
    return ()


def classmates_results(classmates: list[User]) -> Callable[[], tuple]:
    """For the results as a class opens them at the end of a lesson, each their own once: the
    setup of one request, the next classmate's client and results (the quiz answered right
    two times in three), its cached review, if any, forgotten first."""
    views = []
    for classmate in classmates:
        client = Client()
        client.force_login(classmate)
        attempt = finished_attempt(client, classmate, right=2 / 3)
        views.append((client, f"/attempts/{attempt.pk}/results/", attempt.pk))
    turns = itertools.cycle(views)

    def setup() -> tuple:
        client, url, pk = next(turns)
        attempt = Attempt.objects.with_content_stamp().get(pk=pk)
        key = getattr(attempt, "results_key", lambda: None)()
        if key:
            cache.delete(key)
        return client, url

    return setup


def measure(name: str, request: Callable[..., object], setup: Callable[[], tuple] = tuple):
    """CPU ms per request (the request alone, not its setup), queries, and a profile."""
    for _ in range(10):  # warm the caches: templates, URL resolvers, connections
        request(*setup())
    cpu = 0.0
    for _ in range(RUNS):  # timed without the profiler, which slows what it watches
        args = setup()
        started = time.process_time()
        request(*args)
        cpu += time.process_time() - started
    profiler = Profiler(interval=0.0005)
    for _ in range(RUNS if PROFILE else 0):
        args = setup()
        profiler.start()
        request(*args)
        profiler.stop()
    args = setup()
    with CaptureQueriesContext(connection) as queries:
        request(*args)
    slug = name.replace(" ", "-").replace("(", "").replace(")", "")
    if not PROFILE:
        return cpu / RUNS * 1000, len([q for q in queries.captured_queries if is_query(q["sql"])])
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    harness.results(f"profile-{slug}.txt").write_text(text)
    return cpu / RUNS * 1000, len([q for q in queries.captured_queries if is_query(q["sql"])])


def is_query(sql: str) -> bool:
    return not sql.startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))


def main() -> None:
    client, student, classroom, classmates = set_up()
    results_url = f"/attempts/{finished_attempt(client, student).pk}/results/"
    attempt_url = next_answer(client, student)[0].split("questions")[0]
    board = f"/classes/{classroom.pk}/?board=week"
    paths: list[tuple] = [
        ("bare read (1 row)", lambda: client.get(f"/bench/read/{student.pk}/")),
        ("bare update (1 row)", lambda: client.post(f"/bench/update/{student.pk}/")),
        ("signed-in read (1 row)", lambda: client.get("/bench/read/me/")),
        ("signed-in update (1 row)", lambda: client.post("/bench/update/me/")),
        ("question page", lambda: client.get(attempt_url)),
        ("next question", lambda: client.get(attempt_url, **HX)),
        (
            "answer post",
            lambda url, answer: client.post(url, answer, **HX),
            lambda: next_answer(client, student),
        ),
        ("progress page", lambda: client.get("/progress/")),
        (
            "progress (after an answer)",
            lambda: client.get("/progress/"),
            lambda: answered(client, student),
        ),
        ("leaderboard fragment", lambda: client.get(board, **HX)),
        ("results", lambda: client.get(results_url)),
        (
            "results (first view)",
            lambda viewer, url: viewer.get(url),
            classmates_results(classmates),
        ),
        ("class page", lambda: client.get(f"/classes/{classroom.pk}/")),
    ]
    print(f"{'request':<24}{'CPU ms':>8}{'queries':>9}   (profiles: bench/results/profile-*.txt)")
    for name, *request in paths:
        if ONLY not in name:
            continue
        ms, queries = measure(name, *request)
        print(f"{name:<24}{ms:>8.2f}{queries:>9}", flush=True)


if __name__ == "__main__":
    main()
