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
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import combinations

from rapidfuzz.distance import OSA


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
    # Said to the student beside the verdict, e.g. for an answer accepted with a typo.
    note: str = ""

    @property
    def correct(self) -> bool:
        return self.fraction == 1

    def points(self, worth: int | Decimal) -> Decimal:
        return (Decimal(worth) * self.fraction).quantize(Decimal("0.01"))


FULL = Grade(Decimal(1))
NONE = Grade(Decimal(0))

TENTH = Decimal("0.1")


def percent(part: Decimal | int | float | None, whole: Decimal | int | float | None) -> int | None:
    """`part` of `whole` in whole percent, rounded half up (24 of 33 is 73%), for every page
    and CSV; None when there is nothing to divide by. Floats (a mean, a best ratio read from
    SQL) go by their shortest decimal form, so 62.5 stays 62.5 and rounds to 63."""
    if not whole:
        return None
    ratio = Decimal(str(part or 0)) * 100 / Decimal(str(whole))
    return int(ratio.quantize(Decimal(1), ROUND_HALF_UP))


def marks_text(value: Decimal | int | float | None) -> str:
    """Marks as every page shows them: whole ones whole ("23"), partial ones to at most one
    decimal ("23.5", "0.3" for a third). A partial mark never reads as a whole one: 0.97 is
    "0.9", not "1"."""
    value = Decimal(str(value or 0))
    if value == value.to_integral_value():
        return f"{int(value)}"
    tenths = value.quantize(TENTH, ROUND_HALF_UP)
    if tenths == tenths.to_integral_value():
        tenths = value.quantize(TENTH, ROUND_DOWN)
    return f"{tenths.normalize():f}"


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


_ARTICLE = re.compile(r"^(the|a|an) ")
# "Stalin's", "Stalin’s", "the Bolsheviks'": the possessive ending, before punctuation goes.
_POSSESSIVE = re.compile(r"(?<=\w)(?:['’]s|(?<=s)['’])(?=\W|$)", re.IGNORECASE)
_PERSON_PROMPT = re.compile(r"\b(who|whose|whom)\b", re.IGNORECASE)
# One typo is forgiven only in a word this long: in "Lev" or "Rykov" one letter is a name.
TYPO_MIN_LENGTH = 5


def answer_form(text: str) -> str:
    """What short-answer grading compares: normalised, without a possessive ending or a
    leading article ("The Great Purge's" -> "great purge")."""
    return _ARTICLE.sub("", normalise_text(_POSSESSIVE.sub("", text)))


def asks_for_person(prompt: str) -> bool:
    """Whether a short-answer prompt asks for a person ("Who...", "Whose...", "...whom...")."""
    return bool(_PERSON_PROMPT.search(prompt))


def is_name(variant: str) -> bool:
    """Whether an accepted variant is a person's full name: two or three capitalised words
    ("Joseph Stalin", not "the western powers" or "Great Depression" asked with "whom")."""
    words = variant.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def grade_short(
    accepted: Sequence[str],
    answer: str,
    *,
    person: bool = False,
    known_words: Callable[[], Collection[str]] = frozenset,
) -> Grade:
    """Full marks for an accepted variant, read forgivingly: case, accents, punctuation, a
    leading article and a possessive never matter; where the answer is a `person`, the surname
    alone is enough; and one typo in a word of TYPO_MIN_LENGTH letters or more is accepted with
    a note naming the right spelling.

    Forgiveness never turns one name into another: a typed word that is itself one of
    `known_words` (the source's words and the question's distractors, normalised; asked for
    only when a typo is in question) is never read as a typo of a different word.
    """
    given = answer_form(answer)
    if not given:
        return NONE
    forms: dict[str, str] = {}
    for variant in accepted:  # the first variant of each form names it ("Kamenev", not "Kamenev's")
        forms.setdefault(answer_form(variant), variant)
    forms.pop("", None)
    if given in forms:
        return FULL
    names = {form: variant for form, variant in forms.items() if person and is_name(variant)}
    if any(form.split()[-1] == given for form in names):
        return FULL
    near = [variant for form, variant in forms.items() if _one_typo(form, given)]
    near += [
        variant.split()[-1] for form, variant in names.items() if _one_typo(form.split()[-1], given)
    ]
    if near:
        known = set(known_words())
        typed = set(given.split())
        if not (typed - set(" ".join(forms).split())) & known:
            return Grade(Decimal(1), note=f"Accepted - check the spelling: {near[0]}")
    return NONE


def _one_typo(form: str, given: str) -> bool:
    """Whether `given` is `form` with one typo (a letter wrong, missing, extra, or two letters
    swapped) in one word of at least TYPO_MIN_LENGTH letters, every other word exact."""
    expected, typed = form.split(), given.split()
    if len(expected) != len(typed):
        return False
    differing = [(e, t) for e, t in zip(expected, typed, strict=True) if e != t]
    if len(differing) != 1:
        return False
    right, wrong = differing[0]
    return len(right) >= TYPO_MIN_LENGTH and OSA.distance(right, wrong) == 1


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
