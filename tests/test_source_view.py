"""Reading a source with the passages that questions rest on marked."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Membership, Status
from quizzes.sourcetext import Span, mark_passages
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    QuizFactory,
    SourceDocumentFactory,
    answer_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


class TestMarkPassages:
    def test_it_marks_covered_text_and_anchors_each_passage(self):
        html = mark_passages(
            "Alpha beta gamma.\nDelta epsilon.", [Span(6, 10, "q-1"), Span(18, 23, "q-2")]
        )
        assert html == (
            '<p>Alpha <span id="q-1"></span><mark>beta</mark> gamma.</p>\n'
            '<p><span id="q-2"></span><mark>Delta</mark> epsilon.</p>'
        )

    def test_overlapping_passages_are_merged_and_the_current_one_stands_out(self):
        html = mark_passages("one two three", [Span(0, 7, "a"), Span(4, 13, "b")], current="b")
        assert html == (
            '<p><span id="a"></span><mark>one </mark><span id="b"></span>'
            '<mark class="current">two</mark><mark class="current"> three</mark></p>'
        )

    def test_it_escapes_the_text(self):
        assert "&lt;script&gt;" in mark_passages("<script>", [Span(0, 8, "x")])

    def test_a_passage_across_a_line_break_is_marked_on_both_lines(self):
        html = mark_passages("ab\ncd", [Span(1, 4, "x")])
        assert html == '<p>a<span id="x"></span><mark>b</mark></p>\n<p><mark>c</mark>d</p>'


def test_the_source_page_marks_passages_of_published_questions_the_viewer_answered(client, alice):
    document = SourceDocumentFactory()
    quiz = QuizFactory(source=document)
    shown = single_choice_question(quiz=quiz, passage="Trotsky was expelled", passage_start=0)
    hidden = single_choice_question(
        quiz=quiz, status=Status.DRAFT, passage="Kirov", passage_start=document.text.index("Kirov")
    )
    answer_question(alice, shown)
    answer_question(alice, hidden)
    client.force_login(alice)
    url = reverse("quizzes:source", args=[document.slug])
    page = client.get(f"{url}?question={shown.pk}").content.decode()
    assert f'id="question-{shown.pk}"' in page
    assert f'id="question-{hidden.pk}"' not in page
    assert re.search(r'<mark class="current">Trotsky was expelled</mark>', page)


def _unanswered(document):
    """A published question whose passage (an answer, word for word) nobody has answered."""
    start = document.text.index("Kirov")
    return single_choice_question(
        quiz=QuizFactory(source=document), passage="Kirov", passage_start=start
    )


def test_a_visitor_sees_no_passage_marked_even_when_asking_for_one(client):
    document = SourceDocumentFactory()
    question = _unanswered(document)
    url = reverse("quizzes:source", args=[document.slug])
    page = client.get(f"{url}?question={question.pk}").content.decode()
    assert "<mark>" not in page and '<mark class="current">' not in page
    assert f'id="question-{question.pk}"' not in page
    assert "Once you have answered a question on it" in page


def test_a_student_sees_no_passage_of_a_question_they_have_not_answered(client, alice, bob):
    document = SourceDocumentFactory()
    question = _unanswered(document)
    answer_question(bob, question)  # a classmate's answer marks nothing for alice
    client.force_login(alice)
    url = reverse("quizzes:source", args=[document.slug])
    page = client.get(f"{url}?question={question.pk}").content.decode()
    assert "Kirov</mark>" not in page and f'id="question-{question.pk}"' not in page


def test_feedback_links_to_the_passage_in_its_source(client, alice):
    from quizzes.models.attempts import start_attempt
    from tests.answers import answer_data

    question = single_choice_question(passage="Trotsky was expelled", passage_start=0)
    attempt = start_attempt(user=alice, quiz=question.quiz)
    client.force_login(alice)
    response = client.post(
        reverse("quizzes:answer", args=[attempt.pk, 1]),
        answer_data(attempt, question, right=True),
        HTTP_HX_REQUEST="true",
    )
    link = (
        f"{question.quiz.source.get_absolute_url()}?question={question.pk}#question-{question.pk}"
    )
    assert link in response.content.decode()
    # The link leads to the passage, marked now that the question is answered.
    source = client.get(link.partition("#")[0]).content.decode()
    assert f'id="question-{question.pk}"></span><mark class="current">' in source


def test_a_source_of_no_published_quiz_is_404(client):
    draft = QuizFactory(status=Status.DRAFT)
    assert client.get(reverse("quizzes:source", args=[draft.source.slug])).status_code == 404
    assert client.get(reverse("quizzes:source", args=["nope"])).status_code == 404


def test_its_queries_do_not_grow_with_the_questions(client, alice, django_assert_num_queries):
    quiz = QuizFactory()
    client.force_login(alice)
    client.get("/")  # the signed-in user is cached from here on
    for size in (1, 30):
        while quiz.questions.count() < size:
            answer_question(
                alice, single_choice_question(quiz=quiz, passage_start=0, passage="Trotsky")
            )
        with django_assert_num_queries(2):
            page = client.get(reverse("quizzes:source", args=[quiz.source.slug]))
        assert (
            f"{size} question{'s' if size > 1 else ''} you have answered" in page.content.decode()
        )


class TestWhoMayReadASource:
    """A source is read by those who see one of its quizzes (Quiz.objects.visible_to), or a
    quiz that draws from one of its banks: 404 to anyone else, as the quiz itself is."""

    @pytest.fixture
    def own_quiz(self, tess):
        """Tess's own quiz, not shared, set for her class (alice is in it)."""
        quiz = QuizFactory(owner=tess, shared=False, source=SourceDocumentFactory())
        single_choice_question(quiz=quiz)
        return quiz

    @pytest.fixture
    def tess_class(self, tess, alice, own_quiz):
        room = ClassroomFactory(teacher=tess)
        Membership.objects.create(classroom=room, student=alice)
        return room

    def status(self, client, user, quiz) -> int:
        if user:
            client.force_login(user)
        return client.get(reverse("quizzes:source", args=[quiz.source.slug])).status_code

    def test_a_class_quiz_source_is_its_class_and_teacher_alone(
        self, client, tess, tess_class, own_quiz, alice, bob
    ):
        assert self.status(client, bob, own_quiz) == 404  # not assigned yet: nobody's but hers
        AssignmentFactory(classroom=tess_class, quiz=own_quiz)
        assert self.status(client, alice, own_quiz) == 200
        assert self.status(client, bob, own_quiz) == 404
        assert self.status(client, tess, own_quiz) == 200

    def test_visitors_read_the_sources_of_shared_quizzes_only(self, client, own_quiz):
        shared = QuizFactory(shared=True)
        single_choice_question(quiz=shared)
        assert self.status(client, None, shared) == 200
        assert self.status(client, None, own_quiz) == 404

    def test_the_source_of_a_bank_a_set_pool_draws_from(
        self, client, tess, tess_class, own_quiz, alice
    ):
        """A pool's question links its feedback to its bank's source."""
        pool = QuizFactory(owner=tess, shared=False, source=SourceDocumentFactory())
        pool.draws_from.add(own_quiz)
        AssignmentFactory(classroom=tess_class, quiz=pool)
        assert self.status(client, alice, own_quiz) == 200

    def test_only_questions_the_viewer_sees_are_marked(self, client, tess, own_quiz, alice):
        """A shared quiz on the same source is read; the class quiz's passages stay unmarked
        for a student it is not set for, even one who answered it (in a class they left)."""
        shared = QuizFactory(source=own_quiz.source)
        seen = single_choice_question(quiz=shared, passage="Trotsky", passage_start=0)
        unseen = own_quiz.questions.get()
        unseen.passage, unseen.passage_start = "Kirov", own_quiz.source.text.index("Kirov")
        unseen.save()
        answer_question(alice, seen)
        answer_question(alice, unseen)
        client.force_login(alice)
        page = client.get(reverse("quizzes:source", args=[shared.source.slug])).content.decode()
        assert f'id="question-{seen.pk}"' in page
        assert f'id="question-{unseen.pk}"' not in page
