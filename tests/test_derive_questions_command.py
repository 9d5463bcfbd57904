"""`manage.py derive_questions`: a teacher's text becomes a draft quiz of grounded drafts."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from quizzes.models import Question, Quiz, SourceDocument, Status

pytestmark = pytest.mark.django_db
DATA = Path(settings.BASE_DIR) / "tests" / "data"


def test_it_creates_a_draft_quiz_of_grounded_drafts(tess):
    out = StringIO()
    call_command(
        "derive_questions",
        str(DATA / "french-revolution.txt"),
        title="The French Revolution",
        owner="tess",
        stdout=out,
    )
    quiz = Quiz.objects.get(title="The French Revolution")
    assert quiz.status == Status.DRAFT and quiz.owner == tess
    questions = list(quiz.questions.all())
    assert len(questions) >= 10
    assert all(q.status == Status.DRAFT and q.confidence is not None for q in questions)
    for q in questions:
        assert quiz.source.text[q.passage_start : q.passage_start + len(q.passage)] == q.passage
    assert "draft questions" in out.getvalue()


def test_the_same_text_twice_makes_two_separate_drafts_with_the_same_questions(tess):
    path = str(DATA / "berlin-wall.txt")
    call_command("derive_questions", path, title="Berlin", stdout=StringIO())
    call_command("derive_questions", path, title="Berlin", stdout=StringIO())
    first, second = Quiz.objects.order_by("id")
    assert first.slug != second.slug
    prompts = [
        list(q.questions.order_by("position").values_list("prompt", flat=True))
        for q in (first, second)
    ]
    assert prompts[0] == prompts[1]


def test_report_prints_counts_and_saves_nothing():
    out = StringIO()
    call_command(
        "derive_questions",
        str(Path(settings.BASE_DIR) / "fixtures/sources/moscow-trials.txt"),
        report=True,
        stdout=out,
    )
    assert "single_choice" in out.getvalue()
    assert not SourceDocument.objects.exists() and not Question.objects.exists()


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("derive_questions", "/nope.txt")


def test_a_text_that_gives_nothing_says_why_and_leaves_nothing(tmp_path):
    path = tmp_path / "hello.txt"
    path.write_text("Hello there.", encoding="utf-8")
    with pytest.raises(CommandError, match="The text has only 2 words"):
        call_command("derive_questions", str(path), stdout=StringIO())
    assert not Quiz.objects.exists() and not SourceDocument.objects.exists()
