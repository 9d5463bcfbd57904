"""HTMX requests whose session has ended, or whose class is gone: the page as a whole goes
where it should (the login page, then back; the 404 page) instead of swapping a login form or
an error into a fragment, or polling a board that no longer exists every few seconds."""

import pytest
from django.urls import reverse

from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.conftest import htmx
from tests.factories import ClassroomFactory, MembershipFactory, single_choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(alice):
    classroom = ClassroomFactory()
    MembershipFactory(classroom=classroom, student=alice)
    return classroom


class TestAnEndedSession:
    def test_a_board_poll_sends_the_page_to_the_login_and_back(self, client, classroom):
        page = classroom.get_absolute_url()
        response = client.get(f"{page}?board=week&since=abc", **htmx(page))
        assert response.status_code == 200 and response.content == b""
        assert response["HX-Redirect"] == f"/accounts/login/?next={page}"

    def test_an_answer_goes_back_to_the_quiz_not_to_the_answer_url(self, client, alice):
        question = single_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page = attempt.get_absolute_url()
        url = reverse("quizzes:answer", args=[attempt.pk, 1])
        response = client.post(url, answer_data(attempt, question, right=True), **htmx(page))
        assert response["HX-Redirect"] == f"/accounts/login/?next={page}"
        assert not attempt.responses.exists()

    def test_without_a_page_of_ours_it_comes_back_home(self, client, classroom):
        response = client.get(classroom.get_absolute_url(), **htmx())
        assert response["HX-Redirect"] == "/accounts/login/?next=/"
        elsewhere = {**htmx(), "HTTP_HX_CURRENT_URL": "https://evil.example/classes/"}
        response = client.get(classroom.get_absolute_url(), **elsewhere)
        assert response["HX-Redirect"] == "/accounts/login/?next=/"

    def test_without_htmx_it_is_the_usual_redirect(self, client, classroom):
        response = client.get(classroom.get_absolute_url())
        assert response.status_code == 302 and "HX-Redirect" not in response
        assert response.url == f"/accounts/login/?next={classroom.get_absolute_url()}"

    def test_a_signed_in_htmx_request_is_left_alone(self, alice_client, classroom):
        response = alice_client.get(classroom.get_absolute_url(), **htmx())
        assert response.status_code == 200 and "HX-Redirect" not in response
        assert 'id="leaderboard"' in response.content.decode()


class TestARemovedStudent:
    def test_their_open_board_reloads_into_the_404_page(self, alice_client, classroom, alice):
        page = classroom.get_absolute_url()
        assert alice_client.get(page, **htmx(page)).status_code == 200
        classroom.remove_student(alice.pk)
        response = alice_client.get(f"{page}?board=week", **htmx(page))
        assert response.status_code == 404 and response["HX-Refresh"] == "true"
        assert b"leaderboard" not in response.content
        reloaded = alice_client.get(page)
        assert reloaded.status_code == 404 and "HX-Refresh" not in reloaded
