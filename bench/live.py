"""Live game benchmark (issue 22), `make bench-live`: simulated players holding real event
streams against `make serve`'s stack on this machine (gunicorn with uvicorn workers, PostgreSQL,
Redis), all of them in this one asyncio process (aiohttp).

What it measures, each scenario on the same server:
- `class`: one game of 30 players; `big`: one game of 300; `school`: 1,000 players in 30 games
  played at once. For each of the teacher's clicks, the time from sending it to every phone
  having the new state (the event, or a snapshot after a reconnect): p50, p95 and the
  slowest, and the errors (a stream refused or cut, a click that failed, a phone that never
  got the state). Targets: p95 at most 300 ms for 30 players, 1 s for 300 and for 1,000.
- `kill`: a worker SIGKILLed in the middle of the 300-player game: how long its phones take
  to reconnect to a fresh snapshot, and whether the next click still reaches every phone.
- the memory per connected player (the workers' resident memory before and after the
  streams opened) and the CPU per event delivered to a phone (and, with the game's answers,
  per answer).

Players sign in with sessions made in the database (bench/data.py --sessions), as a real
phone's cookie would be. Until the live game's own URLs are there, it drives the stand-in game
of bench/live_endpoints.py (`--toy`, the default): the same middleware, access check,
snapshot from the database, bus and streams as a real game, minus its rules.

    make bench-live                                  # everything, ~3 minutes
    make bench-live ARGS="--scenarios class,big"     # some of it
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench import harness

DATABASE = "quizsite_bench_live"
CSRF = "benchlivecsrfsecret0123456789abc"  # a CSRF cookie's secret: 32 letters and digits
RETRY = 0.5  # as the streams tell browsers (quizzes.live.streams.RETRY_MS)
WAIT = 10.0  # seconds a click's state may take to reach every phone before it counts missing

# Classes of the school: the 30-player game, the 300-player one, then 1,000 players in 30.
CLASS, BIG = 30, 300
SCHOOL = [34] * 10 + [33] * 20
TARGETS = {"class": 0.3, "big": 1.0, "school": 1.0, "kill": 1.0}


# ---- A phone --------------------------------------------------------------------------------


@dataclass
class Phone:
    """One player's event stream, held open and reopened like a browser's EventSource."""

    url: str
    cookie: str
    marker: re.Pattern[str]
    arrivals: dict[str, float] = field(default_factory=dict)  # a state: when it first came
    snapshots: list[float] = field(default_factory=list)  # when each connection's first came
    drops: int = 0
    errors: list[str] = field(default_factory=list)

    async def hold(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with http.get(
                    self.url,
                    headers={"Cookie": self.cookie, "Accept": "text/event-stream"},
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60),
                ) as response:
                    if response.status != 200:
                        self.errors.append(f"stream answered {response.status}")
                    else:
                        await self._read(response, stop)
            except (aiohttp.ClientError, TimeoutError) as error:
                if not stop.is_set():
                    self.drops += 1
                    if not self.snapshots:
                        self.errors.append(f"stream failed: {error!r}")
            if not stop.is_set():
                await asyncio.sleep(RETRY)

    async def _read(self, response: aiohttp.ClientResponse, stop: asyncio.Event) -> None:
        first, data = True, []
        async for raw in response.content:
            line = raw.decode().rstrip("\r\n")
            if line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif not line and data:
                now = time.monotonic()
                if first:
                    self.snapshots.append(now)
                    first = False
                for marker in self.marker.findall("\n".join(data)):
                    self.arrivals.setdefault(marker, now)
                data = []
            if stop.is_set():
                return
        if not stop.is_set():
            self.drops += 1  # the server ended the stream


# ---- The games ------------------------------------------------------------------------------


@dataclass
class Game:
    classroom_id: int
    teacher: str  # the teacher's session key
    phones: list[Phone]


class ToyGame:
    """The stand-in game of bench/live_endpoints.py: a click is a move, and its state is the
    move's number in every phone's fragment."""

    marker = re.compile(r'data-move="(\d+)"')

    def __init__(self, base: str) -> None:
        self.base = base

    def stream_url(self, classroom_id: int) -> str:
        return f"{self.base}/bench/live/{classroom_id}/events/"

    async def click(self, http: aiohttp.ClientSession, game: Game) -> str:
        """The teacher's click; the state it leads to."""
        async with http.post(
            f"{self.base}/bench/live/{game.classroom_id}/move/",
            headers=teacher_headers(game.teacher),
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"the move answered {response.status}")
            return (await response.text()).strip()


def cookie(session: str) -> str:
    return f"sessionid={session}; csrftoken={CSRF}"


