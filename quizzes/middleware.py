"""Middleware of our own."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


def htmx_login_redirect(get_response: Callable[[HttpRequest], HttpResponse]):
    """An HTMX request whose session has ended (logged out in another tab, or expired) is sent
    to the login page as a whole page, coming back to the page it was on. Without this, htmx
    follows the redirect itself and swaps the login page into the fragment it asked for: a
    board or a question card would turn into a login form inside the page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            back_to = request.htmx.current_url_abs_path or resolve_url("quizzes:home")
            return HttpResponseClientRedirect(redirect_to_login(back_to)["Location"])
        return response

    return middleware


# Where the button of a POST-only address lives, for the page a visit to that address gets.
BUTTON_PAGES = {
    "review": ("quizzes:progress", "My progress", "Start review"),
    "practise": ("quizzes:mistakes", "My mistakes", "Practise my mistakes"),
    "start": ("quizzes:quiz", "the quiz's page", "Start the quiz"),
    "answer": ("quizzes:attempt", "the question", "Check answer"),
}


def readable_not_allowed(get_response: Callable[[HttpRequest], HttpResponse]):
    """A person who opens an address that only a button posts to (a bookmark of
    /progress/review/, a reload after a failed post) gets a page saying where the button is,
    still a 405 with its Allow header, instead of the browser's bare "HTTP ERROR 405"."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 405 or request.method != "GET" or response.content:
            return response
        if getattr(request, "htmx", False):
            return response
        page = render(request, "405.html", {"button": _button_page(request)}, status=405)
        page["Allow"] = response["Allow"]
        return page

    return middleware


def _button_page(request: HttpRequest) -> dict[str, str] | None:
    match = request.resolver_match
    if match is None or match.url_name not in BUTTON_PAGES:
        return None
    name, label, button = BUTTON_PAGES[match.url_name]
    args = {"quizzes:quiz": ["slug"], "quizzes:attempt": ["attempt_id"]}.get(name, [])
    url = reverse(name, kwargs={key: match.kwargs[key] for key in args})
    return {"url": url, "label": label, "button": button}
