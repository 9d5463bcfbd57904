"""A quiz on paper: each question as a question sheet prints it, with room to answer and
nothing that gives an answer away (options shuffled, so the order the bank wrote them in, often
the right one first, says nothing; an ordering question's events shuffled too), and its right
answer for the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import ascii_uppercase
from typing import Any

from quizzes.grading import QuestionType

# How a student answers each type on paper.
HOW = {
    QuestionType.SINGLE_CHOICE: "Tick one.",
    QuestionType.TRUE_FALSE: "Tick one.",
    QuestionType.MULTIPLE_CHOICE: "Tick every right answer.",
    QuestionType.SHORT_ANSWER: "Write your answer.",
    QuestionType.NUMERIC: "Write a number.",
    QuestionType.ORDERING: "Number the events from 1 (earliest) to {n} (latest).",
    QuestionType.MATCHING: "Write the letter of its match beside each item. One option has no "
    "partner.",
}


@dataclass
class SheetQuestion:
    number: int
    question: Any  # a Question, with its choices prefetched
    how: str
    boxes: list[str]  # an option to tick, or an event to number: a box beside each
    items: list[str]  # matching: the left-hand items, a blank beside each
    partners: list[tuple[str, str]]  # matching: (letter, partner)
    line: bool  # short answer and numeric: a line to write on
    right: list[str]  # the right answer in words, for the key


def sheet(questions: list[Any], seed: int) -> list[SheetQuestion]:
    """The questions as a sheet prints them, numbered; `seed` fixes the shuffles, so every copy
    of one quiz's sheet (and its key) is the same."""
    return [_sheet_question(n, q, seed) for n, q in enumerate(questions, start=1)]


def _sheet_question(number: int, question: Any, seed: int) -> SheetQuestion:
    kind = QuestionType(question.type)
    choices = question.sorted_choices()
    boxes: list[str] = []
    items: list[str] = []
    partners: list[tuple[str, str]] = []
    right = question.right_answer_lines()
    match kind:
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE | QuestionType.MULTIPLE_CHOICE:
            boxes = [c.text for c in question.shuffled(seed, choices, "sheet")]
        case QuestionType.ORDERING:
            boxes = [c.text for c in question.shuffled(seed, choices, "sheet")]
            right = [f"{n}. {text}" for n, text in enumerate(right, start=1)]
        case QuestionType.MATCHING:
            # The partners lettered, so that the key can name each item's letter.
            items = [c.text for c in question.shuffled(seed, question.left_items(), "items")]
            shuffled = question.shuffled(seed, choices, "partners")
            partners = list(zip(ascii_uppercase, [c.match_text for c in shuffled], strict=False))
            letter = {c.pk: partners[n][0] for n, c in enumerate(shuffled[: len(partners)])}
            right = [f"{c.text} → {letter[c.pk]}: {c.match_text}" for c in choices if c.text]
    return SheetQuestion(
        number=number,
        question=question,
        how=HOW[kind].format(n=len(boxes)),
        boxes=boxes,
        items=items,
        partners=partners,
        line=kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC),
        right=right,
    )
