"""Questions that ask why, and what came of something: a sentence that gives its own reason
("The National Assembly met in Weimar because Berlin was unsafe") becomes "Why did the
National Assembly meet in Weimar?", whose wrong options are other facts of the same text put
as reasons ("Because Germany missed a reparations payment"): true, so plausible to a student
who has not read closely, and clearly not the reason the text gives.

Beyond "because", the text's other connectives: "CAUSE, so that EFFECT" or "CAUSE; as a result,
EFFECT" (and therefore, consequently) in one sentence, or "As a result, EFFECT" after the
sentence that gives the cause, ask "Why did EFFECT?" with "Because CAUSE"; "CAUSE led to EFFECT"
(resulted in, caused, which caused), with a named cause, asks "What was one result of CAUSE?".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .document import Sentence
from .grammar import parse_clause

# "MAIN because REASON" (the reason to the sentence's end, no second clause after it).
BECAUSE = re.compile(r"^(?P<main>[A-Z][^;:]{10,}?),? because (?P<reason>[A-Za-z][^;:,]{5,120})$")
_PRONOUN = re.compile(r"\b(?:he|she|they|it|them|this|these|those|his|her|their|its)\b", re.I)
# "CAUSE, so that EFFECT" / "CAUSE; as a result, EFFECT": both in one sentence.
_SO_THAT = re.compile(
    r"^(?P<cause>[A-Z][^;:]{10,160}?)[,;] (?:and )?(?:so that|as a result,?|as a consequence,?"
    r"|therefore,?|consequently,?) (?P<effect>[a-z][^;:]{10,160})$"
)
# "As a result, EFFECT": the cause is the sentence before.
_RESULT_FIRST = re.compile(
    r"^(?:As a (?:result|consequence)|Consequently|Therefore|Because of this|For this reason),? "
    r"(?P<effect>[A-Za-z][^;:]{10,160})$"
)
# "CAUSE led to EFFECT", "CAUSE, which led to EFFECT": a named cause and what came of it.
_LED_TO = re.compile(
    r"^(?P<cause>[A-Z][^,;:]{3,80}?),?(?: which)? (?:led to|resulted in|caused|brought about) "
    r"(?P<effect>[a-z][^;:]{5,140})$"
)
# "MAIN in order to PURPOSE": the purpose of an action, asked "Why ...?", answered "To ...".
_IN_ORDER = re.compile(
    r"^(?P<main>[A-Z][^;:]{10,160}?),? (?:in order to|so as to) (?P<purpose>[a-z][^;:,]{5,120})$"
)
# "MAIN used the speech to PURPOSE", "travelled to the United States to PURPOSE": an action and
# what it was for, after a verb of doing something for an end.
_FOR_AN_END = re.compile(
    r"^(?P<main>[A-Z][^;:]{3,100}? (?:used|travelled|traveled|went|sailed|came|returned|moved"
    r"|wrote|sent|founded|formed|organised|organized) [^;:]{3,80}?) to "
    r"(?P<purpose>[a-z][^;:,]{5,120})$"
)
# "Her words were meant to persuade ...": what a thing was for.
MEANT_TO = re.compile(
    r"^(?P<subject>[A-Z][^;:,]{3,80}?) (?P<be>was|were) (?:meant|intended|designed) to "
    r"(?P<purpose>[a-z][^;:,]{5,120})$"
)
# "Its purpose was to persuade ...", "The purpose of the speech was to ...": what a thing was for.
PURPOSE_OF = re.compile(
    r"^(?:Its|The) (?:main )?(?:purpose|aim)(?: of (?P<thing>[a-z][^;:,]{3,60}?))? was to "
    r"(?P<purpose>[a-z][^;:]{5,140})$"
)


def thing_purpose(text: str) -> tuple[str | None, str] | None:
    """(the thing named or None for "Its", purpose) of a sentence that says what a thing was
    for: "Its purpose was to X", "The purpose of the speech was to X", "The speech was meant
    to X"."""
    body = text.strip().rstrip(".")
    m = PURPOSE_OF.match(body)
    if m:
        return m.group("thing"), m.group("purpose")
    m = MEANT_TO.match(body)
    if m and not _PRONOUN.search(m.group("subject")):
        return m.group("subject"), m.group("purpose")
    return None


# Words that open no verb phrase: "gave the speech to an audience" has no purpose.
_NOT_A_VERB = re.compile(r"^(?:a|an|the|his|her|its|their|our|this|that|these|those|\d)\b")
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


def _clear(*parts: str) -> bool:
    return not any(_PRONOUN.search(p) for p in parts)


def consequence(text: str, before: str | None) -> tuple[str, str] | None:
    """(effect clause, cause) of a sentence that gives a consequence: "CAUSE, so that EFFECT",
    or "As a result, EFFECT" with the sentence before as its cause. None where either would
    need a pronoun resolved."""
    body = text.strip().rstrip(".")
    m = _SO_THAT.match(body)
    if m and _clear(m.group("effect"), m.group("cause")):
        return m.group("effect"), m.group("cause")
    m = _RESULT_FIRST.match(body)
    if m and before:
        cause = before.strip().rstrip(".")
        if _PLAIN_CAUSE.match(cause) and _clear(m.group("effect"), cause):
            return m.group("effect"), cause
    return None


_PLAIN_CAUSE = re.compile(r"^[A-Z][^;:]{10,160}$")


def led_to(text: str) -> tuple[str, str] | None:
    """(cause, effect) of "CAUSE led to EFFECT": the cause a noun phrase, not a clause."""
    m = _LED_TO.match(text.strip().rstrip("."))
    if not m or not _clear(m.group("cause"), m.group("effect")):
        return None
    if parse_clause(m.group("cause")) is not None:
        return None  # "The army marched and led to ...": a clause, not a thing that happened
    return m.group("cause"), m.group("effect")


def purpose(text: str) -> tuple[str, str] | None:
    """(main clause, purpose) of "MAIN in order to PURPOSE"."""
    body = text.strip().rstrip(".")
    m = _IN_ORDER.match(body) or _FOR_AN_END.match(body)
    if not m or not _clear(m.group("main"), m.group("purpose")):
        return None
    if _NOT_A_VERB.match(m.group("purpose")):
        return None
    return m.group("main"), m.group("purpose")
