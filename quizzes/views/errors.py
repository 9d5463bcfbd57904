"""Error pages that never need the database: when it is down, a student gets a clear 503."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

UNAVAILABLE_RETRY_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. It runs while the exception is being handled, so `sys.exc_info()`
    tells a lost or refused database connection (503, try again shortly) from a bug (500).
    Both templates are standalone: rendering them must not touch the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's handler400. A body that ran past its limit while it was read (Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE, or quizzes.middleware.LimitedUploadHandler) is a 413."""
    if isinstance(exception, RequestDataTooBig):
        # Set by quizzes.middleware.limit_request_body for a multipart or a large body.
        limit = getattr(request, "body_limit", settings.REQUEST_MAX_BYTES)
        return request_too_big(request, limit)
    return defaults.bad_request(request, exception)


def request_too_big(request: HttpRequest, limit: int) -> HttpResponse:
    """413, with a page that says how much the page takes. Standalone, like 503.html: it is
    sent before the session or the user is read."""
    upload = limit - settings.REQUEST_MAX_BYTES  # a view that takes a file: the file's limit
    context = {"is_upload": upload > 0, "limit": upload if upload > 0 else limit}
    return HttpResponse(loader.get_template("413.html").render(context), status=413)
