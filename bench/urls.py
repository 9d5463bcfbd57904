"""The site's URLs with the bare endpoints (bench/endpoints.py) mounted under /bench/."""

from django.urls import include, path

from bench import endpoints, live_endpoints
from quizsite.urls import handler500
from quizsite.urls import urlpatterns as site

bench = [
    path("read/<int:user_id>/", endpoints.read_one_row, name="read"),
    path("update/<int:user_id>/", endpoints.update_one_row, name="update"),
    path("read/me/", endpoints.read_my_row, name="read-signed-in"),
    path("update/me/", endpoints.update_my_row, name="update-signed-in"),
    path("live/<int:classroom_id>/events/", live_endpoints.events, name="live-events"),
    path("live/<int:classroom_id>/move/", live_endpoints.move, name="live-move"),
]

urlpatterns = [path("bench/", include((bench, "bench"))), *site]

__all__ = ["handler500", "urlpatterns"]
