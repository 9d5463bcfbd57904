"""Middleware of our own."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRedirect

from quizzes.admin.forms import MAX_DERIVE_SIZE
from quizzes.images import MAX_IMAGE_BYTES
from quizzes.roster import MAX_ROSTER_BYTES
from quizzes.views.errors import request_too_big


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


def private_pages_uncached(get_response: Callable[[HttpRequest], HttpResponse]):
    """Django's never-cache headers (`Cache-Control: no-store`...) on every response to a
    signed-in user: each page names them, most show their answers, progress or classes, and a
    shared school computer's browser (its back button, its cache) or a proxy must keep none.
    A view that set its own Cache-Control keeps it; one that never read the session (so never
    knew who asked) shows nobody's data, and is not made to look the user up."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and request.user.is_authenticated
            and not response.has_header("Cache-Control")
        ):
            add_never_cache_headers(response)
        return response

    return middleware


def _button_page(request: HttpRequest) -> dict[str, str] | None:
    match = request.resolver_match
    if match is None or match.url_name not in BUTTON_PAGES:
        return None
    name, label, button = BUTTON_PAGES[match.url_name]
    args = {"quizzes:quiz": ["slug"], "quizzes:attempt": ["attempt_id"]}.get(name, [])
    url = reverse(name, kwargs={key: match.kwargs[key] for key in args})
    return {"url": url, "label": label, "button": button}


# Request bodies (issue 17): a teacher's upload may be a few MB, every other request is a form
# of a few fields. The views that take an upload, by URL name, and the most each takes.
def upload_limits() -> dict[str, int]:
    upload = settings.UPLOAD_MAX_BYTES
    return {
        "admin:quizzes_quiz_import": upload,
        "admin:quizzes_quiz_import_new": upload,
        "admin:quizzes_derive": min(upload, MAX_DERIVE_SIZE),
        "admin:quizzes_sourcedocument_add": upload,  # a source's whole text, pasted
        "admin:quizzes_sourcedocument_change": upload,
        # A question's picture (quizzes.images), with the choices' inline rows beside it.
        "admin:quizzes_question_add": MAX_IMAGE_BYTES,
        "admin:quizzes_question_change": MAX_IMAGE_BYTES,
        # A class list (quizzes.views.roster), pasted or as a CSV file.
        "quizzes:add_students": MAX_ROSTER_BYTES,
    }


def body_limit(request: HttpRequest) -> int:
    """The most bytes this request's body may hold: a form's fields, and the upload of a view
    that takes one."""
    try:
        view = resolve(request.path_info).view_name
    except Resolver404:
        view = ""
    return settings.REQUEST_MAX_BYTES + upload_limits().get(view, 0)


class LimitedUploadHandler(FileUploadHandler):
    """Stops a multipart body at the limit as it streams in (the first of the upload handlers),
    whatever its Content-Length said: nothing past the limit is kept, in memory or on disk."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise RequestDataTooBig("The upload is larger than this page takes.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def limit_request_body(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answers 413 to a body larger than its view takes before anything reads it, from its
    Content-Length; a body that runs past it anyway (no Content-Length, or a wrong one) is
    stopped by LimitedUploadHandler and DATA_UPLOAD_MAX_MEMORY_SIZE, also with a 413
    (quizzes.views.errors.bad_request)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all then
        multipart = request.content_type == "multipart/form-data"
        if length <= settings.REQUEST_MAX_BYTES and not multipart:
            return get_response(request)  # within every view's limit, no upload to stream
        limit = body_limit(request)
        if length > limit:
            return request_too_big(request, limit)
        request.body_limit = limit  # for the 413 of a body stopped while it is read
        request.upload_handlers.insert(0, LimitedUploadHandler(request, limit))
        return get_response(request)

    return middleware
