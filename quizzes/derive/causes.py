"""Questions that ask why: a sentence that gives its own reason ("The National Assembly met in
Weimar because Berlin was unsafe") becomes "Why did the National Assembly meet in Weimar?",
whose wrong options are other facts of the same text put as reasons ("Because Germany missed a
reparations payment"): true, so plausible to a student who has not read closely, and clearly
not the reason the text gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .document import Sentence
from .grammar import parse_clause

# "MAIN because REASON" (the reason to the sentence's end, no second clause after it).
BECAUSE = re.compile(r"^(?P<main>[A-Z][^;:]{10,}?),? because (?P<reason>[A-Za-z][^;:,]{5,120})$")
_PLAIN = re.compile(r"^[A-Z][\w’' -]{15,110}$")


def because(text: str) -> tuple[str, str] | None:
    """(main clause, reason) of a sentence that gives its reason with "because"."""
    m = BECAUSE.match(text.strip().rstrip("."))
    if not m or re.search(r"\b(?:he|she|they|it|them|this)\b", m.group("reason"), re.I):
        return None
    return m.group("main"), m.group("reason")


def as_reason(sentence: Sentence, lower_first: Callable[[str], str]) -> str | None:
    """A plain sentence of the text put as a reason ("Because the Kapp Putsch failed"), its
    first word in lower case unless it is a name; None for a sentence that does not read so."""
    text = sentence.text.strip().rstrip(".")
    if not _PLAIN.match(text) or because(text) or parse_clause(text) is None:
        return None
    if re.search(r"\b(?:he|she|they|it|them|this|these|those)\b", text, re.I):
        return None
    return f"Because {lower_first(text)}"
