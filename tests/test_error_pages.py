"""Error pages: a clear 503 while the database is unreachable, a plain 500 for a bug."""

import re

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


@pytest.mark.parametrize("template", ["413.html", "500.html", "503.html"])
def test_the_standalone_pages_share_the_site_s_frame_and_read_no_database(template):
    """They are sent when the database or the session cannot be read (views/errors.py), so they
    extend standalone.html, not base.html; but a student sees the same frame: the stylesheet,
    the icon, a phone's viewport, the page's language and a title of the site. (No django_db
    mark: pytest-django fails the test if rendering them touches the database.)"""
    from django.template import loader

    page = loader.get_template(template).render({"limit": 65536})
    assert '<html lang="en">' in page
    assert 'name="viewport"' in page and "css/site.css" in page and "favicon.svg" in page
    assert re.search(r"<title>\w[^<]* · quizsite</title>", page)
    assert '<main id="main" class="wrap">' in page and "<h1>" in page
