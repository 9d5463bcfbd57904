"""Small, readable factories for every model (factory-boy)."""

from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from quizzes.grading import QuestionType
from quizzes.models import (
    Assignment,
    Choice,
    Classroom,
    Membership,
    Question,
    Quiz,
    SourceDocument,
    Status,
    Topic,
    User,
)

SOURCE_TEXT = (
    "Trotsky was expelled from the Soviet Union in 1929. "
    "Of 1,966 delegates to the party congress in 1934, 1,108 were arrested. "
    "Stalin, Grigory Zinoviev, and Lev Kamenev formed a ruling triumvirate in early 1923. "
    "In December 1934, Sergei Kirov was assassinated."
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"student{n}")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password("quizsite-demo")


class TeacherFactory(UserFactory):
    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True


class SourceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SourceDocument

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    text = SOURCE_TEXT


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = "The power struggle"
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    description = "A quiz for the tests."
    source = factory.SubFactory(SourceDocumentFactory)
    status = Status.PUBLISHED


class QuestionFactory(DjangoModelFactory):
    """A single-choice question by default; the *_question helpers below make the others."""

    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    position = factory.Sequence(lambda n: n)
    type = QuestionType.SINGLE_CHOICE
    prompt = factory.Sequence(lambda n: f"In which year was Trotsky expelled? ({n})")
    explanation = "The text says he was expelled in 1929."
    passage = "Trotsky was expelled from the Soviet Union in 1929."
    topic = factory.SubFactory(TopicFactory)
    status = Status.PUBLISHED


class ChoiceFactory(DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Option {n}")


def add_choices(question: Question, rows: list[tuple[str, bool]]) -> Question:
    for position, (text, correct) in enumerate(rows):
        ChoiceFactory(question=question, position=position, text=text, is_correct=correct)
    return question


def single_choice_question(**kwargs) -> Question:
    question = QuestionFactory(type=QuestionType.SINGLE_CHOICE, **kwargs)
    return add_choices(
        question, [("1927", False), ("1929", True), ("1932", False), ("1934", False)]
    )


def multiple_choice_question(**kwargs) -> Question:
    question = QuestionFactory(
        type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who formed the troika in 1923? Select all that apply.",
        passage="Stalin, Grigory Zinoviev, and Lev Kamenev formed a ruling triumvirate in early 1923.",
        **kwargs,
    )
    return add_choices(
        question,
        [
            ("Kamenev", True),
            ("Kirov", False),
            ("Stalin", True),
            ("Trotsky", False),
            ("Zinoviev", True),
        ],
    )


def true_false_question(answer: bool = True, **kwargs) -> Question:
    question = QuestionFactory(
        type=QuestionType.TRUE_FALSE, prompt="True or false: Kirov was killed in 1934.", **kwargs
    )
    return add_choices(question, [("True", answer), ("False", not answer)])


def short_answer_question(**kwargs) -> Question:
    question = QuestionFactory(
        type=QuestionType.SHORT_ANSWER,
        prompt="Who formed the troika with Stalin and Kamenev?",
        passage="Stalin, Grigory Zinoviev, and Lev Kamenev formed a ruling triumvirate in early 1923.",
        **kwargs,
    )
    return add_choices(question, [("Zinoviev", True), ("Grigory Zinoviev", True)])


def numeric_question(**kwargs) -> Question:
    return QuestionFactory(
        type=QuestionType.NUMERIC,
        prompt="How many of the 1,966 delegates were arrested?",
        passage="Of 1,966 delegates to the party congress in 1934, 1,108 were arrested.",
        numeric_answer=Decimal(1108),
        tolerance=Decimal(0),
        **kwargs,
    )


def ordering_question(**kwargs) -> Question:
    question = QuestionFactory(
        type=QuestionType.ORDERING, prompt="Put these events in order.", **kwargs
    )
    return add_choices(
        question,
        [("The troika forms", True), ("Trotsky is expelled", True), ("Kirov is killed", True)],
    )


def matching_question(**kwargs) -> Question:
    question = QuestionFactory(
        type=QuestionType.MATCHING, prompt="Match each person to what the text says.", **kwargs
    )
    for position, (left, right) in enumerate(
        [("Trotsky", "Expelled in 1929"), ("Kirov", "Killed in 1934"), ("", "Head of the NKVD")]
    ):
        ChoiceFactory(question=question, position=position, text=left, match_text=right)
    return question


QUESTION_MAKERS = {
    QuestionType.SINGLE_CHOICE: single_choice_question,
    QuestionType.MULTIPLE_CHOICE: multiple_choice_question,
    QuestionType.TRUE_FALSE: true_false_question,
    QuestionType.SHORT_ANSWER: short_answer_question,
    QuestionType.NUMERIC: numeric_question,
    QuestionType.ORDERING: ordering_question,
    QuestionType.MATCHING: matching_question,
}


def quiz_with_every_type(**kwargs) -> Quiz:
    quiz = QuizFactory(**kwargs)
    for position, make in enumerate(QUESTION_MAKERS.values()):
        make(quiz=quiz, position=position)
    return quiz


class ClassroomFactory(DjangoModelFactory):
    class Meta:
        model = Classroom

    name = factory.Sequence(lambda n: f"Year 10 History {n}")
    teacher = factory.SubFactory(TeacherFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    classroom = factory.SubFactory(ClassroomFactory)
    student = factory.SubFactory(UserFactory)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    classroom = factory.SubFactory(ClassroomFactory)
    quiz = factory.SubFactory(QuizFactory)
