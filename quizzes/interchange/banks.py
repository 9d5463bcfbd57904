"""Question banks as YAML files (fixtures/, the format in fixtures/README.md): one more format
beside GIFT, Moodle XML and CSV, loaded idempotently by natural keys (`load_banks`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from quizzes.interchange.store import save_question, upsert
from quizzes.models import Quiz, SourceDocument, Status


class BankError(ValueError):
    """A bank file that cannot be loaded; the message names the file and the question."""


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
