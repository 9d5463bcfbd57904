"""The live game's rules, in plain Python (no Django, no database): its states and what moves
it on, each player's time, the points of an answer, and how the class answered.

A game goes lobby -> question 1 open -> revealed -> board -> question 2 open -> ... -> finished
(the teacher may end it from any state). The models (quizzes/models/live.py) keep it in the
database and apply these rules under the game's row lock.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

# The game code: the class join code's alphabet (no look-alikes, quizzes/models/classes.py),
# six characters: 23^6 ≈ 1.5e8 codes, and only unfinished games hold one that matters.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 6

LOBBY, QUESTION, REVEALED, BOARD, FINISHED = "lobby", "question", "revealed", "board", "finished"
STATES = [
    (LOBBY, "Waiting to start"),
    (QUESTION, "Question open"),
    (REVEALED, "Answer revealed"),
    (BOARD, "Board"),
    (FINISHED, "Finished"),
]

# A game nobody has moved on for this long ends itself (checked when it is opened, and by
# `manage.py end_idle_live_games`).
IDLE_AFTER = timedelta(hours=2)
# An answer posted up to this long after a player's deadline still counts: the time on the
# phone and the server's differ by the network's delay.
GRACE = timedelta(seconds=2)
TIME_LIMITS = [(None, "No timer"), (20, "20 seconds"), (30, "30 seconds"), (60, "1 minute"),
               (90, "90 seconds"), (120, "2 minutes")]  # fmt: skip
EXTRA_TIME_CHOICES = [(0, "None"), (25, "+25%"), (50, "+50%"), (100, "+100% (double)")]
EXTEND_BY = 15  # seconds the teacher's "More time" adds for everyone
# The optional speed bonus: at most a tenth of a right answer's points, shrinking to nothing
# at the player's own deadline (or over SPEED_WINDOW without a timer), so that it can break a
# tie but never outweigh a right answer. Off by default: speed is a barrier for some students.
SPEED_SHARE = Decimal("0.1")
SPEED_WINDOW = 30
CENTS = Decimal("0.01")

# What each of the teacher's buttons does, from each state.
ACTIONS = {
    "start": {LOBBY},
    "reveal": {QUESTION},
    "next": {REVEALED, BOARD},
    "extend": {QUESTION},
    "end": {LOBBY, QUESTION, REVEALED, BOARD},
}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())[:CODE_LENGTH]


def next_state(state: str, number: int, total: int) -> tuple[str, int]:
    """Where "Next" leads: from the reveal to the board, from the board to the next question,
    or, after the last, to the end."""
    if state == REVEALED:
        return BOARD, number
    if number >= total:
        return FINISHED, number
    return QUESTION, number + 1


def allowed_seconds(time_limit: int | None, extra_percent: int, extended: int) -> float | None:
    """A player's time on one question: the limit stretched by their extra time, plus what the
    teacher added for everyone. None without a timer."""
    if time_limit is None:
        return None
    return time_limit * (100 + extra_percent) / 100 + extended


def deadline(
    opened_at: datetime | None, time_limit: int | None, extra_percent: int, extended: int
) -> datetime | None:
    seconds = allowed_seconds(time_limit, extra_percent, extended)
    if seconds is None or opened_at is None:
        return None
    return opened_at + timedelta(seconds=seconds)


def is_late(at: datetime, player_deadline: datetime | None) -> bool:
    return player_deadline is not None and at > player_deadline + GRACE


def speed_bonus(
    points: Decimal, *, correct: bool, elapsed: float, allowed: float | None
) -> Decimal:
    """The bonus of a fully right answer given `elapsed` seconds after the question opened."""
    if not correct or points <= 0:
        return Decimal(0)
    window = allowed or SPEED_WINDOW
    left = max(0.0, 1.0 - max(elapsed, 0.0) / window)
    return (points * SPEED_SHARE * Decimal(str(round(left, 4)))).quantize(CENTS)


@dataclass(frozen=True)
class Bar:
    """One option (or, for typed and arranged answers, one verdict) and how many chose it."""

    label: str
    count: int
    percent: int
    is_right: bool


def bars(
    options: Iterable[tuple[object, str, bool]], picks: Iterable[Iterable[object]], answered: int
) -> list[Bar]:
    """How the class answered: `options` are (key, label, is right), `picks` each answer's
    keys (one for a single choice, several for a multiple choice)."""
    counts = Counter(key for keys in picks for key in set(keys))
    return [
        Bar(label, counts[key], round(100 * counts[key] / answered) if answered else 0, right)
        for key, label, right in options
    ]


def verdict_of(score: Decimal) -> str:
    if score >= 1:
        return "correct"
    return "partial" if score > 0 else "incorrect"


VERDICT_OPTIONS = [("correct", "Right", True), ("partial", "Partly right", False),
                   ("incorrect", "Wrong", False)]  # fmt: skip


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
