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
