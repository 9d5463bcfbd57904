"""A student's progress page is rendered once and kept until something it shows changes
(quizzes/views/progress.py): its key holds the progress version (the student's attempts, read
with the content stamp: AttemptQuerySet.progress_version) and the day, and an entry is dropped
when the next review falls due. Each test views the page, changes one thing, and views it again.
"""

import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from quizzes import signin
from quizzes.models import Attempt
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db
PROGRESS = reverse("quizzes:progress")


def progress(client) -> str:
    response = client.get(PROGRESS)
    assert response.status_code == 200
    return response.content.decode()


def answer(client, attempt, number, *, right):
    attempt.refresh_from_db()
    question = attempt.quiz.questions.get(pk=attempt.question_ids[number - 1])
    data = answer_data(attempt, question, right=right)
    client.post(reverse("quizzes:answer", args=[attempt.pk, number]), data, **HTMX)


def keep_signed_in(client):
    """The session outlives the next days ("Keep me signed in on this device")."""
    session = client.session
    session[signin.SESSION_ENDS_AT] = time.time() + signin.KEEP_SIGNED_IN.total_seconds()
    session.set_expiry(int(signin.KEEP_SIGNED_IN.total_seconds()))
    session.save()


@pytest.fixture
def quiz(db):
    quiz = QuizFactory(title="The troika")
    for _ in range(2):
        single_choice_question(quiz=quiz)
    return quiz


def test_an_answer_changes_the_page(alice_client, alice, quiz):
    attempt = start_attempt(user=alice, quiz=quiz)
    assert "Unfinished: 0 of 2 answered." in progress(alice_client)
    answer(alice_client, attempt, 1, right=False)
    page = progress(alice_client)
    assert "Unfinished: 1 of 2 answered." in page
    assert "<strong>1</strong> mistake to put right" in page


def test_finishing_a_quiz_shows_its_score(alice_client, alice, quiz):
    attempt = start_attempt(user=alice, quiz=quiz)
    answer(alice_client, attempt, 1, right=True)
    assert "Finish a quiz and your scores will appear here." in progress(alice_client)
    answer(alice_client, attempt, 2, right=True)
    page = progress(alice_client)
    assert "Finish a quiz and your scores will appear here." not in page
    assert "100%" in page


def test_starting_a_quiz_shows_it(alice_client, alice, quiz):
    attempt = start_attempt(user=alice, quiz=quiz)
    answer(alice_client, attempt, 1, right=True)
    answer(alice_client, attempt, 2, right=True)
    assert "Resume quiz" not in progress(alice_client)
    alice_client.post(reverse("quizzes:start", args=[quiz.slug]))
    assert "Resume quiz" in progress(alice_client)


def test_a_deleted_attempt_goes(alice_client, alice, quiz):
    start_attempt(user=alice, quiz=quiz)
    assert "The troika" in progress(alice_client)
    Attempt.objects.filter(user=alice).delete()
    assert "Unfinished" not in progress(alice_client)


def test_an_edit_to_content_shows_at_once(alice_client, alice, quiz):
    attempt = start_attempt(user=alice, quiz=quiz)
    answer(alice_client, attempt, 1, right=True)
    topic = quiz.questions.first().topic
    assert topic.name in progress(alice_client)
    topic.name = "The Great Terror"
    topic.save()  # moves the content stamp
    assert "The Great Terror" in progress(alice_client)


def test_a_review_falling_due_shows_without_an_answer(alice_client, alice, quiz):
    attempt = start_attempt(user=alice, quiz=quiz)
    answer(alice_client, attempt, 1, right=False)  # back for review in a day
    assert "<strong>0</strong> questions due for review" in progress(alice_client)
    keep_signed_in(alice_client)
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert "<strong>1</strong> question due for review" in progress(alice_client)


def test_the_teacher_and_the_student_each_get_their_own(client, alice_client, alice, teacher, quiz):
    MembershipFactory(student=alice, classroom=ClassroomFactory(teacher=teacher))
    start_attempt(user=alice, quiz=quiz)
    assert "Resume quiz" in progress(alice_client)
    client.force_login(teacher)
    page = client.get(reverse("quizzes:student_progress", args=[alice.pk])).content.decode()
    assert "The troika" in page and "Resume quiz" not in page
