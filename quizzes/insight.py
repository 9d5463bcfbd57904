"""Class insight: what a class has and has not learned, for its teacher.

The class's questions are the published questions of the quizzes assigned to it (and of the
banks they draw from); its topics are their topics. Everything is read from the students'
progress rows (one per student and question, quizzes/models/progress.py), so it follows the
same rule as each student's own progress page: on each question the *latest* answer counts.
That is what a class knows now, and it keeps the page's cost to the class's rows, never its
whole history of responses.

A fixed number of queries, whatever the size of the class: the assignments, the questions, the
students (with each one's latest answer and open attempts) and, unless the cache has them up to
date, the progress counted per student and topic and per question and answer, and the attempts
at the assigned quizzes. Counted over the whole class those are the page's cost (a class of 300
with a year of work has some 60,000 progress rows and 40,000 attempts), and a class at work
moves them with every answer; so the cache keeps them under a key made of what the class is set
(its questions with their topics, its assignments with their due dates), with what each student
was counted as of: their latest answer and their open attempts. On the next look, the students
whose latest answer or open attempts have changed since are recounted alone (their rows per
topic, their attempts), and so is each question they answered since (over the class: 300 rows a
question): the same three queries, over a few hundred rows rather than the class's 100,000.
Every write to a progress row comes with an answer, and every change to a student's attempts
with an answer (each one answered, the last finishing it) or a change to their open attempts
(one started or dropped), so a student with neither has nothing new to count. Everything is
counted afresh when the cache has nothing for what the class is set (a first look, a question
published, moved or dropped, a quiz assigned or its due date changed), when a student joined or
left, when an answer went away, or when more than RECOUNT_SHARE of the class changed since (one
pass over everyone's rows is then cheaper). A student counts as working on a quiz once they have
started an attempt at it, as their own page says "in progress".
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quizzes.grading import normalise_text, percent
from quizzes.mastery import Level, mastery_level
from quizzes.models import (
    Assignment,
    Attempt,
    Classroom,
    Membership,
    Question,
    QuestionProgress,
    Quiz,
    Response,
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


GRID_CELLS = {
    level: f'<td class="level-{level.value}">{code}</td>' for level, code in LEVEL_CODES.items()
}

# Bump when what the cache keeps for a class (`_counts`) changes shape.
CACHE_FORMAT = 3
# An entry is written back at each recount, so a class at work keeps its own; this bounds what
# one costs that is no longer reached (the class is set something else).
CACHE_SECONDS = 3600


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
            (level, n, percent(n, students) or 0)
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
        return percent(self.right, self.answered)


@dataclass
class AssignmentProgress:
    """Who is where with one assigned quiz: names, in the class's order, escaped for HTML once
    for all the quizzes (8 quizzes of a class of 300 are 2,400 names)."""

    assignment: Assignment
    not_started: list[str] = field(default_factory=list)
    working: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # finished after the due date, or overdue

    @property
    def groups(self) -> list[tuple[str, str, int, SafeString]]:
        """(key, heading, how many, their names) of the four groups, in the page's order."""
        return [
            (key, heading, len(names), mark_safe(", ".join(names)))
            for key, heading, names in (
                ("not-started", "Not started", self.not_started),
                ("working", "Working", self.working),
                ("finished", "Finished", self.finished),
                ("late", "Late", self.late),
            )
        ]


@dataclass
class GridRow:
    student_id: int
    name: str
    cells: list[Cell]

    @property
    def grid_cells(self) -> str:
        """The row's cells of the grid: a letter and a class for the level's mark. Nothing in
        them comes from a user (levels, their letters and counts): nothing to escape."""
        return "".join(GRID_CELLS[cell.level] for cell in self.cells)

    @property
    def word_cells(self) -> str:
        """The same row as the table in words: the level and the topic's questions right."""
        return "".join(
            f'<td>{c.level.label} <span class="meta">({c.right:d}/{c.total:d})</span></td>'
            for c in self.cells
        )


