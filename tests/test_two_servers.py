"""Two app servers sharing one PostgreSQL and one Redis serve the same students consistently.

Two real gunicorn processes (as `make serve` runs them, with production settings: DEBUG off,
WhiteNoise's manifest) run on two ports against the test database and the test Redis, as two
machines behind a load balancer would. A student's browser (one cookie jar, plain HTTP) goes
back and forth between them: the session started on one continues on the other, the class
leaderboards agree, and logging out on one ends the session on both. PostgreSQL and Redis only: CI's second run has both.
"""

from __future__ import annotations

import functools
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookiejar import Cookie, CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.staticfiles import finders
from django.db import connection

from quizzes import leaderboards
from quizzes.models import Attempt, Question, Quiz, Response, User
from tests.answers import answer_data
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    TeacherFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),  # the servers see committed rows only
]

PASSWORD = "quizsite-demo"
QUESTIONS = 4


# ---- The two servers -----------------------------------------------------------------------


ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent  # the virtualenv's python and gunicorn


def server_env() -> dict[str, str]:
    """Production settings (DEBUG off, WhiteNoise's manifest) over plain HTTP on loopback, on
    the test database and Redis, with login throttling on as in production."""
    test_database = connection.settings_dict["NAME"]
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{test_database}")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_REPLICA_URL"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "DATABASE_URL": database_url.geturl(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-secret-key-not-for-production-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "1",
    }


def collect_static(env: dict[str, str]) -> None:
    """DEBUG off renders {% static %} from WhiteNoise's manifest: collect the files as `make
    serve` does, unless the manifest already lists every one (collecting takes ~10 s)."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    wanted = {path for finder in finders.get_finders() for path, _ in finder.list(ignore)}
    if manifest.exists() and wanted <= set(json.loads(manifest.read_text())["paths"]):
        return
    command = [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with one worker on a free port, as `make serve` runs it (a uvicorn worker
    serving quizsite.asgi): the process and its base URL, once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{probe.getsockname()[1]}"
    command = [
        str(BIN / "gunicorn"),
        "quizsite.asgi:application",
        "--worker-class",
        "quizsite.asgi_worker.Worker",
        "--bind",
        base.removeprefix("http://"),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while server.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).close()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn did not answer at {base}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> tuple[str, str]:
    """Servers A and B: their base URLs. Stopped before the test database is dropped."""
    env = server_env()
    collect_static(env)
    logs = tmp_path_factory.mktemp("gunicorn")
    started: list[subprocess.Popen] = []
    try:
        bases = []
        for name in ("a", "b"):
            server, base = start_server(env, logs / f"{name}.log")
            started.append(server)
            bases.append(base)
        yield bases[0], bases[1]
    finally:
        for server in started:
            server.terminate()
            server.wait(timeout=20)


@pytest.fixture(autouse=True)
def fresh_boards():
    # A rerun recreates the test database with the same name and ids: forget its old points.
    leaderboards.clear_redis()
    yield
    leaderboards.clear_redis()


# ---- A browser -----------------------------------------------------------------------------


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # the test follows redirects itself, to see where each one goes


@dataclass
class Page:
    status: int
    location: str
    text: str

    @property
    def token(self) -> str:
        """The CSRF token of the page's forms, as a browser posts it."""
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert found, f"no form on the page:\n{self.text[:500]}"
        return found[1]


