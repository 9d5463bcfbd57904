"""A student's progress: their history, mastery per topic, their mistakes, spaced review, and
their own data as a CSV. Students see only their own; a teacher sees the students of their
classes; anyone else gets 404.

Everything here reads rows that are written with each answer (QuestionProgress, Attempt,
Response), so every page costs a fixed number of queries however long a student's history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from quizzes.charts import quiz_charts
from quizzes.db import dashboard_db
from quizzes.mastery import RULES, Level
from quizzes.models import Attempt, Membership, Question, QuestionProgress, Quiz, Response, User
from quizzes.models.attempts import (
    by_topic,
    practice_streak,
    score_percent,
    start_practice,
    start_review,
    summarise_attempts,
    withheld_questions,
)
from quizzes.models.progress import topic_mastery
from quizzes.spreadsheets import csv_download

# The chart shows the latest finished quiz attempts; the summaries above it count them all.
CHART_LIMIT = 40


def _get_student_for_user(request: HttpRequest, user_id: int) -> User:
    """The student whose progress the user may see: themselves, or a member of a class the
    user teaches. Anyone else's progress does not exist for them."""
    if user_id == request.user.pk:
        return request.user
    if not request.user.is_teacher:
        raise Http404("No such student")
    taught = Membership.objects.filter(student=OuterRef("pk"), classroom__teacher=request.user)
    return get_object_or_404(User.objects.filter(Exists(taught)), pk=user_id)


@require_GET
@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    return _render_progress(request, request.user)


@require_GET
@login_required
def student_progress(request: HttpRequest, user_id: int) -> HttpResponse:
    return _render_progress(request, _get_student_for_user(request, user_id))


def _render_progress(request: HttpRequest, student: User) -> HttpResponse:
    is_own = student.pk == request.user.pk
    # A student reads their own answers back from the primary; their teacher's dashboard may
    # read a replica (quizzes/db.py).
    using = "default" if is_own else dashboard_db()
    progress = _progress(student, is_own=is_own, using=using)
    quiz_ids = [s.quiz.pk for s in progress["summaries"] if s.quiz]
    context = {
        "student": student,
        "is_own": is_own,
        **progress,
        # The quizzes the viewer can open: no link to one that is no longer there for them.
        # (Asked at each view: what is set for a class changes without the student.)
        "openable": set(
            Quiz.objects.using(using)
            .visible_to(request.user)
            .filter(pk__in=quiz_ids)
            .values_list("pk", flat=True)
        )
        if quiz_ids
        else set(),
    }
    return render(request, "quizzes/progress.html", context)


# How long a rendered progress page is kept at most (its key changes with every answer).
PROGRESS_CACHE_SECONDS = 10 * 60


def _progress(student: User, *, is_own: bool, using: str) -> dict[str, Any]:
    """The student's progress: the mastery and chart sections rendered, the quiz summaries,
    and the counts the page's head says. Kept under a key that holds everything they show
    (AttemptQuerySet.progress_version: an answer, a start or an edit to content moves it; and
    the day, for the streak), until the next review falls due."""
    now = timezone.now()
    version = Attempt.objects.using(using).for_user(student).progress_version()
    key = f"progress:v2:{student.pk}:{is_own:d}:{timezone.localdate(now)}:{version}"
    progress = cache.get(key) if version is not None else None
    if progress is not None and (progress["valid_until"] is None or now < progress["valid_until"]):
        return progress
    attempts = list(Attempt.objects.using(using).for_user(student).history())
    topics = topic_mastery(student, now=now, using=using)
    finished_quizzes = [a for a in attempts if a.kind == Attempt.Kind.QUIZ and a.is_finished]
    scores = [(score_percent(a) or 0, a) for a in finished_quizzes[-CHART_LIMIT:]]
    sections = {
        "charts": quiz_charts(
            scores,
            key=lambda attempt: attempt.quiz_id,
            title=lambda attempt: attempt.title,
            day=lambda attempt: timezone.localdate(attempt.finished_at),
        ),
        "chart_rows": scores,
        "chart_total": len(finished_quizzes),
        "topics": topics,
        "rules": RULES,
    }
    next_due_at = min((t.next_due_at for t in topics if t.next_due_at), default=None)
    progress = {
        "mastery": render_to_string("quizzes/progress.html#mastery-section", sections),
        "chart": render_to_string("quizzes/progress.html#chart-section", sections),
        "summaries": summarise_attempts(attempts),
        "due_count": sum(t.due for t in topics),
        "next_due_at": next_due_at,
        "valid_until": next_due_at,  # then a review falls due: the counts change
        "mistake_count": sum(t.wrong for t in topics),
        "streak": _practice_streak(student, using) if is_own else 0,
        "strong_topics": [t.name for t in topics if t.level in (Level.PROFICIENT, Level.MASTERED)],
    }
    if version is not None:
        cache.set(key, progress, PROGRESS_CACHE_SECONDS)
    return progress


