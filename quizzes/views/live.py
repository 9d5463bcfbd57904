"""The live class game (issue 22): the teacher's host screen and moves, each student's phone,
their answers, and the event streams both listen to.

A game exists only for its class: the teacher of the class hosts it, its students play it, and
anyone else gets 404. The moves and the rules are quizzes/models/live.py and
quizzes/live/game.py; what the screens show, quizzes/live/screens.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from quizzes.forms import AnswerForm
from quizzes.live import game as rules
from quizzes.live import recording, screens, streams
from quizzes.models import Classroom, LiveGame, LivePlayer, Membership, Quiz
from quizzes.models.live import (
    ANSWER_CLOSED,
    LiveGameQuerySet,
    Refused,
    give_answer,
    join,
    move,
    start_game,
)

# ---- Forms ---------------------------------------------------------------------------------


class StartForm(forms.Form):
    quiz = forms.ModelChoiceField(queryset=Quiz.objects.none(), empty_label=None)
    time_limit = forms.TypedChoiceField(
        label="Timer",
        choices=[("" if v is None else v, label) for v, label in rules.TIME_LIMITS],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Off by default. Students with extra time get theirs on top; you can add more.",
    )
    speed_bonus = forms.BooleanField(
        label="Small speed bonus",
        required=False,
        help_text="Up to a tenth more for a right answer given early. Off by default: speed is "
        "a barrier for some students.",
    )

    def __init__(self, teacher: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The quizzes the teacher sees (shared, their own, set for a class of theirs).
        self.fields["quiz"].queryset = Quiz.objects.visible_to(teacher).order_by("title")


class ExtraTimeForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["extra_time_percent"]


# ---- Access --------------------------------------------------------------------------------


def _games() -> LiveGameQuerySet:
    return LiveGame.objects.with_content_stamp().select_related("classroom", "quiz")


def _up_to_date(game: LiveGame) -> LiveGame:
    """The game, ended first if it was left idle (rules.IDLE_AFTER): checked whenever it is
    opened, and by `manage.py end_idle_live_games` for games nobody opens again."""
    if game.is_idle(timezone.now()):
        ended = move(game.pk, "end", at=None, now=timezone.now())
        if ended is not None:
            screens.after_commit(lambda: screens.publish_move(ended))
            recording.record_soon(ended.pk)
        game = _games().get(pk=game.pk)
    return game


def _get_game_for_host(request: HttpRequest, code: str) -> LiveGame:
    """A game of a class the user teaches; any other does not exist for them."""
    game = get_object_or_404(_games(), code=code, classroom__teacher=request.user)
    return _up_to_date(game)


def _get_player(request: HttpRequest, code: str) -> tuple[LiveGame, Membership]:
    """A game of a class the student is in, and their membership of it (which carries their
    extra time); any other does not exist for them."""
    game = get_object_or_404(_games(), code=code)
    membership = get_object_or_404(
        Membership.objects.filter(classroom_id=game.classroom_id), student=request.user
    )
    return _up_to_date(game), membership


# ---- The teacher ---------------------------------------------------------------------------


@require_POST
@login_required
def start(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=classroom_id)
    form = StartForm(request.user, request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a quiz to start a live game.")
        return redirect(classroom)
    quiz = form.cleaned_data["quiz"]
    if not quiz.question_pool().exists():
        messages.error(request, "This quiz has no questions yet.")
        return redirect(classroom)
    game = start_game(
        classroom=classroom,
        quiz=quiz,
        host=request.user,
        time_limit=form.cleaned_data["time_limit"],
        speed_bonus=form.cleaned_data["speed_bonus"],
    )
    return redirect(game.host_url())


@require_GET
@login_required
def host(request: HttpRequest, code: str) -> HttpResponse:
    game = _get_game_for_host(request, code)
    join_url = request.build_absolute_uri(game.get_absolute_url())
    return render(request, screens.HOST, screens.host_context(game, join_url=join_url))


@require_POST
@login_required
def host_move(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One of the teacher's buttons. It names the state it was pressed in (`at`), so a double
    click moves once; the screen's own timer asks to reveal with `time_up`, which waits for the
    last player's time."""
    if action not in rules.ACTIONS:
        raise Http404("No such move")
    game = _get_game_for_host(request, code)
    now = timezone.now()
    if request.POST.get("time_up") and (game.last_deadline() or now) > now:
        return HttpResponse(status=204)
    moved = move(game.pk, action, at=request.POST.get("at") or None, now=now)
    if moved is not None:
        moved.content_stamp = game.content_stamp
        publish = screens.publish_extension if action == "extend" else screens.publish_move
        screens.after_commit(lambda: publish(moved))
        if moved.state in (rules.REVEALED, rules.BOARD, rules.FINISHED):
            # After the response, in the background: the phones have their verdicts from the
            # grades; each later move records again what a stopped process left.
            recording.record_soon(moved.pk)
    if request.htmx:
        # The state as it is now, read afresh: the teacher may have moved on meanwhile (the
        # stream showed them the move at once); an older screen must not be swapped over a
        # newer one.
        return HttpResponse(screens.host_stage(_games().get(pk=game.pk)))
    return redirect(game.host_url())


