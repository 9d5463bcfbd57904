"""Real concurrency for the exactly-once tests: THREADS requests released at the same instant,
each with its own client and database connection (PostgreSQL only: SQLite serialises writes)."""

import threading

from django.db import connections
from django.test import Client

THREADS = 100


def run_at_once(user, action) -> list:
    """Run `action(client)` in THREADS threads released at the same instant, each its own
    logged-in client and database connection, and return what each returned."""
    barrier = threading.Barrier(THREADS, timeout=60)
    results = []

    def worker():
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

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
