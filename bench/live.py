"""Live game benchmark (issue 22), `make bench-live`: simulated players holding real event
streams against `make serve`'s stack on this machine (gunicorn with uvicorn workers, PostgreSQL,
Redis), all of them in this one asyncio process (aiohttp).

Scenarios, on one server, one after the other:
- `class`: one game of 30 players; `big`: one game of 300; `school`: 1,000 players in 30
  games played at once. For each of the teacher's clicks (Start, Reveal, Next), the time from
  sending it to every phone having the new state (its event, or the snapshot of a stream that
  reconnected): p50, p95 and the slowest, and the errors (a stream refused or cut, a click or
  an answer that failed, a phone that never got the state). Targets: p95 at most 300 ms for
  30 players, 1 s for 300 and for 1,000, with 0 errors.
- `kill`: the 300-player class plays again, and a worker is SIGKILLed while they answer: its
  phones reconnect (how long after the kill each has a fresh snapshot), every answer that
  failed is sent again, as a student taps again, and the game goes on.
- In the game, players answer each question (9 in 10 of them, a few seconds apart; 1 in 10
  taps twice), and at the end every answer the server acknowledged is checked against the
  database: none lost, none recorded twice, each revealed one recorded once as a response.
- The memory per connected player (the workers' resident memory before and after the streams
  opened), the CPU per answer (the server's CPU while a game's answers came in, per answer)
  and per event a phone received.

Players sign in with sessions made in the database (bench/data.py --sessions), as a real
phone's cookie would be. With `--toy` it drives the stand-in game of bench/live_endpoints.py
instead (no answers): the same middleware, snapshot, bus and streams, without the game's rules.

    make bench-live                                   # everything, 5 to 10 minutes
    make bench-live ARGS="--scenarios class,big --questions 1"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psycopg

from bench import harness

DATABASE = "quizsite_bench_live"
CSRF = "benchlivecsrfsecret0123456789abc"  # a CSRF cookie's secret: 32 letters and digits
RECORDING_WAIT = 120.0  # seconds the check waits for the recorders (quizzes/live/recording.py)
TAP_AGAIN = 0.5  # seconds before a student taps again after a failed answer
WAIT = 15.0  # seconds a click's state may take to reach every phone before it counts missing
ANSWERING = 0.9  # the share of players who answer a question
TWICE = 0.1  # the share of answers sent twice (a double tap)

# Classes of the school: the 30-player game, the 300-player one, then 1,000 players in 30.
CLASS, BIG = 30, 300
SCHOOL = [34] * 10 + [33] * 20
TARGETS = {"class": 0.3, "big": 1.0, "school": 1.0, "kill": 1.0}
MINE = ("revealed-", "board-", "finished")  # states with a part of each phone's own


# ---- A phone --------------------------------------------------------------------------------


@dataclass(eq=False)
class Phone:
    """One player's event stream (or the host screen's), held open and reopened like a
    browser's EventSource."""

    user_id: int
    cookie: str
    markers: Callable[[str], list[str]]
    url: str = ""
    stage: str = ""  # the latest "stage" event: what the phone shows
    arrivals: dict[str, float] = field(default_factory=dict)  # a state: when it first came
    snapshots: list[float] = field(default_factory=list)  # when each connection's first came
    events: int = 0
    drops: int = 0
    retry: float = 3.0  # EventSource's default, until the server's `retry:` says otherwise
    errors: list[str] = field(default_factory=list)

    async def hold(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        """As a browser's EventSource under htmx's SSE extension: a stream that was open and
        ends is reopened after the server's `retry:` (EventSource does it); one that cannot
        be opened (refused, an error status) is closed for good by EventSource, and the
        extension opens a new one after 0.5 s, then 1, 2, 4... s while it keeps failing
        (htmx-ext-sse 2.2.4)."""
        failures = 0
        while not stop.is_set():
            opened = False
            try:
                async with http.get(
                    self.url,
                    headers={"Cookie": self.cookie, "Accept": "text/event-stream"},
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60),
                ) as response:
                    if response.status != 200:
                        self.errors.append(f"stream answered {response.status}")
                    else:
                        opened = True
                        await self._read(response, stop)
            except (aiohttp.ClientError, TimeoutError) as error:
                if not stop.is_set():
                    self.drops += 1
                    if not self.snapshots:
                        self.errors.append(f"stream failed: {error!r}")
            if stop.is_set():
                return
            if opened:
                failures = 0
                await asyncio.sleep(self.retry)
            else:
                failures = max(min(failures * 2, 128), 1)
                await asyncio.sleep(failures * 0.5)

    async def _read(self, response: aiohttp.ClientResponse, stop: asyncio.Event) -> None:
        first, event, data = True, "message", []
        async for raw in response.content:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("retry:") and line[6:].strip().isdigit():
                self.retry = int(line[6:].strip()) / 1000
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif not line and data:
                now, text = time.monotonic(), "\n".join(data)
                if first:
                    self.snapshots.append(now)
                    first = False
                if event == "stage":
                    self.stage = text
                for marker in self.markers(text):
                    self.arrivals.setdefault(marker, now)
                self.events += 1
                event, data = "message", []
            if stop.is_set():
                return
        if not stop.is_set():
            self.drops += 1  # the server ended the stream