def teacher_headers(session: str) -> dict[str, str]:
    return {"Cookie": cookie(session), "X-CSRFToken": CSRF}


# ---- Measuring ------------------------------------------------------------------------------


@dataclass
class Outcome:
    name: str
    players: int
    games: int
    latencies: list[float] = field(default_factory=list)
    missing: int = 0  # phones that never got a click's state
    errors: list[str] = field(default_factory=list)
    events: int = 0  # events delivered to phones
    cpu: float = 0.0  # the server's CPU seconds while the clicks were played
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        p50, p95 = (harness.percentile(self.latencies, p) * 1000 for p in (50, 95))
        slowest = max(self.latencies, default=float("nan")) * 1000
        target = TARGETS[self.name] * 1000
        verdict = "met" if p95 <= target and not self.missing and not self.errors else "NOT met"
        cpu = self.cpu / self.events * 1e6 if self.events else float("nan")
        return (
            f"{self.name:7} {self.players:5} players in {self.games:2} game(s): "
            f"{len(self.latencies):6} phone-states, p50 {p50:6.0f} ms, p95 {p95:6.0f} ms, "
            f"slowest {slowest:6.0f} ms (target p95 <= {target:.0f} ms: {verdict}); "
            f"missing {self.missing}, errors {len(self.errors)}; "
            f"server CPU {cpu:.0f} us per event delivered"
        )