@require_GET
@login_required
def host_events(request: HttpRequest, code: str) -> HttpResponseBase:
    game = _get_game_for_host(request, code)
    join_url = request.build_absolute_uri(game.get_absolute_url())

    def snapshot() -> list[tuple[str, str]]:
        return [("stage", screens.host_stage(_games().get(pk=game.pk), join_url=join_url))]

    return streams.event_stream(request, channels=[game.host_channel], snapshot=snapshot)


@require_POST
@login_required
def extra_time(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """The teacher sets a student's extra time (an accommodation) for the class's live games."""
    membership = get_object_or_404(
        Membership.objects.select_related("student", "classroom"),
        classroom__teacher=request.user,
        classroom_id=classroom_id,
        student_id=student_id,
    )
    form = ExtraTimeForm(request.POST, instance=membership)
    if not form.is_valid():
        messages.error(request, "Choose one of the extra times offered.")
    else:
        form.save()
        extra = membership.get_extra_time_percent_display()
        messages.success(request, f"Extra time for {membership.student} in live games: {extra}.")
    return redirect("quizzes:manage_class", classroom_id)


# ---- The students --------------------------------------------------------------------------


def _player(game: LiveGame, membership: Membership) -> LivePlayer | None:
    """The student's place in the game, taken as they open it; none in a game that ended
    before they came (they see its podium, and are not counted in it)."""
    if game.is_finished:
        player = game.players.filter(user_id=membership.student_id).first()
    else:
        player, joined = join(game, membership)
        if joined:
            screens.after_commit(lambda: screens.publish_join(game))
    if player is not None:
        player.membership = membership
    return player


@require_GET
@login_required
def phone(request: HttpRequest, code: str) -> HttpResponse:
    """A student's phone. The class's teacher, following the join link, lands on the host."""
    if LiveGame.objects.filter(code=code, classroom__teacher=request.user).exists():
        return redirect("quizzes:live_host", code)
    game, membership = _get_player(request, code)
    player = _player(game, membership)
    return render(request, screens.PHONE, screens.phone_context(game, player))


@require_POST
@login_required
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """Keep (or change) the student's answer to the open question; refused, with a message,
    once the answer is revealed or their time is up."""
    game, membership = _get_player(request, code)
    player = _player(game, membership)
    number = request.POST.get("number", "")
    if game.state != rules.QUESTION or number != str(game.number):
        return _answer_refused(request, game, player, rules_message(game, number))
    form = AnswerForm(game.question(), game.seed, data=request.POST)
    if not form.is_valid():
        return _render_phone(request, game, player, form=form, status=400)
    try:
        given = give_answer(player, game.number, form.answer(), timezone.now())
    except Refused as refused:
        return _answer_refused(request, game, player, str(refused))
    # Counted again now that this answer is committed: of answers committed at the same
    # moment, each transaction saw only itself and those before it, and the last to commit
    # must see them all to reveal.
    answered = game.answers.filter(number=game.number).count()
    screens.after_commit(lambda: screens.publish_answers(game, answered, given.players))
    if answered >= given.players:  # everyone has answered: reveal (once: `at` and the lock)
        moved = move(game.pk, "reveal", at=game.at, now=timezone.now())
        if moved is not None:
            moved.content_stamp = game.content_stamp
            screens.after_commit(lambda: screens.publish_move(moved))
            recording.record_soon(moved.pk)
            game = moved
    if not request.htmx:
        messages.success(request, "Your answer is in. You can change it until the reveal.")
        return redirect(game.get_absolute_url())
    # The phone shows the answer that is in (and its status line says so); if this answer was
    # the last and revealed the question, its verdict, read afresh.
    saved = given.answer if game.state == rules.QUESTION else None
    return _render_phone(request, game, player, saved=saved)


def rules_message(game: LiveGame, number: str) -> str:
    if game.state != rules.LOBBY and number == str(game.number):
        return ANSWER_CLOSED
    return "That question is no longer open. Here is where the game is now."


def _answer_refused(
    request: HttpRequest, game: LiveGame, player: LivePlayer | None, message: str
) -> HttpResponse:
    if not request.htmx:
        messages.error(request, message)
        return redirect(game.get_absolute_url())
    fresh = _games().get(pk=game.pk)
    return _render_phone(request, fresh, player, message=message, refused=True, status=400)


def _render_phone(
    request: HttpRequest,
    game: LiveGame,
    player: LivePlayer | None,
    *,
    status: int = 200,
    refused: bool = False,
    **kwargs: object,
) -> HttpResponse:
    if player is not None:
        player.game = game
    context = screens.phone_context(game, player, **kwargs) | {"refused": refused}
    template = f"{screens.PHONE}#phone-stage" if request.htmx else screens.PHONE
    # A fragment for this phone alone: its own part and status line come with the stage.
    context["as_fragment"] = context["with_mine"] = bool(request.htmx)
    return render(request, template, context, status=status)


@require_GET
@login_required
def events(request: HttpRequest, code: str) -> HttpResponseBase:
    game, membership = _get_player(request, code)
    player = _player(game, membership)

    def snapshot() -> list[tuple[str, str]]:
        fresh = _games().get(pk=game.pk)
        if player is not None:
            player.game = fresh
        return screens.snapshot(fresh, player, membership.extra_time_percent)

    channels = [game.channel, game.player_channel(request.user.pk)]
    return streams.event_stream(request, channels=channels, snapshot=snapshot)
