"""The engine on the two source texts and on passages it was not tuned on (tests/data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizzes.derive import clean_text, derive, problems
from quizzes.derive.document import parse_document
from quizzes.derive.entities import NameIndex
from quizzes.derive.quality import in_passage, number_in_passage

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "fixtures" / "sources").glob("*.txt"))
DATA = sorted((Path(__file__).resolve().parent / "data").glob("*.txt"))
YEAR = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")


def _names(cleaned: str) -> NameIndex:
    doc = parse_document(cleaned)
    return NameIndex(
        [re.sub(r"\s+", " ", s.text) for p in doc.paragraphs if not p.is_quote for s in p.sentences]
    )


def acceptable(draft, cleaned: str, names: NameIndex) -> bool:
    """Answer in passage, distractors of the same kind, prompt a question, no leftovers."""
    return not problems(draft, cleaned, names)


def test_at_least_three_untuned_passages_of_the_right_size():
    assert len(DATA) >= 3
    for path in DATA:
        assert 1500 <= path.stat().st_size <= 5500, path.name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sources_give_enough_acceptable_drafts(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    names = _names(cleaned)
    drafts = derive(raw)
    assert len(drafts) >= 25
    good = [d for d in drafts if acceptable(d, cleaned, names)]
    assert len(good) >= 0.8 * len(drafts)
    # several kinds of question
    assert {"single_choice", "true_false", "numeric"} <= {d.type for d in drafts}


@pytest.mark.parametrize("path", SOURCES + DATA, ids=lambda p: p.name)
def test_every_paragraph_is_covered(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    doc = parse_document(cleaned)
    drafts = derive(raw)
    for p in doc.paragraphs:
        if p.is_quote:
            continue  # a quoted document inside the text is not asked about
        inside = [d for d in drafts if p.start <= d.passage_start < p.end]
        assert inside, f"no draft from paragraph {p.index}: {p.text[:60]!r}"


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_untuned_passages_properties(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    names = _names(cleaned)
    drafts = derive(raw)
    assert len(drafts) >= 8 * len(raw.split()) / 500  # the floor: 8 per 500 words
    assert len({d.type for d in drafts}) >= 3
    for d in drafts:
        assert cleaned[d.passage_start : d.passage_end] == d.passage
        for right in d.correct_texts:
            assert in_passage(right, d.passage)
        if d.type == "numeric":
            assert number_in_passage(d.answer, d.passage)
        if d.type == "single_choice":
            texts = [c["text"] for c in d.choices]
            if any(YEAR.match(t) for t in texts):
                assert all(YEAR.match(t) for t in texts)
            else:
                kinds = {names.kind(t) for t in texts}
                assert len(kinds) == 1 and kinds <= {"person", "org", "event"}
        assert "Read more" not in d.passage and "[1]" not in d.passage
        assert "Share this" not in d.explanation


def test_confidence_orders_the_review():
    drafts = derive(SOURCES[0].read_text(encoding="utf-8"))
    confidences = [d.confidence for d in drafts]
    assert confidences == sorted(confidences, reverse=True)
    assert len(set(confidences)) > 2
