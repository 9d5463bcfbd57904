"""The peer, side by side: quizsite and django_quiz, the Django quiz app a teacher would
otherwise install (Tom Walker's, published as django-quiz-app 0.5.1), answering the same quiz
under the same load.

    make bench-peer                       # SQLite then PostgreSQL, 10 and 50 students
    make bench-peer ARGS="--db sqlite --users 10 --seconds 10 --rounds 1"   # a quick look

Never part of `make test`. In a temporary folder it makes django_quiz a virtualenv of its own
and installs it there as published (pip, with Django 5.2 and what its code imports), applies the
few changes Django 5.2 needs to that installed copy (`PATCHES`, listed in the README), and
writes the smallest project that serves it. Nothing of its code is copied into ours.

Both apps get a 20-question quiz of single-choice questions (one right option of four, the same
prompts and options in both, from the Moscow Trials bank), students who signed in on an earlier
day, production settings (DEBUG off), gunicorn with 4 sync workers, and the same database: SQLite
with the same options for both (quizsite's: WAL, synchronous NORMAL, a 20 s busy timeout,
transactions that take the write lock when they begin), then PostgreSQL (quizsite with Redis, as
it is deployed; django_quiz uses no cache). A third server, quizsite's with the bare endpoints
(bench.settings), is the yardstick: its signed-in one-row update, on the same database, says what
the machine does in the same run. For 10 and 50 students at once, runs alternate quizsite,
django_quiz, the bare update, quizsite ... (--rounds of the three), each --seconds long, the same
locust load generator driving each app's own answer flow (bench/peergen.py): quizsite's one
request per answer (the feedback brings the next card), django_quiz's one post. For each run:
answers recorded per second (counted in the database), latency p50/p95 of the answer post and of
every request, errors, answers acknowledged to the students against answers recorded, and the
server's CPU per answer (its gunicorn processes' user and system time over the run, divided by
the answers recorded: what a loaded machine disturbs least); then the ratio of the medians.
Goal: quizsite at least 3x django_quiz at both sizes on both databases, with no answer lost or
counted twice. Results: bench/results/peer.txt and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

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
    results,
    set_up,
    start_gunicorn,
    stop,
)

PEER = "django-quiz-app==0.5.1"
# What django_quiz's code imports, at the versions quizsite runs (Django, gunicorn, psycopg,
# Pillow) or the first that supports Django 5.2 (django-model-utils). Its own pins (Django
# 1.5-era django-model-utils 2.0.3, Pillow 2.5.0) do not install on Python 3.11.
PEER_NEEDS = [
    "Django==5.2.19",
    "gunicorn==27.0.1",
    "psycopg[binary]==3.3.9",
    "dj-database-url==3.1.2",
    "Pillow==13.0.0",
    "django-model-utils==5.0.0",
]
PEER_APPS = ["quiz", "multichoice", "true_false", "essay"]
WORKERS = 4
QUESTIONS = 20
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


# ---- django_quiz, installed and made to run on Django 5.2 -------------------------------------


def _models_for_django_2(text: str) -> str:
    """Django 2.0: ForeignKey and OneToOneField need on_delete (CASCADE was the default);
    CommaSeparatedIntegerField is gone (a CharField with its validator instead)."""
    text = re.sub(
        r"(models\.(?:ForeignKey|OneToOneField)\(\s*[\w.]+)", r"\1, on_delete=models.CASCADE", text
    )
    if "CommaSeparatedIntegerField" in text:
        text = text.replace(
            "models.CommaSeparatedIntegerField(",
            "models.CharField(validators=[validate_comma_separated_integer_list], ",
        ).replace(
            "from django.db import models",
            "from django.db import models\n"
            "from django.core.validators import validate_comma_separated_integer_list",
            1,
        )
    return text


def _python_3_only(text: str) -> str:
    """Django 3.0 and 4.0: python_2_unicode_compatible and ugettext are gone."""
    text = text.replace("from django.utils.encoding import python_2_unicode_compatible\n", "")
    text = text.replace("@python_2_unicode_compatible\n", "")
    return text.replace("import ugettext as _", "import gettext as _")


def _urls_for_django_4(text: str) -> str:
    """Django 1.10 and 4.0: patterns() and url() are gone; re_path takes the same regex."""
    old = "from django.conf.urls import patterns, url"
    text = text.replace(old, "from django.urls import re_path")
    text = text.replace("urlpatterns = patterns('',", "urlpatterns = [")
    text = text.replace("url(regex=", "re_path(").replace("view=", "")
    return text.rstrip().removesuffix(")") + "]\n"


def _views_for_django_2(text: str) -> str:
    """Django 2.0: is_authenticated is a property; FormView.get_form's form_class is optional."""
    text = text.replace("is_authenticated()", "is_authenticated")
    return text.replace(
        "    def get_form(self, form_class):\n",
        "    def get_form(self, form_class=None):\n"
        "        form_class = form_class or self.form_class\n",
    )


