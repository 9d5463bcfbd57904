"""The signed-in user comes from the cache (quizzes/auth.py), and every change to the user
reaches the next request at once: a new password, a deactivation, a deletion, a new name."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from quizzes import auth
from quizzes.auth import CachedModelBackend, forget_user
from quizzes.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """User ids come back in each test's database; their entries must not."""
    cache.clear()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/")  # the first request caches the user
    return client


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session and "Log out" in client.get("/").content.decode()


def test_a_signed_in_request_reads_no_user_row(django_assert_num_queries):
    alice = UserFactory(username="alice")
    client = signed_in(alice)
    with django_assert_num_queries(0):
        assert CachedModelBackend().get_user(alice.pk) == alice
    page = client.get("/progress/")
    assert page.status_code == 200 and page.context["user"] == alice


def test_the_session_is_signed_with_the_cached_backend():
    UserFactory(username="alice")
    client = Client()
    login = {"username": "alice", "password": "quizsite-demo"}
    assert client.post("/accounts/login/", login).status_code == 302
    assert client.session["_auth_user_backend"] == auth.BACKEND


def test_a_new_password_ends_the_other_sessions_at_once():
    alice = UserFactory(username="alice")
    laptop, phone = signed_in(alice), signed_in(alice)
    alice.set_password("a-new-secret-123")
    alice.save()
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_a_deactivated_student_is_signed_out_at_once():
    alice = UserFactory(username="alice")
    client = signed_in(alice)
    alice.is_active = False
    alice.save()
    assert not is_signed_in(client)


def test_a_deleted_student_is_signed_out_at_once():
    alice = UserFactory(username="alice")
    client = signed_in(alice)
    alice.delete()
    assert client.get("/progress/").status_code == 302  # to the login page


def test_a_new_name_shows_on_the_next_page():
    alice = UserFactory(username="alice", display_name="Alice")
    client = signed_in(alice)
    User.objects.filter(pk=alice.pk).update(display_name="Alice Liddell")
    # update() sends no signal: the cached user still has the old name, until forgotten
    assert "Alice Liddell" not in client.get("/").content.decode()
    forget_user(alice.pk)
    assert "Alice Liddell" in client.get("/").content.decode()


def test_a_row_read_before_a_change_is_not_served_after_it():
    """A request that read the user just before a save committed caches the old row; it lands
    under a version that no one reads any more."""
    alice = UserFactory(username="alice", display_name="Alice")
    signed_in(alice)
    stale = User.objects.get(pk=alice.pk)
    version = cache.get(f"user:v2:{alice.pk}:version")
    alice.display_name = "Renamed"
    alice.save()
    cache.set(f"user:v2:{alice.pk}", (version, stale))  # the slow request's late write
    assert CachedModelBackend().get_user(alice.pk).display_name == "Renamed"


def test_an_evicted_version_starts_afresh():
    alice = UserFactory(username="alice", display_name="Alice")
    signed_in(alice)
    cache.delete(f"user:v2:{alice.pk}:version")
    User.objects.filter(pk=alice.pk).update(display_name="Changed meanwhile")
    assert CachedModelBackend().get_user(alice.pk).display_name == "Changed meanwhile"


def test_saving_after_commit_moves_the_version_again(django_capture_on_commit_callbacks):
    alice = UserFactory(username="alice")
    signed_in(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alice.save()
    during = cache.get(f"user:v2:{alice.pk}:version")
    for callback in callbacks:
        callback()
    assert cache.get(f"user:v2:{alice.pk}:version") != during
