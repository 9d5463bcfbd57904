"""Security settings as a user meets them: the content security policy and login throttling."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_content_security_policy(client, quiz):
    for url in ("/", reverse("quizzes:quiz", args=[quiz.slug]), reverse("login"), "/admin/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy


def _fail(client, url, username, times):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong-password"})
    return response


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_from_that_address(client, url):
    UserFactory(username="carol", is_staff=True)
    assert _fail(client, url, "carol", 4).status_code == 200
    locked = _fail(client, url, "carol", 1)
    assert locked.status_code == 429
    assert "Too many tries" in locked.content.decode()
    # Even the right password is refused during the cool-off.
    right = client.post(url, {"username": "carol", "password": "quizsite-demo"})
    assert right.status_code == 429


def test_a_lockout_is_per_username_so_classmates_on_the_same_network_can_log_in(client):
    UserFactory(username="carol")
    UserFactory(username="dave")
    _fail(client, "/accounts/login/", "carol", 5)
    response = client.post("/accounts/login/", {"username": "dave", "password": "quizsite-demo"})
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client):
    UserFactory(username="carol")
    _fail(client, "/accounts/login/", "carol", 4)
    assert (
        client.post(
            "/accounts/login/", {"username": "carol", "password": "quizsite-demo"}
        ).status_code
        == 302
    )
    client.post(reverse("logout"))
    assert _fail(client, "/accounts/login/", "carol", 4).status_code == 200