class Server:
    """gunicorn as `make serve` runs it, and what its processes use."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def pids(self) -> list[int]:
        return [self.process.pid, *self.workers()]

    def cpu_seconds(self) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def rss_bytes(self) -> int:
        total = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(re.search(r"VmRSS:\s+(\d+)", status)[1]) * 1024
        return total


async def open_streams(
    http: aiohttp.ClientSession, phones: list[Phone], stop: asyncio.Event
) -> list[asyncio.Task[None]]:
    """Every phone's stream, opened 50 at a time as a class joining does; returns once every
    phone has its first snapshot."""
    tasks = []
    for start in range(0, len(phones), 50):
        batch = phones[start : start + 50]
        tasks += [asyncio.create_task(phone.hold(http, stop)) for phone in batch]
        await until(lambda batch=batch: all(p.snapshots or p.errors for p in batch), 30)
    return tasks


async def until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def play(
    http: aiohttp.ClientSession, driver: ToyGame, game: Game, clicks: int, outcome: Outcome
) -> None:
    """The teacher's clicks, a few seconds apart (a class reading a question), each awaited
    until every phone has its state."""
    for _ in range(clicks):
        await asyncio.sleep(random.uniform(1.0, 2.5))
        sent = time.monotonic()
        try:
            state = await driver.click(http, game)
        except (aiohttp.ClientError, RuntimeError) as error:
            outcome.errors.append(f"click: {error!r}")
            continue
        await until(lambda state=state: all(state in p.arrivals for p in game.phones), WAIT)
        for phone in game.phones:
            if state in phone.arrivals:
                outcome.latencies.append(phone.arrivals[state] - sent)
            else:
                outcome.missing += 1
        outcome.events += len(game.phones)


async def scenario(
    name: str,
    http: aiohttp.ClientSession,
    driver: ToyGame,
    server: Server,
    games: list[Game],
    clicks: int,
) -> Outcome:
    phones = [phone for game in games for phone in game.phones]
    outcome = Outcome(name, len(phones), len(games))
    stop = asyncio.Event()
    memory_before = server.rss_bytes()
    opened = time.monotonic()
    tasks = await open_streams(http, phones, stop)
    opened = time.monotonic() - opened
    await asyncio.sleep(1)
    per_player = (server.rss_bytes() - memory_before) / len(phones)
    outcome.notes.append(
        f"{name}: {len(phones)} streams opened in {opened:.1f} s; the workers' memory grew "
        f"{per_player / 1024:.0f} KiB per connected player"
    )
    cpu = server.cpu_seconds()
    await asyncio.gather(*(play(http, driver, game, clicks, outcome) for game in games))
    outcome.cpu = server.cpu_seconds() - cpu
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for phone in phones:
        outcome.errors += phone.errors
        if phone.drops:
            outcome.errors.append(f"a stream dropped {phone.drops} time(s)")
    return outcome


async def kill_scenario(
    http: aiohttp.ClientSession, driver: ToyGame, server: Server, game: Game
) -> Outcome:
    """The 300-player game again; mid-question, one worker is SIGKILLed. Its phones reconnect
    (each to its new snapshot: the time from the kill), and the next clicks reach every phone."""
    outcome = Outcome("kill", len(game.phones), 1)
    stop = asyncio.Event()
    tasks = await open_streams(http, game.phones, stop)
    await play(http, driver, game, 1, outcome)
    victim = random.choice(server.workers())
    connected = {id(phone): len(phone.snapshots) for phone in game.phones}
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    await asyncio.sleep(0.2)
    dropped = [p for p in game.phones if p.drops]
    await until(lambda: all(len(p.snapshots) > connected[id(p)] for p in dropped), 30)
    back = [p.snapshots[-1] - killed_at for p in dropped if len(p.snapshots) > connected[id(p)]]
    outcome.notes.append(
        f"kill: worker {victim} SIGKILLed; {len(dropped)} of {len(game.phones)} phones lost "
        f"their stream, {len(back)} reconnected to a fresh snapshot, in "
        f"p50 {harness.percentile(back, 50):.2f} s, slowest {max(back, default=float('nan')):.2f}"
        f" s after the kill (streams tell browsers to retry after {RETRY * 1000:.0f} ms)"
    )
    if len(back) < len(dropped):
        outcome.errors.append(f"{len(dropped) - len(back)} phones did not reconnect")
    await play(http, driver, game, 3, outcome)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for phone in game.phones:
        outcome.errors += phone.errors
    return outcome


# ---- The run --------------------------------------------------------------------------------


def build_games(school: dict, driver: ToyGame, sizes: Iterable[int]) -> list[Game]:
    by_class: dict[int, list[dict]] = {}
    for student in school["students"]:
        by_class.setdefault(student["class_id"], []).append(student)
    teacher_of = {c: t["session"] for t in school["teachers"] for c in t["class_ids"]}
    games = []
    for classroom_id in sorted(by_class):
        url = driver.stream_url(classroom_id)
        phones = [Phone(url, cookie(s["session"]), driver.marker) for s in by_class[classroom_id]]
        games.append(Game(classroom_id, teacher_of[classroom_id], phones))
    assert [len(g.phones) for g in games] == list(sizes), "the school's classes came out wrong"
    return games


async def run(args: argparse.Namespace, base: str, server: Server, school: dict) -> list[Outcome]:
    driver = ToyGame(base)
    sizes = [CLASS, BIG, *SCHOOL]
    games = build_games(school, driver, sizes)
    connector = aiohttp.TCPConnector(limit=0)
    outcomes = []
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        if "class" in args.scenarios:
            outcomes.append(await scenario("class", http, driver, server, games[:1], args.clicks))
        if "big" in args.scenarios:
            outcomes.append(await scenario("big", http, driver, server, games[1:2], args.clicks))
        if "school" in args.scenarios:
            outcomes.append(await scenario("school", http, driver, server, games[2:], args.clicks))
        if "kill" in args.scenarios:
            outcomes.append(await kill_scenario(http, driver, server, games[1]))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DATABASE, help="PostgreSQL database to (re)make")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--clicks", type=int, default=6, help="teacher's clicks per game")
    parser.add_argument(
        "--scenarios",
        type=lambda text: set(text.split(",")),
        default={"class", "big", "school", "kill"},
        help="any of class,big,school,kill",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    env = harness.app_env(
        harness.fresh_postgres(args.database),
        args.redis,
        DJANGO_SETTINGS_MODULE="bench.settings",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{args.port}",
    )
    harness.flush_redis(args.redis)
    sizes = ",".join(str(size) for size in [CLASS, BIG, *SCHOOL])
    school_file = harness.set_up(
        env, "--sizes", sizes, "--teachers", str(2 + len(SCHOOL)), "--sessions"
    )
    school = json.loads(school_file.read_text())
    school_file.unlink()
    log = harness.results("live-gunicorn.log")
    process = harness.start_gunicorn(env, args.port, args.workers, log, asgi=True)
    server = Server(process)
    try:
        outcomes = asyncio.run(run(args, f"http://127.0.0.1:{args.port}", server, school))
    finally:
        harness.stop(process)
    load_after = os.getloadavg()
    report = [
        f"Machine: {harness.machine()}; gunicorn with {args.workers} uvicorn workers "
        f"(make serve), PostgreSQL + Redis; players and server on the same machine",
        f"Load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} "
        "(other sessions share these cores)",
        "Game: the stand-in of bench/live_endpoints.py",
        "",
        *(outcome.line() for outcome in outcomes),
        "",
        *(note for outcome in outcomes for note in outcome.notes),
    ]
    for outcome in outcomes:
        for error in sorted(set(outcome.errors))[:10]:
            report.append(f"error ({outcome.name}): {error}")
    server_errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
    report.append(f"Server log: {len(server_errors)} tracebacks ({log})")
    text = "\n".join(report)
    print(text)
    harness.results("live.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
