"""Derive draft quiz questions from a plain-text history document.

Pure Python, offline and deterministic: the same document always gives the same drafts.

    from quizzes.derive import derive, clean_text, Draft, format_report

    cleaned = clean_text(raw)          # web leftovers dropped; drafts' offsets point into this
    drafts = derive(raw)               # best first: confidence desc, then passage_start
    drafts[0].as_dict()                # a question dict in the fixtures/README.md schema
    print(format_report(drafts))       # counts by type and by confidence band
    why_nothing(raw)                   # when there are none: why, in words a teacher can act on
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from .clean import clean_text
from .document import parse_document
from .draft import Draft
from .quality import is_acceptable, problems
from .questions import Builder
from .report import format_report, why_nothing

__all__ = [
    "Draft",
    "clean_text",
    "derive",
    "format_report",
    "is_acceptable",
    "problems",
    "why_nothing",
]


def derive(raw: str) -> list[Draft]:
    """Clean ``raw`` and derive draft questions from it, best first.

    Every draft passes the acceptability rule (see ``quality.problems``); drafts are sorted by
    confidence (highest first) and then by their passage's position in the cleaned text.
    """
    with _collector_paused():
        cleaned = clean_text(raw)
        if not cleaned.strip():
            return []
        builder = Builder(parse_document(cleaned))
        candidates = builder.run()
    names = builder.names
    kept: list[Draft] = []
    seen: set[tuple[str, int]] = set()
    for d in candidates:
        sig = (d.type, d.prompt, d.passage_start)
        if sig in seen or problems(d, cleaned, names):
            continue
        seen.add(sig)
        kept.append(d)
    kept.sort(key=lambda d: (d.passage_start, d.key))
    used: dict[str, int] = {}
    for d in kept:
        base = d.key
        n = used.get(base, 0) + 1
        used[base] = n
        d.key = base if n == 1 else f"{base}-{n}"
    kept.sort(key=lambda d: (-d.confidence, d.passage_start, d.key))
    return _few_true_false(kept)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a document is read: a long text makes
    hundreds of thousands of small objects (sentences, mentions, drafts), and each of the
    collector's passes over them all cost a fifth of the time of a 1 MB text. What the engine
    leaves is freed by reference counting or by the next collection after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


TRUE_FALSE_SHARE = 0.30  # at most this share of a document's drafts are true/false


def _few_true_false(drafts: list[Draft]) -> list[Draft]:
    """Keep true/false drafts up to TRUE_FALSE_SHARE of all that are kept: recall of a sentence
    is the weakest kind of question. A paragraph's only draft is kept whatever the share (every
    paragraph gets a question); the others are taken true and false in turn, best first of each,
    so that "False" is not always the answer."""
    others = sum(1 for d in drafts if d.type != "true_false")
    allowed = max(1, int(TRUE_FALSE_SHARE * others / (1 - TRUE_FALSE_SHARE)))
    covered = {d.paragraph for d in drafts if d.type != "true_false"}
    chosen: set[int] = set()
    for d in drafts:
        if d.type == "true_false" and d.paragraph not in covered:
            chosen.add(id(d))
            covered.add(d.paragraph)
    rest = [d for d in drafts if d.type == "true_false" and id(d) not in chosen]
    true = [d for d in rest if d.answer]
    false = [d for d in rest if not d.answer]
    while len(chosen) < allowed and (true or false):
        for pool in (false, true):
            if pool and len(chosen) < allowed:
                chosen.add(id(pool.pop(0)))
    return [d for d in drafts if d.type != "true_false" or id(d) in chosen]
