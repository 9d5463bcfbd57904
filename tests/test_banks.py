"""Loading the shipped banks into the database: complete, idempotent and safe for students."""

import random
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from quizzes.grading import QuestionType
from quizzes.interchange.schema import Row, rows_of
from quizzes.models import (
    Attempt,
    Choice,
    Question,
    Quiz,
    Response,
    SourceDocument,
    Status,
    Thinking,
    Topic,
)
from quizzes.models.attempts import start_attempt
from tests.factories import UserFactory, record
from tests.test_models import _answer

pytestmark = pytest.mark.django_db
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def snapshot():
    return {
        "quizzes": list(Quiz.objects.order_by("slug").values()),
        "questions": list(
            Question.objects.order_by("id").values_list(
                "id", "key", "prompt", "status", "passage_start"
            )
        ),
        "choices": list(
            Choice.objects.order_by("id").values_list(
                "id", "question_id", "text", "is_correct", "match_text"
            )
        ),
        "topics": list(Topic.objects.order_by("id").values_list("id", "name")),
        "sources": list(SourceDocument.objects.order_by("id").values_list("id", "slug", "text")),
    }


@pytest.fixture
def banks(db):
    call_command("load_banks", verbosity=0)


def test_it_loads_the_class_quizzes_their_practice_pools_and_the_review(banks):
    titles = set(Quiz.objects.published().values_list("title", flat=True))
    assert titles == {
        "The Moscow Trials",
        "The Moscow Trials: practice",
        "The Moscow Trials: Legacy",
        "The Moscow Trials: Legacy practice",
        "Moscow Trials: Mixed review",
    }
    for slug in ("moscow-trials", "moscow-trials-legacy"):
        assert 12 <= Question.objects.filter(quiz__slug=slug).count() <= 15
        assert Question.objects.filter(quiz__slug=f"{slug}-practice").count() >= 12


def test_the_sources_are_stored_exactly_and_every_passage_found_where_it_says(banks):
    for name in ("moscow-trials", "moscow-trials-legacy"):
        document = SourceDocument.objects.get(slug=name)
        assert document.text == (FIXTURES / "sources" / f"{name}.txt").read_text(encoding="utf-8")
    for question in Question.objects.select_related("quiz__source"):
        start = question.passage_start
        assert question.quiz.source.text[start : start + len(question.passage)] == question.passage


def test_loading_twice_gives_the_same_database(banks):
    before = snapshot()
    call_command("load_banks", verbosity=0)
    assert snapshot() == before


def test_every_answer_key_scores_full_marks_and_every_distractor_does_not(banks):
    student = UserFactory()
    for quiz in Quiz.objects.filter(source__isnull=False):
        attempt = start_attempt(user=student, quiz=quiz)
        for question in Question.objects.filter(quiz=quiz).prefetch_related("choices"):
            assert question.grade(_answer(attempt, question, right=True)).correct, question.key
            assert not question.grade(_answer(attempt, question, right=False)).correct, question.key
            if question.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
                for choice in question.choices.filter(is_correct=False):
                    answer = {"choice": choice.id, "choices": [choice.id]}
                    assert not question.grade(answer).correct, question.key


@pytest.mark.parametrize("seed", range(10))
def test_every_mixed_review_draws_two_of_each_topic_and_a_third_beyond_recall(banks, seed):
    review = Quiz.objects.get(slug="moscow-trials-mixed-review")
    questions = Question.objects.in_bulk(review.draw_question_ids(random.Random(seed)))
    topics = Counter(q.topic.name for q in questions.values())
    assert len(topics) == 8 and set(topics.values()) == {2}
    assert {q.quiz.slug for q in questions.values()} == {
        "moscow-trials-practice",
        "moscow-trials-legacy-practice",
    }
    beyond = sum(q.thinking != Thinking.RECALL for q in questions.values())
    assert 3 * beyond >= len(questions)


def test_a_mixed_review_attempt_keeps_its_sixteen_questions(banks):
    review = Quiz.objects.get(slug="moscow-trials-mixed-review")
    attempt = start_attempt(user=UserFactory(), quiz=review)
    assert attempt.total == 16 and attempt.max_score == 16


def _copy_banks(tmp_path):
    (tmp_path / "sources").mkdir()
    for path in (FIXTURES / "sources").glob("*.txt"):
        (tmp_path / "sources" / path.name).write_text(
            path.read_text(encoding="utf-8"), encoding="utf-8"
        )
    for path in FIXTURES.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_reloading_an_edited_bank_updates_in_place_and_keeps_students_answers(db, tmp_path):
    folder = _copy_banks(tmp_path)
    call_command("load_banks", str(folder), verbosity=0)
    student = UserFactory()
    quiz = Quiz.objects.get(slug="moscow-trials")
    attempt = start_attempt(user=student, quiz=quiz)
    first = Question.objects.get(pk=attempt.question_ids[0])
    response = record(attempt, first, _answer(attempt, first, right=True))

    path = folder / "moscow-trials.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["prompt"] = "A clearer prompt?"
    removed = data["questions"].pop()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    call_command("load_banks", str(folder), verbosity=0)

    first.refresh_from_db()
    assert first.prompt == "A clearer prompt?"
    assert Question.objects.get(quiz=quiz, key=removed["key"]).status == Status.DRAFT
    response.refresh_from_db()
    assert response.is_correct and Attempt.objects.get().position == 1
    assert Response.objects.count() == 1


def test_a_passage_not_in_the_source_is_refused_and_nothing_is_loaded(db, tmp_path):
    folder = _copy_banks(tmp_path)
    path = folder / "moscow-trials.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][-1]["passage"] = "Words the source never said."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CommandError, match=data["questions"][-1]["key"]):
        call_command("load_banks", str(folder), verbosity=0)
    assert not Question.objects.filter(quiz__slug="moscow-trials").exists()


def test_choice_rows_for_true_false_name_the_right_one():
    rows = rows_of({"type": "true_false", "answer": False})
    assert rows == [Row("True", is_correct=False), Row("False", is_correct=True)]


def test_the_demo_accounts_are_created_once(db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    from quizzes.models import User

    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"alice", "bob", "tess"}
    assert users["tess"].is_staff and not users["alice"].is_staff
    assert all(u.check_password("quizsite-demo") for u in users.values())


def test_the_demo_class_has_both_students_and_the_first_quiz(db):
    from quizzes.models import Classroom

    call_command("load_banks", verbosity=0)
    for _ in range(2):
        call_command("load_demo", verbosity=0)
    classroom = Classroom.objects.get()
    assert classroom.teacher.username == "tess"
    assert sorted(s.username for s in classroom.students.all()) == ["alice", "bob"]
    assert [a.quiz.slug for a in classroom.assignments.all()] == ["moscow-trials"]
