"""Question banks as YAML files (fixtures/, the format in fixtures/README.md): one more format
beside GIFT, Moodle XML and CSV, loaded idempotently by natural keys (`load_banks`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from quizzes.banklint import Finding, LintQuestion, LintQuiz, lint_quiz
from quizzes.interchange.schema import rows_of
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
            # The shipped banks (loaded with no owner) are for everyone; a teacher's own are
            # for the classes they set them for, unless the file says `shared: true`.
            "shared": bool(meta.get("shared", owner is None)),
            "question_count": meta.get("question_count"),
            "per_topic": meta.get("per_topic"),
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


def lint_bank_files(folder: Path) -> list[Finding]:
    """What the bank linter finds in the bank files of `folder`, read as they would load:
    a quiz drawing from other banks is linted with their questions, as one pool."""
    documents = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in bank_files(folder)]
    texts = {
        doc["source"]["slug"]: (folder / doc["source"]["file"]).read_text(encoding="utf-8")
        for doc in documents
        if "source" in doc
    }
    own = {
        doc["quiz"]["slug"]: [
            _lint_question(q, (doc.get("source") or {}).get("slug", ""), texts)
            for q in doc.get("questions") or []
            if q.get("status", Status.PUBLISHED) == Status.PUBLISHED
        ]
        for doc in documents
    }
    findings = []
    for doc in documents:
        meta = doc["quiz"]
        drawn_from = [q for slug in meta.get("draws_from", []) for q in own.get(slug, [])]
        quiz = LintQuiz(
            slug=meta["slug"],
            description=str(meta.get("description", "")),
            questions=own[meta["slug"]] + drawn_from,
            drawn=bool(meta.get("per_topic") or meta.get("question_count")),
            per_topic=meta.get("per_topic"),
            sources=texts,
        )
        findings += lint_quiz(quiz)
    return findings


def _lint_question(data: dict[str, Any], source: str, texts: dict[str, str]) -> LintQuestion:
    passage = str(data.get("passage", ""))
    start = texts.get(source, "").find(passage)
    return LintQuestion(
        key=str(data["key"]),
        type=str(data["type"]),
        prompt=str(data["prompt"]).strip(),
        explanation=str(data.get("explanation", "")).strip(),
        passage=passage,
        passage_start=start if start >= 0 else None,
        source=source,
        topic=str(data.get("topic", "")),
        number=Decimal(str(data["answer"])) if data["type"] == "numeric" else None,
        rows=tuple(
            {"text": r.text, "is_correct": r.is_correct, "match_text": r.match_text}
            for r in rows_of(data)
        ),
    )
