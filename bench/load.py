"""Load benchmarks: quizsite under gunicorn with simulated students, from a separate process.

    .venv/bin/python -m bench.load hot      # hot paths, SQLite and PostgreSQL, 10/50/200 students
    .venv/bin/python -m bench.load school   # 1,000 students in 40 classes, PostgreSQL + Redis
    make bench-load / make bench-school     # the same (ARGS="..." for the options below)

`hot`: for each database (SQLite, the embedded default; PostgreSQL with Redis, as in
production) a fresh database with the shipped banks and 200 students in 8 classes, gunicorn
(--workers, default two per core) with production settings, and for 10, 50 and 200 students
at once (each signs in with the login form first) these phases: the bare one-row read and
update (bench/endpoints.py), the same signed in (the session and the user loaded first:
the most any student's page can reach), the question page and the answer post each alone,
and whole quizzes taken as fast as the server answers. Prints, per request, requests per
second, latency p50/p95/p99 as the students saw it, and the server's own time (Server-Timing),
and states each page's speed as a share of the bare endpoint's (requests per second alone, or
bare server time / page server time in whole quizzes: what share of the machine's limit the
page reaches). Results: bench/results/load-hot.txt and .json.

`school`: 1,000 students in 40 classes of 25, PostgreSQL and Redis. Every class is set the
same lesson quiz (--lesson questions, default 10, drawn at random from both Moscow Trials
banks). The students come in over the first minute (--ramp) with a session from an earlier
login (sessions last two weeks), except one in 40 (25 in all, spread over the arrival), who
signs in with the form. Each starts work at once: they take the quiz as students do (8-20 s on
a question, 3-8 s on its feedback), look at their progress page, watch the class board for a
while (15-40 s, polling it), and take the quiz again; for --seconds (default 180) after the
last has come in.
Goal: 0 errors and p95 <= 250 ms over the whole run, arrival included. Results:
bench/results/school.txt (the table), school-latency.png (latency over time, small enough to
commit in place of bench/school-latency.png, which README shows), and school.json.

Both use databases of their own (quizsite_load, quizsite_school; SQLite in a temporary folder),
Redis database 9 (BENCH_REDIS_URL for another), which they empty, and a free port
(BENCH_DB_PREFIX, BENCH_PORTS: bench/harness.py). Nothing else
should run on the machine meanwhile: the load generator shares its cores with the server, so
figures are for this machine as a whole.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import (
    PY,
    REDIS_URL,
    ROOT,
    app_env,
    flush_redis,
    free_port,
    fresh_postgres,
    fresh_sqlite,
    machine,
    percentile,
    results,
    set_up,
    start_gunicorn,
    stop,
)

REDIS = REDIS_URL
PORT = free_port()
HOT_PATHS = [
    "question page",
    "answer post",
    "next question",
    "progress page",
    "leaderboard fragment",
    "results",
    "start quiz",
    "class page",
]
BARE = {"read": "bare read (1 row)", "update": "bare update (1 row)"}
# The bare endpoints behind the session and the user: the most any signed-in page can reach.
SIGNED_IN = {"read-me": "signed-in read (1 row)", "update-me": "signed-in update (1 row)"}
# Each request is compared with the bare endpoint of its kind: writes with the update.
COMPARED_WITH = {"answer post": "update", "start quiz": "update"}
# The start of a lesson: a class signs in at the same moment (bench/loadgen.py, `storm`).
STORM_SIZE = 30
STORM_GOAL_MS = 2000  # p95, with the login cards' sign-in links
STORM_WORDS = {
    "form": "with the login form (password hashing: Django's default)",
    "link": "with their login cards' sign-in links (the goal: p95 <= 2 s)",
}


def storm_lines(storms: dict) -> tuple[list[str], bool]:
    """A line per login storm, and whether the links' storm met its goal."""
    lines, ok = [], True
    for kind, row in storms.items():
        lines.append(
            f"A class of {row['count']} signing in at once {STORM_WORDS[kind]}: waited p50 "
            f"{fmt(row['p50'], 0)} ms, p95 {fmt(row['p95'], 0)} ms, max {fmt(row['max'], 0)} ms"
            f" (from the page to the home page), {row['failures']} failed"
        )
        if kind == "link":
            ok = row["p95"] <= STORM_GOAL_MS and row["failures"] == 0
            lines[-1] += f": {'OK' if ok else 'FAILED'}"
    return lines, ok


