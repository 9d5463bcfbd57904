"""Property tests: arbitrary text never crashes the engine nor yields an ungrounded question."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.derive import clean_text, derive
from quizzes.derive.quality import in_passage, number_in_passage

WORDS = [
    "In",
    "1917",
    "1929",
    "1945",
    "1,108",
    "98",
    "three",
    "out",
    "of",
    "five",
    "Stalin",
    "Leon Trotsky",
    "Trotsky",
    "was",
    "were",
    "expelled",
    "from",
    "the",
    "Soviet Union",
    "Communist Party",
    "Red Army",
    "NKVD",
    "Battle of Kursk",
    "Moscow Trials",
    "and",
    "who",
    "arrested",
    "formed",
    "about",
    "Of",
    ",",
    ".",
    "(",
    ")",
    "[1]",
    "\n",
    "\n\n",
    "Read more about this topic: X",
    "\u201cA quote.\u201d",
    "\u2014Someone Famous",
    "Legacy",
    "It",
    "December",
    "how",
    "?",
]

history_like = st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join)
any_text = st.text(max_size=400)


def _check(raw: str) -> None:
    cleaned = clean_text(raw)
    drafts = derive(raw)
    for d in drafts:
        assert cleaned[d.passage_start : d.passage_end] == d.passage
        assert d.passage.strip()
        for right in d.correct_texts:
            assert in_passage(right, d.passage)
        if d.type == "numeric":
            assert number_in_passage(d.answer, d.passage)
        if d.type == "true_false":
            assert in_passage(d.fact, d.passage)
        if d.type == "ordering":
            assert all(y in d.passage for y in d.item_facts)
        assert d.prompt.endswith(("?", "? Select all that apply."))
        assert "Read more" not in d.prompt and "[1]" not in d.passage


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_arbitrary_text_never_crashes(raw):
    _check(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history_like)
def test_history_like_text_is_grounded(raw):
    _check(raw)


@settings(max_examples=60, deadline=None)
@given(any_text)
def test_clean_text_is_idempotent(raw):
    once = clean_text(raw)
    assert clean_text(once) == once


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history_like)
def test_deterministic(raw):
    assert [d.as_dict() for d in derive(raw)] == [d.as_dict() for d in derive(raw)]
