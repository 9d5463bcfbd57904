"""The live class game (issue 22): a teacher runs a quiz on the classroom screen and the class
answers on their phones. The rules are quizzes/live/game.py; rendering and sending the screens
is quizzes/live/screens.py; these are the tables and the moves, each under the game's row lock.

Why it is built this way:
- A player may change their answer until the reveal, so answers go first to LiveAnswer (one row
  per player and question, updated in place). At the reveal they are graded at once (the board
  and every phone's verdict come from that, a handful of statements for the class), and then,
  after the response, each is recorded ONCE through the app's own path (`record_answer`, into
  the player's Attempt of kind "live": quizzes/live/recording.py), so that progress, mastery,
  spaced review and leaderboards follow exactly as for a quiz. LiveAnswer.response is unique
  and each is recorded under its row lock: a reveal clicked twice, or recorders in two
  processes, record each answer once.
- An answer takes a shared lock on the game row (PostgreSQL FOR SHARE) and the reveal an
  exclusive one, so no answer slips in between the reveal's reading of the answers and its
  commit; hundreds of answers still go in side by side.
- Every move of the teacher's names the state it was pressed in (`at`): "Next" clicked twice
  moves on once.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from quizzes.live import game as rules
from quizzes.models.attempts import Attempt, Response, record_answer
from quizzes.models.classes import Classroom, Membership
from quizzes.models.content import ContentStamp, Question, Quiz


class LiveGameQuerySet(models.QuerySet["LiveGame"]):
    def unfinished(self) -> LiveGameQuerySet:
        return self.exclude(state=rules.FINISHED)

    def idle(self, now: datetime) -> LiveGameQuerySet:
        return self.unfinished().filter(changed_at__lt=now - rules.IDLE_AFTER)

    def with_content_stamp(self) -> LiveGameQuerySet:
        """Each game with the key its questions are cached under, read in the same query."""
        return self.annotate(content_stamp=ContentStamp.current())

    def for_player(self, user: Any) -> LiveGameQuerySet:
        """Games of the classes a student is in: anyone else's do not exist for them."""
        return self.filter(classroom__memberships__student=user)


class LiveGame(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="live_games")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="live_games")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=rules.CODE_LENGTH, unique=True, default=rules.new_code)
    question_ids = models.JSONField(default=list)
    # One shuffle of the options for the whole class, so that the host's bars and every phone
    # list them in the same order.
    seed = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=rules.STATES, default=rules.LOBBY)
    number = models.PositiveSmallIntegerField(default=0, help_text="The question on screen.")
    time_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    speed_bonus = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    extended = models.PositiveIntegerField(default=0, help_text="Seconds added by the teacher.")
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = LiveGameQuerySet.as_manager()

    class Meta:
        constraints = [
            # "Start a live game" twice (or in two tabs) opens one game per class.
            models.UniqueConstraint(
                fields=["classroom"],
                condition=~Q(state=rules.FINISHED),
                name="one_open_live_game_per_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} live in {self.classroom} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:live_phone", args=[self.code])

    def host_url(self) -> str:
        return reverse("quizzes:live_host", args=[self.code])

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def is_finished(self) -> bool:
        return self.state == rules.FINISHED

    @property
    def at(self) -> str:
        """The state a button was pressed in, posted back with it."""
        return f"{self.state}-{self.number}"

    @property
    def channel(self) -> str:
        """What every phone of the game listens to."""
        return f"live:{self.pk}"

    @property
    def host_channel(self) -> str:
        return f"live:{self.pk}:host"

    def player_channel(self, user_id: int) -> str:
        """What one phone listens to besides: its own verdict, place and points."""
        return f"live:{self.pk}:player:{user_id}"

    def question(self, number: int | None = None) -> Question:
        stamp = getattr(self, "content_stamp", None)
        if stamp is None:  # read once, for every question this game object renders
            stamp = ContentStamp.objects.values_list("version", flat=True).first()
            self.content_stamp = stamp
        return Question.cached(self.question_ids[(number or self.number) - 1], stamp=stamp)

    def is_idle(self, now: datetime) -> bool:
        return not self.is_finished and self.changed_at < now - rules.IDLE_AFTER

    def deadline_for(self, extra_percent: int) -> datetime | None:
        if self.state != rules.QUESTION:
            return None
        return rules.deadline(self.opened_at, self.time_limit, extra_percent, self.extended)

    def last_deadline(self) -> datetime | None:
        """When the slowest player's time is up (the most extra time in the game)."""
        extra = (
            self.players.aggregate(most=models.Max("membership__extra_time_percent"))["most"] or 0
        )
        return self.deadline_for(extra)


def start_game(
    *, classroom: Classroom, quiz: Quiz, host: Any, time_limit: int | None, speed_bonus: bool
) -> LiveGame:
    """The class's open game, or a new one of `quiz`. Safe against double clicks."""
    existing = LiveGame.objects.unfinished().filter(classroom=classroom)
    if game := existing.first():
        return game
    rng = random.Random(secrets.randbits(32))
    for _ in range(10):
        try:
            with transaction.atomic():
                return LiveGame.objects.create(
                    classroom=classroom,
                    quiz=quiz,
                    host=host,
                    question_ids=quiz.draw_question_ids(rng),
                    seed=rng.randrange(2**31),
                    time_limit=time_limit,
                    speed_bonus=speed_bonus,
                )
        except IntegrityError:
            if game := existing.first():  # another click opened it a moment ago
                return game
    raise RuntimeError("could not find a free game code")


class LivePlayer(models.Model):
    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="players")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Their accommodation (extra time) is the class's, read through it.
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    # Their answers, recorded as they are revealed (created at the first).
    attempt = models.OneToOneField(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_player"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    points = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal(0))
    correct = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "user"], name="one_player_per_game"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.game}"

    @property
    def extra_percent(self) -> int:
        return self.membership.extra_time_percent

    def deadline(self) -> datetime | None:
        return self.game.deadline_for(self.extra_percent)


