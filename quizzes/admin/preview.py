""" "Preview as a student": a question or a quiz rendered by the student's own templates, with an
attempt that lives only in memory. Checking an answer grades it in memory too, so a preview
never writes an Attempt, a Response or any progress.

The student templates take their links (answer, next question, results) from the view; the
preview gives them its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from quizzes.forms import AnswerForm
from quizzes.models import Attempt, Question, Quiz, Response
from quizzes.models.content import Status

PREVIEW_ID = 0
PREVIEW_SEED = 1


@dataclass
class Preview:
    """One preview: which questions, and the URL of each of its pages."""

    quiz: Quiz
    question_ids: list[int]
    url: Callable[[str, int | None], str]  # ("question" | "end", number) -> URL
    back_url: str
    back_label: str

    @property
    def attempt(self) -> Attempt:
        attempt = Attempt(quiz=self.quiz, question_ids=self.question_ids, seed=PREVIEW_SEED)
        attempt.pk = PREVIEW_ID
        return attempt


def quiz_question_ids(quiz: Quiz) -> list[int]:
    """What a preview of the quiz asks: its own questions, drafts included (a teacher previews
    before publishing), then the published questions of the banks it draws from."""
    drawn = Q(quiz__in=quiz.draws_from.all(), status=Status.PUBLISHED)
    questions = Question.objects.filter(Q(quiz=quiz) | drawn)
    return list(questions.order_by("quiz_id", "position", "id").values_list("id", flat=True))


def _question(preview: Preview, number: int) -> Question | None:
    question_id = preview.attempt.question_id_at(number)
    if question_id is None:
        return None
    questions = Question.objects.select_related("quiz__source").prefetch_related("choices")
    return questions.filter(pk=question_id).first()


def _render(
    request: HttpRequest, preview: Preview, number: int, context: dict, partial: str, status: int
) -> HttpResponse:
    links = {
        "answer": preview.url("question", number),
        "next": preview.url("question", number + 1),
        "results": preview.url("end", None),
    }
    context = {
        "attempt": preview.attempt,
        "number": number,
        "preview": preview,
        "links": links,
        **context,
    }
    if request.htmx:
        html = render_to_string(f"quizzes/attempt.html#{partial}", context, request)
    else:
        html = render_to_string("admin/quizzes/preview.html", context, request)
    return HttpResponse(html, status=status)


def show(request: HttpRequest, preview: Preview, number: int) -> HttpResponse:
    """The question card, or on POST the feedback on the answer given (graded in memory)."""
    question = _question(preview, number)
    if question is None:
        return end(request, preview)
    form = AnswerForm(
        question, PREVIEW_SEED, data=request.POST if request.method == "POST" else None
    )
    context = {"question": question, "form": form}
    if request.method != "POST":
        return _render(request, preview, number, context, "question-card", 200)
    if not form.is_valid():
        return _render(request, preview, number, context, "question-card", 400)
    # Graded as record_answer grades it, and never saved.
    response = Response.graded(preview.attempt, question, form.answer(), at=timezone.now())
    context |= {"response": response, "is_last": number >= preview.attempt.total}
    return _render(request, preview, number, context, "answer-feedback", 200)


def end(request: HttpRequest, preview: Preview) -> HttpResponse:
    """Where a student would see their results."""
    context = {"preview": preview, "restart_url": preview.url("question", 1)}
    template = "admin/quizzes/preview_end.html"
    if request.htmx:
        template += "#preview-end"
    return HttpResponse(render_to_string(template, context, request))