def cookie(session: str) -> str:
    return f"sessionid={session}; csrftoken={CSRF}"


def posting(session: str) -> dict[str, str]:
    """A signed-in browser's headers for an htmx post."""
    return {"Cookie": cookie(session), "X-CSRFToken": CSRF, "HX-Request": "true"}


# ---- The games ------------------------------------------------------------------------------


@dataclass(eq=False)
class Game:
    classroom_id: int
    teacher: str  # the teacher's session key
    phones: list[Phone]
    sessions: dict[int, str]  # each player's session key
    code: str = ""
    host: Phone | None = None
    acked: Counter[tuple[int, int]] = field(default_factory=Counter)  # (user, question): acks


@dataclass
class Outcome:
    name: str
    players: int
    games: int
    latencies: list[float] = field(default_factory=list)
    by_click: dict[str, list[float]] = field(default_factory=dict)  # "reveal": its latencies
    shared: dict[str, list[float]] = field(default_factory=dict)  # ... of the shared part
    responses: dict[str, list[float]] = field(default_factory=dict)  # the click's own answer
    missing: int = 0  # phones that never got a click's state
    errors: list[str] = field(default_factory=list)
    events: int = 0  # events received by the phones while the games were played
    answers: int = 0  # answer posts acknowledged
    cpu: float = 0.0  # the server's CPU seconds while the games were played
    answer_cpu: float = 0.0  # ... while answers came in
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        p50, p95 = (harness.percentile(self.latencies, p) * 1000 for p in (50, 95))
        slowest = max(self.latencies, default=float("nan")) * 1000
        target = TARGETS[self.name] * 1000
        met = p95 <= target and not self.missing and not self.errors
        return (
            f"{self.name:7} {self.players:5} players in {self.games:2} game(s): "
            f"{len(self.latencies):6} phone-states, p50 {p50:5.0f} ms, p95 {p95:5.0f} ms, "
            f"slowest {slowest:5.0f} ms (target p95 <= {target:.0f} ms: "
            f"{'met' if met else 'NOT met'}); missing {self.missing}, errors {len(self.errors)}"
        )

    def clicks(self) -> str:
        parts = []
        for name, latencies in self.by_click.items():
            p95 = harness.percentile(latencies, 95) * 1000
            answered = harness.percentile(self.responses.get(name, []), 50) * 1000
            part = f"{name} p95 {p95:.0f} ms"
            if name in self.shared:
                shared = harness.percentile(self.shared[name], 95) * 1000
                part += f" (what every phone shows: {shared:.0f} ms)"
            parts.append(f"{part} (its response p50 {answered:.0f} ms)")
        return f"{self.name}: " + "; ".join(parts)

    def costs(self) -> str:
        if self.name == "kill":
            return "kill: no CPU figures (the killed worker's CPU went with it)"
        per_event = self.cpu / self.events * 1e6 if self.events else float("nan")
        text = f"{self.name}: server CPU {per_event:.0f} us per event a phone received"
        if self.answers:
            whole = self.cpu / self.answers * 1000
            text += f"; {self.answers} answers acknowledged"
            if self.games == 1:  # games at once answer at once: their CPU is not one's
                while_answering = self.answer_cpu / self.answers * 1000
                text += f", server CPU {while_answering:.1f} ms per answer while they came in"
            text += (
                f" ({whole:.1f} ms per answer for the whole game: clicks, events and the"
                " reveal's recording)"
            )
        return text


