"""Middleware of our own."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


def server_timing(get_response: Callable[[HttpRequest], HttpResponse]):
    """Adds `Server-Timing: app;dur=<ms>`: the time Django spent on the request, through every
    other middleware. On only with BENCHMARK_ENDPOINTS, for the load benchmark, which compares
    pages with the bare endpoints by it: the client's latency also holds the time a request
    waited for a free worker, which is the same for every page and says nothing about it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.3f}"
        return response

    return middleware


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