# A streak is counted back over at most this many days of practice (one small query).
STREAK_DAYS = 366


def _practice_streak(student: User, using: str) -> int:
    days = (
        Response.objects.using(using)
        .filter(user=student)
        .dates("answered_at", "day", order="DESC")[:STREAK_DAYS]
    )
    return practice_streak(days, timezone.localdate())


@require_GET
@login_required
def mistakes(request: HttpRequest) -> HttpResponse:
    mine = Response.objects.for_user(request.user)
    visible = mine.filter(question__in=Question.objects.visible_to(request.user))
    # The mistakes of an assignment whose right answers are still held back are counted, never
    # shown: else the page said "No mistakes yet" to a student with twelve.
    withheld = Q(question__in=withheld_questions(request.user, timezone.now()))
    held = ExpressionWrapper(withheld, output_field=BooleanField())
    every = list(visible.latest_mistakes().annotate(held=held))
    responses = [r for r in every if not r.held]
    context = {
        "responses": responses,
        "still_wrong": sum(1 for r in responses if r.still_wrong),
        "held_back": sum(1 for r in every if r.held and r.still_wrong),
        "topics": by_topic(responses),
    }
    return render(request, "quizzes/progress_mistakes.html", context)


@require_POST
@login_required
def practise(request: HttpRequest) -> HttpResponse:
    attempt = start_practice(user=request.user)
    if attempt is None:
        messages.info(request, _nothing_to_practise(request.user))
        return redirect("quizzes:progress")
    return redirect(attempt.step_url())  # the due question's own address (issue 21)


def _nothing_to_practise(student: User) -> str:
    """Why "Practise my mistakes" starts nothing: no mistakes, or only mistakes of an
    assignment whose right answers the teacher holds back while attempts remain."""
    held = QuestionProgress.objects.for_user(student).filter(
        question__in=withheld_questions(student, timezone.now())
    )
    if held.wrong().exists():
        return (
            "Your mistakes are in an assignment you can still try again, so they wait until "
            "your teacher shows its right answers. Try the assignment again!"
        )
    return "You have no mistakes to practise: every latest answer is right."


@require_POST
@login_required
def review(request: HttpRequest) -> HttpResponse:
    attempt = start_review(user=request.user, now=timezone.now())
    if attempt is None:
        messages.info(request, "Nothing is due for review yet. Well remembered!")
        return redirect("quizzes:progress")
    return redirect(attempt.step_url())  # the due question's own address (issue 21)


CSV_HEADER = ["quiz", "question", "your answer", "result", "points", "answered at", "session"]


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Every response the student has given, oldest first, as a CSV download."""
    rows = (
        Response.objects.filter(user=request.user)
        .order_by("answered_at", "id")
        .values_list(
            "question__quiz__title",
            "question__prompt",
            "answer_text",
            "is_correct",
            "points",
            "answered_at",
            "attempt__kind",
        )
    )
    today = timezone.localdate().isoformat()
    filename = f"quizsite-{slugify(request.user.username) or 'student'}-answers-{today}.csv"
    kinds = dict(Attempt.Kind.choices)
    answers = [
        [
            quiz,
            prompt,
            "; ".join(answer.splitlines()),
            "right" if correct else "wrong",
            f"{points.normalize():f}",
            timezone.localtime(answered_at).isoformat(timespec="seconds"),
            kinds.get(kind, kind),
        ]
        for quiz, prompt, answer, correct, points, answered_at, kind in rows
    ]
    return csv_download(filename, [CSV_HEADER, *answers])
