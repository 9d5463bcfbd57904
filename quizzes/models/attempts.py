"""Attempts (a student taking a quiz) and their responses (one per question, recorded once).

Recording an answer is where the data flows on: `record_answer` writes the response, folds it
into the student's progress (quizzes/models/progress.py) and has the leaderboards count it
(quizzes/leaderboards.py), in one transaction that it opens itself. Reading a student's history
back (their attempts, a summary per quiz, their latest mistakes) lives here too.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone

from quizzes import grading, leaderboards
from quizzes.models.content import ContentStamp, Question, Quiz, Status
from quizzes.models.progress import QuestionProgress


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def unfinished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def for_user(self, user: Any) -> AttemptQuerySet:
        return self.filter(user=user)

    def with_content_stamp(self) -> AttemptQuerySet:
        """Each attempt with `content_stamp`, read in the same query: the key its questions are
        cached under (`Attempt.question`, ContentStamp)."""
        return self.annotate(content_stamp=ContentStamp.current())

    def progress_version(self) -> str | None:
        """A version of everything a student's progress page shows, read in one query from
        these attempts (a student's) with the content stamp: their number, their questions
        answered in all and the newest. An answer moves the second (with it come the
        responses and progress rows), a start the first and the last, a deletion the first,
        an edit to content the stamp. None without a stamp or an attempt: nothing to key."""
        row = self.order_by().aggregate(
            stamp=Max(ContentStamp.current()),
            count=Count("id"),
            answered=Sum("position"),
            newest=Max("id"),
        )
        if row["stamp"] is None:
            return None
        return f"{row['stamp']}:{row['count']}:{row['answered']}:{row['newest']}"

    def history(self) -> AttemptQuerySet:
        """Oldest first, with their quiz and `ended_at`: when the attempt finished or, while it
        is open, its latest answer (None before the first)."""
        latest_answer = (
            Response.objects.filter(attempt=OuterRef("pk"))
            .order_by("-answered_at")
            .values("answered_at")[:1]
        )
        return (
            self.select_related("quiz")
            # Only what the page shows: building 500 whole attempts and quizzes costs more than
            # the query that fetches them.
            .only(
                *("user_id", "quiz_id", "kind", "question_ids", "position", "score", "max_score"),
                *("started_at", "finished_at", "quiz__title", "quiz__slug"),
            )
            .annotate(ended_at=Coalesce("finished_at", Subquery(latest_answer)))
            .order_by("started_at", "id")
        )

    def summary_by_quiz(self) -> dict[int, dict[str, Any]]:
        """Per quiz: the best finished score in percent and the open attempt's id, in one query."""
        finished = Q(finished_at__isnull=False)
        rows = (
            self.filter(kind=Attempt.Kind.QUIZ)
            .values("quiz_id")
            .annotate(
                # As floats: SQLite stores whole-number decimals as integers and would
                # divide 400 by 6 as 66, not 66.7.
                best_percent=Max(
                    Cast("score", models.FloatField())
                    * 100.0
                    / NullIf(Cast("max_score", models.FloatField()), 0.0),
                    filter=finished,
                ),
                finished_count=Count("id", filter=finished),
                open_attempt_id=Max("id", filter=Q(finished_at__isnull=True)),
            )
        )
        return {row.pop("quiz_id"): row for row in rows}


class Attempt(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", "Quiz"
        PRACTICE = "practice", "Practice"
        REVIEW = "review", "Review"
        LIVE = "live", "Live game"  # a player's answers in a live game (quizzes/models/live.py)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(
        Quiz, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUIZ)
    # The assignment this attempt was made for, and which of its attempts it is (1, 2 ...):
    # each assignment counts only its own attempts. Both empty for a quiz taken on one's own;
    # the number stays if the assignment is deleted (the attempt is then no one's).
    assignment = models.ForeignKey(
        "quizzes.Assignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    # The questions of this attempt in the order it asks them, fixed when it starts so that
    # later edits to the bank never reshuffle a student's attempt.
    question_ids = models.JSONField(default=list)
    # Seeds the per-attempt shuffle of choices, so a reload shows the same order.
    seed = models.PositiveIntegerField(default=0)
    position = models.PositiveIntegerField(default=0, help_text="Questions answered so far.")
    score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    correct_count = models.PositiveIntegerField(default=0)
    # The latest answers that were right, counted back to the last wrong one ("3 in a row"),
    # kept as answers come: counting them back from the responses on every answer cost the
    # answer post a correlated subquery (in building it more than in running it). Speed never
    # counts.
    run_of_right = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # One open attempt per student and quiz, and per assignment: "Start quiz" twice
            # resumes, never forks.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(finished_at__isnull=True, kind="quiz", number__isnull=True),
                name="one_unfinished_attempt_per_quiz",
            ),
            models.UniqueConstraint(
                fields=["user", "assignment"],
                condition=Q(finished_at__isnull=True, assignment__isnull=False),
                name="one_unfinished_attempt_per_assignment",
            ),
            # Each attempt of an assignment has its own number, so two starts at once of the
            # last allowed attempt make one attempt, not two.
            models.UniqueConstraint(
                fields=["user", "assignment", "number"],
                condition=Q(assignment__isnull=False),
                name="one_attempt_per_assignment_number",
            ),
            # An assignment's attempt has its number (kept if the assignment is deleted).
            models.CheckConstraint(
                condition=Q(assignment__isnull=True) | Q(number__gte=1),
                name="attempt_number_with_assignment",
            ),
            # One open practice and one open review per student: starting again resumes.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(finished_at__isnull=True, kind__in=["practice", "review"]),
                name="one_unfinished_session_per_kind",
            ),
            models.CheckConstraint(condition=Q(score__gte=0), name="attempt_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", args=[self.pk])

    def step_url(self, number: int | None = None) -> str:
        """The address of question `number` (the one due by default): its card while it is
        due, its feedback once answered, so that back, forward and reload show one step each."""
        return reverse("quizzes:feedback", args=[self.pk, number or self.current_number])

    @property
    def title(self) -> str:
        if self.quiz_id:
            return self.quiz.title
        return "Practise my mistakes" if self.kind == Attempt.Kind.PRACTICE else "Review"

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def current_number(self) -> int:
        """1-based number of the question to answer next."""
        return min(self.position + 1, self.total)

    def links(self, number: int) -> dict[str, str]:
        """Where the question card and its feedback lead: the answer post for question
        `number`, the next question, and the results. The admin's preview supplies its own."""
        return {
            "answer": reverse("quizzes:answer", args=[self.pk, number]),
            "next": self.step_url(number + 1) if number < self.total else self.step_url(),
            "results": reverse("quizzes:results", args=[self.pk]),
        }

    def question_id_at(self, number: int) -> int | None:
        if 1 <= number <= self.total:
            return self.question_ids[number - 1]
        return None

    def previous_try(self) -> Attempt | None:
        """The student's finished attempt at this quiz before this one, for an honest
        comparison on the results."""
        if self.quiz_id is None or self.finished_at is None:
            return None
        return (
            Attempt.objects.for_user(self.user_id)
            .finished()
            .filter(
                quiz_id=self.quiz_id,
                kind=self.kind,
                assignment_id=self.assignment_id,
                finished_at__lt=self.finished_at,
            )
            .only("correct_count", "score", "max_score", "question_ids", "finished_at")
            .order_by("-finished_at")
            .first()
        )

    def comparison(self, previous: Attempt | None) -> str:
        """A short, honest word on this try against the last one at the same quiz."""
        if previous is None:
            return ""
        gain = self.correct_count - previous.correct_count
        if gain > 0:
            return f"You beat your last score on this quiz by {gain} question{pluralize(gain)}."
        if gain == 0:
            return f"The same as last time: {self.correct_count} right."
        return (
            f"{-gain} fewer right than last time ({previous.correct_count}): the answers to "
            "look at again are below."
        )

    @property
    def is_late(self) -> bool:
        """An assignment's attempt finished after its due date."""
        return self.assignment_id is not None and self.assignment.is_late(self.finished_at)

    def withheld_note(self, now: datetime) -> str:
        """Why this attempt's feedback does not show the right answers yet ("" if it does).
        Only a graded assignment's attempts hold them back, and only while the student has
        attempts left: until the due date, or until the last allowed attempt (the
        assignment's `answers_shown`). Practice and quizzes taken on one's own show them."""
        assignment = self.assignment if self.assignment_id else None
        if assignment is None or self.number is None:
            return ""
        allowed = assignment.attempts_allowed
        if allowed is not None and self.number >= allowed:
            return ""
        if assignment.answers_shown == assignment.Answers.AFTER_DUE_DATE and assignment.due_at:
            if now >= assignment.due_at:
                return ""
            return "Your teacher shows the right answers after the due date."
        if not assignment.late_work_accepted and assignment.is_overdue(now):
            return ""  # no attempt can follow
        if allowed is not None and self._attempts_used() >= allowed:
            return ""  # an earlier attempt, looked at again after the last one
        if allowed is None:
            return "Your teacher does not show the right answers while you can try again."
        return "Your teacher shows the right answers on your last attempt."

    def _attempts_used(self) -> int:
        mine = Attempt.objects.filter(user_id=self.user_id, assignment_id=self.assignment_id)
        return mine.aggregate(n=Max("number"))["n"] or 0

    def is_answered(self, number: int) -> bool:
        # Questions are answered in order, so the first `position` ones are the answered ones.
        return number <= self.position

    def question(self, number: int) -> Question:
        """Question `number` of this attempt, with its content, from the cache at the stamp the
        attempt was read with (`with_content_stamp`); raises Question.DoesNotExist. The next
        question comes in the same round trip (or query), kept on this instance: its card goes
        out with the feedback on this one (quizzes.views.students.answer)."""
        question_id = self.question_id_at(number)
        if question_id is None:
            raise Question.DoesNotExist(f"No question {number} in this attempt")
        read = self.__dict__.setdefault("_questions", {})
        if question_id not in read:
            after = self.question_id_at(number + 1)
            wanted = [question_id] if after is None else [question_id, after]
            read.update(Question.cached_many(wanted, stamp=self.content_stamp))
        if question_id not in read:
            raise Question.DoesNotExist(f"No question {question_id}")
        return read[question_id]

    def results_key(self) -> str | None:
        """The cache key of this attempt's reviewed answers on its results (quizzes.views.
        students.results), or None while it is open or read without a content stamp. A finished
        attempt's answers never change, so the key needs only the attempt, when it finished (an
        id that comes back in another database does not bring its moment back) and the content
        stamp its questions are read at."""
        if self.finished_at is None or getattr(self, "content_stamp", None) is None:
            return None
        return f"results:v1:{self.pk}:{self.finished_at.timestamp()}:{self.content_stamp}"

    def move_on(self, response: Response) -> None:
        """Count a recorded response in this attempt and save it: the next question, or the end."""
        self.save(update_fields=self._counted(response))

    def claim_turn(self, response: Response) -> bool:
        """Count the response in this attempt in one UPDATE, on condition that no other answer
        moved it since it was read (its position): whether it did. In a transaction, the
        claim comes before the response's own writes, so a lost claim has written nothing."""
        read_at = self.position
        fields = self._counted(response)
        values = {name: getattr(self, name) for name in fields}
        if Attempt.objects.filter(pk=self.pk, position=read_at).update(**values):
            return True
        self.refresh_from_db(fields=fields)
        return False

    def _counted(self, response: Response) -> list[str]:
        """Count the response in this attempt's fields (not saved): the names of those changed."""
        self.position += 1
        self.score += response.points
        self.correct_count += int(response.is_correct)
        self.run_of_right = self.run_of_right + 1 if response.is_correct else 0
        update_fields = ["position", "score", "correct_count", "run_of_right"]
        if self.position >= self.total:
            self.finished_at = response.answered_at
            update_fields.append("finished_at")
        return update_fields