@dataclass
class ClassInsight:
    students: int
    topics: list[TopicSpread]
    questions: list[QuestionRow]  # most missed first; those nobody answered last
    assignments: list[AssignmentProgress]
    grid: list[GridRow]  # students in the class's order, a cell per topic of `topics`

    # The grid's rows are joined here rather than in the template: a class of 300 on 8 topics
    # is 2,400 cells, and a loop of the template over them cost more than the rest of the page.
    @property
    def grid_rows(self) -> SafeString:
        return self._rows(GridRow.grid_cells.fget)

    @property
    def word_rows(self) -> SafeString:
        return self._rows(GridRow.word_cells.fget)

    def _rows(self, cells: Any) -> SafeString:
        return mark_safe(  # the names escaped, the cells made of no one's words
            "".join(
                f'<tr><th scope="row">{escape(row.name)}</th>{cells(row)}</tr>' for row in self.grid
            )
        )


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
    questions = list(
        _set_questions(classroom, assignments)
        .order_by(Lower("topic__name"), "topic_id", "quiz__title", "position", "id")
        .values_list("id", "topic_id", "topic__name", "prompt", "quiz__title")
    )
    return Scope(assignments, questions)


def _set_questions(classroom: Classroom, assignments: list[Assignment]) -> Any:
    """The published questions of the assigned quizzes and of the banks they draw from."""
    bank_ids = {bank_id for a in assignments for bank_id in a.bank_ids}
    return (
        Question.objects.using(classroom._state.db)
        .published()
        .filter(quiz_id__in=bank_ids, quiz__status=Status.PUBLISHED)
    )


def _class_progress(classroom: Classroom, question_ids: Any) -> Any:
    """The class's progress rows on these questions (of the students in the class's
    memberships, so the query is the same for any size of class; a semi-join, where a join
    through the users cost a fifth more)."""
    members = Membership.objects.filter(classroom=classroom).values("student_id")
    return QuestionProgress.objects.using(classroom._state.db).filter(
        user_id__in=members, question_id__in=question_ids
    )


