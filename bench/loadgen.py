"""The load generator: simulated students driven by locust, in a process of their own.

bench/load.py starts it (python -m bench.loadgen); it is not meant to be run by hand. Each
simulated student signs in (with the login form, or with a session from an earlier login), then
runs through phases that every student switches to at the same moment:

- `read`, `update`: the bare endpoints (bench/endpoints.py), as fast as they answer;
- `read-me`, `update-me`: the same, signed in (the session and the user loaded first);
- `page`: the question page, reloaded as fast as it answers;
- `answer`: answer posts one after the other, as fast as they answer;
- `students`: whole quizzes as a student takes them with JavaScript on: start, the question
  page, then for each question the answer post (HTMX) and the next question (HTMX), the
  results, the progress page, the class page and its polled leaderboard fragment.

With --think, students take the time real ones do: they read each question and its passage,
read the feedback, and watch the class board for a while (15-40 s, polling at the interval the
page asks for) before the next quiz. Without it they click as fast as the server answers,
which measures capacity.

Every request is recorded (time, name, latency, the server's own time from the Server-Timing
header, success) and summarised per phase into the JSON file --out.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import itertools
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

from bench.harness import answer_for, percentile

HX = {"HX-Request": "true"}
WATCH_SECONDS = (15, 40)  # how long a student watches the class board after a quiz


@dataclass
class State:
    """What every simulated student reads: the phase, and who they are."""

    phase: str = "login"
    students: list[dict] = field(default_factory=list)
    password: str = ""
    session_logins: bool = False
    fresh_logins: int = 0  # with session logins: this many still use the login form
    think: bool = False
    next_student: itertools.count = field(default_factory=itertools.count)
    signed_in: int = 0
    samples: list[tuple] = field(default_factory=list)
    # Login storms: a class (`storm_size` students) signing in at the same moment, with the
    # login form or with their login cards' sign-in links (`card_prefix`<token>/).
    sign_in_first: bool = True  # off for the storm phases: the students come signed out
    storms: list[tuple[str, float]] = field(default_factory=list)  # (form/link, at s)
    storm_size: int = 30
    card_prefix: str = ""
    began: float = 0.0
    signed_in_storms: list[tuple] = field(default_factory=list)  # (kind, ms, ok, at)


STATE = State()
# A well-formed answer to a question of any type: the choice, the text, positions, partners.
UNIVERSAL_ANSWER = {
    "choice": "0",
    "answer": "1937",
    **{f"position_{i}": str(i + 1) for i in range(8)},
    **{f"match_{i}": "0" for i in range(8)},
}
ANSWER_ACTION = re.compile(r'action="(/attempts/\d+/questions/\d+/answer/)"')
# Where the feedback leads: the next question's own address, or the results (issue 21).
NEXT_STEP = re.compile(r'hx-get="(/attempts/\d+/(?:questions/\d+|results)/)"')
ATTEMPT = re.compile(r"^/attempts/\d+/")
POLL_URL = re.compile(r'hx-get="([^"]*since=[^"]*)"')
POLL_EVERY = re.compile(r'hx-trigger="every (\d+)s"')  # LEADERBOARD_POLL_SECONDS
SERVER_TIMING = re.compile(r"dur=([\d.]+)")


def pause(low: float, high: float) -> None:
    if STATE.think:
        gevent.sleep(random.uniform(low, high))


class Student(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        n = next(STATE.next_student)
        self.me = STATE.students[n % len(STATE.students)]
        self.stormed: set[str] = set()
        if not STATE.sign_in_first:
            STATE.signed_in += 1  # ready: each signs in when a storm phase says so
            return
        if n < STATE.storm_size * len(STATE.storms):
            # One of a class that signs in together: they wait for the moment, then all at once.
            kind, at = STATE.storms[n // STATE.storm_size]
            gevent.sleep(max(0.0, STATE.began + at - time.time()))
            self.storm(kind)
            STATE.signed_in += 1
            return
        # With sessions from earlier days, every k-th arrival still signs in with the form (a
        # new laptop, a cleared browser), spread over the arrival, not all in its first second.
        every = len(STATE.students) // max(1, STATE.fresh_logins) if STATE.fresh_logins else 0
        if STATE.session_logins and not (every and n % every == 0):
            self._set_cookie("sessionid", self.me["session"])
            self.client.get("/", name="home")
        else:
            self._log_in()
        STATE.signed_in += 1

    def _log_in(self) -> bool:
        self.client.get("/accounts/login/", name="login page")
        form = {
            "username": self.me["username"],
            "password": STATE.password,
            "csrfmiddlewaretoken": self._csrf(),
        }
        with self.client.post(
            "/accounts/login/", data=form, name="login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
                return False
        return True

    def _follow_link(self) -> bool:
        """The login card's sign-in link: its page, then the button that posts the token."""
        page = f"{STATE.card_prefix}{self.me['card']}/"
        self.client.get(page, name="sign-in link page", headers={"Referer": page})
        form = {"token": self.me["card"], "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(
            STATE.card_prefix,
            data=form,
            name="sign-in link",
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + page},
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in link answered {response.status_code}")
                return False
        return True

    def storm(self, kind: str) -> None:
        """Sign in from a browser with no session, `kind` "form" or "link", as one of a class
        doing it at the same moment; records how long the student waited, from opening the
        page to the home page it lands on."""
        self.client.cookiejar.clear()
        started = time.perf_counter()
        ok = self._log_in() if kind == "form" else self._follow_link()
        with self.client.get("/", name="home", catch_response=True) as home:
            if ok and 'action="/accounts/logout/"' not in (home.text or ""):
                home.failure("not signed in")
                ok = False
        waited = (time.perf_counter() - started) * 1000
        STATE.signed_in_storms.append((kind, waited, ok, time.time() - STATE.began))

    def _set_cookie(self, name: str, value: str) -> None:
        host = self.host.split("//", 1)[1].split(":")[0]
        cookie = http.cookiejar.Cookie(
            0, name, value, None, False, host, False, False, "/", True, False, None, False,
            None, None, {},
        )  # fmt: skip
        self.client.cookiejar.set_cookie(cookie)

    def _csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def _post(self, url: str, name: str, data: dict | None = None, **kwargs):
        headers = {"X-CSRFToken": self._csrf(), **kwargs.pop("headers", {})}
        return self.client.post(url, data=data or {}, headers=headers, name=name, **kwargs)

    @task
    def act(self) -> None:
        match STATE.phase:
            case "read":
                self.client.get(f"/bench/read/{self.me['id']}/", name="bare read (1 row)")
            case "update":
                self._post(f"/bench/update/{self.me['id']}/", "bare update (1 row)")
            case "read-me":
                self.client.get("/bench/read/me/", name="signed-in read (1 row)")
            case "update-me":
                self._post("/bench/update/me/", "signed-in update (1 row)")
            case "page":
                self.reload_question()
            case "answer":
                self.answer_only()
            case "students":
                self.take_quiz()
            case "storm-form" | "storm-link" if STATE.phase not in self.stormed:
                self.stormed.add(STATE.phase)
                self.storm(STATE.phase.removeprefix("storm-"))
            case _:
                gevent.sleep(0.2)

    def _expect(self, response, pattern: re.Pattern, what: str) -> str:
        """The page's text; a page without `pattern` (a login form where a question was due,
        say) counts as a failure, so that a student's flow gone wrong shows in the errors."""
        text = response.text or ""
        if response.status_code == 200 and not pattern.search(text):
            response.failure(f"no {what} in the page")
        return text

    def start_quiz(self) -> str | None:
        """Start (or resume) the class's quiz: the due question's address."""
        with self._post(
            f"/quizzes/{self.me['quiz']}/start/",
            "start quiz",
            allow_redirects=False,
            catch_response=True,
        ) as start:
            if start.status_code != 302 or not ATTEMPT.match(start.headers.get("Location", "")):
                start.failure(f"start answered {start.status_code}")
                return None
            return start.headers["Location"]

    def reload_question(self) -> None:
        """The question page, again and again (a student reloading it)."""
        attempt_url = self.start_quiz()
        while attempt_url and STATE.phase == "page":
            self.client.get(attempt_url, name="question page")

    def answer_only(self) -> None:
        """Answers, one after the other, without asking for the cards in between: the
        answer fills in every field any question type has, and the form ignores the rest."""
        step_url = self.start_quiz()
        card = self.client.get(step_url or "", name="next question", headers=HX).text or ""
        action = ANSWER_ACTION.search(card)
        if not step_url or action is None:
            return
        number = int(action[1].rstrip("/").split("/")[-2])
        attempt_url = ATTEMPT.match(step_url)[0]
        while STATE.phase == "answer":
            url = f"{attempt_url}questions/{number}/answer/"
            feedback = self._post(url, "answer post", UNIVERSAL_ANSWER, headers=HX)
            if feedback.status_code != 200 or "Next question" not in (feedback.text or ""):
                return  # finished (or lost): start again
            number += 1

    def take_quiz(self) -> None:
        pause(0, 10)  # students open their laptops over a few seconds, not all in one
        attempt_url = self.start_quiz()
        if attempt_url is None:
            return
        with self.client.get(attempt_url, name="question page", catch_response=True) as page:
            card = self._expect(page, ANSWER_ACTION, "answer form")
        while STATE.phase == "students":
            action = ANSWER_ACTION.search(card)
            if action is None:
                return
            pause(8, 20)  # reading the question and its choices
            with self._post(
                action[1], "answer post", answer_for(card), headers=HX, catch_response=True
            ) as feedback:
                step = NEXT_STEP.search(self._expect(feedback, NEXT_STEP, "next step"))
            if step is None:
                return
            pause(3, 8)  # reading the feedback and the source passage
            if step[1].endswith("/results/"):
                self.client.get(step[1], name="results", headers=HX)
                break
            with self.client.get(
                step[1], name="next question", headers=HX, catch_response=True
            ) as page:
                card = self._expect(page, ANSWER_ACTION, "answer form")
        else:
            return
        self.client.get("/progress/", name="progress page")
        self.watch_board()

    def watch_board(self) -> None:
        page = self.client.get(f"/classes/{self.me['class_id']}/", name="class page").text
        every = POLL_EVERY.search(page or "")
        interval = int(every[1]) if every else 10
        # As a browser does: a poll every `interval` seconds for as long as the page is open.
        polls = max(1, int(random.uniform(*WATCH_SECONDS) // interval)) if STATE.think else 1
        for _ in range(polls):
            poll = POLL_URL.search(page or "")
            if poll is None or STATE.phase != "students":
                return
            if STATE.think:
                gevent.sleep(interval)
            fragment = self.client.get(
                html.unescape(poll[1]), name="leaderboard fragment", headers=HX
            )
            if fragment.status_code == 200:
                page = fragment.text


@events.request.add_listener
def record(request_type, name, response_time, response, exception, start_time=None, **kw):
    try:
        timing = SERVER_TIMING.search(response.headers.get("Server-Timing") or "")
    except (AttributeError, TypeError):  # no response at all (connection refused, say)
        timing = None
    STATE.samples.append(
        (
            STATE.phase,
            start_time or time.time(),
            name,
            response_time,
            float(timing[1]) if timing else None,
            exception is None,
            getattr(response, "status_code", 0) or 0,
        )
    )


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_pid: int) -> dict[int, tuple[str, float]]:
    """CPU time used so far by each of the app's workers (the gunicorn master's children) and
    the database server's processes (PostgreSQL; SQLite runs inside the workers)."""
    used = {}
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            stat = (pid / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        if pid.name in children:
            used[int(pid.name)] = ("app", seconds)
        elif name.startswith("postgres"):
            used[int(pid.name)] = ("db", seconds)
    return used


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """Seconds of CPU between two readings, by part (a process that ended meanwhile is lost)."""
    spent = {"app": 0.0, "db": 0.0}
    for pid, (part, seconds) in after.items():
        spent[part] += seconds - before.get(pid, (part, 0.0))[1]
    return spent


def summarise(samples: list[tuple], seconds: float) -> dict:
    by_name: dict[str, list[tuple]] = {}
    for sample in samples:
        by_name.setdefault(sample[2], []).append(sample)
    summary = {}
    for name, rows in sorted(by_name.items()):
        latencies = [r[3] for r in rows]
        server = [r[4] for r in rows if r[4] is not None]
        summary[name] = {
            "count": len(rows),
            "failures": sum(1 for r in rows if not r[5]),
            "statuses": dict(sorted(Counter(r[6] for r in rows).items())),
            "rps": len(rows) / seconds,
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max": max(latencies),
            "server_mean": statistics.fmean(server) if server else None,
            "server_p50": percentile(server, 50) if server else None,
        }
    return summary


def storm_summary(storms: list[tuple]) -> dict:
    """Per kind of sign-in (form, link): how long each student of the class waited."""
    by_kind: dict[str, list[tuple]] = {}
    for storm in storms:
        by_kind.setdefault(storm[0], []).append(storm)
    return {
        kind: {
            "count": len(rows),
            "failures": sum(1 for r in rows if not r[2]),
            "p50": percentile([r[1] for r in rows], 50),
            "p95": percentile([r[1] for r in rows], 95),
            "max": max(r[1] for r in rows),
            "at": min(r[3] for r in rows),
        }
        for kind, rows in by_kind.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--school", type=Path, required=True, help="bench.data's JSON")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument("--phases", required=True, help="e.g. read:15,update:15,students:40")
    parser.add_argument("--session-logins", action="store_true")
    parser.add_argument("--fresh-logins", type=int, default=0)
    parser.add_argument("--think", action="store_true")
    parser.add_argument("--sign-in-timeout", type=float, default=300)
    parser.add_argument(
        "--start-on-arrival",
        action="store_true",
        help="no waiting for everyone: each starts the first phase once signed in",
    )
    parser.add_argument("--timeline", action="store_true", help="keep every sample")
    parser.add_argument(
        "--storms",
        default="",
        help="e.g. link:20,form:40: a class signs in at once with links 20 s after the start, "
        "another with the form at 40 s (the first students of the school: not signed in before)",
    )
    parser.add_argument("--storm-size", type=int, default=30)
    parser.add_argument(
        "--no-sign-in",
        action="store_true",
        help="students start signed out (for the storm-form and storm-link phases)",
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--server-pid", type=int, required=True, help="gunicorn's master")
    args = parser.parse_args()
    school = json.loads(args.school.read_text())
    STATE.students, STATE.password = school["students"], school["password"]
    STATE.session_logins, STATE.fresh_logins = args.session_logins, args.fresh_logins
    STATE.think = args.think
    STATE.card_prefix = school.get("card_prefix", "")
    STATE.storm_size, STATE.sign_in_first = args.storm_size, not args.no_sign_in
    STATE.storms = [
        (kind, float(at)) for kind, at in (s.split(":") for s in args.storms.split(",") if s)
    ]

    env = Environment(user_classes=[Student], host=args.host, events=events)
    runner = env.create_local_runner()
    phases = [
        (name, float(seconds)) for name, seconds in (p.split(":") for p in args.phases.split(","))
    ]
    result: dict = {"users": args.users, "phases": {}}
    began = STATE.began = time.time()
    if args.start_on_arrival:
        # Each student starts work as soon as they are in: the first phase starts with them.
        STATE.phase = phases[0][0]
        runner.start(args.users, spawn_rate=args.spawn_rate)
    else:
        runner.start(args.users, spawn_rate=args.spawn_rate)
        while STATE.signed_in < args.users and time.time() - began < args.sign_in_timeout:
            gevent.sleep(0.2)
        result["sign_in"] = summarise(STATE.samples, time.time() - began)
        result["sign_in_seconds"] = time.time() - began
    for name, seconds in phases:
        started = began if args.start_on_arrival and name == phases[0][0] else time.time()
        if started != began or not args.start_on_arrival:
            STATE.samples = []
            STATE.phase = name
        cpu_before = cpu_seconds(args.server_pid)
        own_before = time.process_time()
        print(f"  phase {name}: {seconds:.0f} s", file=sys.stderr, flush=True)
        gevent.sleep(seconds)
        STATE.phase = "idle"
        took = time.time() - started
        # Only requests sent in this phase (one in flight at the switch belongs to the last).
        samples = [s for s in STATE.samples if s[0] == name and s[1] >= started]
        cpu = cpu_used(cpu_before, cpu_seconds(args.server_pid))
        cpu["load generator"] = time.process_time() - own_before
        result["phases"][name] = {
            "seconds": took,
            "requests": summarise(samples, took),
            # Per request of the phase (all kinds): what each costs the machine.
            "cpu_ms": {
                part: seconds * 1000 / max(1, len(samples)) for part, seconds in cpu.items()
            },
        }
        if args.timeline:
            result["phases"][name]["timeline"] = [
                (round(s[1] - started, 3), s[2], s[3], s[5]) for s in samples
            ]
    result["signed_in"] = STATE.signed_in
    result["storms"] = storm_summary(STATE.signed_in_storms)
    runner.quit()
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
