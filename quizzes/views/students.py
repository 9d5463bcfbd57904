"""What students see: the quiz list, taking a quiz one question at a time, results, sources.

Every quiz view renders a whole page, or for an HTMX request just the fragment (an inline
partial of the same template) that changes; without JavaScript the same URLs work with
ordinary form posts and redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, replace_url

from quizzes.forms import AnswerForm
from quizzes.models import (
    Assignment,
    Attempt,
    AttemptQuerySet,
    LiveGame,
    Question,
    QuestionProgress,
    Quiz,
    Response,
    SourceDocument,
)
from quizzes.models.attempts import AttemptRefused, by_topic, record_answer, start_attempt
from quizzes.models.classes import Standing, assigned_to, standings
from quizzes.models.content import QUESTION_CACHE_SECONDS
from quizzes.sourcetext import Span, mark_passages


def _attempts_for_user(request: HttpRequest) -> AttemptQuerySet:
    """The user's own attempts: another student's do not exist for them."""
    return Attempt.objects.filter(user=request.user).select_related("quiz", "assignment")


def _get_attempt_for_user(request: HttpRequest, attempt_id: int) -> Attempt:
    """The user's own attempt, or 404, with the content stamp (read in the same query) that
    its questions are cached under."""
    return get_object_or_404(_attempts_for_user(request).with_content_stamp(), pk=attempt_id)


def _get_question(attempt: Attempt, number: int) -> Question:
    try:
        return attempt.question(number)
    except Question.DoesNotExist:
        raise Http404("No such question in this attempt") from None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    quizzes = (
        Quiz.objects.visible_to(request.user)
        .with_question_counts()
        .in_list_order()
        .select_related("source")
    )
    summary = {}
    due_count = 0
    assigned = None
    live_games: list[LiveGame] = []
    if request.user.is_authenticated:
        summary = Attempt.objects.for_user(request.user).summary_by_quiz()
        due = QuestionProgress.objects.for_user(request.user).live().visible_to(request.user)
        due = due.due(timezone.now())
        due_count = due.count()
        assigned = assigned_to(request.user, timezone.now())
        live_games = LiveGame.objects.unfinished().for_player(request.user)
        live_games = list(live_games.select_related("classroom", "quiz"))
    rows = [(quiz, summary.get(quiz.pk, {})) for quiz in quizzes]
    context = {"rows": rows, "due_count": due_count, "assigned": assigned}
    context["live_games"] = live_games
    return render(request, "quizzes/home.html", context)


@require_GET
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(
        Quiz.objects.visible_to(request.user).with_question_counts().select_related("source"),
        slug=slug,
    )
    open_attempt, assignments = None, []
    if request.user.is_authenticated:
        mine = Attempt.objects.for_user(request.user).unfinished().filter(quiz=quiz, number=None)
        open_attempt = mine.first()
        assignments = _assignments_of(request, quiz)
    # While an assignment of it can be taken, "Start" takes it: the quiz on one's own (which
    # shows every right answer) only once the assignment is done with.
    current = next((a for a in assignments if a.standing.can_start), None)
    context = {
        "quiz": quiz,
        "open_attempt": open_attempt,
        "assignments": assignments,
        "current": current,
    }
    return render(request, "quizzes/quiz.html", context)


def _assignments_of(request: HttpRequest, quiz: Quiz) -> list[Assignment]:
    """The student's assignments of this quiz, soonest due first, each with its `standing`."""
    now = timezone.now()
    assignments = list(
        Assignment.objects.for_student(request.user).filter(quiz=quiz).soonest_first()
    )
    found = standings(assignments, [request.user], now=now)
    for assignment in assignments:
        assignment.standing = found.get((request.user.pk, assignment.pk)) or Standing(
            assignment, now
        )
    return assignments


@require_POST
@login_required
def start_quiz(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or resume) the quiz: for the assignment posted, else for the first assignment
    of it the student can still take, else on their own."""
    quiz = get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)
    if not quiz.question_pool().exists():
        messages.error(request, "This quiz has no questions yet. Please try again later.")
        return redirect(quiz)
    assignments = _assignments_of(request, quiz)
    posted_id = request.POST.get("assignment", "")
    if posted_id:
        assignment = next((a for a in assignments if str(a.pk) == posted_id), None)
        if assignment is None:
            raise Http404("No such assignment of this quiz")
    else:
        assignment = next((a for a in assignments if a.standing.can_start), None)
    try:
        attempt = start_attempt(user=request.user, quiz=quiz, assignment=assignment)
    except AttemptRefused as refused:
        messages.error(request, str(refused))
        return redirect(quiz)
    return redirect(attempt.step_url())


@require_GET
@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The question to answer next; the results once every question is answered. (Where a
    resumed quiz lands; each step has its own address, `feedback` below.)"""
    attempt = _get_attempt_for_user(request, attempt_id)
    if attempt.is_finished:
        results = reverse("quizzes:results", args=[attempt.pk])
        return HttpResponseClientRedirect(results) if request.htmx else redirect(results)
    number = attempt.current_number
    question = _get_question(attempt, number)
    form = AnswerForm(question, attempt.seed)
    page = _render_question(request, attempt, number, form)
    return replace_url(page, attempt.step_url(number)) if request.htmx else page