class ReadAnswer(Protocol):
    """An answer as given: a student's form (quizzes.forms.AnswerForm), or `Given`."""

    def is_valid(self) -> bool: ...

    def answer(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Given:
    """An answer already in the shape a Response stores (quizzes.forms), taken as it is: a live
    game's, or a test's."""

    value: Mapping[str, Any]

    def is_valid(self) -> bool:
        return True

    def answer(self) -> dict[str, Any]:
        return dict(self.value)


@dataclass
class Turn:
    """What came of giving an answer to question `number` of an attempt."""

    attempt: Attempt  # as read under its row lock, and moved on if the answer was recorded
    question: Question
    # The response to the question: recorded now, or before (a repeated post gets it back).
    # None when it is not this question's turn yet, or the answer was refused.
    response: Response | None = None
    refused: ReadAnswer | None = None  # the answer, if it was not valid (a form, its errors)
    recorded: bool = False  # the response was recorded now, not by an earlier post


def record_answer(
    attempts: AttemptQuerySet,
    attempt_id: int,
    number: int,
    answer: Mapping[str, Any] | Callable[[Attempt, Question], ReadAnswer],
) -> Turn:
    """Grade and store the answer to question `number` of one of `attempts` (a scope, e.g. the
    user's own), once, and move the attempt on. `answer` is the answer, or what reads it once
    the attempt and question are known (a form: it needs the question and the attempt's seed).

    It opens its own transaction and reads the attempt under its row lock, with the content
    stamp its questions are cached under, in one query: of two simultaneous posts the second
    waits, then finds the question answered and gets the first one's response back. The unique
    constraint on Response is the last line of defence. Raises Attempt.DoesNotExist or
    Question.DoesNotExist when there is no such attempt in `attempts` or question in it.
    """
    if connection.vendor == "sqlite":
        turn = _record_before_locking(attempts, attempt_id, number, answer)
        if turn is not None:
            return turn
    with transaction.atomic():
        locked = attempts.with_content_stamp().select_for_update(of=("self",))
        attempt = locked.get(pk=attempt_id)
        turn = Turn(attempt, attempt.question(number))
        if attempt.is_answered(number):
            turn.response = attempt.responses.get(question=turn.question)
        elif number == attempt.current_number:
            given = Given(answer) if isinstance(answer, Mapping) else answer(attempt, turn.question)
            if given.is_valid():
                turn.response = _record(attempt, turn.question, given.answer())
                turn.recorded = True
            else:
                turn.refused = given
        return turn


def _record_before_locking(
    attempts: AttemptQuerySet,
    attempt_id: int,
    number: int,
    answer: Mapping[str, Any] | Callable[[Attempt, Question], ReadAnswer],
) -> Turn | None:
    """`record_answer` for SQLite, which has one writer at a time and takes its write lock when
    a transaction begins (quizsite/settings.py: IMMEDIATE): the attempt, the question, the form
    and the grading come first, outside any transaction, so the lock is held for the writes
    alone. The student's progress on the question is read and the answer folded into it
    before the lock too. The first write claims the attempt's turn (Attempt.claim_turn); if
    another post moved the attempt meanwhile (the same answer sent twice), nothing is written
    and None leaves it to the locked path, as does any post for a question that is not the one
    due, and an answer whose progress row another answer changed meanwhile (the same question
    in another attempt: QuestionProgress.save_unless_moved), whose writes are rolled back."""
    attempt = attempts.with_content_stamp().get(pk=attempt_id)
    if number != attempt.current_number or attempt.is_answered(number):
        return None
    turn = Turn(attempt, attempt.question(number))
    given = Given(answer) if isinstance(answer, Mapping) else answer(attempt, turn.question)
    if not given.is_valid():
        turn.refused = given
        return turn
    response = Response.graded(attempt, turn.question, given.answer(), at=timezone.now())
    progress = QuestionProgress.as_read(response)
    progress.fold_in(response, in_review=attempt.kind == Attempt.Kind.REVIEW)
    try:
        with transaction.atomic():
            if not attempt.claim_turn(response):
                return None
            response.save()
            if not progress.save_unless_moved():
                raise _Overtaken
            leaderboards.answer_recorded(response)  # on commit: counts the answer in Redis
    except (_Overtaken, IntegrityError):
        return None
    turn.response, turn.recorded = response, True
    return turn


class _Overtaken(Exception):
    """Another answer changed what this one was read against: roll its writes back."""


def _save_response(attempt: Attempt, response: Response) -> None:
    response.save()
    QuestionProgress.record(response, in_review=attempt.kind == Attempt.Kind.REVIEW)
    leaderboards.answer_recorded(response)  # on commit: counts the answer in Redis


def _record(attempt: Attempt, question: Question, answer: dict[str, Any]) -> Response:
    response = Response.graded(attempt, question, answer, at=timezone.now())
    _save_response(attempt, response)
    attempt.move_on(response)
    return response


class AttemptRefused(Exception):
    """No new attempt at an assignment: its message says why, to the student."""


def start_attempt(*, user: Any, quiz: Quiz, assignment: Any = None) -> Attempt:
    """The student's open attempt at this quiz (for this assignment, if one is given), or a
    new one. Safe against double clicks. For an assignment, raises AttemptRefused when its
    attempts are used up (or it is withdrawn, or closed to late work): the attempt's number
    is unique per student and assignment, so two starts at once of the last allowed attempt
    make one attempt, and the loser resumes it."""
    existing = Attempt.objects.unfinished().filter(user=user, quiz=quiz, kind=Attempt.Kind.QUIZ)
    existing = (
        existing.filter(assignment=assignment) if assignment else existing.filter(number=None)
    )
    if attempt := existing.first():
        return attempt
    number = None
    if assignment is not None:
        used = Attempt.objects.filter(user=user, assignment=assignment).aggregate(n=Max("number"))
        number = (used["n"] or 0) + 1
        if refusal := assignment.refusal(number - 1, timezone.now()):
            # The attempt that used the last number may be one started a moment ago, by
            # another request of this student's: continue it.
            if attempt := existing.first():
                return attempt
            raise AttemptRefused(refusal)
    rng = random.Random(secrets.randbits(32))
    question_ids = quiz.draw_question_ids(rng)
    points = dict(Question.objects.filter(id__in=question_ids).values_list("id", "points"))
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                assignment=assignment,
                number=number,
                question_ids=question_ids,
                seed=rng.randrange(2**31),
                max_score=sum(points.values()),
            )
    except IntegrityError:
        # Another request started it a moment ago: continue that one (if it is already
        # finished, that request used the attempt this one asked for).
        if attempt := existing.first():
            return attempt
        raise AttemptRefused("That attempt was started and finished elsewhere.") from None


