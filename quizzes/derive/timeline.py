"""Timelines: lines that start with a date ("14 October - An American U-2 photographs ...").

A timeline gives its year once, on a line of its own or in its first dated line, and its
events in the present tense. Each dated event becomes a "when" question whose options are the
timeline's other dates of the same year, and runs of four events become ordering questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .document import Document, Sentence
from .entities import MONTHS, NUMBER_WORDS
from .words import ARTICLES, QUANTIFIERS, SMALL_NUMBER_WORDS

_MONTH = "|".join(MONTHS)
DATE_FIRST = re.compile(
    r"^(?P<date>(?:(?P<day>\d{1,2}) )?(?P<month>" + _MONTH + r")(?: (?P<year>1\d{3}|20\d{2}))?"
    r"|(?P<bare>1\d{3}|20\d{2}))"  # a year alone: "1912 - The third Home Rule Bill ..."
    r"\s*[-–—:]\s+(?P<event>[A-Z\"“].*)$"
)
YEAR_LINE = re.compile(r"^(?:1\d{3}|20\d{2})$")
# Present tense, third person: "announces" -> "announce", "is shot down" -> "was shot down".
_PASSIVE = re.compile(r"^(?P<subject>[A-Z][^,;]*?) (?P<be>is|are) (?P<rest>[a-z][^;]*)$")
_VERB_S = re.compile(r"^(?P<subject>[A-Z][^,;]*?) (?P<verb>[a-z]{3,}s) (?P<rest>[^;]*)$")
# Verbs a timeline writes after a plural subject ("The two powers agree ...", "Britain, the
# United States and the Soviet Union sign ..."), in their plain form.
_PLURAL_VERBS = frozenset(
    {"agree", "sign", "land", "take", "meet", "invade", "declare", "win", "lose", "begin", "end"}
    | {"join", "vote", "attack", "capture", "reach", "enter", "leave", "form", "launch", "set"}
    | {"announce", "arrive", "surrender", "withdraw", "seize", "storm", "march", "occupy"}
)
_VERB_PLAIN = re.compile(
    r"^(?P<subject>[A-Z][^;]*?(?:s| and [A-Z][\w ]*?)) (?P<verb>"
    + "|".join(sorted(_PLURAL_VERBS))
    + r") (?P<rest>[^;]*)$"
)
_AND_VERB = re.compile(r" (?P<conj>and|but) (?P<verb>[a-z]{3,}[^s\W]s) ")
_NEW_CLAUSE = re.compile(r",? and (?:its|his|her|their|the) ")
_BEFORE_NOUN = ARTICLES | QUANTIFIERS | SMALL_NUMBER_WORDS | {"two", "six", "seven", "eight"}
_NOT_VERBS = {"his", "its", "was", "has", "is", "this", "us", "across", "as", "unless", "towards"}


@dataclass
class DatedEvent:
    sentence: Sentence
    date: str  # as the line writes it: "14 October"
    year: int
    order: tuple[int, int, int]  # year, month, day: to sort and compare
    event: str  # the event as the line writes it, first clause only


def dated_events(doc: Document, sentences: list[Sentence]) -> list[DatedEvent]:
    """Every date-first line of the document, with its running year."""
    by_paragraph = {p.index: p for p in doc.paragraphs}
    events: list[DatedEvent] = []
    year: int | None = None
    for sent in sentences:
        para = by_paragraph[sent.paragraph]
        if para.heading and YEAR_LINE.match(para.heading):
            year = int(para.heading)
        m = DATE_FIRST.match(sent.text.strip())
        if not m:
            continue
        if m.group("year") or m.group("bare"):
            year = int(m.group("year") or m.group("bare"))
        if year is None:
            continue
        event = re.split(r";\s+", m.group("event").strip().rstrip("."))[0]
        month = MONTHS.index(m.group("month")) + 1 if m.group("month") else 0
        day = int(m.group("day") or 0)
        events.append(
            DatedEvent(sent, m.group("date"), year, (year, month, day), event.rstrip(".") + ".")
        )
    return events


def is_dated_line(text: str) -> bool:
    return bool(DATE_FIRST.match(text.strip()))


def when_prompt(event: DatedEvent) -> str:
    """ "On which date in 1962 did Kennedy announce ...?" or, when the verb is not plain,
    "Which date does the timeline give for this: ...?" """
    text = event.event.rstrip(".")
    lead = f"On which date in {event.year}"
    passive = _PASSIVE.match(text)
    active = _VERB_S.match(text)
    if active and (
        active.group("verb") in _NOT_VERBS
        or active.group("subject").split()[-1].lower() in _BEFORE_NOUN | NUMBER_WORDS.keys()
        or len(active.group("subject").split()) > 6
        or active.group("subject").endswith(("'s", "’s"))  # "Castro's revolutionaries": a noun
        or active.group("rest").split(" ")[0] in _PLURAL_VERBS  # "German troops invade"
    ):
        active = None
    if passive and active and len(active.group("subject")) < len(passive.group("subject")):
        passive = None  # the first verb is the active one
    if passive and len(passive.group("subject").split()) <= 6:
        be = "was" if passive.group("be") == "is" else "were"
        rest = _in_the_past(_NEW_CLAUSE.split(passive.group("rest"))[0])
        return f"{lead} {be} {_lower(passive.group('subject'))} {rest}?"
    plain = _VERB_PLAIN.match(text)
    if not (active or passive) and plain and len(plain.group("subject").split()) <= 10:
        rest = _in_the_past(plain.group("rest"))
        return f"{lead} did {_lower(plain.group('subject'))} {plain.group('verb')} {rest}?"
    if active:
        rest = _AND_VERB.sub(
            lambda m: f" {m.group('conj')} {_base(m.group('verb'))} ", active.group("rest")
        )
        rest = _in_the_past(rest)
        return f"{lead} did {_lower(active.group('subject'))} {_base(active.group('verb'))} {rest}?"
    return f"Which date in {event.year} does the timeline give for this: “{text}”?"


_PRESENT_AUXILIARY = {"is": "was", "are": "were", "will": "would", "has": "had", "can": "could"}


def _in_the_past(rest: str) -> str:
    """A timeline's present tense inside a past question: "offering to remove the missiles if
    the United States promises ..." keeps its sense only with the clause's verbs in the past
    ("promised"; "will be dismantled" -> "would be dismantled")."""
    rest = re.sub(
        r"\b(is|are|will|has|can)\b(?= (?:[a-z]+ed|been|be|also|not|now|[a-z]+ing)\b)",
        lambda m: _PRESENT_AUXILIARY[m.group(1)],
        rest,
    )
    return re.sub(
        r"\b(if|when|after|because|until|unless|that|as) (the [A-Z][\w ]*?|[A-Z][\w]*|they|he|she)"
        r" ([a-z]+[^s\W]s)\b(?! (?:are|were|is|was|also|have|had|would|will)\b)",
        lambda m: f"{m.group(1)} {m.group(2)} {_regular_past(_base(m.group(3)))}",
        rest,
    )


def _regular_past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if re.search(r"[^aeiou]y$", base):
        return base[:-1] + "ied"
    return base + "ed"


def _base(verb: str) -> str:
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if re.search(r"(?:ss|sh|ch|x|z)es$", verb):
        return verb[:-2]
    return verb[:-1]


def _lower(subject: str) -> str:
    """Lower-case a subject's first word unless it is a name ("An American" -> "an American")."""
    first = subject.split()[0]
    if first in {"A", "An", "The", "Crowds", "Thousands"} or first.lower() in NUMBER_WORDS:
        return first.lower() + subject[len(first) :]
    return subject


