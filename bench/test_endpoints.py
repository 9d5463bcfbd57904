"""The load benchmark's yardsticks as bench.settings mounts them (bench/endpoints.py): the bare
endpoints and the Server-Timing header, well-behaved like every page. `make test` runs these
with the app's tests; they use nothing of tests/."""

import pytest
from django.test import Client

from bench import settings as bench_settings

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def benchmark_settings(settings):
    """As bench.settings: its middleware and URLs; and an empty cache of this process."""
    settings.MIDDLEWARE = bench_settings.MIDDLEWARE
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.CACHES = LOCAL_CACHE


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


class TestBare:
    def test_it_reads_one_row(self, client, alice):
        response = client.get(f"/bench/read/{alice.pk}/")
        assert response.status_code == 200
        assert response.content == b"alice"

    def test_it_updates_one_row(self, client, alice):
        assert alice.last_login is None
        assert client.post(f"/bench/update/{alice.pk}/").status_code == 204
        alice.refresh_from_db()
        assert alice.last_login is not None

    def test_it_touches_no_other_row(self, client, alice, bob):
        client.post(f"/bench/update/{alice.pk}/")
        bob.refresh_from_db()
        assert bob.last_login is None

    def test_a_missing_row_is_404(self, client, bob):
        missing = bob.pk + 1000
        assert client.get(f"/bench/read/{missing}/").status_code == 404
        assert client.post(f"/bench/update/{missing}/").status_code == 404

    def test_wrong_methods_are_405(self, client, alice):
        assert client.post(f"/bench/read/{alice.pk}/").status_code == 405
        assert client.get(f"/bench/update/{alice.pk}/").status_code == 405

    def test_the_update_needs_the_csrf_token_like_every_post(self, alice):
        strict = Client(enforce_csrf_checks=True)
        assert strict.post(f"/bench/update/{alice.pk}/").status_code == 403


class TestSignedIn:
    """The same row work behind the session and the user that every student's page needs."""

    def test_it_reads_the_students_own_row(self, alice_client):
        response = alice_client.get("/bench/read/me/")
        assert response.status_code == 200
        assert response.content == b"alice"

    def test_it_updates_the_students_own_row_only(self, alice_client, alice, bob):
        assert alice_client.post("/bench/update/me/").status_code == 204
        alice.refresh_from_db()
        bob.refresh_from_db()
        assert alice.last_login is not None
        assert bob.last_login is None

    def test_it_asks_a_visitor_to_log_in(self, client, db):
        assert client.get("/bench/read/me/")["Location"].startswith("/accounts/login/")
        assert client.post("/bench/update/me/")["Location"].startswith("/accounts/login/")

    def test_wrong_methods_are_405(self, alice_client):
        assert alice_client.post("/bench/read/me/").status_code == 405
        assert alice_client.get("/bench/update/me/").status_code == 405

    def test_the_update_needs_the_csrf_token_like_every_post(self, alice):
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(alice)
        assert strict.post("/bench/update/me/").status_code == 403

    def test_the_row_is_its_one_query_once_the_user_is_cached(
        self, alice_client, django_assert_num_queries
    ):
        alice_client.get("/bench/read/me/")  # the session and the user, into the cache
        with django_assert_num_queries(1):
            alice_client.get("/bench/read/me/")


def test_server_timing_states_the_time_spent(alice_client):
    header = alice_client.get("/")["Server-Timing"]
    assert header.startswith("app;dur=")
    assert float(header.removeprefix("app;dur=")) > 0


def test_the_site_is_all_there_beside_them(alice_client):
    assert alice_client.get("/").status_code == 200
    assert alice_client.get("/no-such-page/").status_code == 404
