"""What the host screen and each phone show of a live game, rendered on the server, and the
events that carry it (channels: the game's for every phone, the host's, one per player).

A move of the teacher's sends the host its new screen, and the phones either one fragment for
all (the lobby, an open question: the same for everyone, without anyone's answer) or, from the
reveal on, each player's own (their verdict, their place and points) on their own channel:
rendering 300 small fragments costs a few hundred milliseconds once, where 300 phones asking
again would cost a request each. Nothing sent before the reveal says which answer is right
(tests/test_no_reveal.py reads every fragment and event).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.live import bus
from quizzes.live import game as rules
from quizzes.models import LiveAnswer, LiveGame, LivePlayer, Question, Response
from quizzes.ranking import Standing, Stats, rank_stats, shown_name

log = logging.getLogger(__name__)

HOST = "quizzes/live_host.html"
PHONE = "quizzes/live_phone.html"
TOP = 5  # the host's board
PODIUM = 3
CHOICE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE_CHOICE}


# ---- What both sides need -----------------------------------------------------------------


def urls(game: LiveGame) -> dict[str, str]:
    code = game.code
    return {
        "host": reverse("quizzes:live_host", args=[code]),
        "phone": reverse("quizzes:live_phone", args=[code]),
        "answer": reverse("quizzes:live_answer", args=[code]),
        "events": reverse("quizzes:live_events", args=[code]),
        "host_events": reverse("quizzes:live_host_events", args=[code]),
        **{action: reverse("quizzes:live_move", args=[code, action]) for action in rules.ACTIONS},
        "classroom": reverse("quizzes:classroom", args=[game.classroom_id]),
    }


class Ranking:
    """The board of a game's players, ranked once for every screen that shows a part of it:
    points, then accuracy (ranking.tie_key); speed counts only through the optional bonus,
    already in the points."""

    def __init__(self, players: list[LivePlayer]) -> None:
        self.players = {p.user_id: p for p in players}
        self.standings: list[Standing] = rank_stats(
            {p.user_id: Stats(points=p.points, correct=p.correct, answered=p.answered)
             for p in players}
        )  # fmt: skip
        self.by_user = {s.user_id: s for s in self.standings}

    def top(self, count: int) -> list[dict[str, Any]]:
        """The top `count` as the class sees them on the projector: a student who chose to be
        anonymous is "Anonymous student" there (ranking.shown_name)."""
        rows = []
        for standing in self.standings[:count]:
            user = self.players[standing.user_id].user
            name = shown_name(
                user.display_name, user.anonymous_on_leaderboards, is_viewer=False,
                to_teacher=False,
            )  # fmt: skip
            rows.append({"rank": standing.rank, "name": name, "stats": standing.stats})
        return rows

    def place(self, user_id: int) -> dict[str, Any]:
        mine = self.by_user[user_id]
        return {"rank": mine.rank, "ordinal": rules.ordinal(mine.rank),
                "of": len(self.standings), "points": mine.stats.points}  # fmt: skip


def _players(game: LiveGame) -> list[LivePlayer]:
    return list(game.players.select_related("user", "membership").order_by("joined_at", "id"))


def timer(game: LiveGame, extra_percent: int = 0) -> dict[str, Any] | None:
    """The countdown of the open question for a player with `extra_percent` more time: its
    deadline, and the seconds left now (the page's script counts down from them, so a phone's
    clock that is wrong does not matter)."""
    deadline = game.deadline_for(extra_percent)
    if deadline is None:
        return None
    left = max(0, math.ceil((deadline - timezone.now()).total_seconds()))
    return {"deadline": deadline, "seconds": left, "extra": extra_percent}


# ---- The host screen ----------------------------------------------------------------------


def host_context(game: LiveGame, *, join_url: str = "") -> dict[str, Any]:
    players = _players(game)
    context: dict[str, Any] = {
        "game": game,
        "urls": urls(game),
        "join_url": join_url,
        "players": [
            shown_name(
                p.user.display_name,
                p.user.anonymous_on_leaderboards,
                is_viewer=False,
                to_teacher=False,
            )
            for p in players
        ],
        "player_count": len(players),
        "extra_time": any(p.extra_percent for p in players),
    }
    if game.state in (rules.QUESTION, rules.REVEALED):
        question = game.question()
        context["question"] = question
        context["answered"] = LiveAnswer.objects.filter(game=game, number=game.number).count()
        context["items"] = AnswerForm(question, game.seed).items
        context["matching"] = question.type == QuestionType.MATCHING
    if game.state == rules.QUESTION:
        context["timer"] = timer(game)
        last = game.last_deadline()
        if last is not None:  # the screen asks to reveal once the last player's time is up
            left = (last - timezone.now() + rules.GRACE).total_seconds()
            context["reveal_after"] = max(0, math.ceil(left))
    if game.state == rules.REVEALED:
        context["bars"] = class_bars(game, context["question"], context["items"])
    if game.state in (rules.BOARD, rules.FINISHED):
        context["top"] = Ranking(players).top(TOP if game.state == rules.BOARD else PODIUM)
    if game.state == rules.FINISHED:
        context["results"] = class_results(game, len(players))
    return context


def class_bars(game: LiveGame, question: Question, items: list[Any]) -> list[rules.Bar]:
    """How the class answered the open question: a bar per option for the choice types, a bar
    per verdict (right, partly, wrong) for typed and arranged answers."""
    answers = list(
        LiveAnswer.objects.filter(game=game, number=game.number).values_list("answer", "score")
    )
    if question.type in CHOICE_TYPES:
        options = [(c.id, c.text, c.is_correct) for c in items]
        picks = [a.get("choices", [a.get("choice")]) for a, _ in answers]
    else:
        options = rules.VERDICT_OPTIONS
        picks = [[rules.verdict_of(score or Decimal(0))] for _, score in answers]
    return rules.bars(options, picks, len(answers))


def class_results(game: LiveGame, players: int) -> list[dict[str, Any]]:
    """Per question played: how many answered and how many got it right."""
    rows = []
    answers = LiveAnswer.objects.filter(game=game).values_list("number", "score")
    by_number: dict[int, list[Decimal]] = {}
    for number, score in answers:
        by_number.setdefault(number, []).append(score or Decimal(0))
    questions = Question.cached_many(game.question_ids, stamp=None)
    for number, question_id in enumerate(game.question_ids, start=1):
        if number > game.number:
            break
        scores = by_number.get(number, [])
        right = sum(1 for s in scores if s >= 1)
        rows.append(
            {
                "number": number,
                "prompt": questions[question_id].prompt if question_id in questions else "",
                "answered": len(scores),
                "right": right,
                "percent": round(100 * right / len(scores)) if scores else 0,
            }
        )
    return rows


def host_stage(game: LiveGame, *, join_url: str = "") -> str:
    context = host_context(game, join_url=join_url) | {"as_fragment": True}
    return render_to_string(f"{HOST}#host-stage", context)


def host_answers(game: LiveGame, answered: int, players: int) -> str:
    return render_to_string(
        f"{HOST}#host-answers", {"game": game, "answered": answered, "player_count": players}
    )


# ---- A phone ------------------------------------------------------------------------------


def phone_context(
    game: LiveGame,
    player: LivePlayer | None,
    *,
    form: AnswerForm | None = None,
    saved: LiveAnswer | None = None,
    message: str = "",
    ranking: Ranking | None = None,
    look_up: bool = True,
) -> dict[str, Any]:
    """What one phone shows (or, with no player, what every phone shows of a lobby or an open
    question). `saved`: the player's answer to the open question, looked up unless given or
    `look_up` is false (the caller read every player's at once)."""
    context: dict[str, Any] = {
        "game": game,
        "player": player,
        "urls": urls(game),
        "message": message,
    }
    if game.state == rules.QUESTION:
        question = game.question()
        if saved is None and player is not None and look_up:
            saved = LiveAnswer.objects.filter(player=player, number=game.number).first()
        if form is None:
            form = AnswerForm(question, game.seed, data=form_data(question, game.seed, saved))
        context |= {
            "question": question,
            "form": form,
            "saved": saved,
            "saved_lines": question.describe_answer(saved.answer) if saved else [],
            "timer": timer(game, player.extra_percent if player else 0),
        }
    elif game.state == rules.REVEALED:
        question = game.question()
        if saved is None and player is not None and look_up:
            saved = LiveAnswer.objects.filter(player=player, number=game.number).first()
        context |= {
            "question": question,
            "saved": saved,
            "response": as_response(saved, question),
            "right_lines": question.right_answer_lines,
        }
    if game.state in (rules.REVEALED, rules.BOARD, rules.FINISHED):
        ranking = ranking or Ranking(_players(game))
        if player is not None:
            context["place"] = ranking.place(player.user_id)
    if game.state == rules.FINISHED:
        context["top"] = ranking.top(PODIUM)
        if player is not None and player.attempt_id:
            context["results_url"] = reverse("quizzes:results", args=[player.attempt_id])
    return context


def as_response(saved: LiveAnswer | None, question: Question) -> Response | None:
    """A revealed answer in the shape the quiz's feedback shows (quizzes/_answer_review.html),
    not saved."""
    if saved is None or saved.score is None:
        return None
    return Response(
        question=question,
        answer=saved.answer,
        answer_text="\n".join(question.describe_answer(saved.answer)),
        score=saved.score,
        points=saved.points,
        is_correct=saved.is_correct,
    )


def form_data(question: Question, seed: int, saved: LiveAnswer | None) -> dict[str, Any] | None:
    """A saved answer as the form posts it, so that the form shows it chosen again (a reload,
    a phone that rejoins)."""
    if saved is None:
        return None
    form = AnswerForm(question, seed)
    index = {c.id: str(i) for i, c in enumerate(form.items)}
    answer = saved.answer
    match form.type:
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
            return {"choice": index.get(answer.get("choice"), "")}
        case QuestionType.MULTIPLE_CHOICE:
            return {"choice": [index[i] for i in answer.get("choices", []) if i in index]}
        case QuestionType.SHORT_ANSWER | QuestionType.NUMERIC:
            return {"answer": answer.get("text", "")}
        case QuestionType.ORDERING:
            places = {item: n for n, item in enumerate(answer.get("order", []), start=1)}
            return {f"position_{i}": str(places.get(c.id, "")) for i, c in enumerate(form.items)}
        case QuestionType.MATCHING:
            partner = {c.id: str(j) for j, c in enumerate(form.partners)}
            pairs = answer.get("pairs", {})
            return {
                f"match_{i}": partner.get(pairs.get(str(c.id)), "")
                for i, c in enumerate(form.items)
            }
    return None


def phone_stage(game: LiveGame, player: LivePlayer | None, **kwargs: Any) -> str:
    context = phone_context(game, player, **kwargs) | {"as_fragment": True}
    return render_to_string(f"{PHONE}#phone-stage", context)


def phone_why(game: LiveGame) -> str:
    """Once the answer is revealed: the right answer's explanation and passage, the same on
    every phone (empty before)."""
    context = {"game": game}
    if game.state == rules.REVEALED:
        context["question"] = game.question()
    return render_to_string(f"{PHONE}#phone-why", context)


def phone_timer(game: LiveGame, extra_percent: int = 0) -> str:
    context = {"game": game, "timer": timer(game, extra_percent), "as_fragment": True}
    return render_to_string(f"{PHONE}#phone-timer", context)


# ---- Sending it ---------------------------------------------------------------------------


def send(channel: str, event: str, data: str) -> None:
    """Publish, never failing the move that committed: a phone that missed an event is brought
    up to date by its stream's snapshot when it reconnects."""
    try:
        bus.publish(channel, event, data)
    except Exception:
        log.warning("live game event %s on %s not sent", event, channel, exc_info=True)


def after_commit(function: Callable[[], None]) -> None:
    transaction.on_commit(function)


def publish_move(game: LiveGame) -> None:
    """Every screen's new state after a move of the teacher's (call once it committed)."""
    send(game.host_channel, "stage", host_stage(game))
    if game.state in (rules.LOBBY, rules.QUESTION):
        send(game.channel, "why", "")
        send(game.channel, "stage", phone_stage(game, None))
        publish_timers(game)
        return
    send(game.channel, "timer", "")
    if game.state != rules.REVEALED:
        send(game.channel, "why", "")
    players = _players(game)
    ranking = Ranking(players)
    saved: dict[int, LiveAnswer] = {}
    if game.state == rules.REVEALED:
        # What is the same for everyone (the right answer, the explanation, the passage) goes
        # once to all; each phone's own fragment is its verdict, its answer and its place.
        send(game.channel, "why", phone_why(game))
        saved = {live.player_id: live for live in game.answers.filter(number=game.number)}
    for player in players:
        player.game = game
        html = phone_stage(game, player, saved=saved.get(player.pk), ranking=ranking, look_up=False)
        send(game.player_channel(player.user_id), "stage", html)


def publish_timers(game: LiveGame) -> None:
    """Each phone's countdown, with its own extra time (none without a timer)."""
    if game.time_limit is None or game.state != rules.QUESTION:
        return
    for player in _players(game):
        html = phone_timer(game, player.extra_percent)
        send(game.player_channel(player.user_id), "timer", html)


def publish_extension(game: LiveGame) -> None:
    send(game.host_channel, "stage", host_stage(game))
    publish_timers(game)


def publish_answers(game: LiveGame, answered: int, players: int) -> None:
    send(game.host_channel, "answers", host_answers(game, answered, players))


def publish_join(game: LiveGame) -> None:
    if game.state == rules.LOBBY:
        context = host_context(game) | {"as_fragment": True}
        send(game.host_channel, "players", render_to_string(f"{HOST}#host-players", context))
    elif game.state == rules.QUESTION:
        answered = LiveAnswer.objects.filter(game=game, number=game.number).count()
        publish_answers(game, answered, game.players.count())