def prepare(database_url: str, redis_url: str, students: int, *school: str):
    """A fresh database with the banks and a school (bench.data's options `school`); the
    app's environment and the school's JSON file."""
    env = app_env(database_url, redis_url, DJANGO_SETTINGS_MODULE="bench.settings")
    flush_redis(redis_url)
    return env, set_up(env, "--students", str(students), *school)


def generate(
    server: subprocess.Popen, school: Path, users: int, phases: str, out: Path, *extra: str
) -> dict:
    subprocess.run(
        [
            PY,
            "-m",
            "bench.loadgen",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--school",
            str(school),
            "--users",
            str(users),
            "--phases",
            phases,
            "--out",
            str(out),
            "--server-pid",
            str(server.pid),
            *extra,
        ],
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or value != value else f"{value:,.{digits}f}"


def row_line(name: str, row: dict, share: str = "") -> str:
    return (
        f"{name:<24}{row.get('count', 0):>7}{row.get('failures', 0):>7}"
        f"{fmt(row.get('rps')):>8}{fmt(row.get('p50'), 0):>8}{fmt(row.get('p95'), 0):>8}"
        f"{fmt(row.get('p99'), 0):>8}{fmt(row.get('server_mean'), 2):>10}  {share}"
    )


def hot_table(result: dict) -> list[str]:
    """Two tables: each request alone, as fast as it is answered, as a share of the bare
    endpoint of its kind; then whole quizzes, with the server's time as that share."""
    phases = result["phases"]
    alone = {
        "read": phases["read"]["requests"].get(BARE["read"], {}),
        "update": phases["update"]["requests"].get(BARE["update"], {}),
        **{
            kind: phases[kind]["requests"].get(name, {})
            for kind, name in SIGNED_IN.items()
            if kind in phases
        },
        "page": phases["page"]["requests"].get("question page", {}),
        "answer": phases["answer"]["requests"].get("answer post", {}),
    }
    header = (
        f"{'request':<24}{'count':>7}{'errors':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'server ms':>10}  "
    )
    lines = [
        "Each alone, as fast as the server answers (CPU: the machine's, per request):",
        header + "CPU ms app + db   req/s as a share of the bare",
    ]

    def cpu(phase: str) -> str:
        used = phases[phase].get("cpu_ms", {})
        return f"{fmt(used.get('app'), 2):>6} + {fmt(used.get('db'), 2):<6}   "

    lines.append(row_line(BARE["read"], alone["read"], cpu("read")))
    lines.append(row_line(BARE["update"], alone["update"], cpu("update")))
    for kind, name, bare, goal in (
        ("read-me", SIGNED_IN["read-me"], "read", ""),
        ("update-me", SIGNED_IN["update-me"], "update", ""),
        ("page", "question page", "read", " (goal 60%)"),
        ("answer", "answer post", "update", " (goal 60%)"),
    ):
        if kind not in alone:
            continue
        share = ""
        if alone[kind].get("rps") and alone[bare].get("rps"):
            share = f"{alone[kind]['rps'] / alone[bare]['rps']:.0%} of the {bare}{goal}"
        lines.append(row_line(name, alone[kind], cpu(kind) + share))
    lines += ["", "Whole quizzes, as students take them:", header + "server time as a share"]
    students = phases["students"]["requests"]
    for name in HOT_PATHS:
        if name in students:
            kind = COMPARED_WITH.get(name, "read")
            row, bare = students[name], alone[kind]
            share = ""
            if row.get("server_mean") and bare.get("server_mean"):
                share = f"{bare['server_mean'] / row['server_mean']:.0%} of the {kind}"
            lines.append(row_line(name, row, share))
    login = result["sign_in"].get("login")
    if login:
        lines.append(
            f"sign-in with the login form (before the phases): {login['count']} logins, "
            f"p50 {fmt(login['p50'], 0)} ms, p95 {fmt(login['p95'], 0)} ms; all signed in after "
            f"{result['sign_in_seconds']:.0f} s"
        )
    return lines


def hot(args: argparse.Namespace) -> int:
    out: list[str] = [f"Machine: {machine()}; gunicorn {describe_workers(args)}", ""]
    raw: dict = {}
    short = args.bare_seconds
    phases = (
        f"read:{short},update:{short},read-me:{short},update-me:{short},"
        f"page:{short},answer:{short},students:{args.seconds}"
    )
    tmp = Path(tempfile.mkdtemp())
    for db in args.db:
        if db == "sqlite":
            database_url, redis_url, label = fresh_sqlite(tmp / "load.sqlite3"), "", "SQLite"
        else:
            database_url, redis_url = fresh_postgres("quizsite_load"), REDIS
            label = "PostgreSQL + Redis"
        env, school = prepare(database_url, redis_url, max(args.users), "--classes", "8")
        log = results(f"load-{db}-server.log")
        server = start_server(env, log, args)
        try:
            for users in args.users:
                print(f"{label}: {users} students ...", flush=True)
                result = generate(server, school, users, phases, results("load.tmp"))
                raw[f"{db}-{users}"] = result
                block = [f"{label}, {users} students at once", *hot_table(result), ""]
                print("\n".join(block), flush=True)
                out += block
            if args.storm_seconds:
                print(f"{label}: a class of {STORM_SIZE} signing in at once ...", flush=True)
                phases = f"storm-form:{args.storm_seconds},storm-link:{args.storm_seconds}"
                storm = generate(
                    server, school, STORM_SIZE, phases, results("load.tmp"), "--no-sign-in"
                )
                raw[f"{db}-storm"] = storm
                block = [f"{label}, the start of a lesson", *storm_lines(storm["storms"])[0], ""]
                print("\n".join(block), flush=True)
                out += block
        finally:
            stop(server)
    results("load-hot.txt").write_text("\n".join(out) + "\n")
    results("load-hot.json").write_text(json.dumps(raw, indent=1))
    errors = (
        sum(
            row["failures"]
            for result in raw.values()
            for phase in result["phases"].values()
            for row in phase["requests"].values()
        )
        + sum(result["users"] - result["signed_in"] for result in raw.values())
        + sum(row["failures"] for result in raw.values() for row in result["storms"].values())
    )
    print(f"errors: {errors}; written to bench/results/load-hot.txt")
    return 0 if errors == 0 else 1


def school_table(result: dict) -> tuple[list[str], bool]:
    phase = result["phases"]["students"]
    rows = phase["requests"]
    every = phase["timeline"]
    errors = sum(1 for s in every if not s[3])
    p95 = percentile([s[2] for s in every], 95)
    lines = [
        f"{'request':<24}{'count':>8}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}",
    ]
    for name, row in rows.items():
        lines.append(
            f"{name:<24}{row['count']:>8}{row['failures']:>8}{fmt(row['rps']):>8}"
            f"{fmt(row['p50'], 0):>8}{fmt(row['p95'], 0):>8}{fmt(row['p99'], 0):>8}"
            f"{fmt(row['max'], 0):>8}"
        )
    lines.append(
        f"{'all requests':<24}{len(every):>8}{errors:>8}{len(every) / phase['seconds']:>8.1f}"
        f"{'':>8}{fmt(p95, 0):>8}"
    )
    lines.append(
        f"{result['signed_in']} of {result['users']} students signed in ('home': with a session "
        "from an earlier day; 'login': with the form; 'sign-in link': with a login card)"
    )
    storms, storms_ok = storm_lines(result.get("storms", {}))
    lines += [
        f"{line} (at {result['storms'][kind]['at']:.0f} s)"
        for line, kind in zip(storms, result.get("storms", {}), strict=True)
    ]
    cores = {
        part: ms * len(every) / 1000 / phase["seconds"] for part, ms in phase["cpu_ms"].items()
    }
    lines.append(
        "CPU in use, in cores of the machine's "
        f"{os.cpu_count()}: " + ", ".join(f"{part} {used:.2f}" for part, used in cores.items())
    )
    ok = errors == 0 and p95 <= 250 and result["signed_in"] == result["users"] and storms_ok
    lines.append(
        f"RESULT: {'OK' if ok else 'FAILED'} (goal: 0 errors, p95 <= 250 ms over every request; "
        "a class signing in at once with sign-in links, p95 <= 2 s)"
    )
    return lines, ok


def plot(result: dict, classes: int, path: Path, bucket: float = 5.0) -> None:
    import matplotlib
    from PIL import Image

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    timeline = result["phases"]["students"]["timeline"]
    buckets: dict[int, list[float]] = {}
    for t, _name, latency, _ok in timeline:
        buckets.setdefault(int(t // bucket), []).append(latency)
    xs, p50, p95, rps = [], [], [], []
    for key in sorted(buckets):
        values = buckets[key]
        xs.append(key * bucket)
        p50.append(percentile(values, 50))
        p95.append(percentile(values, 95))
        rps.append(len(values) / bucket)
    figure, axis = plt.subplots(figsize=(9, 4.5), dpi=100)
    axis.plot(xs, p95, label="p95", color="#b3261e")
    axis.plot(xs, p50, label="p50", color="#1f5fa8")
    axis.axhline(250, linestyle="--", color="#555", linewidth=1, label="goal: p95 250 ms")
    axis.set_xlabel("seconds since the students started")
    axis.set_ylabel("latency (ms)")
    axis.set_ylim(bottom=0)
    rate = axis.twinx()
    rate.plot(xs, rps, color="#999", linewidth=1, label="requests/s")
    rate.set_ylabel("requests per second")
    rate.set_ylim(bottom=0)
    lines = axis.get_legend_handles_labels()
    more = rate.get_legend_handles_labels()
    axis.legend(lines[0] + more[0], lines[1] + more[1], loc="upper right", fontsize="small")
    axis.set_title(
        f"{result['users']:,} students, {classes} classes, PostgreSQL + Redis: "
        f"latency per {bucket:.0f} s"
    )
    figure.tight_layout()
    # In 32 colours: a few tens of KB rather than a few hundred.
    image = io.BytesIO()
    figure.savefig(image, format="png")
    Image.open(image).convert("RGB").quantize(32).save(path, optimize=True)


def start_server(env: dict[str, str], log: Path, args: argparse.Namespace):
    """gunicorn as --server says: `asgi`, as `make serve` runs it (uvicorn workers, each
    running requests' sync code in SYNC_THREADS threads, --threads if given); `sync`, one
    request at a time per worker, or with --threads N gthread workers of N threads each."""
    if args.server == "asgi":
        if args.threads:
            env = {**env, "SYNC_THREADS": str(args.threads)}
        return start_gunicorn(env, PORT, args.workers, log, asgi=True)
    threads = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads else []
    return start_gunicorn(env, PORT, args.workers, log, *threads)


def describe_workers(args: argparse.Namespace) -> str:
    if args.server == "asgi":
        threads = args.threads or int(os.environ.get("SYNC_THREADS", "4"))
        return f"{args.workers} uvicorn (ASGI) workers of {threads} threads, as make serve"
    if args.threads:
        return f"{args.workers} gthread workers of {args.threads} threads"
    return f"{args.workers} sync workers"


def school(args: argparse.Namespace) -> int:
    database_url = fresh_postgres("quizsite_school")
    school_args = ["--classes", str(args.classes), "--sessions", "--lesson", str(args.lesson)]
    env, data = prepare(database_url, REDIS, args.students, *school_args)
    log = results("school-server.log")
    server = start_server(env, log, args)
    load = [os.getloadavg()[0]]
    try:
        # The machine's speed on record: the bare endpoints, in the same run, just before.
        print("The bare endpoints, 50 students ...", flush=True)
        phases = f"read:{args.bare_seconds},update:{args.bare_seconds}"
        bare = generate(server, data, 50, phases, results("load.tmp"), "--session-logins")
        print(f"{args.students} students arriving over {args.ramp} s ...", flush=True)
        result = generate(
            server,
            data,
            args.students,
            f"students:{args.ramp + args.seconds:.0f}",
            results("school.json"),
            "--start-on-arrival",
            "--session-logins",
            "--fresh-logins",
            str(args.students // args.classes),
            "--think",
            "--timeline",
            "--spawn-rate",
            str(args.students / args.ramp),
            "--storms",
            ",".join(f"{kind}:{at:g}" for kind, at in args.storms),
            "--storm-size",
            str(STORM_SIZE),
        )
    finally:
        stop(server)
    load.append(os.getloadavg()[0])
    lines, ok = school_table(result)
    rates = [
        f"{name} {bare['phases'][kind]['requests'].get(name, {}).get('rps', 0):,.0f} req/s"
        for kind, name in BARE.items()
    ]
    header = [
        f"Machine: {machine()}; gunicorn {describe_workers(args)}; PostgreSQL + Redis",
        f"{args.students} students in {args.classes} classes for {args.seconds} s",
        f"Just before, the same server with 50 students: {', '.join(rates)}",
        f"Load average (1 min) before and after: {load[0]:.1f}, {load[1]:.1f} (other programs on "
        "the machine count in it)",
        "",
    ]
    results("school.txt").write_text("\n".join(header + lines) + "\n")
    plot(result, args.classes, results("school-latency.png"))
    print("\n".join(header + lines))
    print("written: bench/results/school.txt, school-latency.png")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument(
        "--server",
        choices=["asgi", "sync"],
        default="asgi",
        help="asgi: gunicorn's uvicorn workers, as make serve runs the site (the default); "
        "sync: gunicorn's sync workers (WSGI)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="asgi: SYNC_THREADS per worker (default 4); sync: gthread workers of N threads",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    hot_parser = commands.add_parser("hot", help="hot paths at 10/50/200 students")
    hot_parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    hot_parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 200])
    hot_parser.add_argument("--seconds", type=int, default=40)
    hot_parser.add_argument("--bare-seconds", type=int, default=15)
    hot_parser.add_argument(
        "--storm-seconds",
        type=int,
        default=30,
        help="a class signing in at once, with the form then with links (0: none)",
    )
    school_parser = commands.add_parser("school", help="1,000 students in 40 classes")
    school_parser.add_argument("--students", type=int, default=1000)
    school_parser.add_argument("--classes", type=int, default=40)
    school_parser.add_argument("--seconds", type=int, default=180)
    school_parser.add_argument("--ramp", type=float, default=60)
    school_parser.add_argument("--bare-seconds", type=int, default=10)
    school_parser.add_argument(
        "--lesson", type=int, default=10, help="questions in the quiz every class is set"
    )
    school_parser.add_argument(
        "--storms",
        type=lambda text: [(k, float(at)) for k, at in (s.split(":") for s in text.split(","))],
        default=[("link", 20.0), ("form", 40.0)],
        help=f"when a class of {STORM_SIZE} signs in at once, and how (default link:20,form:40:"
        " seconds after the start, during the arrival)",
    )
    args = parser.parse_args()
    return hot(args) if args.command == "hot" else school(args)


if __name__ == "__main__":
    sys.exit(main())
