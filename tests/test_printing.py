"""Printing a quiz (issue 20, point 7): a question sheet with no answers, and the teacher's
answer key; both for teachers only, reachable from the admin's quiz page and the class page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from quizzes.models import Status
from quizzes.sheets import sheet
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    QuizFactory,
    matching_question,
    ordering_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


def sheet_url(quiz) -> str:
    return reverse("quizzes:quiz_sheet", args=[quiz.pk])


def key_url(quiz) -> str:
    return reverse("quizzes:answer_key", args=[quiz.pk])


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class TestTheQuestionSheet:
    def test_it_lists_every_question_with_room_to_answer(self, client, teacher, quiz):
        client.force_login(teacher)
        page = client.get(sheet_url(quiz)).content.decode()
        questions = list(quiz.questions.all())
        for question in questions:
            assert question.prompt in page
        assert page.count('class="sheet-question"') == len(questions)
        assert "Tick one." in page and "Write a number." in page
        assert 'class="write-line"' in page  # short answer, numeric, the name line

    def test_it_gives_no_answer_away(self, client, teacher, quiz):
        client.force_login(teacher)
        page = client.get(sheet_url(quiz)).content.decode()
        assert "Answer:</strong>" not in page
        for question in quiz.questions.all():
            if question.explanation:
                assert question.explanation not in page
            assert question.passage not in page
        assert "1108" not in page and "1,108" not in page  # the numeric answer

    def test_options_are_shuffled_the_same_way_for_every_copy(self, quiz):
        questions = list(quiz.questions.prefetch_related("choices"))
        assert [s.boxes for s in sheet(questions, seed=7)] == [
            s.boxes for s in sheet(questions, seed=7)
        ]

    def test_ordering_events_are_not_in_their_right_order(self):
        quiz = QuizFactory()
        ordering_question(quiz=quiz)
        orders = {
            tuple(sheet(list(quiz.questions.prefetch_related("choices")), seed=n)[0].boxes)
            for n in range(20)
        }
        right = ("The troika forms", "Trotsky is expelled", "Kirov is killed")
        assert len(orders) > 1 and orders != {right}

    def test_a_pool_prints_every_question_it_may_draw(self, client, teacher):
        bank = QuizFactory(title="Bank")
        questions = [single_choice_question(quiz=bank) for _ in range(3)]
        pool = QuizFactory(title="Pool", question_count=2)
        pool.draws_from.set([bank])
        client.force_login(teacher)
        page = client.get(sheet_url(pool)).content.decode()
        assert all(q.prompt in page for q in questions)
        assert "draws its own questions from these 3" in page


class TestTheAnswerKey:
    def test_it_gives_every_right_answer_and_explanation(self, client, teacher, quiz):
        client.force_login(teacher)
        page = text_of(client.get(key_url(quiz)).content.decode())
        for question in quiz.questions.prefetch_related("choices"):
            assert question.explanation in page
            if question.type in ("matching", "ordering"):
                continue  # below
            assert f"Answer: {'; '.join(question.right_answer_lines())}" in page

    def test_an_ordering_key_numbers_the_events(self, client, teacher):
        quiz = QuizFactory()
        ordering_question(quiz=quiz)
        client.force_login(teacher)
        page = text_of(client.get(key_url(quiz)).content.decode())
        assert "Answer: 1. The troika forms; 2. Trotsky is expelled; 3. Kirov is killed" in page

    def test_a_matching_key_names_the_letters_of_the_sheet(self, client, teacher):
        quiz = QuizFactory()
        matching_question(quiz=quiz)
        client.force_login(teacher)
        printed = sheet(list(quiz.questions.prefetch_related("choices")), seed=quiz.pk)[0]
        letter = dict((text, letter) for letter, text in printed.partners)
        page = text_of(client.get(key_url(quiz)).content.decode())
        assert f"Trotsky → {letter['Expelled in 1929']}: Expelled in 1929" in page

    def test_a_teacher_prints_their_own_draft(self, client, teacher, other_teacher):
        draft = QuizFactory(status=Status.DRAFT, owner=teacher)
        single_choice_question(quiz=draft)
        client.force_login(teacher)
        assert client.get(key_url(draft)).status_code == 200
        client.force_login(other_teacher)
        assert client.get(key_url(draft)).status_code == 404

    def test_students_may_not(self, client, alice, quiz):
        client.force_login(alice)
        assert client.get(key_url(quiz)).status_code == 403
        assert client.get(sheet_url(quiz)).status_code == 403


class TestWhereItIsLinked:
    def test_from_the_class_page_assignment_row(self, client, teacher, quiz):
        room = ClassroomFactory(teacher=teacher)
        AssignmentFactory(classroom=room, quiz=quiz)
        client.force_login(teacher)
        page = client.get(reverse("quizzes:manage_class", args=[room.pk])).content.decode()
        assert f'href="{sheet_url(quiz)}"' in page and f'href="{key_url(quiz)}"' in page

    def test_from_the_admin_quiz_page(self, client, teacher, quiz):
        client.force_login(teacher)
        page = client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
        assert f'href="{sheet_url(quiz)}"' in page and f'href="{key_url(quiz)}"' in page


def test_the_sheet_reads_a_fixed_number_of_queries(client, teacher, django_assert_num_queries):
    quiz = QuizFactory()
    for _ in range(3):
        single_choice_question(quiz=quiz)
    client.force_login(teacher)
    client.get(sheet_url(quiz))
    with django_assert_num_queries(3):
        client.get(sheet_url(quiz))
    for _ in range(5):
        matching_question(quiz=quiz)
    with django_assert_num_queries(3):
        client.get(sheet_url(quiz))
