"""The site's URLs with a toy event stream, for the stream tests (tests/test_live_streams.py)
until the live game's own streams exist: its snapshot reads the database, as a game's does."""

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path

from quizsite.urls import urlpatterns as site
from quizzes.live.streams import event_stream
from quizzes.models import User


def toy_stream(request: HttpRequest, channel: str) -> HttpResponseBase:
    def snapshot() -> list[tuple[str, str]]:
        return [("state", f"<p>{User.objects.count()} players</p>\n<p>waiting</p>")]

    return event_stream(request, channels=[channel], snapshot=snapshot)


urlpatterns = [path("toy-stream/<str:channel>/", toy_stream), *site]
