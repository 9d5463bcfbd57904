"""Class leaderboards: this week, all time, and one per assigned quiz, as one viewer sees
them, ranked by the database and kept in Redis when REDIS_URL is set.

Three layers, each in its own module: the rules in plain Python (quizzes/ranking.py, where they
are stated), the ranking by the database (`UserQuerySet.ranked_on`, quizzes/models/accounts.py)
and, here, the Redis cache in front of it and what the views and the answer call.

The ranking comes from one of two places, which give the same order (tests hold them to it):

- the database: one query per board, the window function RANK() over the members'
  aggregated progress rows;
- Redis, when REDIS_URL is set: every student's points per scope (all time, each ISO week, each
  bank of questions) in sorted sets, and their tie-break counts in hashes. An answer makes no
  query for them: once it is committed, `answer_recorded` counts it against the student in each
  scope it touches, in one round trip. Each entry records how many of the student's counted
  answers it has seen. A board reads its members' entries and counts in one round trip (those
  of the members it last saw in the class, so that one query follows: their names, or else the
  ranking) and ranks them with `rank_stats`. If any member's entry is missing or behind their
  count, the board is ranked by the database and those entries are written afresh (never over
  one that has seen as many answers: why no answer is lost is told at `_write`). Keys live in
  hourly generations, so any drift (an answer uncounted while Redis was down) lasts an hour at
  most. Any Redis error falls back to the database for a short while, with a warning in the log.

This module imports no model: it is handed a class (its `students`) or an answer, so that
recording an answer (quizzes/models/attempts.py) can call it without an import cycle.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import redis
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone

from quizzes.ranking import (
    EPOCH,
    Board,
    BoardView,
    Scope,
    Standing,
    Stats,
    answer_scopes,
    present,
    rank_stats,
)

log = logging.getLogger(__name__)

GENERATION = 3600  # seconds: keys are rebuilt from the database at least this often
RETRY_AFTER = 15.0  # seconds to leave Redis alone after an error
CHUNK = 1000  # members per ZMSCORE / HMGET
CLASSES_KEPT = 10_000  # classes whose members a process remembers


class _Redis:
    """The leaderboards' Redis at one URL, as this process knows it: the client, whether it
    failed a moment ago, and each class's members when this process last ranked it (whose
    entries a board reads before its one query: the names if every entry is fresh, else the
    ranking, never both)."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )
        self.down_until = 0.0
        self.members: dict[int, list[int]] = {}

    def failed(self, error: Exception) -> None:
        self.down_until = time.monotonic() + RETRY_AFTER
        log.warning("Leaderboards read the database for %ss: Redis failed: %s", RETRY_AFTER, error)


@functools.cache
def _redis_at(url: str) -> _Redis:
    return _Redis(url)


@receiver(setting_changed)
def _forget_redis(*, setting: str, **kwargs: Any) -> None:
    """A new REDIS_URL (tests change it) starts afresh: no client, failure or members."""
    if setting == "REDIS_URL":
        _redis_at.cache_clear()


def _redis() -> _Redis:
    return _redis_at(settings.REDIS_URL)


def _client() -> redis.Redis | None:
    """The Redis client, or None when REDIS_URL is unset or Redis failed a moment ago."""
    if not settings.REDIS_URL or time.monotonic() < _redis().down_until:
        return None
    return _redis().client


def _redis_failed(error: Exception) -> None:
    _redis().failed(error)


def _namespace() -> str:
    # One namespace per database: a test database never reads the development one's points.
    # ("lb2": entries end with the count of answers they have seen; those under "lb" did not.)
    database = str(connection.settings_dict["NAME"])
    return f"quizsite:lb2:{hashlib.blake2b(database.encode(), digest_size=4).hexdigest()}:"


