"""Error pages that never need the database: when it is down, a student gets a clear 503."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

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