# (file in site-packages, what the change is for): the README lists the same.
PATCHES = [
    *((f"{app}/models.py", _python_3_only) for app in PEER_APPS),
    *((f"{app}/models.py", _models_for_django_2) for app in PEER_APPS),
    ("quiz/urls.py", _urls_for_django_4),
    ("quiz/views.py", _views_for_django_2),
]

PROJECT = {
    "peerproject/__init__.py": "",
    "peerproject/settings.py": f"""
import os
import dj_database_url

DEBUG = False
SECRET_KEY = "peer-benchmark-secret-key-not-for-production-0123456789abcdefghij"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", {", ".join(repr(a) for a in PEER_APPS)},
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "peerproject.urls"
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]}},
}}]
DATABASES = {{"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {SQLITE_OPTIONS!r}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
STATIC_URL = "static/"
""",
    "peerproject/urls.py": """
from django.urls import include, path

urlpatterns = [path("quiz/", include("quiz.urls"))]
""",
    "peerproject/wsgi.py": """
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerproject.settings")
application = get_wsgi_application()
""",
    # Run once with the peer's Python: its tables, the quiz, students with sessions.
    "peerproject/load.py": """
import json
import sys

import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from multichoice.models import Answer, MCQuestion
from quiz.models import Category, Quiz

content, students = json.load(open(sys.argv[1])), int(sys.argv[2])
category = Category.objects.create(category="moscow-trials")
quiz = Quiz.objects.create(
    title="Choice check: the Moscow Trials", url="choice-check", category=category,
    random_order=False, answers_at_end=False, exam_paper=True, single_attempt=False,
)
for item in content:
    question = MCQuestion.objects.create(
        content=item["prompt"], explanation=item["explanation"], category=category,
        answer_order="none",
    )
    question.quiz.add(quiz)
    for text, right in item["options"]:
        Answer.objects.create(question=question, content=text, correct=right)
rows = []
for n in range(students):
    user = get_user_model().objects.create_user(f"student{n}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    rows.append({"session": session.session_key})
print(json.dumps({"students": rows, "quiz": quiz.url}))
""",
}


