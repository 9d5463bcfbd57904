"""Class insight (what a class has not learned, and practice set on it) and printing a quiz
(its question sheet and its answer key), for teachers.

A class's insight exists only for its teacher: anyone else gets 404, as on the other pages of
a class. A quiz's sheet and key are for teachers (403 to anyone else), of the quizzes they may
read in the admin: the published ones and their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quizzes import insight, sheets
from quizzes.db import dashboard_db
from quizzes.mastery import RULES
from quizzes.models import Quiz, Status, Topic
from quizzes.views.classes import _get_classroom_for_teacher

# The questions the page lists at first, most missed first ("Show all" lists every one).
QUESTIONS_SHOWN = 25


@require_GET
@login_required
def class_insight(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, classroom_id, using=dashboard_db())
    found = insight.class_insight(classroom, now=timezone.now())
    shown = None if request.GET.get("questions") == "all" else QUESTIONS_SHOWN
    context = {
        "classroom": classroom,
        "insight": found,
        "questions": found.questions[:shown],
        "questions_left": len(found.questions[shown:]) if shown else 0,
        "as_table": request.GET.get("grid") == "table",
        "rules": [(level, insight.LEVEL_CODES[level], rule) for level, rule in RULES],
    }
    return render(request, "quizzes/teacher_insight.html", context)


@require_POST
@login_required
def topic_practice(request: HttpRequest, classroom_id: int, topic_id: int) -> HttpResponse:
    """Assign the class a practice quiz of its most-missed questions on one of its topics."""
    classroom = _get_classroom_for_teacher(request, classroom_id)
    scope = insight.class_scope(classroom)
    if topic_id not in {row[1] for row in scope.questions}:
        raise Http404("The class is set no questions on that topic")
    topic = get_object_or_404(Topic, pk=topic_id)
    picked = insight.most_missed(classroom, topic, scope)
    if not picked:
        messages.info(request, f"Nobody in the class has missed a question on {topic.name} yet.")
        return redirect("quizzes:class_insight", classroom.pk)
    quiz, created = insight.set_topic_practice(
        classroom=classroom,
        topic=topic,
        question_ids=picked,
        teacher=request.user,
        today=timezone.localdate(),
    )
    done = "is assigned to" if created else "is brought up to date for"
    messages.success(
        request,
        f"“{quiz.title}” ({len(picked)} question{'' if len(picked) == 1 else 's'}) {done} "
        f"{classroom.name}.",
    )
    return redirect("quizzes:class_insight", classroom.pk)


# ---- Printing a quiz ----------------------------------------------------------------------------


def _get_quiz_for_teacher(request: HttpRequest, quiz_id: int) -> Quiz:
    """A quiz a teacher may print: a published one, or one of their own."""
    if not request.user.is_teacher:
        raise PermissionDenied("Only teachers print quizzes.")
    mine = Q() if request.user.is_superuser else Q(owner=request.user)
    return get_object_or_404(Quiz.objects.filter(Q(status=Status.PUBLISHED) | mine), pk=quiz_id)


def _render_sheet(request: HttpRequest, quiz_id: int, *, key: bool) -> HttpResponse:
    quiz = _get_quiz_for_teacher(request, quiz_id)
    # A pool's sheet lists every question it may draw, bank by bank.
    questions = quiz.question_pool().with_content().order_by("quiz_id", "position", "id")
    context = {"quiz": quiz, "questions": sheets.sheet(list(questions), seed=quiz.pk), "key": key}
    return render(request, "quizzes/quiz_sheet.html", context)


@require_GET
@login_required
def quiz_sheet(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """The quiz's published questions on paper, with room to answer and no answers."""
    return _render_sheet(request, quiz_id, key=False)


@require_GET
@login_required
def answer_key(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """The same questions with their right answers and explanations."""
    return _render_sheet(request, quiz_id, key=True)
