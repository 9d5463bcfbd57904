"""The data migrations of issue 20, run on data as it was before them: topics move into their
banks (0015), and assignments set before they had rules keep unlimited attempts and the best
score and adopt their students' attempts (0013)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_RULES = ("quizzes", "0011_question_image")
RULES = ("quizzes", "0013_existing_assignments_keep_their_rules")
BANKS = ("quizzes", "0015_topics_move_into_their_banks")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.fixture
def back_to_the_latest():
    yield
    call_command("migrate", verbosity=0)


def _question(apps, quiz, topic, key):
    return apps.get_model("quizzes", "Question").objects.create(
        quiz=quiz, key=key, position=1, type="single_choice", prompt="Who?", topic=topic
    )


def test_a_topic_of_two_banks_becomes_one_in_each(back_to_the_latest):
    apps = migrate(RULES)
    source = apps.get_model("quizzes", "SourceDocument")
    quiz = apps.get_model("quizzes", "Quiz")
    topic_model = apps.get_model("quizzes", "Topic")
    first, second = (source.objects.create(slug=s, title=s, text="t") for s in ("a", "b"))
    lesson = quiz.objects.create(slug="lesson", title="Lesson", source=first)
    pool = quiz.objects.create(slug="pool", title="Pool", source=first)
    theirs = quiz.objects.create(slug="theirs", title="Theirs", source=second)
    sourceless = quiz.objects.create(slug="imported", title="Imported")
    shared = topic_model.objects.create(name="Paragraph 1", slug="paragraph-1")
    unused = topic_model.objects.create(name="Unused", slug="unused")
    for n, q in enumerate((lesson, pool, theirs, sourceless)):
        _question(apps, q, shared, f"q{n}")

    apps = migrate(BANKS)
    question = apps.get_model("quizzes", "Question")
    topic_model = apps.get_model("quizzes", "Topic")
    banks = {
        q.quiz.slug: (q.topic.name, q.topic.source_id, q.topic.quiz_id)
        for q in question.objects.select_related("quiz", "topic__source")
    }
    assert banks == {
        "lesson": ("Paragraph 1", first.pk, None),
        "pool": ("Paragraph 1", first.pk, None),  # one source: one topic for its quizzes
        "theirs": ("Paragraph 1", second.pk, None),
        "imported": ("Paragraph 1", None, sourceless.pk),
    }
    assert topic_model.objects.filter(name="Paragraph 1").count() == 3
    assert topic_model.objects.get(pk=unused.pk).source_id is None


def test_assignments_keep_their_old_rules_and_adopt_their_attempts(back_to_the_latest):
    apps = migrate(BEFORE_RULES)
    user = apps.get_model("quizzes", "User")
    classroom = apps.get_model("quizzes", "Classroom")
    alice, tess = (user.objects.create(username=n) for n in ("alice", "tess"))
    quiz = apps.get_model("quizzes", "Quiz").objects.create(slug="q", title="Q")
    year10 = classroom.objects.create(name="Y10", teacher=tess, join_code="ACDEFGHJ")
    apps.get_model("quizzes", "Membership").objects.create(classroom=year10, student=alice)
    assignment = apps.get_model("quizzes", "Assignment").objects.create(classroom=year10, quiz=quiz)
    attempt = apps.get_model("quizzes", "Attempt")
    now = timezone.now()
    before = attempt.objects.create(
        user=alice, quiz=quiz, started_at=now - timedelta(days=9), finished_at=now
    )
    later = [
        attempt.objects.create(
            user=alice, quiz=quiz, started_at=now + timedelta(hours=h), finished_at=finished
        )
        for h, finished in ((1, now + timedelta(hours=1, minutes=5)), (2, None))
    ]

    apps = migrate(RULES)
    assignment = apps.get_model("quizzes", "Assignment").objects.get(pk=assignment.pk)
    assert (assignment.attempts_allowed, assignment.score_counts) == (None, "best")
    attempt = apps.get_model("quizzes", "Attempt")
    assert attempt.objects.get(pk=before.pk).assignment_id is None
    assert [
        (a.assignment_id, a.number)
        for a in attempt.objects.filter(pk__in=[a.pk for a in later]).order_by("started_at")
    ] == [
        (assignment.pk, 1),
        (assignment.pk, 2),
    ]
