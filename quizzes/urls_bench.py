"""The benchmark's bare endpoints (quizzes/views/bench.py), mounted under /bench/ only when
settings.BENCHMARK_ENDPOINTS is on."""

from django.urls import path

from quizzes.views import bench

app_name = "bench"

urlpatterns = [
    path("read/<int:user_id>/", bench.read_one_row, name="read"),
    path("update/<int:user_id>/", bench.update_one_row, name="update"),
    path("read/me/", bench.read_my_row, name="read-signed-in"),
    path("update/me/", bench.update_my_row, name="update-signed-in"),
]
