"""Middleware of our own."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
