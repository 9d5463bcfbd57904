"""Questions in and out of the database, as the plain dicts every format reads and writes.

Import is all or nothing: every question is checked (the answer rules, and that its passage is
in the quiz's source text) before the writing starts, and the writing is one transaction.
Questions are matched by key, as bank files are (quizzes.banks): a question whose key is
already in the quiz is updated in place, keeping its id and so its students' responses; the
others are added after the quiz's last question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from quizzes.banks import save_question, unique_slug
from quizzes.interchange.schema import (
    DIFFICULTIES,
    FormatError,
    Parsed,
    Row,
    answer_fields,
    locate_passage,
    passage_mismatch,
    question_problems,
    unique_keys,
)
from quizzes.models import Question, Quiz, SourceDocument, Status
from quizzes.models.content import format_number

MAX_EXPLAINED = 30  # as many problems as the import page shows


def question_dict(question: Question, source_text: str | None = None) -> dict[str, Any]:
    """A question as the plain dict of fixtures/README.md (choices read through .all(), so a
    prefetch serves them). Given the source text, a passage with no stored place gets one."""
    rows = [Row(c.text, c.is_correct, c.match_text) for c in question.sorted_choices()]
    data: dict[str, Any] = {
        "key": question.key,
        "type": question.type,
        "topic": question.topic.name,
        "difficulty": DIFFICULTIES[question.difficulty - 1],
        "points": question.points,
        "status": question.status,
        "prompt": question.prompt,
        **answer_fields(question.type, rows),
        "explanation": question.explanation,
        "passage": question.passage,
    }
    if question.type == "numeric":
        data["answer"] = _number(question.numeric_answer)
        data["tolerance"] = _number(question.tolerance)
    start = question.passage_start
    if question.passage and start is None and source_text is not None:
        start = locate_passage(source_text, question.passage)
    if question.passage and start is not None and start >= 0:
        data["passage_start"] = start
    return data


def _number(value: Decimal | None) -> int | str | None:
    if value is None:
        return None
    return format_number(value).replace(",", "") if value % 1 else int(value)


def quiz_dicts(quiz: Quiz) -> list[dict[str, Any]]:
    questions = quiz.questions.select_related("topic").prefetch_related("choices")
    text = quiz.source.text if quiz.source else None
    return [question_dict(q, text) for q in questions.order_by("position", "id")]


def category_of(quiz: Quiz) -> str:
    """Moodle's name for where the questions go: a category named after the quiz."""
    return f"$course$/top/{quiz.title}"


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    without_passage: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{len(self.created)} added", f"{len(self.updated)} updated"]
        text = f"Imported {len(self.created) + len(self.updated)} questions ({', '.join(parts)})."
        if self.without_passage:
            text += (
                f" {len(self.without_passage)} have no source passage yet and stay drafts until "
                "you add one."
            )
        return text


def check(source: SourceDocument | None, items: Iterable[Parsed]) -> list[tuple[int, str]]:
    """Every problem with importing these questions into a quiz of this source, by line. Only
    the first passages not found say where they part from the source: each search for that
    reads the whole source a dozen times, and the page shows the first problems only."""
    problems: list[tuple[int, str]] = []
    text = source.text if source else ""
    explained = 0
    for item in items:
        data = item.data
        label = f"“{data.get('key', '')}”: "
        problems += [(item.line, label + p) for p in question_problems(data)]
        passage = str(data.get("passage", ""))
        if not passage:
            continue
        if source is None:
            problems.append(
                (
                    item.line,
                    label + "it quotes a passage, but this quiz has no source text to "
                    "find it in. Choose the quiz's source first.",
                )
            )
        elif locate_passage(text, passage, data.get("passage_start")) < 0:
            explained += 1
            why = passage_mismatch(text, passage) if explained <= MAX_EXPLAINED else ""
            problems.append(
                (item.line, f"{label}its passage is not in “{source.title}”. {why}".rstrip())
            )
    return problems


def checked(source: SourceDocument | None, items: list[Parsed]) -> list[Parsed]:
    """The questions, with keys made unique, if all of them can be imported into a quiz of this
    source. Raises FormatError with every problem. It writes nothing: it runs before the
    import's transaction opens."""
    unique_keys(items)
    problems = check(source, items)
    if problems:
        raise FormatError(problems)
    return items


@transaction.atomic
def save_questions(quiz: Quiz, items: list[Parsed], *, as_drafts: bool = True) -> ImportSummary:
    """Save questions that passed `checked` into the quiz, all or none."""
    existing = dict(quiz.questions.values_list("key", "position"))
    next_position = max(existing.values(), default=0) + 1
    summary = ImportSummary()
    for item in items:
        data = item.data
        key = data["key"]
        status = data.get("status", Status.DRAFT)
        if as_drafts or not data.get("passage"):
            status = Status.DRAFT
        if key in existing:
            position = existing[key]
            summary.updated.append(key)
        else:
            position, next_position = next_position, next_position + 1
            summary.created.append(key)
        question = save_question(quiz, data, position, status)
        if not data.get("passage"):
            summary.without_passage.append(key)
            if question.passage_start is not None:
                question.passage_start = None
                question.save(update_fields=["passage_start"])
    return summary


def new_quiz(*, title: str, owner: Any, source: SourceDocument | None) -> Quiz:
    """A draft quiz to import into."""
    return Quiz.objects.create(
        slug=unique_slug(Quiz, title),
        title=title,
        source=source,
        status=Status.DRAFT,
        owner=owner,
    )
