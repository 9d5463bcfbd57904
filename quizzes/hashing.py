"""Password hashing that waits for a free core rather than taking one from the other pages.

Django's default hasher (PBKDF2 with SHA-256, 1,000,000 iterations) costs 0.3-0.9 s of CPU
per login on a school's small server: a class of 30 typing their passwords at once is 10-25 s
of CPU, which on 2 cores stalls every other student's page for as long, when the rest of the
school is arriving too. The hash stays exactly Django's default (same algorithm, iterations
and stored format: `pbkdf2_sha256$...`); only its computing moves to a thread of this process
at a low CPU priority (Linux's nice 10, set on that thread alone: the scheduler then gives it
about a tenth of what a page's thread gets while both want a core), so that it takes the cores
mostly while nobody else needs them. A login then waits longer when the server is busy, and no
one else waits for it. Where threads cannot be given a priority of their own (not Linux), the
hash is computed as Django does.

quizsite/asgi.py also runs the login form's posts in threads of their own, so that a class's
logins waiting here never hold the threads that every other page is served by.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher

# nice 10: a tenth of a page's share of a busy core (19, a hundredth, could leave a login
# waiting past the server's timeouts while the server is busy for long).
LOW_PRIORITY = 10
# Hashes computed at once per process: at a low priority they use mostly what is left over.
HASHING_THREADS = 2

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0  # the process that started it: a forked child starts its own
_pool_lock = threading.Lock()


def lower_this_threads_priority() -> None:
    """Gives the calling thread, alone, a low CPU priority. On Linux a thread's id names
    it to setpriority; elsewhere the same call would lower the whole process, so nothing."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOW_PRIORITY)


def _hashing_pool() -> ThreadPoolExecutor:
    """This process's low-priority threads, started on first use. A pool inherited through a
    fork has no threads in the child (a job given to it would wait for ever): a new one."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool_pid = os.getpid()
            _pool = ThreadPoolExecutor(
                max_workers=HASHING_THREADS,
                thread_name_prefix="password-hashing",
                initializer=lower_this_threads_priority,
            )
        return _pool


class BackgroundPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2PasswordHasher, Django's default, computed at a low CPU priority."""

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        if sys.platform != "linux":
            return super().encode(password, salt, iterations)
        return _hashing_pool().submit(super().encode, password, salt, iterations).result()