# A practice or review session asks at most this many questions; the rest wait for the next.
SESSION_SIZE = 20


def withheld_questions(user: Any, now: datetime) -> models.QuerySet[Any]:
    """The ids of questions the student met in an assignment whose right answers are still
    held back from them (Attempt.withheld_note): attempts left, and neither the due date
    passed where it shows them nor the assignment closed to late work. Practice, review and
    My mistakes leave these out, or they would give the answers away."""
    assignments = Attempt._meta.get_field("assignment").related_model.objects
    held = (
        assignments.filter(attempts__user=user, quiz__status=Status.PUBLISHED)
        .annotate(used=Max("attempts__number", filter=Q(attempts__user=user)))
        .filter(Q(attempts_allowed__isnull=True) | Q(used__lt=models.F("attempts_allowed")))
        .exclude(answers_shown="due-date", due_at__lte=now)
        .exclude(late_work_accepted=False, due_at__lte=now)
    )
    return Response.objects.filter(user=user, attempt__assignment__in=held).values("question_id")


def start_practice(*, user: Any) -> Attempt | None:
    """The student's open "Practise my mistakes", or a new one of the questions whose latest
    answer was wrong, in bank order. None when there is nothing to practise."""
    mistakes = (
        QuestionProgress.objects.for_user(user)
        .live()
        .visible_to(user)
        .exclude(question__in=withheld_questions(user, timezone.now()))
        .wrong()
        .order_by("question__quiz_id", "question__position", "question_id")
    )
    return _start_session(user=user, kind=Attempt.Kind.PRACTICE, progress=mistakes)


