"""CPU of the live game's moves in one process, `make bench-live_moves` (issue 22): what the
teacher's "Reveal" and "Next" cost the server for a class of N (the move, and publishing every
screen's new state), what recording the revealed answers costs (now after the response, in the
process's recorder), and what a phone's reconnection costs (its stream's snapshot). CPU time
(time.process_time), not wall time: it holds on a machine that other work loads.

    make bench-live_moves                       # a class of 300, SQLite in memory
    make bench-live_moves ARGS="--players 30"
    cd <an older checkout> && /path/to/this/.venv/bin/python /path/to/this/bench/live_moves.py
                                                # the same steps of older code, for a before/after

It runs as a pytest test (the test database, the factories), events going to a list rather
than to Redis. Results: bench/results/live-moves.txt.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench import harness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=300)
    args = parser.parse_args()
    env = {**os.environ, "LIVE_MOVES_PLAYERS": str(args.players)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "pytest", __file__, "-q", "-s"]
    out = subprocess.run(command, env=env, cwd=harness.ROOT, capture_output=True, text=True)
    lines = [line.removeprefix("LIVE-MOVES ") for line in out.stdout.splitlines()]
    lines = [line for line in lines if line.startswith(("players", "  "))]
    if out.returncode or not lines:
        print(out.stdout[-3000:], out.stderr[-3000:])
        raise SystemExit(1)
    load = os.getloadavg()
    text = "\n".join([f"Machine: {harness.machine()}; load average {load[0]:.1f}", *lines])
    print(text)
    harness.results("live-moves.txt").write_text(text + "\n")


def test_live_moves(db, monkeypatch) -> None:  # run by main(), through pytest
    from django.utils import timezone

    from quizzes.forms import AnswerForm
    from quizzes.live import screens
    from quizzes.models import LiveAnswer, Membership
    from quizzes.models.live import join, move, record_revealed
    from quizzes.views.live import _games

    size = int(os.environ.get("LIVE_MOVES_PLAYERS", "300"))
    sent: list[tuple[str, str, str]] = []
    monkeypatch.setattr("quizzes.live.bus.publish_many", sent.extend)
    monkeypatch.setattr("quizzes.live.bus.publish", lambda *event: sent.append(event))
    game = new_game(size)
    players = [join(game, m)[0] for m in Membership.objects.filter(classroom=game.classroom)]
    move(game.pk, "start", at=None, now=timezone.now())
    game.refresh_from_db()
    items = AnswerForm(game.question(), game.seed).items
    for n, player in enumerate(players):
        choice = items[n % len(items)].id
        LiveAnswer.objects.create(
            game=game, player=player, question_id=game.question_ids[0], number=1,
            answer={"choice": choice},
        )  # fmt: skip
    rows: list[tuple[str, float]] = []

    def cpu(label: str, work, per: int = 1):
        started = time.process_time()
        result = work()
        rows.append((label, (time.process_time() - started) / per))
        return result

    def publish(moved) -> None:
        """Publishing a move's screens, as a worker that has rendered them before does (its
        templates compiled), with the move's ranking and fragments not made yet."""
        screens.publish_move(moved)
        for cache in ("_rankings", "_fragments"):
            getattr(screens, cache, {}).clear()
        sent.clear()
        return screens.publish_move(moved)

    def snapshots(count: int = 50) -> None:
        fresh = _games().get(pk=game.pk)
        for player in players[:count]:
            player.game = fresh
            if hasattr(screens, "snapshot"):
                screens.snapshot(fresh, player, 0)
            else:  # before the snapshot's shared parts were kept (a checkout of an older main)
                screens.phone_stage(fresh, player)
                screens.phone_why(fresh)
                screens.phone_timer(fresh, 0)

    moved = cpu("reveal: the move (grading the class)", lambda: move(game.pk, "reveal", at=None,
                now=timezone.now()))  # fmt: skip
    cpu("reveal: publishing every screen", lambda: publish(moved))
    cpu("a phone's snapshot after the reveal (50 phones)", snapshots, per=min(50, size))
    cpu("recording one answer (after the response)", lambda: record_revealed(moved), per=size)
    moved = move(game.pk, "next", at=None, now=timezone.now())
    cpu("board: publishing every screen", lambda: publish(moved))
    events = len(sent)
    moved = cpu("next question: the move", lambda: move(game.pk, "next", at=None,
                now=timezone.now()))  # fmt: skip
    cpu("next question: publishing every screen", lambda: publish(moved))
    cpu("a phone's snapshot of an open question (50 phones)", snapshots, per=min(50, size))
    print(f"LIVE-MOVES players {size}: CPU of each step ({events} events for the board)")
    for label, seconds in rows:
        print(f"LIVE-MOVES   {label}: {seconds * 1000:.2f} ms")


def new_game(size: int):
    """A class of `size` (bench/data.py) and a live game of a quiz of two single-choice
    questions, made with the app's own models (the benchmarks do not import the tests')."""
    from bench import data
    from quizzes.grading import QuestionType
    from quizzes.models import Choice, Question, Quiz, SourceDocument, Topic
    from quizzes.models.content import Status
    from quizzes.models.live import start_game

    school = data.school([size], prefix="livemoves")
    source = SourceDocument.objects.create(slug="live-moves", title="Live moves", text="1929.")
    quiz = Quiz.objects.create(slug="live-moves", title="Live moves", source=source,
                               status=Status.PUBLISHED, shared=True)  # fmt: skip
    topic = Topic.objects.create(name="Live moves", slug="live-moves")
    for position in range(2):
        question = Question.objects.create(
            quiz=quiz, key=f"live-moves-{position}", position=position, topic=topic,
            type=QuestionType.SINGLE_CHOICE, prompt=f"In which year? ({position})",
            explanation="The text says 1929.", passage="In 1929.", status=Status.PUBLISHED,
        )  # fmt: skip
        for n, (text, right) in enumerate([("1927", False), ("1929", True), ("1932", False)]):
            Choice.objects.create(question=question, position=n, text=text, is_correct=right)
    classroom = school.classes[0]
    return start_game(classroom=classroom, quiz=quiz, host=classroom.teacher, time_limit=None,
                      speed_bonus=False)  # fmt: skip


if __name__ == "__main__":
    main()
