"""Migration 0019: attempts keep their run of right answers as a field; attempts from before it
get the run their responses make (the latest right ones, back to the last wrong one)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("quizzes", "0018_merge_20261206_1732")
AFTER = ("quizzes", "0019_attempt_run_of_right")


def migrate(target):
    MigrationExecutor(connection).migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.fixture
def back_to_the_latest():
    yield
    call_command("migrate", verbosity=0)


def test_each_attempt_gets_the_run_its_answers_end(back_to_the_latest):
    apps = migrate(BEFORE)
    alice = apps.get_model("quizzes", "User").objects.create(username="alice")
    quiz = apps.get_model("quizzes", "Quiz").objects.create(slug="q", title="Q")
    topic = apps.get_model("quizzes", "Topic").objects.create(name="T", slug="t", quiz=quiz)
    questions = [
        apps.get_model("quizzes", "Question").objects.create(
            quiz=quiz,
            key=f"q{n}",
            position=n,
            type="single_choice",
            prompt=f"Who {n}?",
            topic=topic,
        )
        for n in range(5)
    ]
    attempts = {}
    for name, answers in {
        "two": [True, False, True, True],
        "none": [True, True, False],
        "all": [True, True, True, True, True],
        "empty": [],
    }.items():
        attempt = apps.get_model("quizzes", "Attempt").objects.create(
            user=alice, quiz=quiz, finished_at=timezone.now()
        )
        for question, right in zip(questions, answers, strict=False):
            apps.get_model("quizzes", "Response").objects.create(
                attempt=attempt, question=question, user=alice, answer={}, score=int(right),
                points=int(right), is_correct=right,
            )  # fmt: skip
        attempts[name] = attempt.pk

    apps = migrate(AFTER)
    runs = dict(apps.get_model("quizzes", "Attempt").objects.values_list("pk", "run_of_right"))
    assert {name: runs[pk] for name, pk in attempts.items()} == {
        "two": 2,
        "none": 0,
        "all": 5,
        "empty": 0,
    }