def _students(classroom: Classroom, assignments: list[Assignment]) -> list[Any]:
    """The class's students in its order, each with what moves their counts: the time of their
    latest answer, and their open attempts at its assignments (an attempt started makes them
    "working" before they answer; finishing one comes with an answer). One query: both read
    through small indexes, a few thousand index entries for a class of 300."""
    latest_answer = (
        Response.objects.filter(user=OuterRef("pk")).order_by("-answered_at").values("answered_at")
    )
    open_attempts = (
        Attempt.objects.filter(
            user=OuterRef("pk"),
            assignment_id__in=[a.pk for a in assignments],
            finished_at__isnull=True,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        classroom.students.only("id", "username", "display_name")
        .annotate(
            latest_answer=Subquery(latest_answer[:1]),
            open_attempts=Coalesce(Subquery(open_attempts), 0),
        )
        .order_by(Lower("display_name"), "username")
    )


def class_insight(classroom: Classroom, *, now: datetime) -> ClassInsight:
    """The class's insight page, in four queries however large the class (seven when the
    counts are not in the cache)."""
    scope = class_scope(classroom)
    students = _students(classroom, scope.assignments)
    names = distinct_names(students)
    counts = _counts(classroom, students, scope)
    topics: dict[int, TopicSpread] = {}
    rows: dict[int, QuestionRow] = {}
    for question_id, topic_id, topic_name, prompt, quiz_title in scope.questions:
        spread = topics.setdefault(topic_id, TopicSpread(topic_id, topic_name, 0))
        spread.questions += 1
        rows[question_id] = QuestionRow(question_id, prompt, topic_id, topic_name, quiz_title)

    grid = _grid(names, list(topics.values()), counts.by_topic)
    for row in grid:
        for spread, cell in zip(topics.values(), row.cells, strict=True):
            spread.counts[cell.level] = spread.counts.get(cell.level, 0) + 1
    _count_answers(rows, counts.by_answer)
    questions = sorted(
        rows.values(),
        key=lambda r: (not r.answered, -r.missed, r.percent_right or 0, r.topic, r.question_id),
    )
    return ClassInsight(
        students=len(students),
        topics=list(topics.values()),
        questions=questions,
        assignments=_assignment_progress(scope.assignments, names, counts.by_attempts, now),
        grid=grid,
    )


# The counts: (answered, right, spaced) per (student, topic); (latest answer right?, the wrong
# answer's words, students) per question; and (finished, finished by the due date) per
# (student, assignment) of its attempts they began.
ByTopic = dict[tuple[int, int], tuple[int, int, int]]
ByAnswer = dict[int, list[tuple[bool, str, int]]]
ByAttempts = dict[tuple[int, int], tuple[int, int]]

# Recount the whole class rather than the students who answered since the last count when more
# than this share of the class has: one pass over everyone's rows then costs less.
RECOUNT_SHARE = 0.25

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Counts:
    """A class's counts, and for each student what they were counted as of: their latest
    answer (in microseconds since 1970; -1 for none) and their open attempts at the class's
    assignments. What the cache keeps for the class, as it is (a class of 300 with 8 topics
    and quizzes: 80 KB, pickled or unpickled in about a millisecond, where the same counts in
    arrays took three to pack and unpack)."""

    seen: dict[int, tuple[int, int]]
    by_topic: ByTopic
    by_answer: ByAnswer
    by_attempts: ByAttempts

    def answered_since(self, seen: dict[int, tuple[int, int]]) -> dict[int, int] | None:
        """The students who have answered, or started or dropped an attempt, since the count
        (by id, with their latest answer then), or None if it cannot be brought up to date by
        recounting them: a student joined or left, or an answer was taken away."""
        if seen.keys() != self.seen.keys():
            return None
        since = {}
        for student_id, now in seen.items():
            before = self.seen[student_id]
            if now[0] < before[0]:
                return None
            if now != before:
                since[student_id] = before[0]
        return since


def _stamp(moment: datetime | None) -> int:
    return -1 if moment is None else (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(stamp: int) -> datetime:
    return _EPOCH + timedelta(microseconds=stamp)


def _counts(classroom: Classroom, students: list[Any], scope: Scope) -> Counts:
    """The class's progress counted per student and topic and per question and answer, and
    its attempts at the assigned quizzes. The cache keeps them for what the class is set; when
    some students have answered since, only they are recounted, and the questions they
    answered (three small queries); when many have, or the class changed, everything is
    (three queries over the class's rows)."""
    made_of = repr(
        (
            [(row[0], row[1]) for row in scope.questions],
            [(a.pk, a.quiz_id, a.due_at) for a in scope.assignments],
        )
    )
    digest = hashlib.sha256(made_of.encode()).hexdigest()[:32]
    key = f"insight:{CACHE_FORMAT}:{classroom.pk}:{digest}"
    seen = {s.pk: (_stamp(s.latest_answer), s.open_attempts) for s in students}
    counts = cache.get(key)
    since = counts.answered_since(seen) if counts is not None else None
    if since == {}:
        return counts
    if counts is None or since is None or len(since) > RECOUNT_SHARE * len(seen):
        counts = _count_all(classroom, scope)
    else:
        _recount(classroom, scope, counts, since)
    counts.seen = seen
    cache.set(key, counts, CACHE_SECONDS)
    return counts


def _count_all(classroom: Classroom, scope: Scope) -> Counts:
    progress = _class_progress(classroom, scope.question_ids)
    return Counts(
        {},
        {(row[0], row[1]): row[2:] for row in _count_by_topic(progress)},
        _count_by_answer(progress),
        {(row[0], row[1]): row[2:] for row in _count_attempts(classroom)},
    )


def _recount(classroom: Classroom, scope: Scope, counts: Counts, since: dict[int, int]) -> None:
    """Bring the counts up to date for the students who answered since they were made (`since`:
    their latest answer then): their rows per topic and their attempts counted again, and each
    question one of them answered since counted again for the whole class. Three queries."""
    # The class's questions as a subquery: as a list, their 200 ids cost more to send thrice
    # than the three small queries take to run.
    questions = _set_questions(classroom, scope.assignments).values("id")
    theirs = QuestionProgress.objects.using(classroom._state.db).filter(
        user_id__in=since, question_id__in=questions
    )
    counts.by_topic = {k: v for k, v in counts.by_topic.items() if k[0] not in since}
    counts.by_topic.update({(row[0], row[1]): row[2:] for row in _count_by_topic(theirs)})
    answered_since = Q()
    for student_id, stamp in since.items():
        answered_since |= Q(user_id=student_id, last_answered_at__gt=_moment(stamp))
    answered = theirs.filter(answered_since).values("question_id")
    recounted = _count_by_answer(_class_progress(classroom, answered))
    counts.by_answer.update(recounted)  # every question answered since is among them
    counts.by_attempts = {k: v for k, v in counts.by_attempts.items() if k[0] not in since}
    attempts = _count_attempts(classroom).filter(user_id__in=since)
    counts.by_attempts.update({(row[0], row[1]): row[2:] for row in attempts})


def _count_by_topic(progress: Any) -> Any:
    """(student, topic, answered, right, spaced) rows."""
    right = Q(last_correct=True)
    return progress.values_list("user_id", "question__topic_id").annotate(
        answered=Count("id"),
        right=Count("id", filter=right),
        spaced=Count("id", filter=right & Q(spaced_correct_at__isnull=False)),
    )


def _count_by_answer(progress: Any) -> ByAnswer:
    """Per question, (latest answer right?, the wrong answer's words, students) rows."""
    wrong_text = Case(
        When(last_correct=False, then="last_answer_text"),
        default=Value(""),
        output_field=CharField(),
    )
    counted = (
        progress.values_list("question_id", "last_correct", wrong_text)
        .annotate(n=Count("id"))
        .order_by()
    )
    by_question: ByAnswer = {}
    for question_id, *row in counted:
        by_question.setdefault(question_id, []).append(tuple(row))
    return by_question


def _grid(names: dict[int, str], topics: list[TopicSpread], counts: ByTopic) -> list[GridRow]:
    """Each student's level on each topic, by the mastery rule; `names` by student id, in the
    class's order."""
    none = (0, 0, 0)
    return [
        GridRow(
            student_id,
            name,
            [
                _cell(topic.questions, *counts.get((student_id, topic.topic_id), none))
                for topic in topics
            ],
        )
        for student_id, name in names.items()
    ]


@lru_cache(maxsize=4096)
def _cell(total: int, answered: int, right: int, spaced: int) -> Cell:
    """One cell, the same object for the same counts: a class has few distinct ones, and
    thousands of cells."""
    level = mastery_level(total=total, answered=answered, right=right, spaced=spaced)
    return Cell(level, right, total)


def _count_answers(rows: dict[int, QuestionRow], counted: ByAnswer) -> None:
    """Students right and wrong on each question, and the most common wrong answer (told apart
    after folding case, accents and spacing, as the question report does)."""
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    spelling: dict[tuple[int, str], str] = {}
    for question_id, answers in counted.items():
        row = rows[question_id]
        for last_correct, wrong_text, n in answers:
            row.answered += n
            if last_correct:
                row.right += n
                continue
            text = wrong_text.replace("\n", "; ").strip()
            folded = normalise_text(text) or text
            tallies[question_id][folded] += n
            spelling.setdefault((question_id, folded), text)
    for question_id, tally in tallies.items():
        folded, count = max(tally.items(), key=lambda item: (item[1], item[0]))
        rows[question_id].wrong_answer = spelling[(question_id, folded)] or "(no answer)"
        rows[question_id].wrong_answer_count = count


def _count_attempts(classroom: Classroom) -> Any:
    """(student, assignment, finished, finished by the due date) rows: of each assignment's own
    attempts (Attempt.assignment) that were started, those finished and those finished by the
    due date (all of them, when there is none). One query."""
    finished = Q(finished_at__isnull=False)
    on_time = Q(finished_at__lte=F("assignment__due_at")) | Q(assignment__due_at__isnull=True)
    return (
        Attempt.objects.using(classroom._state.db)
        .filter(assignment__classroom=classroom)
        .values_list("user_id", "assignment_id")
        .annotate(
            finished=Count("id", filter=finished),
            on_time=Count("id", filter=finished & on_time),
        )
        .order_by()
    )


def _assignment_progress(
    assignments: list[Assignment], names: dict[int, str], counts: ByAttempts, now: datetime
) -> list[AssignmentProgress]:
    """Of the class's students now (`names`: one who left is in none of the groups), who has
    not started each assigned quiz, who is working on it (has started an attempt at it, answered
    or not, as their own page says "in progress"), who has finished it, and who was late
    (finished after the due date, or has not finished and it is past due; not for a quiz
    withdrawn since, which nobody can finish)."""
    escaped = {student_id: escape(name) for student_id, name in names.items()}
    result = []
    for assignment in assignments:
        progress = AssignmentProgress(assignment)
        overdue = assignment.is_overdue(now) and not assignment.is_withdrawn
        for student_id, name in escaped.items():
            row = counts.get((student_id, assignment.pk))
            if row and row[0]:
                progress.finished.append(name)
                if not row[1]:
                    progress.late.append(name)
            else:
                (progress.working if row else progress.not_started).append(name)
                if overdue:
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
        slug=f"practice-{classroom.pk}-{today:%Y%m%d}-topic-{topic.pk}",
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
    # Practice: as many tries as a student likes, the best counting.
    classroom.assign(quiz, attempts_allowed=None, score_counts=Assignment.Counts.BEST)
    return quiz, created
