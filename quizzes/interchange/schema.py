"""The plain form every import and export goes through, and the rules a question must keep.

A question travels as the dict of fixtures/README.md (what `load_banks` reads), plus the fields a
bank file leaves to its defaults:

    {"key": "trials-years", "type": "single_choice", "topic": "The three trials",
     "difficulty": "easy", "points": 1, "status": "published",
     "prompt": "...", "choices": [{"text": "1936 and 1938", "correct": True}, ...],
     "explanation": "...", "passage": "...", "passage_start": 120}

Its answer, whatever the type, can also be seen as the rows of `Choice` it stands for (`Row`);
the rules in `answer_problems` are written on rows, so the admin's question form, which edits
rows, and the importers, which read dicts, keep exactly the same rules.

Pure Python: no Django, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from quizzes.grading import QuestionType

TYPES = tuple(t.value for t in QuestionType)
# A question's difficulty in files, by its level in the database (Difficulty: 1, 2, 3).
DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("draft", "published")
MIN_ORDERING, MAX_ORDERING = 3, 6
MAX_KEY = 100
MAX_TOPIC = 100  # Topic.name's max_length
MAX_CHOICE_TEXT = 500
# A number in a file: Decimal reads a string of digits in time that grows with its square, and
# the database keeps 20 digits; 100 characters leave room for any way of writing one.
MAX_NUMBER_TEXT = 100


class FormatError(ValueError):
    """A file that cannot be imported. `problems` are (line, message) pairs, line 0 when the
    problem belongs to no line; str() lists them all, one a line, as a teacher reads them."""

    def __init__(self, problems: Iterable[tuple[int, str]], unit: str = "Line") -> None:
        self.problems = sorted(set(problems))
        self.unit = unit  # "Row" for a spreadsheet
        super().__init__("\n".join(self.messages))

    @classmethod
    def at(cls, line: int, message: str) -> FormatError:
        return cls([(line, message)])

    @property
    def messages(self) -> list[str]:
        return [f"{self.unit} {line}: {msg}" if line else msg for line, msg in self.problems]


@dataclass(frozen=True)
class Parsed:
    """One question read from a file, and the line it starts on (for error messages)."""

    line: int
    data: dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One `Choice` as plain data: an option, an accepted answer, an item or a matching pair."""

    text: str
    is_correct: bool = False
    match_text: str = ""


def rows_of(data: dict[str, Any]) -> list[Row]:
    """The Choice rows a question dict stands for, in position order (what store.save_question
    writes)."""
    match data["type"]:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            return [Row(str(c["text"]), bool(c.get("correct"))) for c in data.get("choices", [])]
        case QuestionType.TRUE_FALSE:
            answer = bool(data["answer"])
            return [Row("True", answer), Row("False", not answer)]
        case QuestionType.SHORT_ANSWER:
            return [Row(str(a), True) for a in data.get("answers", [])]
        case QuestionType.ORDERING:
            return [Row(str(item), True) for item in data.get("items", [])]
        case QuestionType.MATCHING:
            pairs = [Row(str(p["left"]), False, str(p["right"])) for p in data.get("pairs", [])]
            return pairs + [Row("", False, str(s)) for s in data.get("spares", [])]
    return []


def answer_fields(qtype: str, rows: Sequence[Row]) -> dict[str, Any]:
    """The answer part of a question dict, from its rows: the inverse of `rows_of`."""
    match qtype:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            return {"choices": [{"text": r.text, "correct": r.is_correct} for r in rows]}
        case QuestionType.TRUE_FALSE:
            right = next((r for r in rows if r.is_correct), None)
            return {"answer": right is not None and right.text.casefold() == "true"}
        case QuestionType.SHORT_ANSWER:
            return {"answers": [r.text for r in rows]}
        case QuestionType.ORDERING:
            return {"items": [r.text for r in rows]}
        case QuestionType.MATCHING:
            return {
                "pairs": [{"left": r.text, "right": r.match_text} for r in rows if r.text],
                "spares": [r.match_text for r in rows if not r.text],
            }
    return {}


