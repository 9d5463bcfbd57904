"""Checks of the curated question banks in fixtures/*.yaml: pure Python, no Django, no database.

Run on its own with: pytest tests/test_bank_files.py -p no:django

Every bank file (a YAML file with `questions`) is checked against fixtures/README.md and
QUESTION-WRITING.md: passages are verbatim substrings of the source text, the web-page leftovers
of the sources never appear, keys and prompts are unique, every bank has every question type,
and each type's answer fields are well formed. Question checks are parametrized by
"<bank slug>:<question key>" so that a failure names the question.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "ordering",
    "matching",
)
DIFFICULTIES = {"easy", "medium", "hard"}
# Web-page leftovers at the end of the source texts: never a question, option or passage.
LEFTOVERS = ("Read more about this topic", "Famous quotes", "Erasmus", "paganism", "empty name")
BANNED_OPTIONS = ("all of the above", "none of the above")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

CLASS_QUIZZES = {"moscow-trials", "moscow-trials-legacy"}
PRACTICE_POOLS = {f"{slug}-practice" for slug in CLASS_QUIZZES}
EXPECTED_BANKS = CLASS_QUIZZES | PRACTICE_POOLS
MIXED_REVIEW_FILE = "moscow-trials-mixed-review.yaml"
# What each kind of thinking makes a question's difficulty: "hard" means more thinking.
DIFFICULTY_OF = {
    "recall": "easy",
    "understanding": "medium",
    "cause": "hard",
    "significance": "hard",
    "how-we-know": "hard",
}
DEEPER = {"cause", "significance", "how-we-know"}
MIN_ORDERING_QUESTIONS = 4
MIN_QUESTIONS_PER_TOPIC = 3


def _load_all() -> dict[str, dict]:
    documents = {}
    for path in sorted(FIXTURES.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            documents[path.name] = yaml.safe_load(handle) or {}
    return documents


DOCUMENTS = _load_all()
BANKS = {name: doc for name, doc in DOCUMENTS.items() if doc.get("questions")}


def _bank_slug(doc: dict) -> str:
    return str((doc.get("quiz") or {}).get("slug", "?"))


def _question_id(doc: dict, index: int, question: dict) -> str:
    key = question.get("key") if isinstance(question, dict) else None
    return f"{_bank_slug(doc)}:{key or f'#{index}'}"


QUESTIONS = [
    pytest.param(doc, question, id=_question_id(doc, index, question))
    for doc in BANKS.values()
    for index, question in enumerate(doc["questions"])
]
BANK_PARAMS = [pytest.param(doc, id=_bank_slug(doc)) for doc in BANKS.values()]


def _of_type(type_name: str) -> list:
    return [param for param in QUESTIONS if param.values[1].get("type") == type_name]


def _source_text(doc: dict) -> str:
    return (FIXTURES / doc["source"]["file"]).read_text(encoding="utf-8")


def _strings(value) -> list[str]:
    """Every string inside a question's fields, however deeply nested."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------- files and banks


def test_expected_banks_exist():
    bank_slugs = {_bank_slug(doc) for doc in BANKS.values()}
    assert EXPECTED_BANKS.issubset(bank_slugs)


@pytest.mark.parametrize("doc", BANK_PARAMS)
def test_bank_header(doc):
    source, quiz = doc.get("source") or {}, doc.get("quiz") or {}
    assert source.get("slug") and source.get("title"), "source needs a slug and a title"
    assert (FIXTURES / source.get("file", "")).is_file(), f"missing source {source.get('file')}"
    assert KEY_PATTERN.match(str(quiz.get("slug", ""))), "quiz slug must be kebab-case"
    assert quiz.get("title") and quiz.get("description")
    assert quiz.get("status") in {"published", "draft"}


@pytest.mark.parametrize("doc", BANK_PARAMS)
def test_keys_unique_within_bank(doc):
    counts = Counter(question.get("key") for question in doc["questions"])
    assert not [key for key, count in counts.items() if count > 1], "duplicate keys"


@pytest.mark.parametrize("source", sorted(CLASS_QUIZZES))
def test_each_source_has_every_type(source):
    types = {
        question.get("type")
        for doc in BANKS.values()
        if doc["source"]["slug"] == source
        for question in doc["questions"]
    }
    assert not set(TYPES) - types, f"{source} lacks question types: {sorted(set(TYPES) - types)}"


CLASS_PARAMS = [pytest.param(doc, id=_bank_slug(doc)) for doc in BANKS.values()
                if _bank_slug(doc) in CLASS_QUIZZES]  # fmt: skip


@pytest.mark.parametrize("doc", CLASS_PARAMS)
def test_a_class_quiz_fits_a_lesson_and_asks_why(doc):
    questions = doc["questions"]
    kinds = Counter(question["thinking"] for question in questions)
    types = Counter(question["type"] for question in questions)
    assert 12 <= len(questions) <= 15
    assert 3 * sum(kinds[k] for k in DEEPER) >= len(questions), kinds
    assert 3 * (types["true_false"] + types["numeric"]) <= len(questions), types
    orderings = [i for i, question in enumerate(questions) if question["type"] == "ordering"]
    assert orderings == list(range(len(questions) - len(orderings), len(questions)))
    assert "per_topic" not in doc["quiz"] and "question_count" not in doc["quiz"]


@pytest.mark.parametrize("doc", [pytest.param(doc, id=_bank_slug(doc)) for doc in BANKS.values()
                                 if _bank_slug(doc) in PRACTICE_POOLS])  # fmt: skip
def test_a_practice_pool_draws_from_every_topic_and_has_deeper_questions_in_each(doc):
    assert doc["quiz"]["per_topic"] >= 2
    by_topic: dict[str, set[str]] = {}
    for question in doc["questions"]:
        by_topic.setdefault(question["topic"], set()).add(question["thinking"])
    for topic, kinds in by_topic.items():
        assert kinds - {"recall"}, f"{topic}: only recall questions"