async def measure(game: Game, outcome: Outcome, name: str, click: Awaitable[str]) -> None:
    """A click of the teacher's, awaited until every phone has the state it leads to: all of
    it (from the reveal on, what every phone shows and the phone's own part, its verdict or
    place: `mine-` markers); the shared part's own latency is noted apart."""
    sent = time.monotonic()
    try:
        state = await click
    except (aiohttp.ClientError, RuntimeError, TimeoutError) as error:
        outcome.errors.append(f"click: {error!r}")
        return
    outcome.responses.setdefault(name, []).append(time.monotonic() - sent)
    states = [state] + ([f"mine-{state}"] if state.startswith(MINE) else [])
    arrived = lambda phone: all(s in phone.arrivals for s in states)  # noqa: E731
    await until(lambda: all(arrived(phone) for phone in game.phones), WAIT)
    for phone in game.phones:
        if arrived(phone):
            latency = max(phone.arrivals[s] for s in states) - sent
            outcome.latencies.append(latency)
            outcome.by_click.setdefault(name, []).append(latency)
            if len(states) > 1:
                shared = phone.arrivals[state] - sent
                outcome.shared.setdefault(name, []).append(shared)
        else:
            outcome.missing += 1


async def pause() -> None:
    """The class reading a screen before the teacher's next click."""
    await asyncio.sleep(random.uniform(1.0, 2.5))


class ToyGame:
    """The stand-in game of bench/live_endpoints.py: a click is a move, and its state is the
    move's number in every phone's fragment."""

    def __init__(self, base: str) -> None:
        self.base = base

    @staticmethod
    def markers(text: str) -> list[str]:
        return re.findall(r'data-move="(\d+)"', text)

    async def prepare(self, http: aiohttp.ClientSession, game: Game) -> None:
        for phone in game.phones:
            phone.url = f"{self.base}/bench/live/{game.classroom_id}/events/"

    async def click(self, http: aiohttp.ClientSession, game: Game) -> str:
        async with http.post(
            f"{self.base}/bench/live/{game.classroom_id}/move/", headers=posting(game.teacher)
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"the move answered {response.status}")
            return (await response.text()).strip()

    async def play(self, http, server, game: Game, outcome: Outcome, args) -> None:
        for _ in range(2 + 3 * args.questions):
            await pause()
            await measure(game, outcome, "move", self.click(http, game))


