"""The bank's rules on the models, where the admin, a command or a live game can reuse them:
who may edit, copying and duplicating, free keys and slugs, publishing, discarding drafts, and a
quiz's statistics. (tests/test_admin_actions.py checks the same through the admin's actions.)"""

import pytest

from quizzes.models import Question, Quiz, SourceDocument, Status
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    TeacherFactory,
    UserFactory,
    add_choices,
    answer_question,
    matching_question,
)

pytestmark = pytest.mark.django_db


def choice_question(**kwargs) -> Question:
    question = QuestionFactory(passage_start=0, **kwargs)
    return add_choices(question, [("1927", False), ("1929", True), ("1932", False)])


def test_only_the_owner_or_a_superuser_may_edit():
    owner, other = TeacherFactory(), TeacherFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    question = choice_question(quiz=QuizFactory(owner=owner))
    unowned = QuizFactory(owner=None)
    assert question.is_editable_by(owner) and question.quiz.is_editable_by(owner)
    assert not question.is_editable_by(other) and not unowned.is_editable_by(other)
    assert question.is_editable_by(admin) and unowned.is_editable_by(admin)
    assert list(Question.objects.editable_by(other)) == []
    assert list(Question.objects.editable_by(owner)) == [question]
    assert set(Quiz.objects.editable_by(admin)) == {question.quiz, unowned}


def test_a_question_duplicate_is_a_draft_at_the_end_under_a_free_key():
    question = matching_question()
    first, second = question.duplicate(), question.duplicate()
    assert (first.key, second.key) == (f"{question.key}-copy", f"{question.key}-copy-2")
    assert first.status == Status.DRAFT and first.quiz == question.quiz
    assert second.position == first.position + 1 > question.position
    rows = lambda q: [(c.text, c.is_correct, c.match_text) for c in q.sorted_choices()]  # noqa: E731
    assert rows(first) == rows(question)
    assert {c.pk for c in first.choices.all()}.isdisjoint(c.pk for c in question.choices.all())


def test_a_quiz_duplicate_belongs_to_whoever_copied_it():
    teacher = TeacherFactory()
    quiz = QuizFactory(title="Trials", question_count=2)
    question = choice_question(quiz=quiz)
    copy = quiz.duplicate(owner=teacher)
    assert (copy.title, copy.slug, copy.status, copy.owner) == (
        "Trials (copy)",
        "trials-copy",
        Status.DRAFT,
        teacher,
    )
    assert copy.question_count == 2 and copy.source == quiz.source
    copied = copy.questions.get()
    assert (copied.key, copied.status) == (question.key, Status.PUBLISHED)
    assert quiz.duplicate(owner=teacher).slug == "trials-copy-2"


def test_free_slugs_count_up_from_the_title():
    SourceDocument.objects.create(slug="the-trials", title="x", text="x")
    assert SourceDocument.objects.free_slug("The Trials") == "the-trials-2"
    assert Quiz.objects.free_slug("!!!") == "untitled"


def test_publishing_refuses_questions_that_break_the_rules_and_says_why():
    good = choice_question()
    no_answer = QuestionFactory(passage_start=0, status=Status.DRAFT)
    astray = choice_question(status=Status.DRAFT, passage="Words the source never said.")
    ready, refused = Question.objects.filter(pk__in=[good.pk, no_answer.pk, astray.pk]).publish()
    assert ready == [good]
    problems = dict((q.pk, p) for q, p in refused)
    assert problems[astray.pk] == ["Its passage is not in the quiz's source text."]
    assert "Give at least two options." in problems[no_answer.pk]
    assert Question.objects.get(pk=astray.pk).status == Status.DRAFT


def test_publishing_quizzes_names_those_with_nothing_to_ask():
    asks, empty = QuizFactory(status=Status.DRAFT), QuizFactory(status=Status.DRAFT)
    choice_question(quiz=asks)
    choice_question(quiz=empty, status=Status.DRAFT)
    review = QuizFactory(status=Status.DRAFT, source=None)
    review.draws_from.add(asks)
    updated, nothing = Quiz.objects.filter(pk__in=[asks.pk, empty.pk, review.pk]).publish()
    assert (updated, nothing) == (3, [empty])
    assert set(Quiz.objects.published()) == {asks, empty, review}


def test_discarding_keeps_published_questions_and_answered_drafts():
    published = choice_question()
    answered = choice_question(quiz=published.quiz)
    answer_question(UserFactory(), answered)
    Question.objects.filter(pk=answered.pk).update(status=Status.DRAFT)
    unanswered = choice_question(quiz=published.quiz, status=Status.DRAFT)
    chosen = Question.objects.filter(pk__in=[published.pk, answered.pk, unanswered.pk])
    assert chosen.discard_drafts() == (1, 1, 1)
    assert set(Question.objects.values_list("pk", flat=True)) == {published.pk, answered.pk}


def test_quiz_statistics_count_questions_and_finished_attempts():
    quiz = QuizFactory()
    question = choice_question(quiz=quiz)
    choice_question(quiz=quiz, status=Status.DRAFT)
    answer_question(UserFactory(), question, right=True)
    answer_question(UserFactory(), question, right=False)
    stats = Quiz.objects.with_statistics().get(pk=quiz.pk)
    assert (stats.n_questions, stats.n_published, stats.n_attempts) == (2, 1, 2)
    assert stats.mean_percent == 50
    empty = Quiz.objects.with_statistics().get(pk=QuizFactory().pk)
    assert (empty.n_questions, empty.n_attempts, empty.mean_percent) == (0, 0, None)
