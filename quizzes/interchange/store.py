"""Questions in and out of the database, as the plain dicts every format reads and writes.

Questions are saved by natural keys (`save_question`): a question whose key is already in the
quiz is updated in place, keeping its id and its choices' ids and so its students' responses.
Import is all or nothing: every question is checked (the answer rules, and that its passage is
in the quiz's source text) before the writing starts, and the writing is one transaction; new
questions are added after the quiz's last. Derived drafts come in the same way
(`create_draft_quiz`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model

from quizzes.derive import clean_text, derive
from quizzes.grading import QuestionType
from quizzes.interchange.schema import (
    FormatError,
    Parsed,
    Row,
    answer_fields,
    difficulty_level,
    difficulty_name,
    locate_passage,
    passage_mismatch,
    plain_number,
    question_problems,
    rows_of,
    unique_keys,
)
from quizzes.models import Choice, Question, Quiz, SourceDocument, Status, Thinking, Topic


def upsert(model: type[Model], lookup: dict[str, Any], fields: dict[str, Any]) -> Model:
    """Create the row, or update just the fields that changed: reloading an unchanged bank
    writes nothing, not even a new `updated_at`."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save()
    return obj


def save_question(quiz: Quiz, data: dict[str, Any], position: int, status: str) -> Question:
    """Create or update the question with this key in the quiz, keeping its id and its
    choices' ids where they are unchanged, so students' attempts and responses stay valid."""
    passage = str(data["passage"])
    start = None  # a question from elsewhere may quote no source ("No source")
    if passage:
        text = quiz.source.text if quiz.source else ""
        start = locate_passage(text, passage, data.get("passage_start"))
        if start < 0:
            raise ValueError(f"{quiz.slug}/{data['key']}: the passage is not in the source text")
    fields = {
        "position": position,
        "type": QuestionType(data["type"]).value,
        "prompt": str(data["prompt"]).strip(),
        "explanation": str(data.get("explanation", "")).strip(),
        "passage": passage,
        "passage_start": start,
        "topic": Topic.named(str(data["topic"]), quiz=quiz),
        "difficulty": difficulty_level(str(data.get("difficulty", "medium"))),
        "points": int(data.get("points", 1)),
        "numeric_answer": Decimal(str(data["answer"])) if data["type"] == "numeric" else None,
        "tolerance": Decimal(str(data.get("tolerance", 0))),
        "status": status,
        "confidence": data.get("confidence"),
        "confidence_reason": str(data.get("confidence_reason") or "")[:40],
    }
    if "thinking" in data:  # the formats that carry it (YAML banks); others keep what it is
        fields["thinking"] = Thinking(str(data["thinking"])).value
    question = upsert(Question, {"quiz": quiz, "key": data["key"]}, fields)
    _sync_choices(question, rows_of(data))
    if data.get("image"):  # formats without pictures leave a question's picture as it is
        _sync_image(question, data["image"])
    return question


def _sync_image(question: Question, image: dict[str, Any]) -> None:
    """The file's picture (already re-encoded, quizzes.images) on the question, unless it
    holds that very picture already."""
    if question.image:
        with question.image.open("rb") as stored:
            if stored.read() == image["data"] and question.image_alt == image["alt"]:
                return
    question.image_alt = image["alt"]
    question.image.save(f"picture.{image['extension']}", ContentFile(image["data"]))


def _sync_choices(question: Question, rows: list[Row]) -> None:
    existing = list(question.choices.order_by("position", "id"))
    for position, row in enumerate(rows):
        values = {
            "position": position,
            "text": row.text,
            "is_correct": row.is_correct,
            "match_text": row.match_text,
        }
        if position < len(existing):
            choice = existing[position]
            if any(getattr(choice, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(choice, k, v)
                choice.save()
        else:
            Choice.objects.create(question=question, **values)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(rows) :]]).delete()


def question_dict(question: Question, source_text: str | None = None) -> dict[str, Any]:
    """A question as the plain dict of fixtures/README.md (choices read through .all(), so a
    prefetch serves them). Given the source text, a passage with no stored place gets one."""
    rows = [Row(c.text, c.is_correct, c.match_text) for c in question.sorted_choices()]
    data: dict[str, Any] = {
        "key": question.key,
        "type": question.type,
        "topic": question.topic.name,
        "difficulty": difficulty_name(question.difficulty),
        "points": question.points,
        "status": question.status,
        "prompt": question.prompt,
        **answer_fields(question.type, rows),
        "explanation": question.explanation,
        "passage": question.passage,
    }
    if question.type == "numeric":
        answer = question.numeric_answer
        data["answer"] = None if answer is None else plain_number(answer)
        data["tolerance"] = plain_number(question.tolerance)
    start = question.passage_start
    if question.passage and start is None and source_text is not None:
        start = locate_passage(source_text, question.passage)
    if question.passage and start is not None and start >= 0:
        data["passage_start"] = start
    return data


def quiz_dicts(quiz: Quiz, *, images: bool = False) -> list[dict[str, Any]]:
    """The quiz's questions as dicts; with their pictures' bytes for a format that embeds them
    (Moodle XML; GIFT and CSV have no place for a picture)."""
    questions = quiz.questions.select_related("topic").prefetch_related("choices")
    text = quiz.source.text if quiz.source else None
    dicts = []
    for question in questions.order_by("position", "id"):
        data = question_dict(question, text)
        if images and question.image:
            data["image"] = image_dict(question)
        dicts.append(data)
    return dicts


def image_dict(question: Question) -> dict[str, Any]:
    with question.image.open("rb") as stored:
        picture = stored.read()
    extension = question.image.name.rsplit(".", 1)[-1]
    return {"data": picture, "extension": extension, "alt": question.image_alt}


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
                f" {len(self.without_passage)} quote no source passage (marked “No source”): "
                "students see their explanation alone."
            )
        return text


MAX_EXPLAINED = 30  # as many problems as the import page shows


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
        status = Status.DRAFT if as_drafts else data.get("status", Status.DRAFT)
        if key in existing:
            position = existing[key]
            summary.updated.append(key)
        else:
            position, next_position = next_position, next_position + 1
            summary.created.append(key)
        save_question(quiz, data, position, status)
        if not data.get("passage"):
            summary.without_passage.append(key)
    return summary


def new_quiz(
    *, title: str, owner: Any, source: SourceDocument | None, description: str = ""
) -> Quiz:
    """A draft quiz to import into."""
    return Quiz.objects.create(
        slug=Quiz.objects.free_slug(title),
        title=title,
        description=description,
        source=source,
        status=Status.DRAFT,
        owner=owner,
    )


def create_draft_quiz(*, title: str, raw_text: str, owner: Any = None) -> Quiz | None:
    """Derive draft questions from a teacher's text: a new source document (the cleaned text,
    which the drafts' passages and offsets point into) and a draft quiz of draft questions,
    best first. Nothing is published until a teacher reviews it. None, and nothing written,
    when no question could be derived: no empty quiz or source is left behind."""
    # Derived before the transaction opens: on SQLite it would make every writer wait.
    cleaned, drafts = clean_text(raw_text), derive(raw_text)
    if not drafts:
        return None
    with transaction.atomic():
        source = SourceDocument.objects.create(
            slug=SourceDocument.objects.free_slug(title), title=title, text=cleaned, owner=owner
        )
        quiz = new_quiz(
            title=title,
            owner=owner,
            source=source,
            description=f"Questions derived from “{title}”.",
        )
        for position, draft in enumerate(drafts, start=1):
            save_question(quiz, draft.as_dict(), position, Status.DRAFT)
    return quiz