def _prefix(now: float | None = None) -> str:
    # And one generation per hour: a stale entry cannot outlive it. A board takes its prefix
    # once, to read and write the same generation (counts start again in each).
    generation = int((time.time() if now is None else now) // GENERATION)
    return f"{_namespace()}{generation}:"


def _keys(prefix: str, scope: Scope) -> tuple[str, str]:
    """A scope's sorted set (user id -> points in cents) and its hash: user id -> the rest of
    the entry, "correct answered reached seen", and "<user id>:answers" -> the answers counted
    against the student (one hash, so that nothing evicts the counts and leaves the entries)."""
    return f"{prefix}{scope.key}:points", f"{prefix}{scope.key}:stats"


def _counted(user_id: int) -> str:
    return f"{user_id}:answers"


def _encode(stats: Stats, seen: int) -> tuple[int, str]:
    reached = ""
    if stats.reached is not None:
        reached = str((stats.reached - EPOCH) // timedelta(microseconds=1))
    return int(stats.points * 100), f"{stats.correct} {stats.answered} {reached} {seen}"


def _decode(score: float, text: str) -> tuple[Stats, int]:
    """An entry's Stats, and how many of the student's counted answers it has seen."""
    correct, answered, reached, seen = text.split(" ")
    stats = Stats(
        points=Decimal(round(score)).scaleb(-2),
        correct=int(correct),
        answered=int(answered),
        reached=EPOCH + timedelta(microseconds=int(reached)) if reached else None,
    )
    return stats, int(seen)


def _chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


Counts = dict[Scope, dict[int, int]]  # the answers counted against each student, per scope


def _read(
    client: redis.Redis, prefix: str, scopes: Sequence[Scope], user_ids: Sequence[int]
) -> tuple[dict[int, Stats] | None, Counts]:
    """Each member's Stats summed over the scopes, and the answers counted against them (where
    not 0), in one round trip: one MULTI, so entries and counts are read at one moment. The
    Stats are None if any entry is missing or has not seen every answer counted. (Plain
    commands rather than a script: Redis, which every app server shares, spends a quarter of
    the time on them.)"""
    pipe = client.pipeline(transaction=True)
    for scope in scopes:
        points, stats = _keys(prefix, scope)
        for chunk in _chunks(user_ids):
            pipe.zmscore(points, chunk)
            pipe.hmget(stats, [*chunk, *map(_counted, chunk)])
    replies = iter(pipe.execute())
    totals: dict[int, Stats] = {}
    counts: Counts = {scope: {} for scope in scopes}
    fresh = True
    for scope in scopes:
        for chunk in _chunks(user_ids):
            scores, fields = next(replies), next(replies)
            texts, counted = fields[: len(chunk)], fields[len(chunk) :]
            for user_id, score, text, count in zip(chunk, scores, texts, counted, strict=True):
                if count is not None:
                    counts[scope][user_id] = int(count)
                if score is None or text is None:
                    fresh = False
                    continue
                entry, seen = _decode(score, text)
                fresh &= seen >= int(count or 0)
                totals[user_id] = totals[user_id] + entry if user_id in totals else entry
    return (totals if fresh else None), counts


# Why no answer is lost, whatever the order of answers and boards:
#
# - An answer is counted (HINCRBY, in `count_answer`) only after it has committed. A board
#   reads the counts before it queries the database (the primary: a replica's lag would break
#   this), so a board that read a count of n for a student ranks rows that hold at least those
#   n answers, and tags the entry it writes with n (0 for a member whose count it did not read).
# - An answer that board's query missed committed after the query began, so it was counted after
#   the board read n: the count is n + 1 or more, the entry (tagged n) is behind it, and the next
#   read ranks by the database again and writes the entry afresh.
# - The write skips an entry already tagged n or more (one Lua script, so nothing lands between
#   the check and the write): of two boards that read the same count, the slower one cannot put
#   back rows older than the faster one's, and its own newer answers are counted past n anyway.
#   An entry tagged lower is replaced, and the new tag is true of the rows that replace it.
# - Counts only grow within a generation, so an entry cannot look fresh to a count that came
#   back down to its tag (as a counter cleared by the board would: cleared by one board, counted
#   again by an answer, cleared again by a slower board that had read the old value).
#
# So a board shows an answer from the first read after it is counted, which the answer's own
# request does just after its commit. What escapes this is an answer never counted (Redis down,
# or left alone after an error; an app server whose clock is still in the previous hour while a
# board reads the next): it is missing until the generation ends. (The script also rewrites an
# entry whose points alone were evicted; counts live in the entries' hash, and go with it.)
_WRITE = """
for i = 2, #ARGV, 4 do
  local user, tag = ARGV[i], tonumber(ARGV[i + 3])
  local stored = redis.call('HGET', KEYS[2], user)
  if not stored or tonumber(string.match(stored, '%d+$')) < tag
      or not redis.call('ZSCORE', KEYS[1], user) then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], user)
    redis.call('HSET', KEYS[2], user, ARGV[i + 2])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
"""


def _write(
    client: redis.Redis, prefix: str, scoped: Mapping[Scope, Mapping[int, Stats]], counts: Counts
) -> None:
    """Store the Stats a board ranked by the database, each tagged with the answers counted
    against the student when the board read Redis (before its query), except over an entry
    already tagged as high: see above."""
    pipe = client.pipeline(transaction=False)
    for scope, by_user in scoped.items():
        counted = counts.get(scope, {})
        for chunk in _chunks(list(by_user)):
            args: list[int | str] = [2 * GENERATION]
            for user_id in chunk:
                seen = counted.get(user_id, 0)
                args += [user_id, *_encode(by_user[user_id], seen), seen]
            pipe.eval(_WRITE, 2, *_keys(prefix, scope), *args)
    pipe.execute()


def clear_redis() -> None:
    """Drop every cached entry of this database (tests; or after restoring a backup)."""
    client = _client()
    if client is None:
        return
    keys = list(client.scan_iter(match=f"{_namespace()}*", count=1000))
    if keys:
        client.delete(*keys)


# ---- What the views and the answer hook call -------------------------------------------------


def class_board(classroom: Any, board: Board, *, viewer: Any) -> BoardView:
    """A class's board as `viewer` (a member, or the class's teacher) sees it: one query."""
    members = classroom.students.all()
    standings, names = _standings(members, board, classroom.pk)
    to_teacher = classroom.is_taught_by(viewer)
    return present(
        standings,
        names,
        viewer_id=None if to_teacher else viewer.pk,
        to_teacher=to_teacher,
        board_key="|".join([board.key, board.rule, *(s.key for s in board.scopes)]),
    )


def _standings(
    members: Any, board: Board, class_id: int
) -> tuple[list[Standing], dict[int, tuple[str, bool]]]:
    """Everyone in `members` (a UserQuerySet) ranked, and their names. With Redis, the entries
    of the members last seen in the class are read first; then one query: the names, if every
    entry is fresh (and, if the class has gained a member since, their entries are read too),
    else the ranking."""
    client = _client()
    if client is None:
        standings, names, _ = members.ranked_on(board)
        return standings, names
    prefix = _prefix()
    names = None
    if (known := _redis().members.get(class_id)) is None:
        names = members.board_names()
        known = list(names)
    cached, counts = _try_read(client, prefix, board.scopes, known)
    if cached is not None:
        if names is None:
            names = members.board_names()
        if names.keys() - cached.keys():  # someone joined since
            cached, counts = _try_read(client, prefix, board.scopes, list(names))
        if cached is not None:
            _remember(class_id, names)
            return rank_stats({user_id: cached[user_id] for user_id in names}), names
    writable = _client() is not None  # (not just after an error)
    standings, names, scoped = members.ranked_on(board, with_scopes=writable)
    _remember(class_id, names)
    if writable:
        try:
            _write(client, prefix, scoped, counts)
        except redis.RedisError as error:
            _redis_failed(error)
    return standings, names


def _try_read(
    client: redis.Redis, prefix: str, scopes: Sequence[Scope], user_ids: list[int]
) -> tuple[dict[int, Stats] | None, Counts]:
    try:
        return _read(client, prefix, scopes, user_ids)
    except redis.RedisError as error:
        _redis_failed(error)
        return None, {}


def _remember(class_id: int, names: Mapping[int, Any]) -> None:
    members = _redis().members
    if len(members) >= CLASSES_KEPT and class_id not in members:
        members.clear()
    members[class_id] = list(names)


def answer_recorded(response: Any) -> None:
    """Call in the transaction that records an answer: once it commits, the answer is counted
    against the student in Redis, so the next board read takes their entries afresh."""
    if settings.REDIS_URL:
        count = partial(
            count_answer, response.user_id, response.question.quiz_id, response.answered_at
        )
        transaction.on_commit(count, robust=True)


def count_answer(user_id: int, bank_id: int, at: datetime | None = None) -> None:
    """Have the next board read take the student's entries afresh in the scopes an answer at
    `at` moves: count the answer against them there. One round trip, and no query (each board
    that shows the student ranks by the database on its next read instead of reading names)."""
    client = _client()
    if client is None:
        return
    prefix = _prefix()
    pipe = client.pipeline(transaction=True)
    for scope in answer_scopes(bank_id, at or timezone.now(), timezone.get_default_timezone()):
        _, stats = _keys(prefix, scope)
        pipe.hincrby(stats, _counted(user_id), 1)
        pipe.expire(stats, 2 * GENERATION)
    try:
        pipe.execute()
    except redis.RedisError as error:
        _redis_failed(error)