def _render_question(
    request: HttpRequest, attempt: Attempt, number: int, form: AnswerForm, status: int = 200
) -> HttpResponse:
    template = "quizzes/attempt.html#question-card" if request.htmx else "quizzes/attempt.html"
    context = {
        "attempt": attempt,
        "number": number,
        "question": form.question,
        "form": form,
        "links": attempt.links(number),
    }
    return render(request, template, context, status=status)


ANSWERED_BEFORE = "You had answered this question already: your first answer counts."


def _render_feedback(
    request: HttpRequest,
    attempt: Attempt,
    number: int,
    question: Question,
    response: Response,
    answered_before: bool = False,
    upcoming: dict[str, Any] | None = None,
) -> HttpResponse:
    template = "quizzes/attempt.html#answer-feedback" if request.htmx else "quizzes/attempt.html"
    context = {
        "upcoming": upcoming,
        "attempt": attempt,
        "number": number,
        "question": question,
        "response": response,
        "is_last": number >= attempt.total,
        "links": attempt.links(number),
        "run": run_of_right(attempt, number, response),
        "answered_before": ANSWERED_BEFORE if answered_before else "",
        "withheld": attempt.withheld_note(timezone.now()),
    }
    return render(request, template, context)


def run_of_right(attempt: Attempt, number: int, response: Response) -> int:
    """The run of right answers the latest feedback ends ("3 in a row"): the attempt's, which
    counts the latest answer already. None on an earlier question's feedback, opened again."""
    if not response.is_correct or number != attempt.position:
        return 0
    return attempt.run_of_right


def _upcoming(attempt: Attempt, number: int) -> dict[str, Any] | None:
    """The next question's card, to send with the feedback on question `number` so that "Next
    question" shows it without another request: only while it is the one due (a stale post,
    answered further on in another tab, gets none and asks as before)."""
    if number != attempt.position or number >= attempt.total:
        return None
    try:
        question = attempt.question(number + 1)
    except Question.DoesNotExist:
        return None  # asked for, it gets its 404
    form = AnswerForm(question, attempt.seed)
    return {
        "number": number + 1,
        "question": question,
        "form": form,
        "links": attempt.links(number + 1),
    }