def start_review(*, user: Any, now: datetime) -> Attempt | None:
    """The student's open review, or a new one of the questions due by `now`, the most
    overdue first. None when nothing is due."""
    due = QuestionProgress.objects.for_user(user).live().visible_to(user).due(now)
    due = due.exclude(question__in=withheld_questions(user, now)).most_overdue_first()
    return _start_session(user=user, kind=Attempt.Kind.REVIEW, progress=due)


def _start_session(*, user: Any, kind: str, progress: models.QuerySet[Any]) -> Attempt | None:
    existing = Attempt.objects.unfinished().filter(user=user, kind=kind)
    if attempt := existing.first():
        return attempt
    rows = list(progress.values_list("question_id", "question__points")[:SESSION_SIZE])
    if not rows:
        return None
    try:
        # The partial unique constraint one_unfinished_session_per_kind refuses a second
        # open session, so two clicks at once cannot fork the student's practice or review.
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                kind=kind,
                question_ids=[question_id for question_id, _ in rows],
                seed=secrets.randbelow(2**31),
                max_score=sum(points for _, points in rows),
            )
    except IntegrityError:
        return existing.get()


class ResponseQuerySet(models.QuerySet["Response"]):
    def for_user(self, user: Any) -> ResponseQuerySet:
        return self.filter(user=user)

    def latest_mistakes(self) -> ResponseQuerySet:
        """For each question (published, in a published quiz) ever got wrong, the latest wrong
        response, annotated `still_wrong` when the student's latest answer to it is still
        wrong. The ones still wrong come first, then the most recent."""
        # Responses are only ever added, so the highest id is the latest.
        wrong = self.filter(is_correct=False).values("question_id")
        latest_wrong = wrong.annotate(latest=Max("id")).values("latest")
        still_wrong = QuestionProgress.objects.filter(
            user=OuterRef("user"), question=OuterRef("question"), last_correct=False
        )
        return (
            self.filter(
                id__in=latest_wrong,
                question__status=Status.PUBLISHED,
                question__quiz__status=Status.PUBLISHED,
            )
            .annotate(still_wrong=Exists(still_wrong))
            .select_related("question__quiz__source", "question__topic")
            .defer("question__quiz__source__text", "question__quiz__description")
            .prefetch_related("question__choices")
            .order_by("-still_wrong", "-answered_at", "-id")
        )


