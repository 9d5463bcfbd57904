"""Issue 21, point 5: encouragement without speed. A run of right answers during a quiz ("3 in
a row"), a daily practice streak and the strong topics on My progress, and an honest word on
the results against the last try. Nothing here counts time taken."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from quizzes.models import Question, Response
from quizzes.models.attempts import practice_streak, start_attempt
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import QuizFactory, ResponseFactory, single_choice_question

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("days", "streak"),
    [
        ([], 0),
        ([TODAY], 1),
        ([TODAY, TODAY - timedelta(1), TODAY - timedelta(2)], 3),
        ([TODAY - timedelta(1), TODAY - timedelta(2)], 2),  # today not over yet
        ([TODAY - timedelta(2), TODAY - timedelta(3)], 0),  # a day missed
        ([TODAY, TODAY - timedelta(2)], 1),
    ],
)
def test_the_practice_streak_counts_days_in_a_row(days, streak):
    assert practice_streak(days, TODAY) == streak


def status(page: str) -> str:
    return re.search(r'<p id="quiz-status" hx-swap-oob="innerHTML">(.*?)</p>', page)[1]


@pytest.mark.django_db
class TestARunOfRightAnswers:
    def test_three_right_in_a_row_are_cheered_and_a_wrong_one_ends_the_run(
        self, alice_client, alice
    ):
        quiz = QuizFactory()
        for _ in range(6):
            single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        shown = []
        for number, right in enumerate([True, True, True, True, False, True], start=1):
            attempt.refresh_from_db()
            question = Question.objects.get(pk=attempt.question_ids[number - 1])
            page = alice_client.post(
                reverse("quizzes:answer", args=[attempt.pk, number]),
                answer_data(attempt, question, right=right),
                **HTMX,
            ).content.decode()
            found = re.search(r'<p class="run-of-right">.*?(\d+) in a row</p>', page, re.S)
            shown.append(int(found[1]) if found else 0)
        assert shown == [0, 0, 3, 4, 0, 0]
        assert status(page) == "Correct."
        # The feedback page of the latest answer says it again; an earlier one does not.
        feedback = alice_client.get(reverse("quizzes:feedback", args=[attempt.pk, 4]))
        assert "in a row" not in feedback.content.decode()

    def test_a_repeated_post_does_not_count_itself_twice(self, alice_client, alice):
        quiz = QuizFactory()
        for _ in range(3):
            single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        for number in (1, 2, 3):
            question = Question.objects.get(pk=attempt.question_ids[number - 1])
            data = answer_data(attempt, question, right=True)
            url = reverse("quizzes:answer", args=[attempt.pk, number])
            alice_client.post(url, data, **HTMX)
        again = alice_client.post(url, data, **HTMX).content.decode()
        assert "3 in a row" in again and status(again) == "Correct. 3 in a row."
        page = alice_client.get(reverse("quizzes:feedback", args=[attempt.pk, 3]))
        assert "3 in a row" in page.content.decode()


@pytest.mark.django_db
class TestMyProgressEncourages:
    def test_it_shows_the_daily_streak(self, alice_client, alice, quiz):
        question = quiz.questions.first()
        for back in (0, 1, 2):
            response = ResponseFactory(user=alice, question=question)
            Response.objects.filter(pk=response.pk).update(
                answered_at=response.answered_at - timedelta(days=back)
            )
        page = alice_client.get(reverse("quizzes:progress")).content.decode()
        assert "3 days of practice in a row" in page

    def test_no_streak_no_word(self, alice_client):
        assert "in a row" not in alice_client.get(reverse("quizzes:progress")).content.decode()


@pytest.mark.django_db
class TestTheResultsCompareHonestly:
    def take(self, client, user, quiz, rights):
        attempt = start_attempt(user=user, quiz=quiz)
        for number, right in enumerate(rights, start=1):
            attempt.refresh_from_db()
            question = Question.objects.get(pk=attempt.question_ids[number - 1])
            client.post(
                reverse("quizzes:answer", args=[attempt.pk, number]),
                answer_data(attempt, question, right=right),
            )
        return client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()

    def test_better_same_and_worse(self, alice_client, alice):
        quiz = QuizFactory()
        for _ in range(4):
            single_choice_question(quiz=quiz)
        first = self.take(alice_client, alice, quiz, [True, False, False, False])
        assert 'class="comparison"' not in first
        better = self.take(alice_client, alice, quiz, [True, True, True, True])
        assert "You beat your last score on this quiz by 3 questions." in better
        same = self.take(alice_client, alice, quiz, [True, True, True, True])
        assert "The same as last time: 4 right." in same
        worse = self.take(alice_client, alice, quiz, [True, True, False, False])
        assert "2 fewer right than last time (4): the answers to look at again are below." in worse