class RealGame:
    """The live game (quizzes/views/live.py): the teacher starts it from the class page, then
    Start, and for each question the players' answers, Reveal, Next (the board) and Next."""

    def __init__(self, base: str, quiz_id: int) -> None:
        self.base, self.quiz_id = base, quiz_id

    @staticmethod
    def markers(text: str) -> list[str]:
        """Where a phone's screen shows the game to be."""
        found = [f"question-{n}" for n in re.findall(r'name="number" value="(\d+)"', text)]
        found += [f"revealed-{n}" for n in re.findall(r"The answer to question (\d+)", text)]
        found += [f"board-{n}" for n in re.findall(r"After question (\d+) of", text)]
        found += [f"mine-{s}" for s in re.findall(r'data-mine="(\w+-\d+)"', text)]
        found += ["mine-finished"] if 'data-mine="finished-' in text else []
        return found + (["finished"] if "The game is over" in text else [])

    async def prepare(self, http: aiohttp.ClientSession, game: Game) -> None:
        """The teacher starts a live game on the class page: the lobby."""
        async with http.post(
            f"{self.base}/classes/{game.classroom_id}/live/",
            data={"quiz": str(self.quiz_id), "time_limit": ""},
            headers=posting(game.teacher),
            allow_redirects=False,
        ) as response:
            where = response.headers.get("Location", "")
            match = re.search(r"/live/([A-Z0-9]+)/host/", where)
            if response.status != 302 or not match:
                raise RuntimeError(f"starting a game answered {response.status} {where}")
        game.code = match[1]
        for phone in game.phones:
            phone.url = f"{self.base}/live/{game.code}/events/"
        game.host = Phone(0, cookie(game.teacher), lambda text: [])
        game.host.url = f"{self.base}/live/{game.code}/host/events/"

    async def click(self, http: aiohttp.ClientSession, game: Game, action: str, state: str) -> str:
        async with http.post(
            f"{self.base}/live/{game.code}/host/{action}/", headers=posting(game.teacher)
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"{action} answered {response.status}")
        return state

    async def play(self, http, server, game: Game, outcome: Outcome, args) -> None:
        await measure(game, outcome, "start", self.click(http, game, "start", "question-1"))
        for number in range(1, args.questions + 1):
            cpu = server.cpu_seconds()
            await self.answers(http, game, number, outcome, args)
            outcome.answer_cpu += server.cpu_seconds() - cpu
            reveal = self.click(http, game, "reveal", f"revealed-{number}")
            await measure(game, outcome, "reveal", reveal)
            await pause()
            await measure(game, outcome, "board", self.click(http, game, "next", f"board-{number}"))
            await pause()
            if number < args.questions:
                upcoming = f"question-{number + 1}"
                await measure(game, outcome, "next", self.click(http, game, "next", upcoming))
        await measure(game, outcome, "end", self.click(http, game, "end", "finished"))

    async def answers(self, http, game: Game, number: int, outcome: Outcome, args) -> None:
        players = [phone for phone in game.phones if random.random() < ANSWERING]
        await asyncio.gather(
            *(self.answer(http, game, phone, number, outcome, args) for phone in players)
        )

    async def answer(self, http, game: Game, phone: Phone, number: int, outcome, args) -> None:
        """A student reads the question, answers, and taps again if the page says it failed
        (or, now and then, by accident)."""
        await asyncio.sleep(random.uniform(0.5, args.answer_seconds))
        if not await until(lambda: f"question-{number}" in phone.arrivals, WAIT):
            return  # counted missing already
        data = {"number": str(number), **harness.answer_for(phone.stage)}
        for _ in range(2 if random.random() < TWICE else 1):
            for _tries in range(5):
                try:
                    async with http.post(
                        f"{self.base}/live/{game.code}/answer/",
                        data=data,
                        headers=posting(game.sessions[phone.user_id]),
                    ) as response:
                        await response.read()
                        if response.status == 200:
                            game.acked[(phone.user_id, number)] += 1
                            outcome.answers += 1
                            break
                        if response.status < 500:
                            outcome.errors.append(f"answer answered {response.status}")
                            break
                except (aiohttp.ClientError, TimeoutError):
                    pass  # the worker died under it: the page says so, the student taps again
                await asyncio.sleep(TAP_AGAIN)


# ---- The server -----------------------------------------------------------------------------


