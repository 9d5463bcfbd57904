"""The acceptability rule: a draft that fails it is never produced.

A draft is acceptable when its passage is the cleaned text at its offsets, its right answer is in
its passage, its distractors are the same kind of thing as its answer, its prompt is a question,
and no field carries web-page leftovers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .clean import is_leftover_line
from .draft import TYPES, Draft
from .entities import MONTHS, NameIndex, number_values
from .words import AUXILIARIES, THIRD_PERSON_SUBJECTS, find_word

_LEFTOVER_TEXT = re.compile(
    r"read more about|quotes containing|famous quotes|\[\d+\]|\[citation needed\]|\[edit\]|"
    r"https?://|www\.|click here|cookies|retrieved from",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^(?:.*\b(?:who|whom|whose|what|which|when|where|why|how many|how much|how)\b|"
    r"(?:is|are|was|were|did|does|do|had|has|have|can|could) )",
    re.IGNORECASE,
)
# A personal pronoun in a question whose referent the question does not give ("... defeated
# them", "Is it true that he ..."). "His" after "Who" is the answer's own, so it may stay;
# "many of them" points back inside the sentence, and so does "he" after a name.
_OBJECT_PRONOUN = re.compile(r"(?<!\bof )\b(?:him|them)\b", re.IGNORECASE)
_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]")


def has_unresolved_pronoun(question: str) -> bool:
    if _OBJECT_PRONOUN.search(question):
        return True
    m = _SUBJECT_PRONOUN.search(question)
    return bool(m) and not _NAME_BEFORE.search(question[: m.start()])


_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DAY_MONTH = re.compile(r"(?:\d{1,2} )?(?:" + "|".join(MONTHS) + r")(?: \d{4})?")
YEAR_TEXT = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")


@lru_cache(maxsize=4096)  # passages are normalised again for every fact checked in them
def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def in_passage(fact: str, passage: str) -> bool:
    f = norm(fact)
    if not f:
        return False
    return find_word(norm(passage), f) >= 0


def number_in_passage(value: float, passage: str) -> bool:
    return float(value) in number_values(passage)


def is_question(prompt: str) -> bool:
    """A grammatical question, as far as rules can tell."""
    p = prompt.strip()
    if not p or len(p) > 400 or not (p[0].isupper()):
        return False
    if p.endswith("? Select all that apply."):
        p = p[: -len(" Select all that apply.")]
    if not p.endswith("?") or p.count("?") != 1:
        return False
    # The question sentence is the last sentence of the prompt (a context sentence may precede).
    last = re.split(r"(?<=[.!])\s+(?=[A-Z])", p)[-1]
    if not _QUESTION_START.match(last):
        return False
    if "  " in p or " ," in p or " ?" in p or ",?" in p or ",," in p:
        return False
    for a, b in ("()", "[]"):
        if p.count(a) != p.count(b):
            return False
    if p.count('"') % 2 or p.count("“") != p.count("”"):
        return False
    words = re.findall(r"[A-Za-z]+", last.lower())
    # No dangling pronoun subject right after the question word ("Who he ...").
    return not (len(words) > 1 and words[1] in THIRD_PERSON_SUBJECTS and words[0] == "who")


def has_leftovers(draft: Draft) -> bool:
    fields = [draft.prompt, draft.explanation, draft.passage, draft.topic]
    fields += [str(c.get("text", "")) for c in draft.choices or []]
    fields += list(draft.answers or []) + list(draft.items or [])
    return any(_text_has_leftovers(f) for f in fields)


@lru_cache(maxsize=4096)  # a table's drafts share one passage of many lines: read it once
def _text_has_leftovers(text: str) -> bool:
    if _LEFTOVER_TEXT.search(text):
        return True
    return any(is_leftover_line(line) for line in text.split("\n") if line.strip())


def kind_of(text: str, names: NameIndex | None) -> str:
    t = text.strip()
    if YEAR_TEXT.match(t):
        return "year"
    if re.fullmatch(r"[\d,.]+%?", t):
        return "number"
    if DAY_MONTH.fullmatch(t):
        return "date"
    if t.startswith("Because "):
        return "reason"
    if t.startswith("To ") and t[3:4].islower():
        return "purpose"  # "To win the vote for women"
    if names is not None:
        base = re.sub(r"^the\s+", "", t, flags=re.IGNORECASE)
        k = names.kind(base)
        if k != "unknown":
            return k
    return "unknown"


def problems(draft: Draft, cleaned: str, names: NameIndex | None = None) -> list[str]:
    """Reasons the draft is not acceptable as it stands (empty list: acceptable)."""
    out: list[str] = []
    if draft.type not in TYPES:
        out.append(f"unknown type {draft.type}")
    if not draft.passage.strip():
        out.append("empty passage")
    if cleaned[draft.passage_start : draft.passage_end] != draft.passage:
        out.append("passage offsets do not match the cleaned text")
    if not _KEY.match(draft.key):
        out.append("key is not kebab-case")
    if not is_question(draft.prompt):
        out.append("prompt is not a question")
    if has_unresolved_pronoun(re.split(r"(?<=[.])\s+(?=[A-Z])", draft.prompt)[-1]):
        out.append("an unresolved pronoun in the question")
    if has_leftovers(draft):
        out.append("web leftovers")
    if not 0.0 <= draft.confidence <= 1.0:
        out.append("confidence out of range")
    if draft.difficulty not in {"easy", "medium", "hard"}:
        out.append("bad difficulty")
    if not draft.explanation.strip():
        out.append("no explanation")
    p = draft.passage
    t = draft.type
    if t in ("single_choice", "multiple_choice"):
        choices = draft.choices or []
        right = draft.correct_texts
        wrong = draft.distractor_texts
        if t == "single_choice" and (len(right) != 1 or not 3 <= len(choices) <= 4):
            out.append("single choice needs 3-4 options, one right")
        if t == "multiple_choice" and (len(right) < 2 or not wrong):
            out.append("multiple choice needs two right options and a wrong one")
        if len({norm(c["text"]) for c in choices}) != len(choices):
            out.append("duplicate options")
        for r in right:
            # A reason is grounded when what follows "Because" is the passage's own words
            # ("..., so that ...", "As a result, ..." give no "because").
            if not in_passage(r, p) and not (
                draft.fact_kind == "reason" and in_passage(re.sub(r"^(?:Because|To) ", "", r), p)
            ):
                out.append(f"answer {r!r} not in passage")
            if in_passage(r, draft.prompt):
                out.append(f"answer {r!r} given away in the prompt")
        kinds = {kind_of(c["text"], names) for c in choices}
        if draft.fact_kind == "result" and "year" not in kinds and "number" not in kinds:
            kinds = {"result"}  # statements of the text, each a thing that happened
        if len(kinds) != 1 or "unknown" in kinds:
            out.append(f"options of different kinds {sorted(kinds)}")
        for w in wrong:
            # A table's rows each give their own year: the passage (the table) holds them all.
            if draft.pattern.startswith("table"):
                break
            if in_passage(w, p) and kind_of(w, names) == "year":
                out.append(f"distractor {w!r} also in passage")
    elif t == "short_answer":
        answers = draft.answers or []
        if not answers or not in_passage(answers[0], p):
            out.append("short answer not in passage")
        elif in_passage(answers[0], draft.prompt):
            out.append("answer given away in the prompt")
    elif t == "numeric":
        if not isinstance(draft.answer, int | float) or isinstance(draft.answer, bool):
            out.append("numeric answer is not a number")
        elif not number_in_passage(draft.answer, p):
            out.append("numeric answer not in passage")
        elif draft.fact and in_passage(draft.fact, draft.prompt):
            out.append("answer given away in the prompt")
    elif t == "true_false":
        if not isinstance(draft.answer, bool):
            out.append("true/false answer is not a boolean")
        if not draft.fact or not in_passage(draft.fact, p):
            out.append("true/false fact not in passage")
    elif t == "matching":
        pairs = draft.pairs or []
        if not 3 <= len(pairs) <= 6:
            out.append("matching needs 3-6 pairs")
        for side in ("left", "right"):
            texts = [norm(pair[side]) for pair in pairs]
            if len(set(texts)) != len(texts):
                out.append(f"matching {side} items repeat")
        for pair in pairs:
            if not (in_passage(pair["left"], p) and in_passage(pair["right"], p)):
                out.append(f"pair {pair['left']!r} not from the passage")
    elif t == "ordering":
        items = draft.items or []
        if not 3 <= len(items) <= 6 or len(draft.item_facts) != len(items):
            out.append("ordering needs 3-6 dated items")
        years = [int(y) for y in draft.item_facts if y.isdigit()]
        if len(set(years)) != len(years) or years != sorted(years):
            out.append("ordering items not in order of distinct dates")
        for item, year in zip(items, draft.item_facts, strict=False):
            if not in_passage(year, p):
                out.append(f"date {year} not in passage")
            words = [
                w
                for w in re.findall(r"[A-Za-z][\w'-]+", item)
                if len(w) > 3 and w.lower() not in AUXILIARIES  # "were" put back in a note
            ]
            missing = [w for w in words if norm(w) not in norm(p)]
            if missing:
                out.append(f"item {item!r} not from the passage")
            if re.search(r"\b(?:1[0-9]{3}|20[0-9]{2})\b", item):
                out.append("item gives its date away")
    return out


def is_acceptable(draft: Draft, cleaned: str, names: NameIndex | None = None) -> bool:
    return not problems(draft, cleaned, names)