@require_POST
@login_required
def answer(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """Grade and record an answer once; a repeated post gets the recorded feedback back."""

    def read(attempt: Attempt, question: Question) -> AnswerForm:
        return AnswerForm(question, attempt.seed, data=request.POST)

    try:
        turn = record_answer(_attempts_for_user(request), attempt_id, number, read)
    except ObjectDoesNotExist:
        raise Http404("No such attempt or question") from None
    attempt, response = turn.attempt, turn.response
    if turn.refused is not None:
        return _render_question(request, attempt, number, turn.refused, status=400)
    if response is None:
        return redirect(attempt.step_url())  # not reached yet: back to the question that is due
    if request.htmx:
        page = _render_feedback(
            request,
            attempt,
            number,
            turn.question,
            response,
            answered_before=not turn.recorded,
            upcoming=_upcoming(attempt, number),
        )
        # The question's own address now shows its feedback: the card it replaces is gone
        # from history, so back never brings back a form that was answered.
        return replace_url(page, attempt.step_url(number))
    if not turn.recorded:  # a stale form (another tab, a saved page): the first answer stands
        messages.info(request, ANSWERED_BEFORE)
    return redirect(attempt.step_url(number))


@require_GET
@login_required
def feedback(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """Question `number`'s own address (issue 21): its recorded feedback once answered (where
    a form post without JS lands, and what back, forward or reload show there), its card while
    it is the one due; a question further on is not open yet, so the one due is shown."""
    attempt = _get_attempt_for_user(request, attempt_id)
    question = _get_question(attempt, number)
    if not attempt.is_answered(number):
        if number != attempt.current_number:
            return redirect(attempt.step_url())
        return _render_question(request, attempt, number, AnswerForm(question, attempt.seed))
    response = get_object_or_404(Response, attempt=attempt, question=question)
    return _render_feedback(request, attempt, number, question, response)


@require_GET
@login_required
def results(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempts = _attempts_for_user(request).select_related("assignment__classroom")
    attempt = get_object_or_404(attempts.with_content_stamp(), pk=attempt_id)
    if not attempt.is_finished:
        return redirect(attempt)
    context = {
        "attempt": attempt,
        "review": _results_review(attempt, attempt.withheld_note(timezone.now())),
        # "Try again" only where the quiz is still there for the student to take.
        "retake": attempt.quiz_id
        and Quiz.objects.visible_to(request.user).filter(pk=attempt.quiz_id).exists(),
    }
    template = "quizzes/results.html#results" if request.htmx else "quizzes/results.html"
    return render(request, template, context)


# Rendered reviews are kept as long as questions are (a picture's address on S3 is signed for
# an hour): a class opens its results within the same few minutes.
REVIEW_CACHE_SECONDS = QUESTION_CACHE_SECONDS


def _results_review(attempt: Attempt, withheld: str) -> dict[str, Any]:
    """What the results show below the score, rendered: the answers reviewed, by topic, and
    the counts, comparison and note the score card says. Kept under the attempt's results_key
    (a finished attempt never changes; a new content stamp makes a new key) and whether the
    right answers are `withheld` (an assignment's: until its due date, say)."""
    key = attempt.results_key()
    key = key and f"{key}:{Response.withheld_digest(withheld)}"
    if key and (review := cache.get(key)) is not None:
        return review
    responses = list(attempt.responses.order_by("answered_at", "id"))
    items = _reviewed_answers(responses, attempt.content_stamp, withheld)
    context = {
        "topics": by_topic(responses, {pk: item[:2] for pk, item in items.items()}),
        # What to look at again stays open; what was right folds to one line each.
        "to_review": [items[r.pk][2] for r in responses if not r.is_correct],
        "right": [items[r.pk][2] for r in responses if r.is_correct],
    }
    review = {
        "html": render_to_string("quizzes/results.html#review", context),
        "partly": sum(1 for r in responses if r.verdict == "partial"),
        "comparison": attempt.comparison(attempt.previous_try()),
        "withheld": withheld,
    }
    if key:
        cache.set(key, review, REVIEW_CACHE_SECONDS)
    return review


def _reviewed_answers(
    responses: list[Response], stamp: int | None, withheld: str
) -> dict[int, tuple[int, str, str]]:
    """Each response's topic (id, name) and its review rendered, by response id: from the
    cache, where the same answer to the same question was reviewed before (Response.
    review_key), in one round trip; the others rendered with their questions, as the cards
    showed them, from the cache too."""
    shown_as = {r.pk: "to-review-item" if not r.is_correct else "right-item" for r in responses}
    keys = {r.pk: r.review_key(stamp, shown_as[r.pk], withheld) for r in responses} if stamp else {}
    found = cache.get_many(list(keys.values())) if keys else {}
    items = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [r for r in responses if r.pk not in items]
    if not missing:
        return items
    questions = Question.cached_many((r.question_id for r in missing), stamp=stamp)
    for response in missing:
        response.question = question = questions[response.question_id]
        html = render_to_string(
            f"quizzes/results.html#{shown_as[response.pk]}",
            {"response": response, "withheld": withheld},
        )
        items[response.pk] = (question.topic_id, question.topic.name, html)
    if keys:
        rendered = {keys[r.pk]: items[r.pk] for r in missing}
        cache.set_many(rendered, REVIEW_CACHE_SECONDS)
    return items


@require_GET
def source(request: HttpRequest, slug: str) -> HttpResponse:
    """A source of a quiz the viewer sees (or of a bank one draws from; 404 otherwise), with
    the passages marked that the questions they see and have answered rest on (a passage often
    holds its question's answer word for word, so an unanswered question's stays unmarked);
    the one a question's feedback links to (?question=<id>) stands out."""
    document = get_object_or_404(SourceDocument.objects.visible_to(request.user), slug=slug)
    questions = (
        Question.objects.visible_to(request.user)
        .filter(quiz__source=document)
        .answered_by(request.user)
    )
    spans = [
        Span(start, start + len(passage), f"question-{pk}")
        for pk, start, passage in questions.values_list("pk", "passage_start", "passage")
        if start is not None
    ]
    current = (
        f"question-{request.GET['question']}" if request.GET.get("question", "").isdigit() else None
    )
    context = {
        "document": document,
        "marked_text": mark_passages(document.text, spans, current),
        "passage_count": len({(s.start, s.end) for s in spans}),
        "question_count": len(spans),
    }
    return render(request, "quizzes/source.html", context)