class Browser:
    """One cookie jar, whichever server answers: cookies ignore ports, as with a load balancer
    that sends each request to any server."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        handler = urllib.request.HTTPCookieProcessor(self.cookies)
        self.opener = urllib.request.build_opener(handler, _KeepRedirects)

    def cookie(self, name: str) -> Cookie:
        return next(cookie for cookie in self.cookies if cookie.name == name)

    def request(self, base: str, path: str, data: dict | None = None, *, htmx=False) -> Page:
        headers = {"HX-Request": "true"} if htmx else {}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Origin"] = base
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return Page(response.status, "", response.read().decode())
        except urllib.error.HTTPError as response:  # a redirect or an error: both are answers
            return Page(
                response.code, response.headers.get("Location", ""), response.read().decode()
            )

    def get(self, base: str, path: str, *, htmx=False) -> Page:
        return self.request(base, path, htmx=htmx)

    def post(self, base: str, path: str, data: dict, *, token: str, htmx=False) -> Page:
        return self.request(base, path, {**data, "csrfmiddlewaretoken": token}, htmx=htmx)

    def log_in(self, base: str, user: User) -> None:
        form = self.get(base, "/accounts/login/")
        assert form.status == 200
        credentials = {"username": user.username, "password": PASSWORD}
        done = self.post(base, "/accounts/login/", credentials, token=form.token)
        assert (done.status, done.location) == (302, "/"), done.text[-1500:]


def signed_in(page: Page, user: User) -> bool:
    return f"Signed in as <strong>{user}</strong>" in page.text


# ---- Data the servers see (committed) --------------------------------------------------------


@functools.cache
def password_hash() -> str:
    """PASSWORD as the servers check it: they know the production hashers only, not the
    tests' fast MD5 (conftest.py). Hashed once, for every user."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


def with_server_password(user: User) -> User:
    # Not UserFactory(password=...): its Password declaration would hash the hash.
    User.objects.filter(pk=user.pk).update(password=password_hash())
    return user


def student(username: str) -> User:
    return with_server_password(UserFactory(username=username, display_name=username.title()))


@pytest.fixture
def troika() -> Quiz:
    quiz = QuizFactory(title="The troika")
    for position in range(QUESTIONS):
        single_choice_question(quiz=quiz, position=position)
    return quiz


def start(browser: Browser, base: str, quiz: Quiz) -> int:
    page = browser.get(base, f"/quizzes/{quiz.slug}/")
    assert page.status == 200 and "Start quiz" in page.text
    started = browser.post(base, f"/quizzes/{quiz.slug}/start/", {}, token=page.token)
    assert started.status == 302, started.text[:500]
    # A quiz starts at its first question's own address.
    return int(re.fullmatch(r"/attempts/(\d+)/questions/1/", started.location)[1])


def answer(browser: Browser, attempt_id: int, number: int, *, shown_by: str, to: str, right=True):
    """Question `number` as server `shown_by` shows it, answered to server `to` (with HTMX)."""
    card = browser.get(shown_by, f"/attempts/{attempt_id}/questions/{number}/")
    assert card.status == 200, (card.status, card.location)
    assert f'aria-label="Question {number} of {QUESTIONS}"' in card.text
    attempt = Attempt.objects.get(pk=attempt_id)
    question = Question.objects.get(pk=attempt.question_id_at(number))
    data = answer_data(attempt, question, right=right)
    url = f"/attempts/{attempt_id}/questions/{number}/answer/"
    feedback = browser.post(to, url, data, token=card.token, htmx=True)
    assert feedback.status == 200, (feedback.status, feedback.location)
    assert f'class="card feedback {"is-correct" if right else "is-incorrect"}"' in feedback.text


# ---- The tests -----------------------------------------------------------------------------


def test_a_quiz_started_on_one_server_continues_on_the_other(servers, troika):
    a, b = servers
    ada = student("ada")
    browser = Browser()
    browser.log_in(a, ada)
    assert signed_in(browser.get(b, "/"), ada)
    attempt_id = start(browser, a, troika)

    # Question 1 is answered to B, 2 to A, and so on, each shown by the other server.
    for number in range(1, QUESTIONS + 1):
        to, shown_by = (b, a) if number % 2 else (a, b)
        answer(browser, attempt_id, number, shown_by=shown_by, to=to, right=number != 3)
    finished = browser.get(a, f"/attempts/{attempt_id}/")
    assert (finished.status, finished.location) == (302, f"/attempts/{attempt_id}/results/")
    results = browser.get(b, finished.location)
    assert results.status == 200 and signed_in(results, ada)
    assert f"3 of {QUESTIONS} questions right" in results.text

    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.finished_at is not None and attempt.correct_count == 3
    responses = Response.objects.filter(attempt=attempt)
    assert responses.count() == QUESTIONS
    assert sorted(responses.values_list("question_id", flat=True)) == sorted(attempt.question_ids)