def date_distractors(
    event: DatedEvent, events: list[DatedEvent], count: int = 3, pools: dict | None = None
) -> list[str]:
    """Other dates of the same year in the timeline, the nearest first, in date order. Of the
    same precision too: days with days, months with months, a year alone with none. ``pools``
    (from ``date_pools``) holds each year's dates once, so that a long timeline stays linear."""
    if pools is None:
        pools = date_pools(events)
    same_year = dict(pools.get(_pool_key(event), {}))
    same_year.pop(event.date, None)
    same_year = {d: o for d, o in same_year.items() if o != event.order}
    nearest = sorted(same_year, key=lambda d: (abs(_days(same_year[d]) - _days(event.order)), d))
    return sorted(nearest[:count], key=lambda d: same_year[d])


def _pool_key(event: DatedEvent) -> tuple[int, bool, bool]:
    return event.year, bool(event.order[1]), bool(event.order[2])


def date_pools(events: list[DatedEvent]) -> dict:
    """Each year's distinct dates of each precision ({date: order}): at most a few hundred."""
    pools: dict = {}
    for e in events:
        pools.setdefault(_pool_key(e), {}).setdefault(e.date, e.order)
    return pools


def _days(order: tuple[int, int, int]) -> int:
    return order[1] * 31 + order[2]


def ordering_windows(events: list[DatedEvent], size: int = 4) -> Iterator[list[DatedEvent]]:
    """Runs of ``size`` consecutive events with distinct dates, in the timeline's order."""
    run: list[DatedEvent] = []
    for e in events:
        if run and (e.order <= run[-1].order or e.year != run[0].year):
            run = []
        run.append(e)
        if len(run) == size:
            yield run
            run = []
