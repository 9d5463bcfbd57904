"""Middleware of our own."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
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
