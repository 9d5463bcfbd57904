"""Questions from elsewhere (issue 20, point 5): a question that quotes no source passage
(imported from GIFT, Moodle XML or CSV, or written by hand) can be published; teachers see it
marked "No source" in the admin's list and preview; students see its explanation alone, never
an empty "Source" box. A passage that is given is still checked against the source."""

import pytest
from django.urls import reverse

from quizzes.interchange.formats import read_file
from quizzes.models import Attempt, Question, Status
from tests.admin_helpers import make_quiz
from tests.answers import answer_data
from tests.factories import QuestionFactory, QuizFactory, add_choices

QUESTIONS = reverse("admin:quizzes_question_changelist")

GIFT = """
::capital:: What was the capital of the Soviet Union? {=Moscow ~Leningrad ~Kiev
####Moscow was the capital from 1918.}
"""


@pytest.fixture
def sourceless(teacher):
    """A published quiz of the teacher's with one question that quotes nothing."""
    quiz = QuizFactory(owner=teacher)
    question = QuestionFactory(
        quiz=quiz,
        passage="",
        explanation="Moscow was the capital from 1918.",
        prompt="What was the capital of the Soviet Union?",
        status=Status.DRAFT,
    )
    add_choices(question, [("Moscow", True), ("Leningrad", False)])
    return question


def publish(client, question):
    return client.post(
        QUESTIONS,
        {"action": "publish", "_selected_action": [question.pk], "index": 0},
        follow=True,
    )


def test_it_publishes_a_question_without_a_passage(logged_in, sourceless):
    assert sourceless.publish_problems() == []
    response = publish(logged_in, sourceless)
    assert "Published 1 question." in response.content.decode()
    sourceless.refresh_from_db()
    assert sourceless.status == Status.PUBLISHED


def test_a_passage_that_is_given_is_still_checked(teacher):
    quiz = QuizFactory(owner=teacher)
    question = QuestionFactory(quiz=quiz, passage="Words that are not in the source.")
    add_choices(question, [("1929", True), ("1927", False)])
    assert question.publish_problems() == ["Its passage is not in the quiz's source text."]
    question.passage = ""
    assert question.publish_problems() == []


def test_the_admin_list_marks_it_no_source_and_filters_by_it(logged_in, sourceless):
    quoted = QuestionFactory(quiz=sourceless.quiz, prompt="A question that quotes its source")
    page = logged_in.get(QUESTIONS).content.decode()
    assert page.count('<span class="badge no-source">No source</span>') == 1
    none = logged_in.get(QUESTIONS, {"source": "none"}).content.decode()
    assert sourceless.prompt in none and quoted.prompt not in none
    quoting = logged_in.get(QUESTIONS, {"source": "quoted"}).content.decode()
    assert sourceless.prompt not in quoting and quoted.prompt in quoting


def test_the_change_form_takes_an_empty_passage_and_says_no_source(logged_in, sourceless):
    url = reverse("admin:quizzes_question_change", args=[sourceless.pk])
    page = logged_in.get(url).content.decode()
    assert "No source</span> This question quotes no passage" in page


def test_the_preview_marks_it_no_source(logged_in, sourceless):
    url = reverse("admin:quizzes_question_preview", args=[sourceless.pk])
    page = logged_in.get(url).content.decode()
    assert "<strong>No source.</strong>" in page


def test_an_imported_question_without_a_passage_can_be_published_at_once(teacher):
    quiz = make_quiz(teacher, status=Status.PUBLISHED)
    questions = read_file("gift", GIFT.encode(), source=quiz.source)
    summary = questions.save(quiz, as_drafts=False)
    assert summary.without_passage == ["capital"]
    question = quiz.questions.get(key="capital")
    assert question.passage == "" and question.explanation.startswith("Moscow")
    assert question.publish_problems() == []


def test_a_student_sees_the_explanation_without_a_source_box(alice_client, sourceless):
    Question.objects.filter(pk=sourceless.pk).update(status=Status.PUBLISHED)
    quiz = sourceless.quiz
    alice_client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.question_ids == [sourceless.pk]
    answer = reverse("quizzes:answer", args=[attempt.pk, 1])
    data = answer_data(attempt, Question.objects.get(pk=sourceless.pk), right=False)
    page = alice_client.post(answer, data, follow=True).content.decode()
    assert "Moscow was the capital from 1918." in page
    assert 'class="passage"' not in page and "<blockquote>" not in page
    assert "No source" not in page  # the teacher's mark, not the student's
    results = alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
    assert "Why? Explanation</summary>" in results and "<blockquote>" not in results