class Server:
    """gunicorn as `make serve` runs it, and what its processes use."""

    def __init__(self, process: subprocess.Popen, database: str, *, single: bool = False):
        self.process, self.database, self.single = process, database, single

    def workers(self) -> list[int]:
        if self.single:  # `make run`'s uvicorn: the one process
            return [self.process.pid]
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def cpu_seconds(self) -> float:
        """The CPU time of the server's processes, and of PostgreSQL's and Redis's (whose work
        it causes)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in {self.process.pid, *self.workers(), *services(self.database)}:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def busiest(self, port: int) -> int:
        """The worker holding the most connections (the kernel spreads them unevenly)."""
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        held = Counter(int(pid) for pid in re.findall(r"pid=(\d+)", out))
        workers = self.workers()
        return max(workers, key=lambda pid: held.get(pid, 0))

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(re.search(r"VmRSS:\s+(\d+)", status)[1]) * 1024
        return total


def services(database: str) -> list[int]:
    """Redis's process and this database's PostgreSQL backends (other sessions' are theirs)."""
    out = subprocess.run(["pgrep", "redis-server"], capture_output=True, text=True, check=False)
    pids = [int(pid) for pid in out.stdout.split()]
    try:
        with psycopg.connect(harness.ADMIN_DSN, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
            ).fetchall()
        pids += [pid for (pid,) in rows]
    except psycopg.Error:
        pass
    return pids


# ---- Scenarios ------------------------------------------------------------------------------


async def open_streams(http, phones: list[Phone], stop: asyncio.Event) -> list[asyncio.Task]:
    """Every phone's stream, opened 50 at a time as a class joining does; returns once every
    phone has its first snapshot."""
    tasks = []
    for start in range(0, len(phones), 50):
        batch = phones[start : start + 50]
        tasks += [asyncio.create_task(phone.hold(http, stop)) for phone in batch]
        await until(lambda batch=batch: all(p.snapshots or p.errors for p in batch), 30)
    return tasks


async def close_streams(stop: asyncio.Event, tasks: list[asyncio.Task]) -> None:
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def fresh(game: Game) -> Game:
    """The class again, for a new game: new phones."""
    phones = [Phone(p.user_id, p.cookie, p.markers) for p in game.phones]
    return Game(game.classroom_id, game.teacher, phones, game.sessions)


async def scenario(name, http, driver, server: Server, games: list[Game], args) -> Outcome:
    phones = [phone for game in games for phone in game.phones]
    outcome = Outcome(name, len(phones), len(games))
    for game in games:
        await driver.prepare(http, game)
    stop = asyncio.Event()
    memory = server.rss_bytes()
    opened = time.monotonic()
    hosts = [game.host for game in games if game.host]
    tasks = await open_streams(http, phones + hosts, stop)
    opened = time.monotonic() - opened
    await asyncio.sleep(1)
    per_player = (server.rss_bytes() - memory) / len(phones)
    outcome.notes.append(
        f"{name}: {len(phones)} streams opened in {opened:.1f} s (50 at a time); the workers' "
        f"memory grew {per_player / 1024:.0f} KiB per connected player"
    )
    events, cpu = sum(p.events for p in phones), server.cpu_seconds()
    await asyncio.gather(*(driver.play(http, server, game, outcome, args) for game in games))
    outcome.cpu = server.cpu_seconds() - cpu
    outcome.events = sum(p.events for p in phones) - events
    await close_streams(stop, tasks)
    for phone in phones:
        outcome.errors += phone.errors
        if phone.drops:
            outcome.errors.append(f"a stream dropped {phone.drops} time(s)")
    return outcome


async def kill_scenario(http, driver, server: Server, game: Game, args) -> Outcome:
    """The 300-player class plays again; while they answer the first question, a worker is
    SIGKILLed. Its phones reconnect (each to a fresh snapshot: the time from the kill), failed
    answers are sent again, and the next clicks reach every phone."""
    outcome = Outcome("kill", len(game.phones), 1)
    await driver.prepare(http, game)
    stop = asyncio.Event()
    tasks = await open_streams(http, game.phones + ([game.host] if game.host else []), stop)
    before = {phone: len(phone.snapshots) for phone in game.phones}
    playing = asyncio.create_task(driver.play(http, server, game, outcome, args))
    await asyncio.sleep(2.5 + args.answer_seconds / 2)  # Start, and half the answers in
    victim = server.busiest(args.port)
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    # Which phones lost their stream: on a loaded machine this client may take more than a
    # moment to read every end (a fixed 0.3 s once found none); the times count from the kill.
    await until(lambda: any(phone.drops for phone in game.phones), 10)
    await asyncio.sleep(1.0)
    dropped = [phone for phone in game.phones if phone.drops]
    await until(lambda: all(len(p.snapshots) > before[p] for p in dropped), 30)
    back = [p.snapshots[-1] - killed_at for p in dropped if len(p.snapshots) > before[p]]
    outcome.notes.append(
        f"kill: worker {victim} SIGKILLed while the players answered; {len(dropped)} of "
        f"{len(game.phones)} phones lost their stream and {len(back)} had a fresh snapshot, "
        f"p50 {harness.percentile(back, 50):.2f} s, slowest {max(back, default=0):.2f} s "
        f"after the kill (the streams tell browsers to retry after "
        f"{game.phones[0].retry * 1000:.0f} ms)"
    )
    if len(back) < len(dropped):
        outcome.errors.append(f"{len(dropped) - len(back)} phones did not reconnect")
    await playing
    await close_streams(stop, tasks)
    for phone in game.phones:
        outcome.errors += phone.errors  # drops are the point here
    return outcome


def check_answers(database_url: str, games: list[Game]) -> list[str]:
    """Every acknowledged answer against the database: none lost, none recorded twice."""
    codes = {game.code: game for game in games if game.code}
    answers = """SELECT g.code, p.user_id, a.number, a.response_id
        FROM quizzes_liveanswer a JOIN quizzes_liveplayer p ON p.id = a.player_id
        JOIN quizzes_livegame g ON g.id = a.game_id"""
    responses = """SELECT count(*), count(DISTINCT r.id) FROM quizzes_response r
        JOIN quizzes_attempt t ON t.id = r.attempt_id WHERE t.kind = 'live'"""
    # The servers' recorders record revealed answers after the reveal's response: wait for
    # them (and say how long they were behind the end of the game).
    ended = time.monotonic()
    while True:
        if database_url.startswith("sqlite:"):
            with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
                rows = conn.execute(answers).fetchall()
                live_responses = conn.execute(responses).fetchone()
        else:
            with psycopg.connect(database_url) as conn:
                rows = conn.execute(answers).fetchall()
                live_responses = conn.execute(responses).fetchone()
        rows = [row for row in rows if row[0] in codes]
        waiting = sum(1 for *_, response in rows if response is None)
        if not waiting or time.monotonic() - ended > RECORDING_WAIT:
            break
        time.sleep(0.5)
    behind = time.monotonic() - ended
    stored = Counter((code, user, number) for code, user, number, _ in rows)
    acked = {(g.code, u, n) for g in codes.values() for (u, n) in g.acked}
    posts = sum(sum(g.acked.values()) for g in codes.values())
    lost = acked - set(stored)
    twice = [key for key, count in stored.items() if count > 1]
    unrecorded = sum(1 for *_, response in rows if response is None)
    recorded = {response for *_, response in rows if response is not None}
    return [
        f"Answers: {posts} posts acknowledged ({posts - len(acked)} of them a second tap or a "
        f"retry) for {len(acked)} answers; in the database {len(rows)} answers, "
        f"lost {len(lost)}, stored twice {len(twice)}, revealed but not recorded {unrecorded}; "
        f"{len(recorded)} recorded as responses, live responses in all "
        f"{live_responses[0]} (distinct {live_responses[1]}); the recorders had finished "
        f"{behind:.1f} s after the games ended"
    ]


# ---- The run --------------------------------------------------------------------------------


def build_games(school: dict, markers: Callable[[str], list[str]]) -> list[Game]:
    by_class: dict[int, list[dict]] = {}
    for student in school["students"]:
        by_class.setdefault(student["class_id"], []).append(student)
    teacher_of = {c: t["session"] for t in school["teachers"] for c in t["class_ids"]}
    games = []
    for classroom_id in sorted(by_class):
        members = by_class[classroom_id]
        phones = [Phone(s["id"], cookie(s["session"]), markers) for s in members]
        sessions = {s["id"]: s["session"] for s in members}
        games.append(Game(classroom_id, teacher_of[classroom_id], phones, sessions))
    assert [len(g.phones) for g in games] == [CLASS, BIG, *SCHOOL], "the classes came out wrong"
    return games


async def run(args, base: str, server: Server, school: dict, database_url: str) -> list[str]:
    driver = ToyGame(base) if args.toy else RealGame(base, quiz_id(database_url))
    games = build_games(school, driver.markers)
    played: list[Game] = []
    outcomes = []
    async with aiohttp.ClientSession(
        # A connection for each request: a post on a kept-alive connection that the server
        # closes at that instant fails, where a browser would send it again.
        connector=aiohttp.TCPConnector(limit=0, force_close=True),
        cookie_jar=aiohttp.DummyCookieJar(),
    ) as http:
        for name, chosen in (("class", games[:1]), ("big", games[1:2]), ("school", games[2:])):
            if name in args.scenarios:
                outcomes.append(await scenario(name, http, driver, server, chosen, args))
                played += chosen
        if "kill" in args.scenarios:
            again = fresh(games[1])
            outcomes.append(await kill_scenario(http, driver, server, again, args))
            played.append(again)
    lines = [outcome.line() for outcome in outcomes] + [""]
    lines += [note for outcome in outcomes for note in outcome.notes]
    lines += [outcome.clicks() for outcome in outcomes]
    lines += [outcome.costs() for outcome in outcomes]
    if not args.toy:
        lines += check_answers(database_url, played)
    for outcome in outcomes:
        lines += [f"error ({outcome.name}): {e}" for e in sorted(set(outcome.errors))[:10]]
    return lines


def quiz_id(database_url: str) -> int:
    query = "SELECT id FROM quizzes_quiz WHERE slug = 'moscow-trials'"
    if database_url.startswith("sqlite:"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(query).fetchone()[0]
    with psycopg.connect(database_url) as conn:
        return conn.execute(query).fetchone()[0]


def start_uvicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """`make run`'s server, without its reloader."""
    server = subprocess.Popen(
        [
            *(harness.PY, "-m", "uvicorn", "quizsite.asgi:application", "--port", str(port)),
            *("--no-proxy-headers", "--lifespan", "off", "--log-level", "warning"),
        ],
        cwd=harness.ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    harness.wait_until_up(f"http://127.0.0.1:{port}/accounts/login/", server, log)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE, help="PostgreSQL database to (re)make")
    parser.add_argument("--redis", default=harness.REDIS_URL, help="BENCH_REDIS_URL's")
    parser.add_argument("--port", type=int, default=None, help="default: one of BENCH_PORTS")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--questions", type=int, default=3, help="questions per game")
    parser.add_argument(
        "--answer-seconds", type=float, default=8.0, help="players answer within this long"
    )
    parser.add_argument(
        "--toy",
        action="store_true",
        default=not (harness.ROOT / "quizzes" / "models" / "live.py").exists(),
        help="the stand-in game, no answers (the default until the live game is there)",
    )
    parser.add_argument(
        "--scenarios",
        type=lambda text: set(text.split(",")),
        default={"class", "big", "school", "kill"},
        help="any of class,big,school,kill",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="make run's stack instead: one uvicorn process, SQLite, no Redis (the class)",
    )
    args = parser.parse_args()
    args.port = args.port or harness.free_port()
    load_before = os.getloadavg()
    if args.dev:
        args.redis, args.scenarios = "", args.scenarios & {"class"}
        database_url = harness.fresh_sqlite(harness.results("live-dev.sqlite3"))
    else:
        database_url = harness.fresh_postgres(args.database)
    env = harness.app_env(
        database_url,
        args.redis,
        DJANGO_SETTINGS_MODULE="bench.settings",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{args.port}",
        **({"DEBUG": "1", "CACHE_DIR": str(harness.results("live-dev-cache"))} if args.dev else {}),
    )
    harness.flush_redis(args.redis)
    sizes = ",".join(str(size) for size in [CLASS, BIG, *SCHOOL])
    school_file = harness.set_up(
        env, "--sizes", sizes, "--teachers", str(2 + len(SCHOOL)), "--sessions"
    )
    school = json.loads(school_file.read_text())
    school_file.unlink()
    log = harness.results("live-server.log")
    if args.dev:
        process = start_uvicorn(env, args.port, log)
    else:
        process = harness.start_gunicorn(env, args.port, args.workers, log, asgi=True)
    server = Server(process, database_url.rsplit("/", 1)[-1], single=args.dev)
    try:
        lines = asyncio.run(
            run(args, f"http://127.0.0.1:{args.port}", server, school, database_url)
        )
    finally:
        harness.stop(process)
    load_after = os.getloadavg()
    tracebacks = log.read_text().count("Traceback")
    stack = (
        "one uvicorn process (make run), SQLite, no Redis"
        if args.dev
        else f"gunicorn with {args.workers} uvicorn workers (make serve), PostgreSQL + Redis"
    )
    report = [
        f"Machine: {harness.machine()}; {stack}; players and server on the same machine",
        f"Load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} "
        "(other sessions share these cores)",
        "Game: "
        + ("the stand-in of bench/live_endpoints.py" if args.toy else "the live game")
        + f", {args.questions} question(s), answers within {args.answer_seconds:.0f} s",
        "",
        *lines,
        f"Server log: {tracebacks} tracebacks ({log})",
    ]
    text = "\n".join(report)
    print(text)
    harness.results("live.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
