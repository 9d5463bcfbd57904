"""Issue 21, point 7: an address a person can land on never gives a bare 405, a name that ends
with a full stop gets no second one, and text that needs JavaScript says so to the stylesheet."""

import pytest
from django.urls import reverse

from tests.conftest import htmx
from tests.factories import ClassroomFactory, MembershipFactory, QuizFactory

pytestmark = pytest.mark.django_db


class TestAVisitToAButtonsAddress:
    def test_review_by_its_address_is_a_readable_405_that_points_to_its_button(self, alice_client):
        response = alice_client.get(reverse("quizzes:review"))
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        page = response.content.decode()
        assert "This address is reached with a button" in page
        assert f'href="{reverse("quizzes:progress")}"' in page

    def test_starting_a_quiz_by_its_address_points_to_the_quizs_page(self, client, db):
        quiz = QuizFactory()
        response = client.get(reverse("quizzes:start", args=[quiz.slug]))
        assert response.status_code == 405
        assert f'href="{quiz.get_absolute_url()}"' in response.content.decode()

    def test_any_other_post_only_address_still_reads_as_a_page(self, alice_client):
        response = alice_client.get(reverse("quizzes:leaderboard_privacy"))
        assert response.status_code == 405
        assert "not a page to open by its address" in response.content.decode()

    def test_a_wrong_method_from_a_script_stays_a_bare_405(self, alice_client):
        assert alice_client.post(reverse("quizzes:progress")).content == b""
        response = alice_client.get(reverse("quizzes:review"), **htmx())
        assert (response.status_code, response.content) == (405, b"")


class TestNamesThatEndWithAFullStop:
    def test_choosing_to_be_named_again_says_the_name_with_one_full_stop(self, alice_client, alice):
        alice.display_name = "Carl W."
        alice.save()
        response = alice_client.post(
            reverse("quizzes:leaderboard_privacy"), {"anonymous": "0"}, follow=True
        )
        page = response.content.decode()
        assert "Classmates now see you as Carl W.<" in page
        assert "W.." not in page

    def test_a_name_without_one_gets_its_full_stop(self, alice_client, alice):
        classroom = ClassroomFactory(name="History 10B")
        response = alice_client.post(
            reverse("quizzes:join_class"), {"code": classroom.join_code}, follow=True
        )
        assert "You joined History 10B.<" in response.content.decode()


def test_the_live_board_note_is_marked_as_needing_javascript(client, alice):
    membership = MembershipFactory(student=alice)
    client.force_login(alice)
    page = client.get(reverse("quizzes:classroom", args=[membership.classroom_id]))
    assert '<span class="js-only">This board updates by itself' in page.content.decode()