class Response(models.Model):
    """A student's answer to one question of one attempt, graded once when it is recorded.

    The answer, its words and its marks are stored as they were, so a later edit to the
    question never changes a student's recorded result.
    """

    # No index of their own on attempt and user: the unique (attempt, question) and the
    # (user, answered_at) indexes lead with them and serve every lookup (bench/explain.py),
    # and each index is one more write on every answer.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    # Denormalised from the attempt: progress and leaderboards read responses by student.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    answer = models.JSONField()
    answer_text = models.TextField(blank=True)
    score = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="Share of the marks, 0 to 1."
    )
    points = models.DecimalField(max_digits=6, decimal_places=2)
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_question"
            ),
        ]
        indexes = [models.Index(fields=["user", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.question}"

    @classmethod
    def graded(
        cls, attempt: Attempt, question: Question, answer: dict[str, Any], *, at: datetime
    ) -> Response:
        """The response to `question` in `attempt`, graded, not saved."""
        grade = question.grade(answer)
        return cls(
            attempt=attempt,
            question=question,
            user_id=attempt.user_id,
            answer=answer,
            answer_text="\n".join(question.describe_answer(answer)),
            score=grade.fraction,
            points=grade.points(question.points),
            is_correct=grade.correct,
            answered_at=at,
        )

    @property
    def answer_lines(self) -> list[str]:
        return self.answer_text.splitlines()

    def review_key(self, stamp: int, shown_as: str, withheld: str = "") -> str:
        """The cache key of this answer's review (the answer beside the right one, the why),
        rendered as `shown_as`, with the right answer `withheld` or not: the same for every
        response that gave this answer to this question, with the same marks, at content stamp
        `stamp`. A class answering the same questions gives a few answers to each, so a
        school's results render each few times."""
        given = json.dumps(
            [self.answer, self.answer_text, str(self.score), str(self.points), self.is_correct],
            sort_keys=True,
            default=str,
        )
        digest = hashlib.blake2b(given.encode(), digest_size=12).hexdigest()
        held = self.withheld_digest(withheld)
        return f"review:v1:{shown_as}:{self.question_id}:{stamp}:{held}:{digest}"

    @staticmethod
    def withheld_digest(withheld: str) -> str:
        """A short digest of the note that holds the right answers back ("" shows them)."""
        return hashlib.blake2b(withheld.encode(), digest_size=6).hexdigest() if withheld else "-"

    @property
    def verdict(self) -> str:
        """ "correct", "partial" (some marks, not all) or "incorrect": the feedback's words,
        icon and colour all follow it."""
        if self.is_correct:
            return "correct"
        return "partial" if self.score > 0 else "incorrect"


@dataclass
class TopicGroup:
    """Responses about one topic, for results and My mistakes: the counts head the group."""

    name: str
    responses: list[Response]

    @property
    def right(self) -> int:
        return sum(1 for r in self.responses if r.is_correct)

    @property
    def total(self) -> int:
        return len(self.responses)

    @property
    def still_wrong(self) -> int:
        return sum(1 for r in self.responses if getattr(r, "still_wrong", not r.is_correct))


def by_topic(
    responses: Iterable[Response], topics: Mapping[int, tuple[int, str]] | None = None
) -> list[TopicGroup]:
    """`responses` grouped by their question's topic (read with it: Question.with_content, or
    given as `topics`, (id, name) by response id), in the order the topics first come, each
    group in the responses' order."""
    groups: dict[int, TopicGroup] = {}
    for response in responses:
        if topics is not None:
            topic_id, name = topics[response.pk]
        else:
            topic_id, name = response.question.topic.pk, response.question.topic.name
        groups.setdefault(topic_id, TopicGroup(name, [])).responses.append(response)
    return list(groups.values())


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def practice_streak(days: Iterable[date], today: date) -> int:
    """Days in a row with at least one answer, ending today (or yesterday: a streak is not
    lost before the day is over). `days` newest first, each once."""
    streak = 0
    expected = today
    for day in days:
        if streak == 0 and day == today - timedelta(days=1):
            expected = day
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


# ---- A student's history, summed up -----------------------------------------------------------


def score_percent(attempt: Attempt) -> int | None:
    """The attempt's score in whole percent (grading.percent), None for one worth nothing."""
    return grading.percent(attempt.score, attempt.max_score)


@dataclass
class AttemptSummary:
    """A student's attempts at one quiz, or at one kind of session (practice or review)."""

    title: str
    kind: str
    quiz: Quiz | None = None
    finished: int = 0
    best_percent: int | None = None
    last_percent: int | None = None
    last_finished_at: datetime | None = None
    time_spent: timedelta = timedelta(0)
    open_attempt: Attempt | None = None

    def add(self, attempt: Attempt) -> None:
        """Fold in one more attempt; attempts must come oldest first."""
        ended_at = getattr(attempt, "ended_at", None) or attempt.finished_at
        if ended_at:
            self.time_spent += max(ended_at - attempt.started_at, timedelta(0))
        if not attempt.is_finished:
            self.open_attempt = attempt
            return
        percent = score_percent(attempt)
        self.finished += 1
        self.last_percent = percent
        self.last_finished_at = attempt.finished_at
        if percent is not None and (self.best_percent is None or percent > self.best_percent):
            self.best_percent = percent

    @property
    def time_spent_words(self) -> str:
        return duration_words(self.time_spent)


def summarise_attempts(attempts: list[Attempt]) -> list[AttemptSummary]:
    """One summary per quiz, most recently started first, then practice, then review, from
    attempts oldest first (`AttemptQuerySet.history`)."""
    quizzes: dict[int, AttemptSummary] = {}
    sessions: dict[str, AttemptSummary] = {}
    for attempt in attempts:
        if attempt.quiz_id:  # a quiz, or a live game of it: its answers count as the quiz's
            summary = quizzes.get(attempt.quiz_id)
            if summary is None:
                summary = AttemptSummary(title=attempt.title, kind=attempt.kind, quiz=attempt.quiz)
            # Re-inserting moves the quiz to the end: the dict ends up in order of last use.
            quizzes.pop(attempt.quiz_id, None)
            quizzes[attempt.quiz_id] = summary
        else:
            summary = sessions.setdefault(
                attempt.kind, AttemptSummary(title=attempt.title, kind=attempt.kind)
            )
        summary.add(attempt)
    ordered_sessions = sorted(sessions.values(), key=lambda s: s.kind)  # practice, review
    return [*reversed(quizzes.values()), *ordered_sessions]


def duration_words(span: timedelta) -> str:
    """12 min, 1 h 5 min, under a minute."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
