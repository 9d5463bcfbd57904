"""The site's URLs with the bare endpoints (bench/endpoints.py) mounted under /bench/."""

from django.urls import include, path

from bench import endpoints
from quizsite.urls import handler500
from quizsite.urls import urlpatterns as site

bench = [
    path("read/<int:user_id>/", endpoints.read_one_row, name="read"),
    path("update/<int:user_id>/", endpoints.update_one_row, name="update"),
    path("read/me/", endpoints.read_my_row, name="read-signed-in"),
    path("update/me/", endpoints.update_my_row, name="update-signed-in"),
    path("card/", endpoints.card_sign_in, name="card-sign-in"),
    path("card/<str:token>/", endpoints.card_page, name="card"),
]

urlpatterns = [path("bench/", include((bench, "bench"))), *site]

__all__ = ["handler500", "urlpatterns"]
