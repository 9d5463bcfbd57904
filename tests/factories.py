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
    """A teacher as the app knows one (User.is_teacher: staff) and as `load_demo` makes one:
    in the "Teachers" group too, which gives them their permissions in the admin."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"teacher{n}")
    is_staff = True

    @factory.post_generation
    def in_teachers_group(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            from quizzes.admin.access import teachers_group

            self.groups.add(teachers_group())


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
    # Seen by everyone, as the shipped banks are; a teacher's own quiz is `shared=False`.
    shared = True


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


# Progress, mastery and spaced review (issue 6): attempts, responses and progress rows.
from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from quizzes.models import Attempt, QuestionProgress, Response  # noqa: E402


class AttemptFactory(DjangoModelFactory):
    """An open quiz attempt; `finished=True` closes it, `kind=...` makes practice or review."""

    class Meta:
        model = Attempt

    user = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    kind = Attempt.Kind.QUIZ
    question_ids = factory.LazyFunction(list)
    seed = 1
    max_score = Decimal(1)
    started_at = factory.LazyFunction(timezone.now)

    class Params:
        finished = factory.Trait(
            finished_at=factory.LazyAttribute(lambda a: a.started_at),
            position=factory.LazyAttribute(lambda a: len(a.question_ids)),
        )


class ResponseFactory(DjangoModelFactory):
    """A right answer by default; `is_correct=False` makes it wrong (and worth nothing)."""

    class Meta:
        model = Response

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    user = factory.SelfAttribute("attempt.user")
    answer = factory.LazyFunction(dict)
    answer_text = factory.LazyAttribute(lambda r: "1929" if r.is_correct else "1927")
    is_correct = True
    score = factory.LazyAttribute(lambda r: Decimal(int(r.is_correct)))
    points = factory.LazyAttribute(lambda r: Decimal(int(r.is_correct)))
    answered_at = factory.LazyFunction(timezone.now)


class QuestionProgressFactory(DjangoModelFactory):
    """A student's row for a question answered once, right unless `last_correct=False`."""

    class Meta:
        model = QuestionProgress

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    answered_count = 1
    last_correct = True
    correct_count = factory.LazyAttribute(lambda p: int(p.last_correct))
    last_answered_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda p: p.last_answered_at + timedelta(days=2))


# Classes and leaderboards (issue 7): a class of any size, and answers given at a set moment.
def class_of(size: int, **kwargs) -> Classroom:
    """A class with `size` students, whose memberships are inserted in one query."""
    classroom = ClassroomFactory(**kwargs)
    students = UserFactory.create_batch(size)
    Membership.objects.bulk_create(Membership(classroom=classroom, student=s) for s in students)
    return classroom


def record(attempt: Attempt, question: Question, answer: dict) -> Response:
    """Record `answer` to `question` of `attempt` the way the answer view does (record_answer:
    its own transaction and row lock), and move the attempt in memory on with it."""
    from quizzes.models.attempts import record_answer

    ids = attempt.question_ids
    if ids[attempt.position : attempt.position + 1] != [question.pk]:
        # Tests answer any question of the quiz: make it the one due next, as if drawn so.
        if question.pk in ids[attempt.position :]:
            ids.remove(question.pk)
        ids.insert(attempt.position, question.pk)
        attempt.save(update_fields=["question_ids"])
    turn = record_answer(Attempt.objects.all(), attempt.pk, attempt.position + 1, answer)
    for field in ("position", "score", "correct_count", "finished_at"):
        setattr(attempt, field, getattr(turn.attempt, field))
    return turn.response


def answer_question(student, question, *, right: bool = True, at=None, assignment=None) -> Response:
    """Answer a single-choice question the way the quiz does (record_answer), at `at`; for an
    assignment, in its attempt."""
    from datetime import datetime

    import time_machine

    from quizzes.models.attempts import start_attempt

    attempt = start_attempt(user=student, quiz=question.quiz, assignment=assignment)
    choice = next(c.id for c in question.choices.all() if c.is_correct == right)
    moment: datetime = at or timezone.now()
    with time_machine.travel(moment, tick=False):
        return record(attempt, question, {"choice": choice})
