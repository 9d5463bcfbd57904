"""Class insight: what a class has and has not learned, for its teacher.

The class's questions are the published questions of the quizzes assigned to it (and of the
banks they draw from); its topics are their topics. Everything is read from the students'
progress rows (one per student and question, quizzes/models/progress.py), so it follows the
same rule as each student's own progress page: on each question the *latest* answer counts.
That is what a class knows now, and it keeps the page's cost to the class's rows, never its
whole history of responses.

A fixed number of queries, whatever the size of the class: the students, the assignments, the
questions, the progress counted per student and topic, the progress counted per question and
answer, and the attempts at the assigned quizzes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Min, Q, Value, When
from django.db.models.functions import Lower

from quizzes.grading import normalise_text
from quizzes.mastery import Level, mastery_level
from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Question,
    QuestionProgress,
    Quiz,
    Status,
    Topic,
)
from quizzes.models.classes import distinct_names

# A practice set on a topic asks at most this many of the class's most-missed questions.
PRACTICE_SIZE = 10

# Each level's mark in the student-by-topic grid: a letter beside the level's shape, so the
# grid reads without colour (and in black and white on paper).
LEVEL_CODES = {
    Level.NOT_STARTED: "–",
    Level.ATTEMPTED: "A",
    Level.FAMILIAR: "F",
    Level.PROFICIENT: "P",
    Level.MASTERED: "M",
}


@dataclass(frozen=True)
class Cell:
    """One student on one topic."""

    level: Level
    right: int
    total: int

    @property
    def code(self) -> str:
        return LEVEL_CODES[self.level]


@dataclass
class TopicSpread:
    """How the class's students spread over the levels of one topic."""

    topic_id: int
    name: str
    questions: int
    counts: dict[Level, int] = field(default_factory=dict)

    @property
    def bands(self) -> list[tuple[Level, int, int]]:
        """(level, students, percent of the class) for every level, lowest first."""
        students = sum(self.counts.values())
        return [
            (level, n, n * 100 // students if students else 0)
            for level in Level
            for n in [self.counts.get(level, 0)]
        ]

    @property
    def below_familiar(self) -> int:
        """Students who have not started it or are still under the familiar mark."""
        return self.counts.get(Level.NOT_STARTED, 0) + self.counts.get(Level.ATTEMPTED, 0)


@dataclass
class QuestionRow:
    """One question as the class answered it, on each student's latest answer."""

    question_id: int
    prompt: str
    topic_id: int
    topic: str
    quiz: str
    answered: int = 0  # students who answered it
    right: int = 0  # of them, those whose latest answer is right
    wrong_answer: str = ""  # the most common latest wrong answer
    wrong_answer_count: int = 0

    @property
    def missed(self) -> int:
        return self.answered - self.right

    @property
    def percent_right(self) -> int | None:
        return self.right * 100 // self.answered if self.answered else None


@dataclass
class AssignmentProgress:
    """Who is where with one assigned quiz: names, in the class's order."""

    assignment: Assignment
    not_started: list[str] = field(default_factory=list)
    working: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # finished after the due date, or overdue

    @property
    def groups(self) -> list[tuple[str, str, list[str]]]:
        """(key, heading, names) of the four groups, in the page's order."""
        return [
            ("not-started", "Not started", self.not_started),
            ("working", "Working", self.working),
            ("finished", "Finished", self.finished),
            ("late", "Late", self.late),
        ]


@dataclass
class GridRow:
    student_id: int
    name: str
    cells: list[Cell]


@dataclass
class ClassInsight:
    students: int
    topics: list[TopicSpread]
    questions: list[QuestionRow]  # most missed first; those nobody answered last
    assignments: list[AssignmentProgress]
    grid: list[GridRow]  # students in the class's order, a cell per topic of `topics`


@dataclass(frozen=True)
class Scope:
    """What a class is set: its assignments and their published questions
    (id, topic id, topic name, prompt, quiz title), by topic."""

    assignments: list[Assignment]
    questions: list[tuple[int, int, str, str, str]]

    @property
    def question_ids(self) -> list[int]:
        return [row[0] for row in self.questions]


def class_scope(classroom: Classroom) -> Scope:
    """The class's assignments and questions, in two queries."""
    assignments = classroom.assignments_with_banks()
    bank_ids = {bank_id for a in assignments for bank_id in a.bank_ids}
    questions = list(
        Question.objects.using(classroom._state.db)
        .published()
        .filter(quiz_id__in=bank_ids, quiz__status=Status.PUBLISHED)
        .order_by(Lower("topic__name"), "topic_id", "quiz__title", "position", "id")
        .values_list("id", "topic_id", "topic__name", "prompt", "quiz__title")
    )
    return Scope(assignments, questions)


def _class_progress(classroom: Classroom, question_ids: list[int]) -> Any:
    """The class's progress rows on these questions (joined through the class's memberships,
    so the query is the same for any size of class)."""
    return QuestionProgress.objects.using(classroom._state.db).filter(
        user__memberships__classroom=classroom, question_id__in=question_ids
    )


def class_insight(classroom: Classroom, *, now: datetime) -> ClassInsight:
    """The class's insight page, in six queries however large the class."""
    students = list(
        classroom.students.only("id", "username", "display_name").order_by(
            Lower("display_name"), "username"
        )
    )
    names = distinct_names(students)
    scope = class_scope(classroom)
    topics: dict[int, TopicSpread] = {}
    rows: dict[int, QuestionRow] = {}
    for question_id, topic_id, topic_name, prompt, quiz_title in scope.questions:
        spread = topics.setdefault(topic_id, TopicSpread(topic_id, topic_name, 0))
        spread.questions += 1
        rows[question_id] = QuestionRow(question_id, prompt, topic_id, topic_name, quiz_title)

    progress = _class_progress(classroom, scope.question_ids)
    grid = _grid(students, names, list(topics.values()), progress)
    for row in grid:
        for spread, cell in zip(topics.values(), row.cells, strict=True):
            spread.counts[cell.level] = spread.counts.get(cell.level, 0) + 1
    _count_answers(rows, progress)
    questions = sorted(
        rows.values(),
        key=lambda r: (not r.answered, -r.missed, r.percent_right or 0, r.topic, r.question_id),
    )
    return ClassInsight(
        students=len(students),
        topics=list(topics.values()),
        questions=questions,
        assignments=_assignment_progress(classroom, scope.assignments, students, names, now),
        grid=grid,
    )


def _grid(
    students: list[Any], names: dict[int, str], topics: list[TopicSpread], progress: Any
) -> list[GridRow]:
    """Each student's level on each topic, from their progress counted per topic (one query)."""
    right = Q(last_correct=True)
    counted = progress.values("user_id", "question__topic_id").annotate(
        answered=Count("id"),
        right=Count("id", filter=right),
        spaced=Count("id", filter=right & Q(spaced_correct_at__isnull=False)),
    )
    counts = {(row["user_id"], row["question__topic_id"]): row for row in counted}
    empty = {"answered": 0, "right": 0, "spaced": 0}
    grid = []
    for student in students:
        cells = []
        for topic in topics:
            mine = counts.get((student.pk, topic.topic_id), empty)
            level = mastery_level(
                total=topic.questions,
                answered=mine["answered"],
                right=mine["right"],
                spaced=mine["spaced"],
            )
            cells.append(Cell(level, mine["right"], topic.questions))
        grid.append(GridRow(student.pk, names[student.pk], cells))
    return grid


def _count_answers(rows: dict[int, QuestionRow], progress: Any) -> None:
    """Students right and wrong on each question, and the most common wrong answer (told apart
    after folding case, accents and spacing, as the question report does), in one query."""
    counted = (
        progress.values(
            "question_id",
            "last_correct",
            wrong_text=Case(
                When(last_correct=False, then="last_answer_text"),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    spelling: dict[tuple[int, str], str] = {}
    for answer in counted:
        row = rows[answer["question_id"]]
        row.answered += answer["n"]
        if answer["last_correct"]:
            row.right += answer["n"]
            continue
        text = answer["wrong_text"].replace("\n", "; ").strip()
        folded = normalise_text(text) or text
        tallies[row.question_id][folded] += answer["n"]
        spelling.setdefault((row.question_id, folded), text)
    for question_id, tally in tallies.items():
        folded, count = max(tally.items(), key=lambda item: (item[1], item[0]))
        rows[question_id].wrong_answer = spelling[(question_id, folded)] or "(no answer)"
        rows[question_id].wrong_answer_count = count


def _assignment_progress(
    classroom: Classroom,
    assignments: list[Assignment],
    students: list[Any],
    names: dict[int, str],
    now: datetime,
) -> list[AssignmentProgress]:
    """Who has not started, is working on, has finished each assigned quiz, and who was late
    (finished after the due date, or has not finished and it is past due). One query."""
    finished = Q(finished_at__isnull=False)
    counted = (
        Attempt.objects.using(classroom._state.db)
        .filter(
            kind=Attempt.Kind.QUIZ,
            user__memberships__classroom=classroom,
            quiz_id__in=[a.quiz_id for a in assignments],
        )
        .values("user_id", "quiz_id")
        .annotate(
            finished=Count("id", filter=finished),
            open=Count("id", filter=~finished),
            first_finished_at=Min("finished_at"),
        )
        .order_by()
    )
    mine = {(row["user_id"], row["quiz_id"]): row for row in counted}
    result = []
    for assignment in assignments:
        progress = AssignmentProgress(assignment)
        due = assignment.due_at
        for student in students:
            row = mine.get((student.pk, assignment.quiz_id))
            name = names[student.pk]
            if row and row["finished"]:
                progress.finished.append(name)
                if due and row["first_finished_at"] > due:
                    progress.late.append(name)
            else:
                (progress.working if row else progress.not_started).append(name)
                if due and due < now:
                    progress.late.append(name)
        result.append(progress)
    return result


# ---- Setting practice -------------------------------------------------------------------------


def most_missed(classroom: Classroom, topic: Topic, scope: Scope) -> list[int]:
    """The class's most-missed questions of a topic (by students whose latest answer is wrong,
    then by the share of them), at most PRACTICE_SIZE; none that nobody has missed."""
    ids = [row[0] for row in scope.questions if row[1] == topic.pk]
    counted = (
        _class_progress(classroom, ids)
        .values("question_id")
        .annotate(answered=Count("id"), missed=Count("id", filter=Q(last_correct=False)))
        .filter(missed__gt=0)
        .order_by()
    )
    ranked = sorted(
        counted,
        key=lambda r: (-r["missed"], -r["missed"] / r["answered"], ids.index(r["question_id"])),
    )
    return [row["question_id"] for row in ranked[:PRACTICE_SIZE]]


@transaction.atomic
def set_topic_practice(
    *, classroom: Classroom, topic: Topic, question_ids: list[int], teacher: Any, today: date
) -> tuple[Quiz, bool]:
    """Assign the class a quiz of these questions (a pool of their banks that asks only them,
    shuffled): one a day per class and topic, so a second click the same day refreshes it
    rather than adding another. Returns the quiz and whether it is new."""
    quiz, created = Quiz.objects.get_or_create(
        slug=f"practice-{classroom.pk}-{today:%Y%m%d}-{topic.slug}"[:100],
        defaults={
            "title": f"Practice: {topic.name} ({classroom.name}, {today.day} {today:%b})"[:200],
            "description": f"The questions on {topic.name} that the class missed most.",
            "owner": teacher,
            "status": Status.PUBLISHED,
        },
    )
    quiz.question_count = len(question_ids)
    quiz.status = Status.PUBLISHED
    quiz.save(update_fields=["question_count", "status", "updated_at"])
    quiz.draws_from.set(
        Quiz.objects.filter(questions__in=question_ids).distinct().values_list("pk", flat=True)
    )
    quiz.picked_questions.set(question_ids)
    classroom.assign(quiz)
    return quiz, created
