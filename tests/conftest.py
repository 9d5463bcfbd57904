"""Shared personas: a student who owns things, another student, a teacher, and anonymous.

Factories are imported inside the fixtures so that the pure tests (grading, derivation, bank
files) also run without Django: `pytest -p no:django tests/test_grading.py`.
"""

import os

import pytest


def pytest_configure(config):
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        from django.conf import settings

        # Hashing passwords properly is slow by design; tests need not pay for it.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # The cache outlives each test's database and user ids come back: one test's wrong join
        # codes would count against the next test's student. The tests of the limit turn it on.
        settings.RATELIMIT_ENABLE = False
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
def tess(db):
    from tests.factories import TeacherFactory

    return TeacherFactory(username="tess", display_name="Tess")


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
