"""The site's URLs with a toy event stream, for the stream tests (tests/test_live_streams.py)
until the live game's own streams exist: its snapshot reads the database, as a game's does."""

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template import engines
from django.urls import path

from quizsite.urls import urlpatterns as site
from quizzes.live.streams import event_stream
from quizzes.models import User


def toy_stream(request: HttpRequest, channel: str) -> HttpResponseBase:
    def snapshot() -> list[tuple[str, str]]:
        return [("state", f"<p>{User.objects.count()} players</p>\n<p>waiting</p>")]

    return event_stream(request, channels=[channel], snapshot=snapshot)


# A page that shows the toy stream as a game's page does: htmx's SSE extension swaps each
# "state" event in; the site's script (static/js/site.js) watches the stream.
PAGE = """{% extends "base.html" %}{% load static %}{% block content %}
<div hx-ext="sse" sse-connect="/toy-stream/{{ channel }}/">
  <div id="state" sse-swap="state" aria-live="polite">Connecting</div>
</div>
<script src="{% static 'django_htmx/ext/hx-sse-2.min.js' %}" defer></script>
{% endblock %}"""


def toy_page(request: HttpRequest, channel: str) -> HttpResponse:
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"channel": channel}, request))


urlpatterns = [
    path("toy-stream/<str:channel>/", toy_stream),
    path("toy-page/<str:channel>/", toy_page),
    *site,
]
