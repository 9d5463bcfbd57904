"""Real concurrency for the exactly-once tests: THREADS requests released at the same instant,
each with its own client and database connection (PostgreSQL only: SQLite serialises writes)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

THREADS = 100

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)

# The marks of a module of such tests: each thread commits (so no test transaction around
# them), PostgreSQL, and connections enough for every thread (tests/conftest.py).
CONCURRENT = [
    pytest.mark.django_db(transaction=True),
    needs_postgresql,
    pytest.mark.usefixtures("enough_connections"),
]


def run_at_once(user, action) -> list:
    """Run `action(client)` in THREADS threads released at the same instant, each its own
    logged-in client and database connection, and return what each returned. `user`: one
    user for every thread, or a list of THREADS users, one each."""
    users = user if isinstance(user, list) else [user] * THREADS
    barrier = threading.Barrier(THREADS, timeout=60)
    results = []

    def worker(user):
        # Any failure is recorded, and breaks the barrier so that no thread waits forever.
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            results.append(action(client))
        except Exception as error:  # reported by the test's assertions
            barrier.abort()
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
