"""The mastery rule: from a topic's counts to one of five levels. Pure Python, no database.

A topic's questions are its published questions in published quizzes. On each question the
student's *latest* answer counts, so a mistake put right counts as right, and a question once
right and then missed counts as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

FAMILIAR_FROM = 70  # percent of the topic's questions right on their latest answer


class Level(Enum):
    NOT_STARTED = "not-started"
    ATTEMPTED = "attempted"
    FAMILIAR = "familiar"
    PROFICIENT = "proficient"
    MASTERED = "mastered"

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def rank(self) -> int:
        """0 (not started) to 4 (mastered), for sorting and for the bar's markers."""
        return list(Level).index(self)


# The rule in words, shown on the progress page beside the bars.
RULES: list[tuple[Level, str]] = [
    (Level.NOT_STARTED, "none of the topic's questions answered yet."),
    (
        Level.ATTEMPTED,
        f"under {FAMILIAR_FROM}% of the topic's questions right on the latest answer.",
    ),
    (Level.FAMILIAR, f"{FAMILIAR_FROM}% to 99% right on the latest answer."),
    (Level.PROFICIENT, "every question right on the latest answer."),
    (
        Level.MASTERED,
        "proficient, and every question answered right again in a review at least a day "
        "after the answer before.",
    ),
]


def mastery_level(*, total: int, answered: int, right: int, spaced: int) -> Level:
    """The level of a topic with `total` questions, of which the student has `answered` some,
    has `right` right on their latest answer, and has `spaced` right on their latest answer
    and once answered right in a review at least a day after the answer before."""
    if not total or not answered:
        return Level.NOT_STARTED
    if right >= total:
        return Level.MASTERED if spaced >= total else Level.PROFICIENT
    # Compare in whole numbers: 69.9% is under 70%, and no float rounding decides it.
    if right * 100 >= FAMILIAR_FROM * total:
        return Level.FAMILIAR
    return Level.ATTEMPTED


@dataclass(frozen=True)
class TopicMastery:
    """One topic's counts for one student, and the level they make."""

    topic_id: int
    name: str
    total: int
    answered: int
    right: int
    spaced: int
    due: int = 0
    next_due_at: datetime | None = None  # the earliest review not yet due

    @property
    def level(self) -> Level:
        return mastery_level(
            total=self.total, answered=self.answered, right=self.right, spaced=self.spaced
        )

    @property
    def wrong(self) -> int:
        """Questions answered whose latest answer is wrong."""
        return self.answered - self.right

    @property
    def percent_right(self) -> int:
        """Rounded down, so that 99.5% never reads as 100% on a topic not yet proficient."""
        return self.right * 100 // self.total if self.total else 0
