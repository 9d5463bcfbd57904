"""The load benchmark's bare endpoints (quizzes/views/bench.py) and its Server-Timing header:
absent unless BENCHMARK_ENDPOINTS turns them on, and well-behaved when on."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import UserFactory


def test_it_is_off_by_default(alice_client, alice):
    assert settings.BENCHMARK_ENDPOINTS is False
    assert alice_client.get(f"/bench/read/{alice.pk}/").status_code == 404
    assert alice_client.post(f"/bench/update/{alice.pk}/").status_code == 404
    assert alice_client.get("/bench/read/me/").status_code == 404
    assert alice_client.post("/bench/update/me/").status_code == 404
    assert "Server-Timing" not in alice_client.get("/")


@pytest.mark.urls("tests.bench_urls")
class TestWhenOn:
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

    def test_a_missing_row_is_404(self, client, db):
        missing = UserFactory().pk + 1000
        assert client.get(f"/bench/read/{missing}/").status_code == 404
        assert client.post(f"/bench/update/{missing}/").status_code == 404

    def test_wrong_methods_are_405(self, client, alice):
        assert client.post(f"/bench/read/{alice.pk}/").status_code == 405
        assert client.get(f"/bench/update/{alice.pk}/").status_code == 405

    def test_the_update_needs_the_csrf_token_like_every_post(self, alice):
        strict = Client(enforce_csrf_checks=True)
        assert strict.post(f"/bench/update/{alice.pk}/").status_code == 403


@pytest.mark.urls("tests.bench_urls")
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
    with override_settings(MIDDLEWARE=["quizzes.middleware.server_timing", *settings.MIDDLEWARE]):
        header = alice_client.get("/")["Server-Timing"]
    assert header.startswith("app;dur=")
    assert float(header.removeprefix("app;dur=")) > 0