BOARD_ROW = re.compile(
    r'<td class="place">(.*?)</td>\s*<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', re.S
)


def board(browser: Browser, base: str, classroom_id: int, key: str) -> tuple[str, list]:
    """The polled board fragment: its HTML, and its rows as (place, student, points)."""
    page = browser.get(base, f"/classes/{classroom_id}/?board={key}", htmx=True)
    assert page.status == 200, (page.status, page.location)
    rows = [
        tuple(re.sub(r"<.*?>", "", cell).strip() for cell in row)
        for row in BOARD_ROW.findall(page.text)
    ]
    return page.text, rows


def assert_boards_agree(servers, browser: Browser, classroom_id: int, expected: list) -> None:
    for key in ("week", "all"):
        (html_a, rows_a), (html_b, rows_b) = (board(browser, s, classroom_id, key) for s in servers)
        assert rows_a == rows_b == expected, key
        assert html_a == html_b, key


def test_both_servers_show_the_same_leaderboards_and_both_see_a_new_answer(servers, troika):
    a, b = servers
    tess = with_server_password(TeacherFactory(username="tess"))
    classroom = ClassroomFactory(teacher=tess)
    ada, ben = student("ada"), student("ben")
    for member in (ada, ben):
        MembershipFactory(classroom=classroom, student=member)

    ada_browser, ben_browser, teacher = Browser(), Browser(), Browser()
    ada_browser.log_in(a, ada)
    ada_attempt = start(ada_browser, a, troika)
    for number in range(1, QUESTIONS + 1):  # three right, on A
        answer(ada_browser, ada_attempt, number, shown_by=a, to=a, right=number != 4)
    ben_browser.log_in(b, ben)
    ben_attempt = start(ben_browser, b, troika)
    for number in (1, 2):  # two right, on B
        answer(ben_browser, ben_attempt, number, shown_by=b, to=b)

    teacher.log_in(a, tess)
    assert_boards_agree(servers, teacher, classroom.pk, [("1", "Ada", "3"), ("2", "Ben", "2")])

    # Ben's third right answer ties Ada on points and passes her on accuracy (3/3 to 3/4).
    answer(ben_browser, ben_attempt, 3, shown_by=b, to=a)
    assert_boards_agree(servers, teacher, classroom.pk, [("1", "Ben", "3"), ("2", "Ada", "3")])
    # Ben, looking at the board himself, is first on either server.
    assert board(ben_browser, a, classroom.pk, "all")[1][0] == ("1", "Ben (you)", "3")
    assert board(ben_browser, b, classroom.pk, "all")[1][0] == ("1", "Ben (you)", "3")


def test_logging_out_on_one_server_ends_the_session_on_the_other(servers):
    a, b = servers
    ada = student("ada")
    browser = Browser()
    browser.log_in(a, ada)
    progress = browser.get(b, "/progress/")  # B now holds the session in its cache
    assert progress.status == 200 and signed_in(progress, ada)
    session = browser.cookie("sessionid")

    home = browser.get(a, "/")
    assert browser.post(a, "/accounts/logout/", {}, token=home.token).status == 302
    after = browser.get(b, "/progress/")
    assert (after.status, after.location) == (302, "/accounts/login/?next=/progress/")
    # The browser dropped its cookie, and the session is over on the servers too: a copy of
    # the cookie (a stolen one) no longer works on B. It would, had B cached the session in
    # its own memory rather than in the shared Redis.
    browser.cookies.set_cookie(session)
    replayed = browser.get(b, "/progress/")
    assert (replayed.status, replayed.location) == (302, "/accounts/login/?next=/progress/")
