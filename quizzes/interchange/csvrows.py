"""A question as one spreadsheet row, and back.

Columns, in this order: key, type, prompt, options, answer, tolerance, explanation, passage,
passage_start, topic, difficulty, points, status. Lists go one item a line inside their cell:

| type            | options                            | answer                              |
| --------------- | ---------------------------------- | ----------------------------------- |
| single_choice   | every option, in order             | the right option                    |
| multiple_choice | every option, in order             | the right options                   |
| true_false      | (empty)                            | true or false                       |
| short_answer    | (empty)                            | every accepted answer, best first   |
| numeric         | (empty)                            | the number (tolerance in its column)|
| ordering        | (empty)                            | the items in the right order        |
| matching        | spare matches (no partner), if any | one pair a line: item -> match      |

Pure Python: no Django.
"""

from __future__ import annotations

from typing import Any

from quizzes.grading import QuestionType
from quizzes.interchange.schema import to_decimal

COLUMNS = (
    "key",
    "type",
    "prompt",
    "options",
    "answer",
    "tolerance",
    "explanation",
    "passage",
    "passage_start",
    "topic",
    "difficulty",
    "points",
    "status",
)
REQUIRED = ("key", "type", "prompt", "answer")
ARROW = " -> "


def _lines(cell: Any) -> list[str]:
    return [line.strip() for line in str(cell or "").replace("\r", "").split("\n") if line.strip()]


def to_row(data: dict[str, Any]) -> dict[str, str]:
    """The spreadsheet row of a question dict."""
    options: list[str] = []
    match data["type"]:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            options = [c["text"] for c in data["choices"]]
            answer = [c["text"] for c in data["choices"] if c.get("correct")]
        case QuestionType.TRUE_FALSE:
            answer = ["true" if data["answer"] else "false"]
        case QuestionType.SHORT_ANSWER:
            answer = list(data["answers"])
        case QuestionType.NUMERIC:
            answer = [str(data["answer"])]
        case QuestionType.ORDERING:
            answer = list(data["items"])
        case QuestionType.MATCHING:
            answer = [f"{p['left']}{ARROW}{p['right']}" for p in data["pairs"]]
            options = list(data.get("spares", []))
        case _:
            raise ValueError(f"unknown question type {data['type']!r}")
    start = data.get("passage_start")
    return {
        "key": data["key"],
        "type": data["type"],
        "prompt": data["prompt"],
        "options": "\n".join(options),
        "answer": "\n".join(answer),
        "tolerance": str(data.get("tolerance", "")) if data["type"] == QuestionType.NUMERIC else "",
        "explanation": data.get("explanation", ""),
        "passage": data.get("passage", ""),
        "passage_start": "" if start is None else str(start),
        "topic": data.get("topic", ""),
        "difficulty": data.get("difficulty", "medium"),
        "points": str(data.get("points", 1)),
        "status": data.get("status", "draft"),
    }


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The question dict of a spreadsheet row. Raises ValueError saying what is wrong; the
    question's own rules are checked afterwards (schema.question_problems)."""
    cell = {name: str(row.get(name) or "").strip() for name in COLUMNS}
    qtype = cell["type"]
    options, answer = _lines(row.get("options")), _lines(row.get("answer"))
    data: dict[str, Any] = {"key": cell["key"], "type": qtype}
    match qtype:
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            unknown = [a for a in answer if a not in options]
            if unknown:
                raise ValueError(f"The answer “{unknown[0]}” is not one of the options.")
            data["choices"] = [{"text": o, "correct": o in answer} for o in options]
        case QuestionType.TRUE_FALSE:
            if [a.casefold() for a in answer] not in (["true"], ["false"]):
                raise ValueError("The answer of a true/false question is true or false.")
            data["answer"] = answer[0].casefold() == "true"
        case QuestionType.SHORT_ANSWER:
            data["answers"] = answer
        case QuestionType.NUMERIC:
            data["answer"] = answer[0] if len(answer) == 1 else None
            if to_decimal(data["answer"]) is None:
                raise ValueError(f"The answer “{cell['answer']}” is not a number.")
            data["tolerance"] = cell["tolerance"] or 0
        case QuestionType.ORDERING:
            data["items"] = answer
        case QuestionType.MATCHING:
            pairs = []
            for line in answer:
                left, arrow, right = line.partition("->")
                if not arrow:
                    raise ValueError(f"“{line}” is not a pair: write item -> match.")
                pairs.append({"left": left.strip(), "right": right.strip()})
            data["pairs"], data["spares"] = pairs, options
        case _:
            raise ValueError(f"Unknown question type “{qtype}”.")
    data.update(
        prompt=cell["prompt"],
        explanation=cell["explanation"],
        passage=str(row.get("passage") or ""),  # verbatim: it must match the source
        topic=cell["topic"] or "General",
        difficulty=cell["difficulty"] or "medium",
        points=int(cell["points"]) if cell["points"].isdigit() else (cell["points"] or 1),
        status=cell["status"] or "draft",
    )
    if cell["passage_start"].isdigit():
        data["passage_start"] = int(cell["passage_start"])
    return data
