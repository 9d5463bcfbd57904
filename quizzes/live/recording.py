"""Recording a live game's revealed answers into each player's progress, mastery and spaced
review, through the quiz's own `record_answer`, each answer once (issue 22).

An answer is final at the reveal (a player may change it until then), so it is recorded after
the reveal. Recording costs what a quiz's answer post costs (some 5-10 ms of CPU each): a class
of 300 is seconds of work, which must not stand between the teacher's click and the phones.
So the reveal's request grades the answers (a few statements for the whole class), commits,
publishes, answers the teacher, and hands the recording to this process's recorder: one
background thread, which records a game's pending answers one transaction each
(`record_revealed`). Nothing else to run: `make run` and `make serve` (each worker its own
recorder) need no queue or extra process.

Exactly once, whatever happens: each live answer's link to its Response is unique, and an
answer is recorded under its row lock (taken with SKIP LOCKED, so two recorders share a game's
answers rather than wait); a recorder that dies with its process (a worker killed, a deploy)
leaves the rest unrecorded, and the next move of that game (Next, End), or
`manage.py end_idle_live_games`, records them.

LIVE_RECORDING = "inline" (the tests' setting) records in the request instead, before it
answers.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections, transaction

log = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: set[int] = set()  # games queued and not started: a second request adds nothing
_executor: ThreadPoolExecutor | None = None
_last: Future | None = None


def in_background() -> bool:
    return getattr(settings, "LIVE_RECORDING", "background") != "inline"


def record_soon(game_id: int) -> None:
    """Record the game's revealed answers not recorded yet: after the current transaction
    commits, in the background (or at once, inline)."""
    if in_background():
        transaction.on_commit(lambda: _submit(game_id))
    else:  # the moves have committed (they are atomic, and requests are not)
        record_game(game_id)


def record_game(game_id: int) -> int:
    from quizzes.models.live import record_revealed

    return record_revealed(game_id)


def _submit(game_id: int) -> None:
    global _executor, _last
    with _lock:
        if game_id in _pending:
            return
        _pending.add(game_id)
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-recorder")
        _last = _executor.submit(_run, game_id)


def _run(game_id: int) -> None:
    with _lock:
        _pending.discard(game_id)
    close_old_connections()
    try:
        record_game(game_id)
    except Exception:  # the next move of the game, or the idle command, records the rest
        log.exception("Recording the live game %s's answers stopped", game_id)
    finally:
        close_old_connections()


def wait() -> None:
    """Until the recorder has done all it was given (tests, and a server's shutdown)."""
    while True:
        with _lock:
            last = _last
        if last is None:
            return
        last.result()
        with _lock:
            if _last is last:
                return


def close() -> None:
    """The recorder's database connection, closed (tests, before their database goes)."""
    if _executor is not None:
        wait()
        _executor.submit(connections.close_all).result()
