"""What the host screen and each phone show of a live game, rendered on the server, and the
events that carry it (channels: the game's for every phone, the host's, one per player).

A move of the teacher's sends the phones first what is the same for all of them, one fragment
on the game's channel (the lobby, the open question without anyone's answer, the right answer
with its explanation and passage, the board's heading, the podium), then the host its new
screen, and then, from the reveal on, each player their own part ("mine": their verdict and
answer, their place and points) on their own channel. The board is ranked once per move
(one query; `ranking`, kept for the phones that reconnect), and each player's part is made
from a fragment rendered once per distinct answer (a class gives a handful), with the player's
place filled in: some microseconds a phone, where rendering each phone's whole screen cost a
millisecond or more, and 300 phones asking again a request each. Nothing sent before the reveal
says which answer is right (tests/test_no_reveal.py reads every fragment and event).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType, marks_text
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
    return _urls(game.code, game.classroom_id)


@functools.lru_cache(maxsize=256)
def _urls(code: str, classroom_id: int) -> dict[str, str]:
    """A game's addresses, worked out once (a dozen `reverse`s, on every answer's page)."""
    return {
        "host": reverse("quizzes:live_host", args=[code]),
        "phone": reverse("quizzes:live_phone", args=[code]),
        "answer": reverse("quizzes:live_answer", args=[code]),
        "events": reverse("quizzes:live_events", args=[code]),
        "host_events": reverse("quizzes:live_host_events", args=[code]),
        **{action: reverse("quizzes:live_move", args=[code, action]) for action in rules.ACTIONS},
        "classroom": reverse("quizzes:classroom", args=[classroom_id]),
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
        points = mine.stats.points
        return {"rank": mine.rank, "ordinal": rules.ordinal(mine.rank), "of": len(self.standings),
                "points": points, "marks": marks_text(points),
                "point_word": "point" if points == 1 else "points"}  # fmt: skip


# A place's words in a fragment rendered once for many players, each filled in per player.
SLOTS = {key: f"\ue000{key}\ue001" for key in ("ordinal", "of", "marks", "point_word")}


def fill(html: str, place: dict[str, Any]) -> str:
    for key, slot in SLOTS.items():
        html = html.replace(slot, str(place[key]))
    return html


def _players(game: LiveGame) -> list[LivePlayer]:
    return list(game.players.select_related("user", "membership").order_by("joined_at", "id"))


_rankings: OrderedDict[tuple[Any, ...], Ranking] = OrderedDict()
_rankings_lock = threading.Lock()


def ranking(game: LiveGame, user_id: int | None = None) -> Ranking:
    """The game's board as its last move left it: ranked once per move in each process (one
    query), however many phones reconnect and ask for their place. A player who joined since
    (`user_id` not on it) has it ranked again."""
    key = (game.pk, game.code, game.changed_at)
    with _rankings_lock:
        found = _rankings.get(key)
    if found is None or (user_id is not None and user_id not in found.by_user):
        found = Ranking(_players(game))
        with _rankings_lock:
            _rankings[key] = found
            while len(_rankings) > 64:
                _rankings.popitem(last=False)
    return found


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
    board: Ranking | None = None,
    look_up: bool = True,
) -> dict[str, Any]:
    """What one phone shows (or, with no player, what every phone shows). `saved`: the
    player's answer to the open question, looked up unless given or `look_up` is false (the
    caller read every player's at once)."""
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
    if game.state in (rules.REVEALED, rules.BOARD, rules.FINISHED) and player is not None:
        board = board or ranking(game, player.user_id)
        context["place"] = board.place(player.user_id)
    if game.state == rules.FINISHED:
        context["top"] = (board or ranking(game)).top(PODIUM)
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
    """The stage (from the reveal on, what every phone shows: pass no player)."""
    context = phone_context(game, player, **kwargs) | {"as_fragment": True}
    return render_to_string(f"{PHONE}#phone-stage", context)


def phone_mine(game: LiveGame, player: LivePlayer, **kwargs: Any) -> str:
    """A player's own part (empty before the reveal), with the status line."""
    context = phone_context(game, player, **kwargs) | {"as_fragment": True}
    return render_to_string(f"{PHONE}#phone-mine", context)


