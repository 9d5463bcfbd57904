"""Fault test: quizsite under load on gunicorn and PostgreSQL, while a worker is killed with
SIGKILL and PostgreSQL is restarted. Afterwards every answer the server acknowledged must be
recorded exactly once, and the app must serve again within seconds, without a restart.

    make faults                                   # or:
    .venv/bin/python -m bench.faults --students 30 --seconds 45

It uses its own database (quizsite_faults) on the PostgreSQL at 127.0.0.1:5432 and restarts
that server (pg_ctlcluster), so run it on a machine where nothing else needs PostgreSQL then.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg
import requests

from bench import harness

DB = "quizsite_faults"


@dataclass
class Tally:
    acked: list[tuple[int, int]] = field(default_factory=list)  # (attempt id, question number)
    statuses: Counter = field(default_factory=Counter)
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (time, status; 0 = no answer)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, started: float, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.timeline.append((time.monotonic() - started, status))


def set_up(env: dict[str, str], students: int) -> dict:
    harness.fresh_postgres(DB)
    school = harness.set_up(env, "--students", str(students), "--classes", "1")
    return json.loads(school.read_text())


def student(
    me: dict, password: str, base: str, stop: threading.Event, tally: Tally, started: float
) -> None:
    session = requests.Session()
    hx = {"HX-Request": "true"}

    def call(method: str, url: str, **kwargs):
        try:
            response = session.request(method, base + url, timeout=10, **kwargs)
        except requests.RequestException:
            tally.note(started, 0)
            time.sleep(0.5)
            return None
        tally.note(started, response.status_code)
        if response.status_code >= 500:
            time.sleep(0.5)
        return response

    while not stop.is_set():
        page = call("GET", "/accounts/login/")
        if page is None or page.status_code != 200:
            continue
        token = session.cookies.get("csrftoken")
        login = {"username": me["username"], "password": password, "csrfmiddlewaretoken": token}
        done = call("POST", "/accounts/login/", data=login, headers={"Referer": base + "/"})
        if done is not None and done.status_code == 200 and "Signed in as" in done.text:
            break
    while not stop.is_set():
        token = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
        start = call("POST", "/quizzes/moscow-trials/start/", headers=token, allow_redirects=False)
        if start is None or start.status_code != 302:
            continue
        attempt_url = start.headers["Location"]
        while not stop.is_set():
            card = call("GET", attempt_url, headers=hx, allow_redirects=False)
            if card is None or card.status_code != 200:
                if card is not None and card.headers.get("HX-Redirect"):
                    break  # finished: start another attempt
                continue
            action = re.search(r'action="(/attempts/(\d+)/questions/(\d+)/answer/)"', card.text)
            if not action:
                break
            posted = call(
                "POST", action[1], data=harness.answer_for(card.text), headers={**hx, **token}
            )
            if posted is not None and posted.status_code == 200 and "feedback" in posted.text:
                with tally.lock:
                    tally.acked.append((int(action[2]), int(action[3])))


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def restart_postgres(down_seconds: float) -> tuple[float, float]:
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main"]
    subprocess.run([*ctl, "stop", "-m", "fast"], check=True)
    down_at = time.monotonic()
    time.sleep(down_seconds)
    subprocess.run([*ctl, "start"], check=True)
    return down_at, time.monotonic()


def check(acked: list[tuple[int, int]]) -> dict[str, int]:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as conn:
        counts = dict(
            ((a, q), n)
            for a, q, n in conn.execute(
                "SELECT attempt_id, question_id, count(*) FROM quizzes_response GROUP BY 1, 2"
            )
        )
        question_at = {
            (a, n + 1): int(q)
            for a, ids in conn.execute("SELECT id, question_ids FROM quizzes_attempt")
            for n, q in enumerate(ids)
        }
        out_of_step = conn.execute(
            """SELECT count(*) FROM quizzes_attempt a WHERE a.position <> (
                   SELECT count(*) FROM quizzes_response r WHERE r.attempt_id = a.id)
               OR a.score <> (SELECT coalesce(sum(points), 0) FROM quizzes_response r
                              WHERE r.attempt_id = a.id)"""
        ).fetchone()[0]
        progress_off = conn.execute(
            """SELECT count(*) FROM quizzes_questionprogress p WHERE p.answered_count <> (
                   SELECT count(*) FROM quizzes_response r
                   WHERE r.user_id = p.user_id AND r.question_id = p.question_id)"""
        ).fetchone()[0]
        responses = conn.execute("SELECT count(*) FROM quizzes_response").fetchone()[0]
    recorded_once = sum(1 for key in acked if counts.get((key[0], question_at[key])) == 1)
    return {
        "answers acknowledged": len(acked),
        "acknowledged and recorded exactly once": recorded_once,
        "acknowledged but missing": sum(1 for k in acked if (k[0], question_at[k]) not in counts),
        "responses recorded in all": responses,
        "duplicate responses": sum(1 for n in counts.values() if n > 1),
        "attempts out of step with their responses": out_of_step,
        "progress rows out of step with responses": progress_off,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=45)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8095)
    args = parser.parse_args()
    # No persistent connections: a restarted PostgreSQL must not leave workers holding dead ones.
    env = harness.app_env(f"postgres://postgres@127.0.0.1:5432/{DB}", CONN_MAX_AGE="0")
    print(f"setting up {DB} with {args.students} students ...", flush=True)
    school = set_up(env, args.students)
    # The outage's expected tracebacks go to the log, not on screen.
    server = harness.start_gunicorn(
        env, args.port, args.workers, harness.results("faults-server.log")
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        tally, stop, started = Tally(), threading.Event(), time.monotonic()
        threads = [
            threading.Thread(
                target=student, args=(me, school["password"], base, stop, tally, started)
            )
            for me in school["students"]
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds * 0.25)
        victim = random.choice(worker_pids(server.pid))
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - started
        print(f"t={killed_at:5.1f}s  SIGKILL gunicorn worker {victim}", flush=True)
        time.sleep(args.seconds * 0.25)
        down_at, up_at = restart_postgres(down_seconds=4)
        print(
            f"t={down_at - started:5.1f}s  PostgreSQL stopped; "
            f"t={up_at - started:5.1f}s  started again",
            flush=True,
        )
        time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        harness.stop(server)

    first_ok_after = next(
        (t for t, status in sorted(tally.timeline) if t > up_at - started and status == 200), None
    )
    during_outage = Counter(
        s for t, s in tally.timeline if down_at - started <= t <= up_at - started
    )
    results = check(tally.acked)
    print("\nrequests by status:", dict(sorted(tally.statuses.items())), "(0 = no answer)")
    print("while PostgreSQL was down:", dict(sorted(during_outage.items())))
    recovery = "never" if first_ok_after is None else f"{first_ok_after - (up_at - started):.2f} s"
    print(f"first 200 after PostgreSQL was back: {recovery}")
    for name, value in results.items():
        print(f"{name:<45}{value:>8}")
    ok = (
        results["acknowledged and recorded exactly once"] == results["answers acknowledged"] > 0
        and results["duplicate responses"] == 0
        and results["attempts out of step with their responses"] == 0
        and results["progress rows out of step with responses"] == 0
        and first_ok_after is not None
        and tally.statuses.get(500, 0) == 0
    )
    print("\nRESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
