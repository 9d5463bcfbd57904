"""Passwords hashed at a low CPU priority (quizzes/hashing.py): the hashes stay Django's
default, only where they are computed changes; and under ASGI the login form's posts wait on
threads of their own (quizsite/asgi.py), never on those every other page is served by."""

import os
import sys
import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.contrib.auth.signals import user_logged_in

from quizzes import hashing
from tests.asgi import asgi, log_in, run  # noqa: F401  (the fixture)

OURS = ["quizzes.hashing.BackgroundPBKDF2PasswordHasher"]
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="threads' own priority: Linux")


@pytest.fixture
def background_hashing(settings):
    """Our hasher first, as in production, with few iterations: the tests check where it
    runs and what it stores, not how long it takes."""
    settings.PASSWORD_HASHERS = OURS
    iterations = hashing.BackgroundPBKDF2PasswordHasher.iterations
    hashing.BackgroundPBKDF2PasswordHasher.iterations = 1000
    yield
    hashing.BackgroundPBKDF2PasswordHasher.iterations = iterations


def test_production_hashes_passwords_as_django_does_by_default():
    from django.conf import global_settings

    from quizsite.settings import PASSWORD_HASHERS as production

    # Django's own list, its default (the first, PBKDF2PasswordHasher) replaced by ours: with
    # both, Django would check pbkdf2_sha256 hashes with its own, the last of that name.
    assert production == OURS + global_settings.PASSWORD_HASHERS[1:]
    assert global_settings.PASSWORD_HASHERS[0].endswith(".PBKDF2PasswordHasher")
    ours, django_default = hashing.BackgroundPBKDF2PasswordHasher(), PBKDF2PasswordHasher()
    assert (ours.algorithm, ours.iterations) == (
        django_default.algorithm,
        django_default.iterations,
    )


def test_a_hash_is_the_one_django_stores_and_checks_either_way(background_hashing):
    stored = make_password("correct horse battery", salt="saltsaltsalt")
    django_default = PBKDF2PasswordHasher()
    assert stored == django_default.encode("correct horse battery", "saltsaltsalt", 1000)
    assert stored.startswith("pbkdf2_sha256$1000$saltsaltsalt$")
    assert check_password("correct horse battery", stored)
    assert not check_password("wrong horse battery", stored)
    # A password Django's own hasher stored is checked by ours, and the reverse.
    assert check_password("old password 1", django_default.encode("old password 1", "abc", 1000))
    assert django_default.verify("correct horse battery", stored)


@linux_only
def test_the_hash_is_computed_in_a_low_priority_thread_of_its_own(background_hashing, monkeypatch):
    seen = []
    compute = PBKDF2PasswordHasher.encode

    def watched(self, password, salt, iterations=None):
        me = threading.get_native_id()
        seen.append((threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, me)))
        return compute(self, password, salt, iterations)

    monkeypatch.setattr(PBKDF2PasswordHasher, "encode", watched)
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert check_password("a password here", make_password("a password here"))
    assert [name.startswith("password-hashing") for name, _ in seen] == [True, True]
    assert {priority for _, priority in seen} == {hashing.LOW_PRIORITY}
    # The request's own thread keeps its priority.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


@linux_only
def test_a_forked_process_starts_its_own_hashing_threads(background_hashing, monkeypatch):
    make_password("a password here")
    inherited = hashing._pool
    monkeypatch.setattr(hashing, "_pool_pid", -1)  # as in a child forked after first use
    assert check_password("a password here", make_password("a password here"))
    assert hashing._pool is not inherited


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("asgi", "background_hashing")
def test_under_asgi_a_login_post_runs_on_a_sign_in_thread(alice):
    threads = []

    def remember(sender, **kwargs):
        threads.append(threading.current_thread().name)

    user_logged_in.connect(remember)

    try:
        alice.set_password("quizsite-demo")
        alice.save()
        assert run(log_in("alice", "quizsite-demo")).status_code == 302
    finally:
        user_logged_in.disconnect(remember)
    assert threads[-1].startswith("sign-in-")


def test_the_posts_that_hash_a_password_are_known_to_the_asgi_application():
    from quizsite.asgi import password_paths

    assert password_paths() == {"/accounts/login/", "/accounts/signup/", "/accounts/password/"}
