"""Who may do what in the teacher's admin: the Teachers group's permissions, and the matrix of
teacher, other teacher, student and anonymous over banks, classes and results."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from quizzes.admin.access import TEACHER_PERMISSIONS, TEACHERS, teacher_codenames, teachers_group
from quizzes.models import Quiz
from tests.admin_helpers import finished_attempt, make_quiz
from tests.factories import ClassroomFactory, MembershipFactory, UserFactory


@pytest.fixture
def world(teacher, other_teacher, alice, bob):
    """Each teacher with a quiz and a class of one student who has finished that quiz."""
    mine, theirs = make_quiz(teacher), make_quiz(other_teacher)
    my_class = ClassroomFactory(teacher=teacher, name="Tess's class")
    their_class = ClassroomFactory(teacher=other_teacher, name="Otto's class")
    MembershipFactory(classroom=my_class, student=alice)
    MembershipFactory(classroom=their_class, student=bob)
    questions = list(mine.questions.all())
    my_attempt = finished_attempt(alice, mine, questions, [True] * len(questions))
    their_attempt = finished_attempt(bob, mine, questions, [False] * len(questions))
    return {
        "my_quiz": mine,
        "their_quiz": theirs,
        "my_question": mine.questions.first(),
        "their_question": theirs.questions.first(),
        "my_class": my_class,
        "their_class": their_class,
        "my_attempt": my_attempt,
        "their_attempt": their_attempt,
        "my_response": my_attempt.responses.first(),
        "their_response": their_attempt.responses.first(),
    }


def change_url(obj, action="change"):
    return reverse(f"admin:quizzes_{obj._meta.model_name}_{action}", args=[obj.pk])


# The group


def test_it_gives_teachers_exactly_the_permissions_they_need(db):
    group = teachers_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == teacher_codenames()
    assert "view_user" not in codenames and "change_attempt" not in codenames
    assert len(codenames) == 30


def test_the_migration_creates_the_same_group(db):
    Group.objects.filter(name=TEACHERS).delete()
    migration = importlib.import_module("quizzes.migrations.0004_teachers_group")
    assert migration.PERMISSIONS == TEACHER_PERMISSIONS
    migration.create_teachers_group(apps, None)
    group = Group.objects.get(name=TEACHERS)
    assert set(group.permissions.values_list("codename", flat=True)) == teacher_codenames()


def test_a_teacher_is_staff_in_the_group_and_not_a_superuser(teacher):
    assert teacher.is_staff and not teacher.is_superuser
    assert teacher.groups.filter(name=TEACHERS).exists()


# Who reaches the admin at all

ADMIN_PAGES = [
    "admin:index",
    "admin:quizzes_quiz_changelist",
    "admin:quizzes_question_changelist",
    "admin:quizzes_derive",
    "admin:quizzes_quiz_import_new",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_students_cannot_reach_the_admin(client, alice, name):
    client.force_login(alice)
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_students_cannot_reach_a_quizs_own_pages(client, alice, world):
    client.force_login(alice)
    quiz = world["my_quiz"]
    for name in ("report", "preview", "import"):
        response = client.get(reverse(f"admin:quizzes_quiz_{name}", args=[quiz.pk]))
        assert response.status_code == 302, name


def test_staff_outside_the_group_can_do_nothing(client, db):
    client.force_login(UserFactory(username="newbie", is_staff=True))
    assert client.get(reverse("admin:quizzes_quiz_changelist")).status_code == 403
    assert client.get(reverse("admin:quizzes_derive")).status_code == 403


# Question banks: shared to read, changed by their owner


def test_a_teacher_changes_their_own_quiz(client, teacher, world):
    client.force_login(teacher)
    response = client.get(change_url(world["my_quiz"]))
    assert response.status_code == 200
    assert b'name="_save"' in response.content


def test_a_teacher_reads_another_teachers_quiz_but_cannot_change_it(client, teacher, world):
    client.force_login(teacher)
    quiz = world["their_quiz"]
    response = client.get(change_url(quiz))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert b"belongs to Otto" in response.content
    data = {"title": "Mine now", "slug": quiz.slug, "status": "draft"}
    assert client.post(change_url(quiz), data).status_code == 403
    assert client.post(change_url(quiz, "delete"), {"post": "yes"}).status_code == 403
    quiz.refresh_from_db()
    assert quiz.title != "Mine now"


def test_a_teacher_cannot_change_another_teachers_question(client, teacher, world):
    client.force_login(teacher)
    question = world["their_question"]
    response = client.get(change_url(question))
    assert response.status_code == 200 and b'name="_save"' not in response.content
    assert client.post(change_url(question), {"prompt": "Changed"}).status_code == 403
    assert client.post(change_url(question, "delete"), {"post": "yes"}).status_code == 403


def test_a_question_can_only_be_put_into_the_teachers_own_quizzes(client, teacher, world):
    client.force_login(teacher)
    response = client.get(reverse("admin:quizzes_question_add"))
    choices = response.context["adminform"].form.fields["quiz"].queryset
    assert list(choices) == [world["my_quiz"]]


def test_other_teachers_quizzes_are_shared_to_preview_report_and_export(client, teacher, world):
    client.force_login(teacher)
    quiz = world["their_quiz"]
    assert client.get(reverse("admin:quizzes_quiz_preview", args=[quiz.pk])).status_code == 200
    assert client.get(reverse("admin:quizzes_quiz_report", args=[quiz.pk])).status_code == 200
    assert (
        client.get(reverse("admin:quizzes_quiz_export", args=[quiz.pk, "gift"])).status_code == 200
    )
    assert client.get(reverse("admin:quizzes_quiz_import", args=[quiz.pk])).status_code == 403


def test_a_quiz_that_does_not_exist_is_404_everywhere(client, teacher, db):
    client.force_login(teacher)
    for url in (
        reverse("admin:quizzes_quiz_change", args=[999]),
        reverse("admin:quizzes_quiz_report", args=[999]),
        reverse("admin:quizzes_quiz_preview", args=[999]),
        reverse("admin:quizzes_quiz_export", args=[999, "xml"]),
        reverse("admin:quizzes_question_preview", args=[999]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_new_quiz_belongs_to_the_teacher_who_adds_it(client, teacher, db):
    client.force_login(teacher)
    response = client.post(
        reverse("admin:quizzes_quiz_add"),
        {
            "title": "The Berlin Wall",
            "slug": "the-berlin-wall",
            "description": "",
            "status": "draft",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Quiz.objects.get(slug="the-berlin-wall").owner == teacher


# Classes and results: private to their teacher


@pytest.mark.parametrize(
    ("key", "actions"),
    [
        ("their_class", ("change", "delete", "history")),
        ("their_attempt", ("change", "history")),
        ("their_response", ("change", "history")),
    ],
)
def test_another_teachers_classes_and_results_do_not_exist_for_a_teacher(
    client, teacher, world, key, actions
):
    client.force_login(teacher)
    for action in actions:
        response = client.get(change_url(world[key], action))
        assert response.status_code == 404, action
        assert f'id="{world[key]._meta.model_name}_form"'.encode() not in response.content


def test_a_teacher_sees_their_own_class_and_their_students_results(client, teacher, world):
    client.force_login(teacher)
    for key in ("my_class", "my_attempt", "my_response"):
        assert client.get(change_url(world[key])).status_code == 200, key


@pytest.mark.parametrize(
    ("model", "mine", "theirs"),
    [
        ("classroom", "Tess&#x27;s class", "Otto&#x27;s class"),
        ("attempt", "Alice", "Bob"),
        ("response", "Alice", "Bob"),
    ],
)
def test_the_lists_hold_only_the_teachers_own(client, teacher, world, model, mine, theirs):
    client.force_login(teacher)
    response = client.get(reverse(f"admin:quizzes_{model}_changelist"))
    assert mine.encode() in response.content
    assert theirs.encode() not in response.content


def test_recorded_results_are_read_only_even_for_their_teacher(client, teacher, world):
    client.force_login(teacher)
    attempt = world["my_attempt"]
    response = client.get(change_url(attempt))
    assert b'name="_save"' not in response.content
    assert client.post(change_url(attempt), {"score": "0"}).status_code == 403
    assert client.get(reverse("admin:quizzes_attempt_add")).status_code == 403


def test_a_class_added_by_a_teacher_is_theirs(client, teacher, db):
    client.force_login(teacher)
    response = client.post(
        reverse("admin:quizzes_classroom_add"),
        {
            "name": "10B History",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert teacher.classrooms_taught.get().name == "10B History"


def test_users_are_for_superusers_only(client, teacher, db):
    client.force_login(teacher)
    assert client.get(reverse("admin:quizzes_user_changelist")).status_code == 403
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("admin:quizzes_user_changelist")).status_code == 200


def test_a_superuser_sees_and_changes_everything(client, world):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for key in ("their_class", "their_attempt", "my_class"):
        assert client.get(change_url(world[key])).status_code == 200
    response = client.get(change_url(world["their_quiz"]))
    assert b'name="_save"' in response.content


def test_the_class_page_offers_the_gradebook(client, teacher, world):
    client.force_login(teacher)
    classroom = world["my_class"]
    gradebook = reverse("quizzes:gradebook_csv", args=[classroom.pk])
    assert gradebook.encode() in client.get(change_url(classroom)).content
    assert gradebook.encode() in client.get(reverse("admin:quizzes_classroom_changelist")).content
