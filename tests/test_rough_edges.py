"""Rough edges a student or a teacher ran into, each fixed and kept fixed (the browser's side is
tests/browser/test_rough_edges.py)."""

import re

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, ClassroomFactory, MembershipFactory, QuizFactory

pytestmark = pytest.mark.django_db


def test_the_class_page_states_an_assignment_s_rules_for_the_teacher(client, tess, alice):
    """The teacher read the student's words ("your best counts") run into the print links;
    now the rules are the teacher's and on a line of their own."""
    classroom = ClassroomFactory(teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    quiz = QuizFactory(title="The Kirov affair", owner=tess, shared=False)
    AssignmentFactory(classroom=classroom, quiz=quiz, attempts_allowed=2, score_counts="best")

    client.force_login(tess)
    page = client.get(reverse("quizzes:manage_class", args=[classroom.pk])).content.decode()
    assert re.search(r'class="meta line">No due date · 2 attempts, the best counts<', page)
    assert "your best counts" not in page
    assert 'class="meta line">Print: ' in page

    client.force_login(alice)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "2 attempts, your best counts." in page


def unnamed_inline_fields(page: str, prefix: str) -> list[str]:
    """The fields of a tabular inline's rows that have neither a label nor an aria-label."""
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', page))
    unnamed = []
    for tag in re.findall(
        rf'<(?:input|select|textarea)[^>]* name="{prefix}-\d+-[^"]+"[^>]*>', page
    ):
        hidden = 'type="hidden"' in tag
        field_id = re.search(r' id="([^"]+)"', tag)
        if not hidden and "aria-label=" not in tag and field_id[1] not in labelled:
            unnamed.append(tag)
    return unnamed


def test_every_field_of_the_admin_s_rows_has_a_name(client, tess, alice):
    """A screen reader said only "spin button" for a row's order and "combo box" for its status
    or its quiz (axe: critical); each now says its column: "Order", "Status", "Quiz", "Delete"."""
    from tests.factories import single_choice_question

    quiz = QuizFactory(owner=tess)
    question = single_choice_question(quiz=quiz)
    classroom = ClassroomFactory(teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    client.force_login(tess)
    pages = {
        "questions": reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        "choices": reverse("admin:quizzes_question_change", args=[question.pk]),
        "assignments": reverse("admin:quizzes_classroom_change", args=[classroom.pk]),
        "memberships": reverse("admin:quizzes_classroom_change", args=[classroom.pk]),
    }
    for prefix, url in pages.items():
        page = client.get(url).content.decode()
        assert re.search(rf'name="{prefix}-0-', page)
        assert unnamed_inline_fields(page, prefix) == [], url
    assert 'aria-label="Quiz" id="id_assignments-0-quiz"' in page
    assert 'aria-label="Due at: date"' in page and 'aria-label="Due at: time"' in page
    page = client.get(reverse("admin:quizzes_question_add")).content.decode()
    assert 'aria-label="Order"' in page
    assert unnamed_inline_fields(page, "choices") == []


def autofocused(page: str) -> list[str]:
    return re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"[^>]* autofocus', page)


def test_a_form_sent_back_puts_the_cursor_in_the_first_field_in_error(client, alice):
    """The sign-up and password forms put it back in the username or the old password, which
    were right, so a keyboard user started again from the top."""
    page = client.get(reverse("signup")).content.decode()
    assert autofocused(page) == ["username"]
    data = {"username": "carla", "password1": "a-long-pass-phrase-42"}
    page = client.post(reverse("signup"), {**data, "password2": "a-long-pass-phrase-42"})
    assert autofocused(page.content.decode()) == ["display_name"]

    client.force_login(alice)
    alice.set_password("a-long-pass-phrase-42")
    alice.save()
    client.force_login(alice)
    form = {"old_password": "a-long-pass-phrase-42", "new_password1": "x-long-pass-phrase-43"}
    page = client.post(reverse("password_change"), {**form, "new_password2": "different"})
    assert autofocused(page.content.decode()) == ["new_password2"]
    page = client.post(reverse("password_change"), {**form, "old_password": "wrong"})
    assert autofocused(page.content.decode()) == ["old_password"]


def test_mistakes_held_back_by_an_assignment_are_counted_not_denied(client, tess, alice):
    """Alice got two wrong in an assignment she may try again: My progress said "2 mistakes to
    put right", My mistakes "No mistakes yet", and Practise my mistakes "every latest answer is
    right". Now both say where they are, and still show no right answer."""
    from tests.factories import QuestionProgressFactory, ResponseFactory, single_choice_question
    from tests.test_assignments import take

    classroom = ClassroomFactory(teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    quiz = QuizFactory(owner=tess, shared=False)
    for _ in range(2):
        single_choice_question(quiz=quiz)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, attempts_allowed=2)
    client.force_login(alice)
    take(client, quiz, [False, False], assignment)

    page = client.get(reverse("quizzes:mistakes")).content.decode()
    assert "No mistakes yet" not in page and "1929" not in page
    assert "2 mistakes are in an assignment you can still try again" in page
    response = client.post(reverse("quizzes:practise"), follow=True)
    assert "every latest answer is right" not in response.content.decode()
    assert "Your mistakes are in an assignment you can still try again" in response.content.decode()

    # A mistake of a quiz taken on her own is shown and practised; the held ones are "more".
    other = single_choice_question()
    ResponseFactory(attempt__user=alice, question=other, is_correct=False)
    QuestionProgressFactory(user=alice, question=other, last_correct=False)
    page = client.get(reverse("quizzes:mistakes")).content.decode()
    assert other.prompt in page and "<strong>1</strong> question still to put right" in page
    assert "2 more mistakes are in an assignment" in page
    assert client.post(reverse("quizzes:practise")).url.startswith("/attempts/")
