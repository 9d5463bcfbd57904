"""Loading question banks written as plain data (the YAML files in fixtures/, or drafts from the
derivation engine) into the database, idempotently and by natural keys."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from quizzes.derive import clean_text, derive
from quizzes.grading import QuestionType
from quizzes.models import Choice, Difficulty, Question, Quiz, SourceDocument, Status, Topic

DIFFICULTIES = {"easy": Difficulty.EASY, "medium": Difficulty.MEDIUM, "hard": Difficulty.HARD}


class BankError(ValueError):
    """A bank file that cannot be loaded; the message names the file and the question."""


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


def choice_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The Choice rows a question dict stands for, in position order."""
    match QuestionType(data["type"]):
        case QuestionType.SINGLE_CHOICE | QuestionType.MULTIPLE_CHOICE:
            return [
                {"text": str(c["text"]), "is_correct": bool(c.get("correct", False))}
                for c in data["choices"]
            ]
        case QuestionType.TRUE_FALSE:
            answer = bool(data["answer"])
            return [
                {"text": "True", "is_correct": answer},
                {"text": "False", "is_correct": not answer},
            ]
        case QuestionType.SHORT_ANSWER:
            return [{"text": str(a), "is_correct": True} for a in data["answers"]]
        case QuestionType.ORDERING:
            return [{"text": str(item), "is_correct": True} for item in data["items"]]
        case QuestionType.MATCHING:
            pairs = [{"text": str(p["left"]), "match_text": str(p["right"])} for p in data["pairs"]]
            spares = [{"text": "", "match_text": str(s)} for s in data.get("spares", [])]
            return pairs + spares
        case QuestionType.NUMERIC:
            return []


def save_question(quiz: Quiz, data: dict[str, Any], position: int, status: str) -> Question:
    """Create or update the question with this key in the quiz, keeping its id and its
    choices' ids where they are unchanged, so students' attempts and responses stay valid."""
    source_text = quiz.source.text if quiz.source else ""
    passage = str(data["passage"])
    start = data.get("passage_start")
    if start is None or source_text[start : start + len(passage)] != passage:
        start = source_text.find(passage)
    if start < 0:
        raise BankError(f"{quiz.slug}/{data['key']}: the passage is not in the source text")
    fields = {
        "position": position,
        "type": QuestionType(data["type"]).value,
        "prompt": str(data["prompt"]).strip(),
        "explanation": str(data.get("explanation", "")).strip(),
        "passage": passage,
        "passage_start": start,
        "topic": Topic.named(str(data["topic"])),
        "difficulty": DIFFICULTIES[str(data.get("difficulty", "medium"))],
        "points": int(data.get("points", 1)),
        "numeric_answer": Decimal(str(data["answer"])) if data["type"] == "numeric" else None,
        "tolerance": Decimal(str(data.get("tolerance", 0))),
        "status": status,
        "confidence": data.get("confidence"),
    }
    question = upsert(Question, {"quiz": quiz, "key": data["key"]}, fields)
    _sync_choices(question, choice_rows(data))
    return question


def _sync_choices(question: Question, rows: list[dict[str, Any]]) -> None:
    existing = list(question.choices.order_by("position", "id"))
    for position, row in enumerate(rows):
        values = {"position": position, "text": "", "is_correct": False, "match_text": ""} | row
        if position < len(existing):
            choice = existing[position]
            if any(getattr(choice, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(choice, k, v)
                choice.save()
        else:
            Choice.objects.create(question=question, **values)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(rows) :]]).delete()


@transaction.atomic
def load_bank(path: Path, *, owner: Any = None) -> Quiz:
    """Load one bank file; all of it or, on any error, none of it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = None
    if "source" in data:
        meta = data["source"]
        text = (path.parent / meta["file"]).read_text(encoding="utf-8")
        source = upsert(
            SourceDocument, {"slug": meta["slug"]}, {"title": meta["title"], "text": text}
        )
    meta = data["quiz"]
    quiz = upsert(
        Quiz,
        {"slug": meta["slug"]},
        {
            "title": meta["title"],
            "description": str(meta.get("description", "")).strip(),
            "source": source,
            "status": meta.get("status", Status.DRAFT),
            "question_count": meta.get("question_count"),
        },
    )
    if owner is not None and quiz.owner_id is None:
        quiz.owner = owner
        quiz.save(update_fields=["owner"])
    if "draws_from" in meta:
        quiz.draws_from.set(Quiz.objects.filter(slug__in=meta["draws_from"]))
    keys = []
    for position, question in enumerate(data.get("questions") or [], start=1):
        status = question.get("status", Status.PUBLISHED)
        try:
            save_question(quiz, question, position, status)
        except (KeyError, ValueError, TypeError) as exc:
            raise BankError(
                f"{path.name}: question {question.get('key', position)}: {exc}"
            ) from exc
        keys.append(question["key"])
    # A question taken out of the file is retired, not deleted: responses point at it.
    quiz.questions.exclude(key__in=keys).exclude(status=Status.DRAFT).update(status=Status.DRAFT)
    return quiz


def bank_files(folder: Path) -> list[Path]:
    """Bank files in load order: banks with a source first, then quizzes drawing on them."""
    files = sorted(folder.glob("*.yaml"))
    return sorted(files, key=lambda p: "draws_from" in p.read_text(encoding="utf-8"))


def unique_slug(model: type[Model], title: str) -> str:
    base = slugify(title)[:80] or "untitled"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_draft_quiz(*, title: str, raw_text: str, owner: Any = None) -> Quiz:
    """Derive draft questions from a teacher's text: a new source document (the cleaned text,
    which the drafts' passages and offsets point into) and a draft quiz of draft questions,
    best first. Nothing is published until a teacher reviews it."""
    # Derived before the transaction opens: on SQLite it would make every writer wait.
    cleaned, drafts = clean_text(raw_text), derive(raw_text)
    with transaction.atomic():
        source = SourceDocument.objects.create(
            slug=unique_slug(SourceDocument, title), title=title, text=cleaned, owner=owner
        )
        quiz = Quiz.objects.create(
            slug=unique_slug(Quiz, title),
            title=title,
            description=f"Questions derived from “{title}”.",
            source=source,
            status=Status.DRAFT,
            owner=owner,
        )
        for position, draft in enumerate(drafts, start=1):
            save_question(quiz, draft.as_dict(), position, Status.DRAFT)
    return quiz