def install_peer(folder: Path) -> Path:
    """django_quiz in a virtualenv of its own under `folder`, patched for Django 5.2, and a
    project that serves it; returns the virtualenv's Python."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *PEER_NEEDS], check=True)
    subprocess.run([*pip, "--no-deps", PEER], check=True)  # its own pins predate Python 3
    site = Path(
        subprocess.run(
            [str(python), "-c", "import quiz, pathlib; print(pathlib.Path(quiz.__file__).parent)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    ).parent
    for name, change in PATCHES:
        path = site / name
        path.write_text(change(path.read_text()))
    for name, text in PROJECT.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text.lstrip())
    return python


def peer_env(database_url: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    env.pop("VIRTUAL_ENV", None)
    return env | {
        "DJANGO_SETTINGS_MODULE": "peerproject.settings",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(folder),
    }


def set_up_peer(python: Path, folder: Path, env: dict, content: list, students: int) -> Path:
    run = {"cwd": folder, "env": env, "check": True}
    # Django's own apps first: django_quiz's tables (it has no migrations) refer to auth's.
    subprocess.run([str(python), "-m", "django", "migrate", "-v0"], **run)
    subprocess.run([str(python), "-m", "django", "migrate", "--run-syncdb", "-v0"], **run)
    (folder / "content.json").write_text(json.dumps(content))
    out = subprocess.run(
        [str(python), "peerproject/load.py", str(folder / "content.json"), str(students)],
        capture_output=True,
        text=True,
        **run,
    ).stdout
    path = folder / "students.json"
    path.write_text(out)
    return path


# ---- Counting what each database recorded -----------------------------------------------------


def count(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql).fetchall()
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def recorded(app: str, database_url: str) -> tuple[int, int]:
    """Answers recorded, and answers recorded twice for the same question of one attempt."""
    if app == "bare":
        return 0, 0
    if app == "quizsite":
        rows = count(database_url, "SELECT attempt_id, question_id FROM quizzes_response")
        return len(rows), len(rows) - len(set(rows))
    sittings = count(database_url, "SELECT user_answers FROM quiz_sitting")
    answers = sum(len(json.loads(text or "{}")) for (text,) in sittings)
    # A sitting keeps one answer per question (a dict): a second post for one question would
    # show in each student's progress, which counts every answer scored.
    progress = count(database_url, "SELECT score FROM quiz_progress")
    scored = sum(int(p.split(",")[2]) for (score,) in progress for p in [score] if score)
    return answers, max(0, scored - answers)


# ---- The runs -----------------------------------------------------------------------------


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user and system) used so far by a gunicorn server: its master and workers.
    On SQLite that is all the server's work; on PostgreSQL the database's own share is not in
    it."""
    out = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=False
    ).stdout
    total = 0.0
    for pid in [server.pid, *map(int, out.split())]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a worker that exited
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def run_once(
    app: str, server: subprocess.Popen, port: int, students: Path, users: int, seconds: float,
    url: str,
) -> dict:  # fmt: skip
    before, cpu = recorded(app, url), server_cpu(server)
    out = results(f"peer-{app}.tmp")
    subprocess.run(
        [
            PY, "-m", "bench.peergen", "--app", app, "--host", f"http://127.0.0.1:{port}",
            "--students", str(students), "--users", str(users), "--seconds", str(seconds),
            "--out", str(out),
        ],
        cwd=ROOT,
        check=True,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    result = json.loads(out.read_text())
    after = recorded(app, url)
    if app == "bare":  # an update leaves nothing to count: its 204s are what it did
        after = (before[0] + result["acknowledged"], 0)
    result["cpu_ms_per_answer"] = (server_cpu(server) - cpu) * 1000 / max(1, after[0] - before[0])
    result["recorded"] = after[0] - before[0]
    result["twice"] = after[1] - before[1]
    result["answers_per_second"] = result["recorded"] / result["seconds"]
    result["load"] = os.getloadavg()[0]
    return result


def quizsite_students(school: Path) -> Path:
    data = json.loads(school.read_text())
    path = school.with_suffix(".students.json")
    students = [{"session": s["session"]} for s in data["students"]]
    path.write_text(json.dumps({"students": students, "quiz": data["students"][0]["quiz"]}))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each app, interleaved")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="quizsite-peer-"))
    print(f"django_quiz ({PEER}) into {folder} ...", flush=True)
    peer_python = install_peer(folder)
    lines = [
        f"Machine: {machine()}; gunicorn {WORKERS} sync workers each; production settings",
        f"A quiz of {QUESTIONS} single-choice questions in each; {args.seconds:g} s a run, "
        "quizsite, django_quiz and the bare update in turn; load: the 1-minute load average",
        "",
    ]
    raw: dict = {}
    for db in args.db:
        if db == "sqlite":
            qs_url = fresh_sqlite(folder / "quizsite.sqlite3")
            dq_url = fresh_sqlite(folder / "django_quiz.sqlite3")
            redis, label = "", "SQLite (the same options for both)"
        else:
            qs_url, dq_url = fresh_postgres("peer_quizsite"), fresh_postgres("peer_django_quiz")
            redis, label = REDIS_URL, "PostgreSQL (quizsite with Redis)"
        flush_redis(redis)
        env = app_env(qs_url, redis)
        school = set_up(env, "--students", str(max(args.users)), "--classes", "1", "--sessions",
                        "--choice", str(QUESTIONS))  # fmt: skip
        content = json.loads(school.read_text())["quiz"]
        dq_env = peer_env(dq_url, folder)
        peer_students = set_up_peer(peer_python, folder, dq_env, content, max(args.users))
        qs_students = quizsite_students(school)
        servers = {
            "quizsite": start_gunicorn(
                env, (qs_port := free_port()), WORKERS, results(f"peer-quizsite-{db}.log")
            ),
            "django_quiz": start_gunicorn(
                dq_env, (dq_port := free_port()), WORKERS, results(f"peer-django_quiz-{db}.log"),
                app="peerproject.wsgi", gunicorn=str(peer_python.parent / "gunicorn"), cwd=folder,
                up=f"/quiz/{json.loads(peer_students.read_text())['quiz']}/",
            ),
            # The yardstick: quizsite's server with the bare endpoints, on the same database.
            "bare": start_gunicorn(
                app_env(qs_url, redis, DJANGO_SETTINGS_MODULE="bench.settings"),
                (bare_port := free_port()), WORKERS, results(f"peer-bare-{db}.log"),
            ),
        }  # fmt: skip
        apps = {
            "quizsite": (qs_port, qs_students, qs_url),
            "django_quiz": (dq_port, peer_students, dq_url),
            "bare": (bare_port, qs_students, qs_url),
        }
        try:
            for users in args.users:
                block = [f"{label}, {users} students at once", HEADER]
                runs: dict[str, list[dict]] = {app: [] for app in apps}
                for _ in range(args.rounds):
                    for app, (port, students, url) in apps.items():
                        print(f"{label}: {users} students, {app} ...", flush=True)
                        result = run_once(
                            app, servers[app], port, students, users, args.seconds, url
                        )
                        runs[app].append(result)
                        block.append(run_line(app, result))
                        block += [f"    {n} x {why}" for why, n in result["why"].items()]
                        print(block[-1], flush=True)
                block += ratio_lines(runs), ""
                raw[f"{db}-{users}"] = runs
                lines += block
                results("peer.txt").write_text("\n".join(lines) + "\n")  # so far
        finally:
            for server in servers.values():
                stop(server)
    results("peer.txt").write_text("\n".join(lines) + "\n")
    results("peer.json").write_text(json.dumps(raw, indent=1))
    print("\n".join(lines))
    print("written: bench/results/peer.txt")
    lost = sum(
        r["acknowledged"] != r["recorded"] or r["twice"] or r["errors"]
        for runs in raw.values()
        for app_runs in runs.values()
        for r in app_runs
    )
    return 0 if lost == 0 else 1


HEADER = (
    f"{'app':<13}{'answers/s':>10}{'answer p50':>11}{'p95 ms':>8}{'all p50':>9}{'p95 ms':>8}"
    f"{'errors':>8}{'acknowledged':>13}{'recorded':>9}{'twice':>6}{'req/answer':>11}"
    f"{'CPU ms/answer':>14}{'load':>6}"
)


def run_line(app: str, r: dict) -> str:
    return (
        f"{app:<13}{r['answers_per_second']:>10.1f}{r['answer_p50']:>11.0f}{r['answer_p95']:>8.0f}"
        f"{r['p50']:>9.0f}{r['p95']:>8.0f}{r['errors']:>8}{r['acknowledged']:>13}"
        f"{r['recorded']:>9}{r['twice']:>6}{r['requests_per_answer']:>11.2f}"
        f"{r['cpu_ms_per_answer']:>14.1f}{r['load']:>6.1f}"
    )


def ratio_lines(runs: dict[str, list[dict]]) -> str:
    median = {
        app: statistics.median(r["answers_per_second"] for r in app_runs)
        for app, app_runs in runs.items()
    }
    cpu = {
        app: statistics.median(r["cpu_ms_per_answer"] for r in app_runs)
        for app, app_runs in runs.items()
    }
    ratio = median["quizsite"] / median["django_quiz"] if median["django_quiz"] else float("nan")
    return (
        f"median answers/s: quizsite {median['quizsite']:.1f}, django_quiz "
        f"{median['django_quiz']:.1f}: quizsite / django_quiz = {ratio:.2f}x (goal 3x); "
        f"the bare update {median['bare']:.1f}/s\n"
        f"median server CPU ms per answer: quizsite {cpu['quizsite']:.1f}, django_quiz "
        f"{cpu['django_quiz']:.1f}, the bare update {cpu['bare']:.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
