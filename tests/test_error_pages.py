"""Error pages: a clear 503 while the database is unreachable, a plain 500 for a bug."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from quizsite.urls import urlpatterns as site_patterns


def database_down(request):
    raise OperationalError("connection refused")


def bug(request):
    raise ZeroDivisionError


urlpatterns = [path("down/", database_down), path("bug/", bug), *site_patterns]
handler500 = "quizzes.views.errors.server_error"


@pytest.fixture
def client_without_raising():
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.test_error_pages")
def test_an_unreachable_database_is_a_503_asking_to_try_again(client_without_raising):
    response = client_without_raising.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Back in a moment" in response.content.decode()


@pytest.mark.urls("tests.test_error_pages")
def test_a_bug_is_a_plain_500(client_without_raising):
    response = client_without_raising.get("/bug/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_not_found_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