def test_prompts_unique_across_banks():
    counts = Counter(
        question.get("prompt", "").strip().casefold()
        for doc in BANKS.values()
        for question in doc["questions"]
    )
    assert not [prompt for prompt, count in counts.items() if count > 1], "duplicate prompts"


TOPIC_COUNTS = Counter(
    question.get("topic") for doc in BANKS.values() for question in doc["questions"]
)


@pytest.mark.parametrize("topic", sorted(TOPIC_COUNTS, key=str))
def test_topic_has_enough_questions(topic):
    assert TOPIC_COUNTS[topic] >= MIN_QUESTIONS_PER_TOPIC


def test_enough_ordering_questions():
    assert len(_of_type("ordering")) >= MIN_ORDERING_QUESTIONS


def test_mixed_review_draws_from_both_practice_pools_by_topic():
    doc = DOCUMENTS[MIXED_REVIEW_FILE]
    assert "source" not in doc and "questions" not in doc
    quiz = doc["quiz"]
    assert quiz["slug"] == "moscow-trials-mixed-review"
    assert quiz.get("status") == "published"
    assert set(quiz["draws_from"]) == PRACTICE_POOLS
    assert quiz["per_topic"] >= 1


# ---------------------------------------------------------------------------- every question


@pytest.mark.parametrize(("doc", "question"), QUESTIONS)
def test_common_fields(doc, question):
    assert KEY_PATTERN.match(str(question.get("key", ""))), "key must be kebab-case"
    assert question.get("type") in TYPES
    assert isinstance(question.get("topic"), str) and question["topic"].strip()
    assert question.get("difficulty") in DIFFICULTIES
    assert question.get("difficulty") == DIFFICULTY_OF[question.get("thinking")], "difficulty"
    assert isinstance(question.get("prompt"), str) and question["prompt"].strip()
    assert isinstance(question.get("explanation"), str) and question["explanation"].strip()
    points = question.get("points", 1)
    assert isinstance(points, int) and not isinstance(points, bool) and points > 0


@pytest.mark.parametrize(("doc", "question"), QUESTIONS)
def test_passage_is_verbatim(doc, question):
    passage = question.get("passage")
    assert isinstance(passage, str) and passage.strip(), "passage missing"
    assert passage in _source_text(doc), "passage is not a verbatim substring of the source"


@pytest.mark.parametrize(("doc", "question"), QUESTIONS)
def test_no_leftover_text(doc, question):
    for text in _strings(question):
        for leftover in LEFTOVERS:
            assert leftover.casefold() not in text.casefold(), f"leftover {leftover!r}: {text!r}"


# ---------------------------------------------------------------------------- by type


def _check_choices(question) -> list[dict]:
    choices = question.get("choices")
    assert isinstance(choices, list) and choices, "choices missing"
    texts = [choice.get("text", "") for choice in choices]
    assert all(isinstance(text, str) and text.strip() for text in texts)
    assert len(set(texts)) == len(texts), "duplicate choice texts"
    for text in texts:
        assert text.casefold().strip(" .") not in BANNED_OPTIONS
    assert all(choice.get("correct", False) in (True, False) for choice in choices)
    return choices


@pytest.mark.parametrize(("doc", "question"), _of_type("single_choice"))
def test_single_choice(doc, question):
    choices = _check_choices(question)
    assert 3 <= len(choices) <= 4
    assert sum(bool(choice.get("correct")) for choice in choices) == 1


@pytest.mark.parametrize(("doc", "question"), _of_type("multiple_choice"))
def test_multiple_choice(doc, question):
    choices = _check_choices(question)
    correct = sum(bool(choice.get("correct")) for choice in choices)
    assert correct >= 2
    assert correct < len(choices), "at least one option must be wrong"
    assert question["prompt"].endswith("Select all that apply.")


@pytest.mark.parametrize(("doc", "question"), _of_type("true_false"))
def test_true_false(doc, question):
    assert isinstance(question.get("answer"), bool)
    assert question["prompt"].startswith("True or false: ")


@pytest.mark.parametrize(("doc", "question"), _of_type("short_answer"))
def test_short_answer(doc, question):
    answers = question.get("answers")
    assert isinstance(answers, list) and answers
    assert all(isinstance(answer, str) and answer.strip() for answer in answers)


@pytest.mark.parametrize(("doc", "question"), _of_type("numeric"))
def test_numeric(doc, question):
    assert _is_number(question.get("answer")), "numeric answer must be a number"
    tolerance = question.get("tolerance", 0)
    assert _is_number(tolerance) and tolerance >= 0


@pytest.mark.parametrize(("doc", "question"), _of_type("ordering"))
def test_ordering(doc, question):
    items = question.get("items")
    assert isinstance(items, list) and 3 <= len(items) <= 6
    assert all(isinstance(item, str) and item.strip() for item in items)
    assert len(set(items)) == len(items), "duplicate items"


@pytest.mark.parametrize(("doc", "question"), _of_type("matching"))
def test_matching(doc, question):
    pairs, spares = question.get("pairs"), question.get("spares")
    assert isinstance(pairs, list) and len(pairs) >= 2
    assert all(pair.get("left") and pair.get("right") for pair in pairs)
    lefts = [pair["left"] for pair in pairs]
    rights = [pair["right"] for pair in pairs]
    assert len(set(lefts)) == len(lefts), "left items must be unique"
    assert len(set(rights)) == len(rights), "each left item needs its own partner"
    assert isinstance(spares, list) and len(spares) >= 1, "matching needs a spare"
    assert not set(spares) & set(rights), "a spare must not also be a partner"