def snapshot(
    game: LiveGame, player: LivePlayer | None, extra_percent: int
) -> list[tuple[str, str]]:
    """What a phone's stream sends first: the whole current state. The parts that are the
    same for many phones are rendered once per move in this process (a class whose streams
    reconnect at once, after a worker died, asks for them all at the same moment)."""
    saved = None
    if game.state == rules.QUESTION and player is not None:
        saved = LiveAnswer.objects.filter(player=player, number=game.number).first()
    if game.state == rules.QUESTION:
        answer = json.dumps(saved.answer, sort_keys=True) if saved else ""
        stage = _shared(game, ("stage", answer), lambda: phone_stage(game, None, saved=saved))
    else:
        stage = _shared(game, ("stage",), lambda: phone_stage(game, None))
    events = [("stage", stage), ("why", _shared(game, ("why",), lambda: phone_why(game)))]
    if player is not None:
        events.append(("mine", phone_mine(game, player)))
    return [*events, ("timer", phone_timer(game, extra_percent))]


_fragments: OrderedDict[tuple[Any, ...], str] = OrderedDict()


def _shared(game: LiveGame, what: tuple[str, ...], render: Callable[[], str]) -> str:
    key = (game.pk, game.code, game.changed_at, game.state, game.number, *what)
    with _rankings_lock:
        found = _fragments.get(key)
    if found is None:
        found = render()
        with _rankings_lock:
            _fragments[key] = found
            while len(_fragments) > 256:
                _fragments.popitem(last=False)
    return found


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
    send_all([(channel, event, data)])


def send_all(events: list[tuple[str, str, str]]) -> None:
    """Publish (in one round trip to Redis), never failing the move that committed: a phone
    that missed an event is brought up to date by its stream's snapshot when it reconnects."""
    try:
        bus.publish_many(events)
    except Exception:
        log.warning("%d live game event(s) not sent", len(events), exc_info=True)


def after_commit(function: Callable[[], None]) -> None:
    transaction.on_commit(function)


def publish_move(game: LiveGame) -> None:
    """Every screen's new state after a move of the teacher's (call once it committed): what
    every phone shows first, then the host's screen, then each phone's own part."""
    if game.state in (rules.LOBBY, rules.QUESTION):
        stage = phone_stage(game, None)
        send_all([(game.channel, "why", ""), (game.channel, "mine", ""),
                  (game.channel, "stage", stage)])  # fmt: skip
        send(game.host_channel, "stage", host_stage(game))
        publish_timers(game)
        return
    stage, why = phone_stage(game, None), phone_why(game)  # why: empty but at the reveal
    send_all([(game.channel, "timer", ""), (game.channel, "stage", stage),
              (game.channel, "why", why)])  # fmt: skip
    send(game.host_channel, "stage", host_stage(game))
    publish_mine(game)


def publish_mine(game: LiveGame) -> None:
    """Each player's own part: rendered once per distinct answer (at the reveal; once for all
    on the board), each player's place filled in."""
    board = ranking(game)
    players = list(board.players.values())
    saved: dict[int, LiveAnswer] = {}
    if game.state == rules.REVEALED:
        saved = {live.player_id: live for live in game.answers.filter(number=game.number)}
    rendered: dict[tuple[str, ...], str] = {}
    events = []
    for player in players:
        player.game = game
        mine = saved.get(player.pk)
        if game.state == rules.FINISHED:  # once a game: the link to their own results
            key: tuple[str, ...] = (str(player.pk),)
        elif mine is None:
            key = ("",)
        else:
            key = (json.dumps(mine.answer, sort_keys=True), str(mine.score), str(mine.points))
        if key not in rendered:
            rendered[key] = _mine_with_slots(game, player, mine, board)
        html = fill(rendered[key], board.place(player.user_id))
        events.append((game.player_channel(player.user_id), "mine", html))
    send_all(events)


def _mine_with_slots(
    game: LiveGame, player: LivePlayer, saved: LiveAnswer | None, board: Ranking
) -> str:
    context = phone_context(game, player, saved=saved, board=board, look_up=False)
    context |= {"as_fragment": True, "place": {**context["place"], **SLOTS}}
    return render_to_string(f"{PHONE}#phone-mine", context)


def publish_timers(game: LiveGame) -> None:
    """Each phone's countdown, with its own extra time (none without a timer)."""
    if game.time_limit is None or game.state != rules.QUESTION:
        return
    timers: dict[int, str] = {}  # by extra time: a class has a few
    events = []
    for player in _players(game):
        extra = player.extra_percent
        if extra not in timers:
            timers[extra] = phone_timer(game, extra)
        events.append((game.player_channel(player.user_id), "timer", timers[extra]))
    send_all(events)


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
