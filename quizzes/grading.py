"""Grading of every question type: plain data in, a Grade out. No database, no Django.

An answer key and an answer are built from plain values (choice ids, strings, numbers), so the
rules here can be unit- and property-tested on their own and reused by the loaders that check
that a bank's answer keys score full marks.

Partial credit rules (shown to students next to such questions):
- multiple choice: (right options picked - wrong options picked) / right options, never below 0;
- ordering: the share of pairs of items that are in the right order relative to each other;
- matching: the share of left-hand items given their right partner.
A question counts as answered correctly only with full marks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from itertools import combinations


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    MATCHING = "matching"


@dataclass(frozen=True)
class Grade:
    fraction: Decimal  # 0 to 1

    @property
    def correct(self) -> bool:
        return self.fraction == 1

    def points(self, worth: int | Decimal) -> Decimal:
        return (Decimal(worth) * self.fraction).quantize(Decimal("0.01"))


FULL = Grade(Decimal(1))
NONE = Grade(Decimal(0))


def _fraction(numerator: int, denominator: int) -> Grade:
    if denominator <= 0:
        return NONE
    value = Decimal(max(numerator, 0)) / Decimal(denominator)
    return Grade(min(value, Decimal(1)).quantize(Decimal("0.0001")))


_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Fold case, accents, punctuation and spacing: " Zinóviev." -> "zinoviev"."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Hyphens and apostrophes join words ("Pyatakov-Radek"); treat them as spaces.
    spaced = _PUNCTUATION.sub(" ", without_accents.casefold())
    return _SPACES.sub(" ", spaced).strip()


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([, \u00a0\u202f_]\d{3})+(\.\d+)?$")


def parse_number(text: str) -> Decimal:
    """Read a number as a student types it: "1108", "1,108", "1 108", " 25000 ", "-3.5".

    Raises ValueError for anything else, including an empty answer.
    """
    cleaned = text.strip().replace("\u2212", "-")
    if _THOUSANDS.match(cleaned):
        cleaned = re.sub(r"[, \u00a0\u202f_]", "", cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return value


def grade_single(correct: Hashable, chosen: Hashable) -> Grade:
    return FULL if chosen == correct else NONE


def grade_multiple(correct: set[Hashable], chosen: set[Hashable]) -> Grade:
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return _fraction(right - wrong, len(correct))


def grade_short(accepted: Sequence[str], answer: str) -> Grade:
    given = normalise_text(answer)
    if given and any(given == normalise_text(variant) for variant in accepted):
        return FULL
    return NONE


def grade_numeric(value: Decimal, tolerance: Decimal, answer: Decimal) -> Grade:
    return FULL if abs(answer - value) <= abs(tolerance) else NONE


def grade_ordering(correct_order: Sequence[Hashable], given_order: Sequence[Hashable]) -> Grade:
    """Credit for every pair of items the student put in the right order relative to each other."""
    rank = {item: index for index, item in enumerate(given_order)}
    if set(rank) != set(correct_order) or len(given_order) != len(correct_order):
        return NONE
    pairs = list(combinations(correct_order, 2))
    in_order = sum(1 for first, second in pairs if rank[first] < rank[second])
    return _fraction(in_order, len(pairs))


def grade_matching(
    correct_pairs: Mapping[Hashable, Hashable], given_pairs: Mapping[Hashable, Hashable]
) -> Grade:
    right = sum(1 for left, partner in correct_pairs.items() if given_pairs.get(left) == partner)
    return _fraction(right, len(correct_pairs))