def _duplicates(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for text in texts:
        folded = " ".join(text.casefold().split())
        if folded in seen and text not in repeated:
            repeated.append(text)
        seen.add(folded)
    return repeated


def answer_problems(
    qtype: str,
    rows: Sequence[Row],
    numeric_answer: Decimal | None = None,
    tolerance: Decimal | None = None,
) -> list[str]:
    """What is wrong with a question's answer, in words a teacher can act on ([] if nothing).

    `rows` are the filled-in Choice rows (blank ones left out).
    """
    problems: list[str] = []
    right = [r for r in rows if r.is_correct]
    match qtype:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            if len(rows) < 2:
                problems.append("Give at least two options.")
            if qtype == QuestionType.SINGLE_CHOICE and len(right) != 1:
                problems.append(
                    "A single-choice question has exactly one right answer: tick “Right” on "
                    f"one option ({_ticked(len(right))})."
                )
            if qtype == QuestionType.MULTIPLE_CHOICE and not right:
                problems.append(
                    "A multiple-choice question needs at least one right answer: tick “Right” "
                    "on each option that is right."
                )
            problems += [
                f"Two options read the same: “{t}”." for t in _duplicates(r.text for r in rows)
            ]
        case QuestionType.TRUE_FALSE:
            if sorted(r.text.strip().casefold() for r in rows) != ["false", "true"]:
                problems.append(
                    "A true/false question has exactly two options, “True” and “False”."
                )
            elif len(right) != 1:
                problems.append(
                    "Tick “Right” on exactly one of “True” and “False”: is the statement in the "
                    f"prompt true? ({_ticked(len(right))})"
                )
        case QuestionType.SHORT_ANSWER:
            if not rows:
                problems.append("Give at least one accepted answer.")
            problems += [
                f"The answer “{t}” is given twice." for t in _duplicates(r.text for r in rows)
            ]
        case QuestionType.NUMERIC:
            if numeric_answer is None:
                problems.append("Give the right number.")
        case QuestionType.ORDERING:
            if not MIN_ORDERING <= len(rows) <= MAX_ORDERING:
                problems.append(
                    f"An ordering question has {MIN_ORDERING} to {MAX_ORDERING} items, "
                    f"not {len(rows)}."
                )
            problems += [
                f"Two items read the same: “{t}”." for t in _duplicates(r.text for r in rows)
            ]
        case QuestionType.MATCHING:
            pairs = [r for r in rows if r.text]
            if len(pairs) < 2:
                problems.append(
                    "Give at least two pairs: a left-hand item and its match on each row."
                )
            if any(not r.match_text for r in rows):
                problems.append(
                    "Every row needs its match on the right (a spare has a match and no "
                    "left-hand item)."
                )
            problems += [
                f"Two left-hand items read the same: “{t}”."
                for t in _duplicates(r.text for r in pairs)
            ]
            problems += [
                f"Two matches read the same: “{t}”."
                for t in _duplicates(r.match_text for r in rows if r.match_text)
            ]
        case _:
            problems.append(f"Unknown question type “{qtype}”.")
    if tolerance is not None and tolerance < 0:
        problems.append("The tolerance cannot be negative.")
    if any(len(r.text) > MAX_CHOICE_TEXT or len(r.match_text) > MAX_CHOICE_TEXT for r in rows):
        problems.append(f"Options are at most {MAX_CHOICE_TEXT} characters long.")
    return problems


def difficulty_name(level: int) -> str:
    """The word a file writes for a stored difficulty level: 1 -> "easy"."""
    return DIFFICULTIES[level - 1]


def difficulty_level(name: str) -> int:
    """The stored level of a difficulty a file names: "easy" -> 1 (KeyError if it names none)."""
    if name not in DIFFICULTIES:
        raise KeyError(name)
    return DIFFICULTIES.index(name) + 1


def plain_number(value: Decimal) -> int | str:
    """1108 stays an int, 2.5 becomes "2.5": the shapes a bank file would hold."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    return format(normal, "f")


def category_leaf(category: str) -> str:
    """The last part of a Moodle category, which names the topic: "$course$/top/Trials" ->
    "Trials"."""
    return category.rstrip("/").rsplit("/", 1)[-1].strip() if category else ""


def _ticked(count: int) -> str:
    return "none is ticked" if count == 0 else f"{count} are ticked"


def to_decimal(value: Any) -> Decimal | None:
    """A number from a file: 1108, "1108", "1,108.5"; None if it is no number."""
    if value is None or value == "":
        return None
    text = str(value).strip().replace(",", "")
    if len(text) > MAX_NUMBER_TEXT:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def question_problems(data: dict[str, Any]) -> list[str]:
    """Everything wrong with a question dict, before it may be saved ([] if nothing)."""
    problems: list[str] = []
    qtype = data.get("type")
    if qtype not in TYPES:
        return [f"Unknown question type “{qtype}”: use one of {', '.join(TYPES)}."]
    if not str(data.get("prompt", "")).strip():
        problems.append("The question has no prompt.")
    key = str(data.get("key", ""))
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", key) or len(key) > MAX_KEY:
        problems.append(f"“{key}” cannot be a key: use letters, digits and hyphens.")
    if data.get("difficulty", "medium") not in DIFFICULTIES:
        problems.append(f"Difficulty is one of {', '.join(DIFFICULTIES)}.")
    if data.get("status", "draft") not in STATUSES:
        problems.append(f"Status is one of {', '.join(STATUSES)}.")
    points = data.get("points", 1)
    if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 100:
        problems.append("Points are a whole number from 1 to 100.")
    if not str(data.get("topic", "")).strip():
        problems.append("The question has no topic.")
    elif len(str(data["topic"])) > MAX_TOPIC:
        problems.append(f"A topic is at most {MAX_TOPIC} characters long.")
    numeric = tolerance = None
    if qtype == QuestionType.NUMERIC:
        numeric = to_decimal(data.get("answer"))
        tolerance = to_decimal(data.get("tolerance", 0))
        if data.get("answer") not in (None, "") and numeric is None:
            problems.append(f"“{data['answer']}” is not a number.")
        if tolerance is None:
            problems.append("The tolerance is not a number.")
    if qtype == QuestionType.TRUE_FALSE and not isinstance(data.get("answer"), bool):
        problems.append("Say whether the statement is true or false.")
        return problems
    return problems + answer_problems(qtype, rows_of(data), numeric, tolerance)


def slug_key(text: str, fallback: str = "question") -> str:
    """A key from a title or a prompt: "Who led the 1923 troika?" -> "who-led-the-1923-troika"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    key = ""
    for word in words:
        if len(key) + len(word) + 1 > 60:
            break
        key = f"{key}-{word}" if key else word
    return key or fallback


def unique_keys(items: Sequence[Parsed]) -> None:
    """Give repeated keys in one file a suffix (-2, -3...), in place: a Moodle file often names
    several questions alike."""
    seen: set[str] = set()
    for item in items:
        base = key = item.data["key"]
        n = 1
        while key in seen:
            n += 1
            key = f"{base[: MAX_KEY - 4]}-{n}"
        item.data["key"] = key
        seen.add(key)


# The passage a question rests on must be the source's own words.


def locate_passage(text: str, passage: str, hint: int | None = None) -> int:
    """Where `passage` starts in the source `text`, or -1; `hint` (a stored start) wins when
    the passage is still there, so that a passage quoted twice keeps its place."""
    if not passage:
        return -1
    if hint is not None and text[hint : hint + len(passage)] == passage:
        return hint
    return text.find(passage)


def passage_mismatch(text: str, passage: str) -> str:
    """Why a passage is not in the text, as precisely as plain search can say."""
    low, high = 0, len(passage)
    while low < high:  # the longest beginning of the passage that the text contains
        middle = (low + high + 1) // 2
        if passage[:middle] in text:
            low = middle
        else:
            high = middle - 1
    if low < 12:
        return "No part of its beginning is in the source text."
    agreed = passage[:low]
    return (
        f"The source has its first {low} characters, up to “…{agreed[-40:]}”, but then reads "
        f"differently from “{passage[low : low + 40]}…”. Copy the passage from the source exactly."
    )


def passage_context(text: str, start: int, length: int, width: int = 120) -> tuple[str, str, str]:
    """The passage with a little of the text either side, for showing where it is."""
    before = text[max(0, start - width) : start]
    after = text[start + length : start + length + width]
    if start > width:
        before = "…" + before.split(" ", 1)[-1]
    if start + length + width < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, text[start : start + length], after
