"""The results' review is rendered once and kept (quizzes/views/students.py, results): a
finished attempt's answers never change, so it is kept under the attempt and the content
stamp; each answer's review is kept under its question, the answer and the stamp, so that a
class giving the same answers renders each once. An edit to content shows at once, and no
student ever sees another's answers.
"""

import pytest
from django.urls import reverse

from quizzes.models import Question
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def finish(client, attempt, right):
    """Answer every question of `attempt`, right where `right(number)` says so."""
    for number in range(1, attempt.total + 1):
        attempt.refresh_from_db()
        question = Question.objects.get(pk=attempt.question_ids[number - 1])
        data = answer_data(attempt, question, right=right(number))
        client.post(reverse("quizzes:answer", args=[attempt.pk, number]), data, **HTMX)
    attempt.refresh_from_db()
    return attempt


def results(client, attempt) -> str:
    response = client.get(reverse("quizzes:results", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def review(page: str) -> str:
    """The results below the score card (the card has a form, with its CSRF token)."""
    return page[page.index('<section class="results-section"') :].split("</main>")[0].strip()


@pytest.fixture
def finished(alice_client, alice, quiz):
    """Alice's attempt at the quiz of every type, the odd questions right."""
    return finish(alice_client, start_attempt(user=alice, quiz=quiz), lambda n: n % 2 == 1)


def test_a_second_view_reads_only_the_attempt_and_its_quiz(
    alice_client, finished, django_assert_num_queries
):
    first = results(alice_client, finished)
    # the attempt with the stamp, whether its quiz is still open to her; the review is kept
    with django_assert_num_queries(2):
        again = results(alice_client, finished)
    assert review(again) == review(first)
    assert "To look at again (3)" in again and "Right (4)" in again


def test_an_edit_to_a_question_shows_at_once(alice_client, finished, quiz):
    results(alice_client, finished)
    question = quiz.questions.get(type="single_choice")
    question.explanation = "Stalin had him deported to Alma-Ata first."
    question.save()  # moves the content stamp
    page = results(alice_client, finished)
    assert "Stalin had him deported to Alma-Ata first." in page


def test_an_edit_to_a_choice_shows_at_once(alice_client, finished, quiz):
    results(alice_client, finished)
    choice = quiz.questions.get(type="single_choice").choices.get(is_correct=True)
    choice.text = "In nineteen twenty-nine"
    choice.save()
    assert "In nineteen twenty-nine" in results(alice_client, finished)


def test_a_classmate_with_the_same_answers_is_not_rendered_again(
    client, alice_client, finished, quiz, monkeypatch
):
    results(alice_client, finished)
    bob = UserFactory()
    client.force_login(bob)
    attempt = start_attempt(user=bob, quiz=quiz)
    attempt.seed = finished.seed  # the same order of options: the same wrong ones chosen
    attempt.save()
    attempt = finish(client, attempt, lambda n: n % 2 == 1)
    read = []
    real = Question.cached_many

    def cached_many(pks, **kwargs):
        read.append(pks := list(pks))
        return real(pks, **kwargs)

    monkeypatch.setattr(Question, "cached_many", cached_many)
    page = results(client, attempt)
    assert read == []  # every answer's review came from the cache: no question was read
    assert "To look at again (3)" in page and "Right (4)" in page


def test_each_student_sees_their_own_answers(client, alice_client, finished, quiz):
    alices = results(alice_client, finished)
    bob = UserFactory()
    client.force_login(bob)
    attempt = finish(client, start_attempt(user=bob, quiz=quiz), lambda n: True)
    bobs = results(client, attempt)
    assert "To look at again" not in bobs and "Right (7)" in bobs
    assert bobs.count('<li class="review is-correct">') == 7
    assert alices.count('<li class="review is-correct">') == 4
    # Bob's short answer is the accepted one, Alice's the wrong one she typed.
    assert "Nobody in particular" in alices and "Nobody in particular" not in bobs


def test_the_fragment_and_the_page_share_the_review(alice_client, finished):
    page = results(alice_client, finished)
    fragment = alice_client.get(
        reverse("quizzes:results", args=[finished.pk]), **HTMX
    ).content.decode()
    assert "<html" not in fragment
    assert review(page) in fragment


def test_right_answers_held_back_show_once_the_due_date_passes(alice_client, alice):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from quizzes import signin
    from tests.factories import AssignmentFactory, MembershipFactory, single_choice_question

    question = single_choice_question()
    assignment = AssignmentFactory(
        quiz=question.quiz,
        due_at=timezone.now() + timedelta(days=1),
        attempts_allowed=2,
        answers_shown="due-date",
    )
    MembershipFactory(student=alice, classroom=assignment.classroom)
    attempt = finish(
        alice_client,
        start_attempt(user=alice, quiz=question.quiz, assignment=assignment),
        lambda n: False,
    )
    right = question.choices.get(is_correct=True).text
    page = results(alice_client, attempt)
    assert "Your teacher shows the right answers after the due date." in page
    assert right not in review(page)
    session = alice_client.session  # kept signed in past the day
    session[signin.SESSION_ENDS_AT] = timezone.now().timestamp() + 3 * 86400
    session.set_expiry(3 * 86400)
    session.save()
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        page = results(alice_client, attempt)
    assert "after the due date" not in page
    assert right in review(page)
