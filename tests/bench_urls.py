"""The site's URLs with the benchmark's bare endpoints mounted, as BENCHMARK_ENDPOINTS=1 does."""

from django.urls import include, path

from quizsite.urls import urlpatterns as site

urlpatterns = [path("bench/", include("quizzes.urls_bench")), *site]
