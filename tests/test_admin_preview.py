""" "Preview as a student": the student's own templates, every type graded in memory, links that
stay inside the preview, and nothing ever written."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.admin.preview import PREVIEW_SEED
from quizzes.models import Attempt, QuestionProgress, Response, Status
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import QuestionFactory, add_choices


def preview_url(quiz, number=None):
    if number is None:
        return reverse("admin:quizzes_quiz_preview", args=[quiz.pk])
    return reverse("admin:quizzes_quiz_preview_question", args=[quiz.pk, number])


def writes(queries) -> list[str]:
    """The statements that would change the quiz tables."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"} and "quizzes_" in q["sql"]
    ]


def test_it_shows_the_first_question_as_a_student_sees_it(logged_in, quiz):
    page = logged_in.get(preview_url(quiz)).content.decode()
    first = quiz.questions.order_by("position").first()
    assert f'<legend class="prompt">{first.prompt}' in page
    assert "Question 1 of 7" in page
    assert 'href="/static/css/site.css"' in page  # the student's stylesheet, not the admin's
    assert "Preview as a student." in page and "Nothing you answer here is recorded." in page
    action = preview_url(quiz, 1)
    assert f'action="{action}"' in page and f'hx-post="{action}"' in page
    assert "/attempts/" not in page


@pytest.mark.parametrize("number", range(1, 8))
@pytest.mark.parametrize("right", [True, False])
def test_checking_an_answer_grades_it_in_memory_for_every_type(logged_in, quiz, number, right):
    question = quiz.questions.order_by("position")[number - 1]
    data = answer_data(SimpleNamespace(seed=PREVIEW_SEED), question, right=right)
    with CaptureQueriesContext(connection) as queries:
        response = logged_in.post(preview_url(quiz, number), data, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Correct" if right else "Incorrect") in page
    assert "<html" not in page  # the answer-feedback fragment alone
    assert question.passage in page
    assert writes(queries) == []
    assert not Response.objects.exists() and not Attempt.objects.exists()
    assert not QuestionProgress.objects.exists()


def test_the_next_question_and_the_results_stay_in_the_preview(logged_in, quiz):
    question = quiz.questions.order_by("position").first()
    data = answer_data(SimpleNamespace(seed=PREVIEW_SEED), question, right=True)
    page = logged_in.post(preview_url(quiz, 1), data).content.decode()
    assert "Correct" in page and "<html" in page  # without JavaScript: the whole page
    assert f'action="{preview_url(quiz, 2)}"' in page
    last = quiz.questions.order_by("position").last()
    data = answer_data(SimpleNamespace(seed=PREVIEW_SEED), last, right=False)
    page = logged_in.post(preview_url(quiz, 7), data, **HTMX).content.decode()
    end = reverse("admin:quizzes_quiz_preview_end", args=[quiz.pk])
    assert f'hx-get="{end}"' in page and "See results" in page
    ending = logged_in.get(end)
    assert "End of the preview" in ending.content.decode()
    assert "Nothing you answered was recorded" in logged_in.get(end, **HTMX).content.decode()


def test_the_next_question_comes_as_a_fragment_with_htmx(logged_in, quiz):
    page = logged_in.get(preview_url(quiz, 2), **HTMX).content.decode()
    assert "Question 2 of 7" in page and "<html" not in page


def test_a_form_error_is_shown_as_a_student_sees_it(logged_in, quiz):
    response = logged_in.post(preview_url(quiz, 1), {}, **HTMX)
    assert response.status_code == 400
    assert "Choose an answer." in response.content.decode()


def test_a_quiz_preview_includes_its_drafts(logged_in, teacher, quiz):
    quiz.owner = teacher
    quiz.status = Status.DRAFT
    quiz.save()
    draft = QuestionFactory(quiz=quiz, status=Status.DRAFT, position=99, prompt="A draft?")
    add_choices(draft, [("Yes", True), ("No", False)])
    page = logged_in.get(preview_url(quiz, 8)).content.decode()
    assert "A draft?" in page and "Question 8 of 8" in page


def test_a_question_previews_on_its_own(logged_in, quiz):
    question = quiz.questions.get(type="ordering")
    url = reverse("admin:quizzes_question_preview", args=[question.pk])
    page = logged_in.get(url).content.decode()
    assert "Question 1 of 1" in page and "Number the events from 1" in page
    data = answer_data(SimpleNamespace(seed=PREVIEW_SEED), question, right=False)
    page = logged_in.post(url, data).content.decode()
    assert "Partly right" in page or "Incorrect" in page
    end = reverse("admin:quizzes_question_preview_end", args=[question.pk])
    assert f'action="{end}"' in page
    assert not Response.objects.exists()


def test_the_question_and_quiz_pages_link_to_their_preview(logged_in, teacher, quiz):
    quiz.owner = teacher
    quiz.save()
    page = logged_in.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert preview_url(quiz) in page
    question = quiz.questions.first()
    page = logged_in.get(
        reverse("admin:quizzes_question_change", args=[question.pk])
    ).content.decode()
    assert reverse("admin:quizzes_question_preview", args=[question.pk]) in page


def test_an_empty_quiz_has_nothing_to_preview(logged_in, teacher):
    from tests.factories import QuizFactory

    empty = QuizFactory(owner=teacher)
    response = logged_in.get(preview_url(empty), follow=True)
    assert "no questions to preview yet" in response.content.decode()
