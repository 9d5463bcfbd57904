"""A read replica for the teachers' dashboards (quizzes/db.py): with DATABASE_REPLICA_URL set,
the gradebook and the question and quiz analysis read it; students' pages never do, so a
student always reads their own answers back from the primary.

The "replica" alias in these tests is what settings.py makes of DATABASE_REPLICA_URL under
test (TEST MIRROR): a connection of its own to the test database. It only sees committed rows,
so the tests that use it commit theirs (transaction=True)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import analysis
from quizzes.db import dashboard_db
from tests.admin_helpers import finished_attempt
from tests.factories import (
    AssignmentFactory,
    MembershipFactory,
    QuizFactory,
    UserFactory,
    single_choice_question,
)

ROOT = Path(__file__).resolve().parents[1]
with_replica = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def databases_with(env: dict[str, str]) -> dict:
    """settings.DATABASES as a process started with `env` sees them."""
    code = "import json; from quizsite import settings; print(json.dumps(settings.DATABASES))"
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_replica_url_there_is_no_replica_alias():
    assert sorted(databases_with({})) == ["default"]


def test_a_replica_url_adds_a_replica_alias_that_mirrors_default_under_test():
    replica = databases_with({"DATABASE_REPLICA_URL": "postgres://reader@replica.internal/quiz"})[
        "replica"
    ]
    assert replica["HOST"] == "replica.internal" and replica["NAME"] == "quiz"
    assert replica["TEST"] == {"MIRROR": "default"}


def test_dashboards_read_the_primary_when_there_is_no_replica(monkeypatch):
    # pytest-django runs this after the tests below, whose module fixture adds the alias.
    monkeypatch.delitem(settings.DATABASES, "replica", raising=False)
    assert dashboard_db() == "default"


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """The "replica" alias as settings.py configures it from DATABASE_REPLICA_URL, pointing at
    the test database like Django's TEST MIRROR does (connections.settings is
    settings.DATABASES)."""
    if "replica" in settings.DATABASES:  # DATABASE_REPLICA_URL is set: Django mirrors it
        yield "replica"
        return
    default = connections["default"].settings_dict
    settings.DATABASES["replica"] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    assert connections.settings is settings.DATABASES
    yield "replica"
    connections["replica"].close()
    del connections["replica"]
    del settings.DATABASES["replica"]


def tables(queries: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


@with_replica
@pytest.mark.parametrize("page", ["gradebook", "gradebook_csv"])
def test_the_gradebook_reads_the_class_its_students_quizzes_and_attempts_from_the_replica(
    client, replica, tess, page
):
    assert dashboard_db() == "replica"
    quiz = QuizFactory(title="The troika")
    assignment = AssignmentFactory(classroom__teacher=tess, quiz=quiz)
    classroom = assignment.classroom
    ada = MembershipFactory(classroom=classroom, student__display_name="Ada Lovelace").student
    question = single_choice_question(quiz=quiz)
    finished_attempt(ada, quiz, [question], [True], assignment=assignment)
    client.force_login(tess)
    client.get(reverse("quizzes:classes"))  # the first request caches the user
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(reverse(f"quizzes:{page}", args=[classroom.pk]))
    assert response.status_code == 200
    assert "Ada Lovelace" in response.content.decode() and "100" in response.content.decode()
    read = tables(on_replica)
    for table in ("quizzes_classroom", "quizzes_membership", "quizzes_assignment"):
        assert table in read, f"{table} not read from the replica"
    assert "quizzes_attempt" in read, "the attempts not read from the replica"
    assert "quizzes_attempt" not in tables(on_primary)


@with_replica
def test_the_quiz_report_reads_its_statistics_from_the_replica(client, replica, tess):
    quiz = QuizFactory(owner=tess)
    question = single_choice_question(quiz=quiz)
    finished_attempt(UserFactory(), quiz, [question], [False])
    client.force_login(tess)
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(reverse("admin:quizzes_quiz_report", args=[quiz.pk]))
    assert response.status_code == 200 and "Kirov" in response.content.decode()
    # The report's questions, their responses and the quiz's attempts: all from the replica.
    assert "quizzes_response" in tables(on_replica)
    assert "quizzes_attempt" in tables(on_replica)
    assert "quizzes_response" not in tables(on_primary)


@with_replica
def test_analysis_runs_every_query_on_the_replica(replica):
    quiz = QuizFactory()
    question = single_choice_question(quiz=quiz)
    finished_attempt(UserFactory(), quiz, [question], [True])
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        assert list(analysis.report_questions(quiz)) == [question]
        assert analysis.question_stats([question.pk], quiz=quiz)[question.pk].right == 1
        assert analysis.quiz_stats(quiz).attempts == 1
    assert len(on_replica) == 5 and len(on_primary) == 0


@with_replica
def test_a_student_answering_and_reading_their_progress_never_touches_the_replica(
    client, replica, tess
):
    from quizzes.models.attempts import start_attempt
    from tests.answers import answer_data

    quiz = QuizFactory()
    question = single_choice_question(quiz=quiz)
    classroom = AssignmentFactory(classroom__teacher=tess, quiz=quiz).classroom
    ada = MembershipFactory(classroom=classroom).student
    client.force_login(ada)
    attempt = start_attempt(user=ada, quiz=quiz)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        answered = client.post(
            reverse("quizzes:answer", args=[attempt.pk, 1]),
            answer_data(attempt, question, right=True),
            HTTP_HX_REQUEST="true",
        )
        assert answered.status_code == 200 and "Correct" in answered.content.decode()
        for url in ("quizzes:home", "quizzes:progress", "quizzes:classes"):
            assert client.get(reverse(url)).status_code == 200
        assert client.get(reverse("quizzes:classroom", args=[classroom.pk])).status_code == 200
    assert len(on_replica) == 0


@with_replica
def test_a_teacher_reads_a_student_s_progress_from_the_replica(client, replica, tess):
    quiz = QuizFactory(title="The troika")
    question = single_choice_question(quiz=quiz)
    classroom = AssignmentFactory(classroom__teacher=tess, quiz=quiz).classroom
    ada = MembershipFactory(classroom=classroom, student__display_name="Ada Lovelace").student
    finished_attempt(ada, quiz, [question], [True])
    client.force_login(tess)
    page = reverse("quizzes:student_progress", args=[ada.pk])
    client.get(reverse("quizzes:classes"))  # the first request caches the user
    with (
        CaptureQueriesContext(connections[replica]) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        response = client.get(page)
    assert response.status_code == 200 and "The troika" in response.content.decode()
    # Her attempts and her mastery (questions joined to her progress rows): from the replica.
    assert "quizzes_attempt" in tables(on_replica)
    assert "quizzes_questionprogress" in tables(on_replica)
    assert "quizzes_attempt" not in tables(on_primary)
