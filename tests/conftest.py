"""Shared personas, the only ones: alice, a student who owns things; bob, another student
(an outsider to alice's things); tess, the teacher (`teacher`); otto, another teacher
(`other_teacher`); and anonymous (pytest-django's `client`). A teacher is staff in the Teachers
group, as the app and `load_demo` make one (tests.factories.TeacherFactory). Clients signed in:
`alice_client`, and `logged_in` (the teacher). HTMX requests: `client.get(url, **HTMX)`.

Factories are imported inside the fixtures so that the pure tests (grading, derivation, bank
files) also run without Django: `pytest -p no:django tests/test_grading.py`.
"""

import os
import sys
import tempfile
from typing import Any, NamedTuple

import pytest


def htmx(current_page: str = "") -> dict[str, str]:
    """The headers htmx sends with a request (as the test client takes them), and the page it
    was sent from if given."""
    headers = {"HTTP_HX_REQUEST": "true"}
    if current_page:
        headers["HTTP_HX_CURRENT_URL"] = f"http://testserver{current_page}"
    return headers


HTMX = htmx()


def pytest_configure(config):
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        from django.conf import settings

        # Hashing passwords properly is slow by design; tests need not pay for it.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # The cache outlives each test's database and user ids come back: one test's wrong join
        # codes would count against the next test's student. The tests of the limit turn it on.
        settings.RATELIMIT_ENABLE = False
        # Pictures go to a temporary MEDIA_ROOT on the local storage, never the project's.
        settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="quizsite-media-")
        # The live game records revealed answers in the request, so that a test sees them at
        # once (and inside its transaction); tests/test_live_recording.py runs the recorder.
        settings.LIVE_RECORDING = "inline"
        if not os.environ.get("REDIS_URL"):
            # Each run starts with an empty cache, in memory, not the disk cache of `make run`.
            settings.CACHES = {
                "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            }


@pytest.fixture
def alice(db):
    from tests.factories import UserFactory

    return UserFactory(username="alice", display_name="Alice")


@pytest.fixture
def bob(db):
    from tests.factories import UserFactory

    return UserFactory(username="bob", display_name="Bob")


@pytest.fixture
def teacher(db):
    from tests.factories import TeacherFactory

    return TeacherFactory(username="tess", display_name="Tess")


@pytest.fixture
def tess(teacher):
    """The teacher, by name (tests of classes say who teaches whom)."""
    return teacher


@pytest.fixture
def other_teacher(db):
    from tests.factories import TeacherFactory

    return TeacherFactory(username="otto", display_name="Otto")


class Personas(NamedTuple):
    student: Any  # alice
    outsider: Any  # bob
    teacher: Any  # tess
    other_teacher: Any  # otto


@pytest.fixture
def personas(alice, bob, teacher, other_teacher) -> Personas:
    """All four, for the worlds of the fuzzers and the access matrix (tests/fuzzing.py)."""
    return Personas(alice, bob, teacher, other_teacher)


@pytest.fixture
def quiz(db):
    """A published quiz with one question of every type, in the order of QUESTION_MAKERS."""
    from tests.factories import quiz_with_every_type

    return quiz_with_every_type()


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def logged_in(client, teacher):
    """The teacher's client."""
    client.force_login(teacher)
    return client


@pytest.fixture
def enough_connections():
    """For the exactly-once tests (tests/concurrency.py): 100 threads need 100 connections."""
    from django.db import connection

    from tests.concurrency import THREADS

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
    assert limit >= THREADS + 10, f"PostgreSQL max_connections is {limit}: .ci/run raises it to 200"


@pytest.fixture
def join_limit(settings):
    """The limit on wrong join codes, on (the suite runs with it off), from an empty count."""
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["process", "redis"])
def live_bus(request, settings) -> str:
    """The live game's event bus (quizzes.live.bus) in the process, as `make run` has it, and on
    Redis (skipped without REDIS_URL): a test that takes it runs on both."""
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("needs Redis: set REDIS_URL")
        settings.REDIS_URL = os.environ["REDIS_URL"]
    else:
        settings.REDIS_URL = ""
    return request.param


@pytest.fixture(autouse=True)
def asgi_connections_closed():
    """After a test that served requests through quizsite.asgi (a uvicorn in a thread, the
    ASGI application called directly), its threads' database connections are closed, as a
    stopped server's would be: else the test database could not be dropped at the end."""
    yield
    asgi = sys.modules.get("quizsite.asgi")
    if asgi is not None:
        asgi.close_connections()
