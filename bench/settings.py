"""quizsite's settings, and the benchmark's yardsticks: the bare endpoints under /bench/ and a
Server-Timing header on every response (bench/endpoints.py).

Only the benchmarks load this module (DJANGO_SETTINGS_MODULE=bench.settings, set by
bench/harness.py for the servers it starts and by the in-process benchmarks for themselves).
Production loads quizsite.settings, which knows nothing of it, and does not ship bench/.
"""

from quizsite.settings import *  # noqa: F403
from quizsite.settings import MIDDLEWARE

MIDDLEWARE = ["bench.endpoints.server_timing", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