def join(game: LiveGame, membership: Membership) -> tuple[LivePlayer, bool]:
    """The student's place in the game, made the first time they open it (True then)."""
    player, created = LivePlayer.objects.select_related("membership").get_or_create(
        game=game, user_id=membership.student_id, defaults={"membership": membership}
    )
    player.game = game
    return player, created


class LiveAnswer(models.Model):
    """A player's answer to one question of a game, changed in place until the reveal; graded
    at the reveal; recorded (`response`) once."""

    game = models.ForeignKey(LiveGame, on_delete=models.CASCADE, related_name="answers")
    player = models.ForeignKey(LivePlayer, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    answer = models.JSONField()
    answered_at = models.DateTimeField(default=timezone.now)
    # Set at the reveal.
    score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_answer"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["player", "question"], name="one_live_answer"),
        ]
        indexes = [models.Index(fields=["game", "number"])]

    def __str__(self) -> str:
        return f"{self.player} - question {self.number}"

    @property
    def verdict(self) -> str:
        return rules.verdict_of(self.score or Decimal(0))

    @property
    def is_correct(self) -> bool:
        return self.verdict == "correct"


# ---- The moves ---------------------------------------------------------------------------


class Refused(Exception):
    """An answer that cannot count, with the words to say why."""


ANSWER_CLOSED = (
    "Too late: the answer has been revealed. Your earlier answer, if any, is the one that counts."
)
ANSWER_LATE = "Too late: your time for this question is up."
NOT_OPEN = "This question is not open for answers."


