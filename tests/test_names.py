"""Names that could pass for someone else's (issue 17): look-alike usernames are refused at
sign-up, display names cannot hide characters or claim a role, and a teacher's gradebook tells
two students of the same name apart."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from quizzes.models import User
from quizzes.names import skeleton
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a long new password 42"


def _sign_up(username, display_name="New Student"):
    data = {"username": username, "display_name": display_name}
    return Client().post(reverse("signup"), {**data, "password1": PASSWORD, "password2": PASSWORD})


class TestSkeleton:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("sxs1", "ѕxs1"),  # Cyrillic dze
            ("alice", "аlice"),  # Cyrillic a
            ("alice", "AIice"),  # capital i for l
            ("alice", "Alice"),
            ("tess", "ｔｅｓｓ"),  # fullwidth
            ("bob1", "bobl"),
            ("O0", "0O"),
        ],
    )
    def test_look_alikes_share_one(self, a, b):
        assert skeleton(a) == skeleton(b)

    @pytest.mark.parametrize(("a", "b"), [("bob", "rob"), ("elise", "élise"), ("ana", "anna")])
    def test_different_names_do_not(self, a, b):
        assert skeleton(a) != skeleton(b)


class TestUsernames:
    @pytest.mark.parametrize("look_alike", ["ѕxs1", "SXS1", "sxsl", "ｓｘｓ１"])
    def test_a_username_that_looks_like_an_existing_one_is_refused(self, look_alike):
        UserFactory(username="sxs1")
        response = _sign_up(look_alike)
        assert response.status_code == 400
        page = response.content.decode()
        assert "looks too like someone else" in page or "already exists" in page
        assert User.objects.count() == 1

    def test_a_username_is_stored_normalised(self):
        assert _sign_up("ｍａｒｙ２").status_code == 302  # fullwidth, as some keyboards type
        user = User.objects.get()
        assert user.username == "mary2" and user.username_skeleton == skeleton("mary2")

    def test_an_older_look_alike_account_can_still_be_edited_but_not_renamed_to_one(self):
        UserFactory(username="alice")
        older = UserFactory(username="AIice")  # from before look-alikes were refused
        older.display_name = "Al"
        older.full_clean()
        older.username = "аlice"  # Cyrillic a
        with pytest.raises(ValidationError, match="looks too like"):
            older.full_clean()

    def test_a_new_name_unlike_any_other_is_welcome(self):
        UserFactory(username="sxs1")
        assert _sign_up("sxs2").status_code == 302


class TestDisplayNames:
    @pytest.mark.parametrize(
        "name",
        [
            "Alice\u202egnp.exe",  # right-to-left override
            "Al\u200bice",  # zero-width space
            "Alice\u200d",  # zero-width joiner
            "Alice\u2066",  # left-to-right isolate
            "Alice\x07",  # a control character
        ],
    )
    def test_hidden_and_direction_characters_are_refused(self, name):
        response = _sign_up("newcomer", name)
        assert response.status_code == 400
        assert "does not show or changes the direction" in response.content.decode()
        assert not User.objects.exists()

    @pytest.mark.parametrize("name", ["Tess (teacher)", "[Admin] Bob", "Bob {Head Teacher}"])
    def test_a_role_in_brackets_is_refused(self, name):
        response = _sign_up("newcomer", name)
        assert response.status_code == 400
        assert "without a role in brackets" in response.content.decode()

    @pytest.mark.parametrize(
        "name", ["Miss Teacherson", "Zoë O’Brien", "Ada (Ada L.)", "José-María", "李小龍"]
    )
    def test_ordinary_names_are_welcome(self, name):
        assert _sign_up("newcomer", name).status_code == 302
        assert User.objects.get().display_name == name


def test_the_gradebook_adds_usernames_where_classmates_names_look_the_same(client, tess):
    classroom = ClassroomFactory(teacher=tess)
    AssignmentFactory(classroom=classroom, quiz=QuizFactory())
    for username, name in [("sam1", "Sam"), ("sam2", "Ѕam"), ("zed", "Zed")]:  # Ѕ: Cyrillic
        MembershipFactory(
            classroom=classroom, student=UserFactory(username=username, display_name=name)
        )
    client.force_login(tess)
    page = client.get(reverse("quizzes:gradebook", args=[classroom.pk])).content.decode()
    assert ">Sam (sam1)</a>" in page and ">Ѕam (sam2)</a>" in page
    assert ">Zed</a>" in page