def _share_lock(game_id: int) -> None:
    """Hold the game's row in share mode until the transaction ends: answers go in side by
    side, while the reveal's exclusive lock waits for them and they for it. (SQLite runs one
    writing transaction at a time anyway: quizsite/settings.py opens them IMMEDIATE.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = LiveGame._meta.db_table
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR SHARE", [game_id])


@dataclass
class Given:
    answer: LiveAnswer
    players: int


def give_answer(player: LivePlayer, number: int, answer: dict[str, Any], now: datetime) -> Given:
    """Keep a player's answer to question `number` (replacing an earlier one), if it is still
    open for them; raises Refused otherwise."""
    with transaction.atomic():
        _share_lock(player.game_id)
        game = LiveGame.objects.get(pk=player.game_id)  # as the reveal left it, if it ran
        if game.state != rules.QUESTION or game.number != number:
            closed = game.number == number and game.state != rules.LOBBY
            raise Refused(ANSWER_CLOSED if closed else NOT_OPEN)
        player.game = game
        if rules.is_late(now, player.deadline()):
            raise Refused(ANSWER_LATE)
        live, _ = LiveAnswer.objects.update_or_create(
            player=player,
            question_id=game.question_ids[number - 1],
            defaults={"game": game, "number": number, "answer": answer, "answered_at": now},
        )
        # The answers in so far are counted by the caller once this one is committed.
        return Given(live, game.players.count())


def move(game_id: int, action: str, *, at: str | None, now: datetime) -> LiveGame | None:
    """The teacher's button `action` (rules.ACTIONS), pressed in state `at` (None: whatever the
    game's state is), under the game's row lock. The game as moved, or None when nothing
    moved (clicked twice, or not a move from here)."""
    with transaction.atomic():
        game = LiveGame.objects.select_for_update().select_related("classroom").get(pk=game_id)
        if game.state not in rules.ACTIONS[action] or (at is not None and at != game.at):
            return None
        if action == "extend":
            if game.time_limit is None:
                return None
            game.extended += rules.EXTEND_BY
        elif action == "start":
            _open(game, 1, now)
        elif action == "reveal":
            _reveal(game, now)
        elif action == "next":
            state, number = rules.next_state(game.state, game.number, game.total)
            if state == rules.QUESTION:
                _open(game, number, now)
            else:
                game.state = state
        if action == "end" or game.state == rules.FINISHED:
            game.state = rules.FINISHED
            game.finished_at = now
        game.changed_at = now
        game.save()
        return game


def _open(game: LiveGame, number: int, now: datetime) -> None:
    game.state, game.number, game.opened_at, game.extended = rules.QUESTION, number, now, 0


def _reveal(game: LiveGame, now: datetime) -> None:
    """Grade every answer to the open question and add their points to the players: the
    board and each phone's verdict come from these. Recording them is `record_revealed`'s.

    A class gives few different answers to one question, so the answers and the players are
    updated a group at a time (one UPDATE per distinct grade), not row by row: 300 answers
    are a handful of statements."""
    game.state = rules.REVEALED
    question = game.question()
    answers = LiveAnswer.objects.filter(game=game, number=game.number)
    extra = {}
    if game.speed_bonus:
        extra = dict(game.players.values_list("pk", "membership__extra_time_percent"))
    grades: dict[str, Any] = {}
    groups: dict[tuple[Decimal, Decimal, Decimal], list[tuple[int, int]]] = {}
    for pk, player_id, answer, answered_at in answers.values_list(
        "pk", "player_id", "answer", "answered_at"
    ):
        key = json.dumps(answer, sort_keys=True)
        if key not in grades:
            grades[key] = question.grade(answer)
        grade = grades[key]
        points = grade.points(question.points)
        bonus = Decimal(0)
        if game.speed_bonus:
            allowed = rules.allowed_seconds(game.time_limit, extra[player_id], game.extended)
            elapsed = (answered_at - game.opened_at).total_seconds()
            bonus = rules.speed_bonus(
                points, correct=grade.correct, elapsed=elapsed, allowed=allowed
            )
        groups.setdefault((grade.fraction, points, bonus), []).append((pk, player_id))
    for (score, points, bonus), rows in groups.items():
        LiveAnswer.objects.filter(pk__in=[pk for pk, _ in rows]).update(
            score=score, points=points, bonus=bonus
        )
        LivePlayer.objects.filter(pk__in=[player for _, player in rows]).update(
            points=F("points") + points + bonus,
            correct=F("correct") + int(score >= 1),
            answered=F("answered") + 1,
        )


def record_revealed(game: LiveGame | int) -> int:
    """Record every revealed answer of the game not recorded yet through `record_answer`, each
    in its own transaction, and return how many this call recorded. Run after the reveal, by
    the process's recorder (quizzes/live/recording.py), and again at each later move and by
    `end_idle_live_games`, for any that a stopped process left."""
    game_id = game if isinstance(game, int) else game.pk
    pending = LiveAnswer.objects.filter(
        game_id=game_id, response__isnull=True, score__isnull=False
    ).values_list("pk", flat=True)
    return sum(_record_one(pk) for pk in list(pending))


def _record_one(live_answer_id: int) -> bool:
    with transaction.atomic():
        # Another process recording the same game takes the rows it has not locked.
        live = (
            LiveAnswer.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("game")
            .filter(pk=live_answer_id, response__isnull=True)
            .first()
        )
        if live is None:
            return False
        player = LivePlayer.objects.select_for_update().get(pk=live.player_id)
        game = live.game
        if player.attempt_id is None:
            player.attempt = Attempt.objects.create(
                user_id=player.user_id, quiz_id=game.quiz_id, kind=Attempt.Kind.LIVE, seed=game.seed
            )
            player.save(update_fields=["attempt"])
        attempt = Attempt.objects.select_for_update().get(pk=player.attempt_id)
        # A live attempt holds the questions its player answered, in the game's order, each
        # added as it is revealed (a player who skips one is not marked wrong on it).
        question = Question.objects.only("points").get(pk=live.question_id)
        attempt.question_ids = [*attempt.question_ids, live.question_id]
        attempt.max_score += question.points
        attempt.save(update_fields=["question_ids", "max_score"])
        turn = record_answer(
            Attempt.objects.filter(pk=attempt.pk), attempt.pk, len(attempt.question_ids),
            live.answer,
        )  # fmt: skip
        live.response = turn.response
        live.save(update_fields=["response"])
        return True


def end_idle_games(now: datetime) -> list[LiveGame]:
    """End every game left idle (rules.IDLE_AFTER); the games ended."""
    ended = []
    for game_id in list(LiveGame.objects.idle(now).values_list("pk", flat=True)):
        game = move(game_id, "end", at=None, now=now)
        if game is not None:
            ended.append(game)
    return ended
