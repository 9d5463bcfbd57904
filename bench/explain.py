"""EXPLAIN (ANALYZE, BUFFERS) of every query a student's and a teacher's hot-path requests make.

Run from the project root (PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python -m bench.explain [--fresh] [--migrated-only] [--drop INDEX] [--sql DDL]

DATABASE_URL names the database, by default postgres://postgres@127.0.0.1:5432/quizsite_explain
(never point it at a database of your own: explain.py fills the one it names, and refuses one it
did not create unless it is empty). The first run builds the data set, in about five minutes:

- a district's history, by bench/data.py's `district`: 100,000 students in classes of
  30 (and one of 300), 20 banks of 50 questions, 1,000,000 answers over eight weeks and their
  progress rows (--district-students 0 leaves it out);
- the shipped banks (`manage.py load_banks`) and a school: 40 classes of 25 to 30 students under
  8 teachers, each class assigned two or three of the banks; every student has 3 to 8 finished
  attempts over ten weeks (every fourth before this week a spaced review), the last two in this
  week's two lessons where the whole class takes a quiz at once; the viewer's class is half an
  hour into a third, and some others have one open. Their responses and QuestionProgress rows
  are folded answer by answer by `QuestionProgress.apply`, as recorded, and inserted in the
  order they would have been (a student's rows scattered among their classmates': bench/data.py's
  History);
- then VACUUM ANALYZE. Later runs reuse it (`--fresh` rebuilds it) and take well under a minute.

The school's "now" is 14:00 on the Friday of the week it was built, when this week's board holds
most of a week; every run travels back to that moment (time-machine), so an old data set still
has a week of answers on its week's board.

Every run works inside one transaction that it rolls back, so the data set never changes. The
model changes that no migration holds yet (an index added to or removed from Meta.indexes) are
applied inside it, as makemigrations and migrate would (--migrated-only leaves them out: the plans
as migrated); `--drop NAME` drops an index inside it and `--sql` runs any other DDL there, so an
index can be tried without touching the database.

A student of the school (pupil0, with an open quiz attempt) makes the requests of taking a quiz
through Django's test client: the question page, the answer post and the next question (HTMX),
a finished attempt's results, /progress/, home, the class page and the leaderboard fragment it
polls (this week and all time); then their teacher opens the class's gradebook. Each request's
queries are captured, rolled back, and replayed one by one under EXPLAIN (ANALYZE, BUFFERS), in
order (the answer post's writes are kept, so the next question follows it). The script prints
each request's queries with their execution time and flags: a Seq Scan on a table of more than
10,000 rows, a sort or hash that spilled to disk, a node whose filter threw away more than 10,000
rows over its loops; then a summary table and, for the tables an answer writes, each index with
the requests whose plans read it. The full plans go to bench/results/plans.txt (unless an
experiment flag is given: then only to --output, if any).

Timings are of one warm execution on a shared machine: the plans and their buffer counts are the
evidence, the milliseconds only a hint.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.harness import RESULTS

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/quizsite_explain"
OUTPUT = RESULTS / "plans.txt"
# COMMENT ON DATABASE: which databases explain.py made, whether the build finished, and the
# moment the data set was built for (every run travels back to it).
MARK = "quizsite explain.py:"
BUILDING, BUILT = f"{MARK} building", f"{MARK} built v2 for "
BIG_TABLE = 10_000  # rows: a Seq Scan on a larger table is flagged
FILTER_WASTE = 10_000  # rows a node's filter may throw away (over all loops) unflagged
WRITTEN_TABLES = ["quizzes_response", "quizzes_questionprogress", "quizzes_attempt"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the data set")
    parser.add_argument("--classes", type=int, default=40, help="classes in the school")
    parser.add_argument("--district-students", type=int, default=100_000)
    parser.add_argument("--district-answers", type=int, default=1_000_000)
    parser.add_argument(
        "--migrated-only",
        action="store_true",
        help="do not create the models' indexes that no migration has created yet",
    )
    parser.add_argument(
        "--drop", action="append", default=[], metavar="INDEX", help="drop INDEX for this run"
    )
    parser.add_argument(
        "--sql", action="append", default=[], metavar="DDL", help="run DDL for this run"
    )
    parser.add_argument("--output", type=Path, help=f"where to write the plans (default {OUTPUT})")
    args = parser.parse_args()
    if args.output is None and not (args.migrated_only or args.drop or args.sql):
        args.output = OUTPUT
    return args


# ---- The data set ----------------------------------------------------------------------------


def prepare_database(url: str, fresh: bool) -> str | None:
    """Create the database if needed. Returns the data set's clock (ISO), or None if it has to
    be built. A database explain.py did not create is left alone unless it is empty; an
    interrupted build is started again."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        comment = (row[0] or "") if row else ""
        if row and not comment.startswith(MARK):
            with psycopg.connect(url) as db:
                tables = db.execute(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                ).fetchone()[0]
            if tables:
                sys.exit(f"{name} was not built by explain.py: choose another DATABASE_URL")
        if row and (fresh or not comment.startswith(BUILT)):
            print(f"dropping {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            row = None
        if row is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{BUILDING}'")
            return None
    return comment.removeprefix(BUILT)


def friday_afternoon() -> datetime:
    """14:00 on this week's Friday, local time: the data set's "now", when the week's board
    holds most of a week (the district's answers, written by SQL, end at the real now)."""
    from django.utils import timezone

    today = timezone.localdate()
    friday = today + timedelta(days=4 - today.weekday())
    return timezone.make_aware(datetime.combine(friday, dtime(14))).astimezone(UTC)


def build(args: argparse.Namespace) -> datetime:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    clock = friday_afternoon()
    if args.district_students:
        from bench import data

        print(f"district: {args.district_students:,} students, {args.district_answers:,} answers")
        data.district(args.district_students, args.district_answers)
    call_command("load_banks", verbosity=0)
    print(f"school: {args.classes} classes, as of {clock:%a %d %b %Y %H:%M}")
    build_school(args.classes, clock)
    print(f"  school built: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # and the visibility map, for index-only scans
        name = connection.settings_dict["NAME"]
        cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{BUILT}{clock.isoformat()}'")
    print(f"  vacuum analyze: {time.perf_counter() - started:.1f} s")
    return clock


def build_school(classes: int, now: datetime, seed: int = 11) -> None:
    """Classes of 25-30 with teachers and assignments, and each student's history of attempts,
    responses and progress rows, as recording their answers one by one would have left them."""
    from bench import data
    from quizzes.models import Quiz

    rng = random.Random(seed)
    banks = list(Quiz.objects.published().exclude(slug__startswith="bank-").order_by("slug"))
    sizes = [rng.randint(25, 30) for _ in range(classes)]
    school = data.school(
        sizes, prefix="pupil", teachers=max(1, classes // 5), anonymous=0.1, rng=rng
    )
    assigned = {room: rng.sample(banks, rng.randint(2, len(banks))) for room in school.classes}
    data.assign(assigned, due=lambda: now + timedelta(days=rng.randint(-14, 14)))
    history = data.History(rng)
    monday = now - timedelta(days=4, hours=6)  # 08:00
    for room, members in zip(school.classes, school.members, strict=True):
        # This week's two lessons, each a quiz the whole class takes at once; and the viewer's
        # class (the first) is taking one now, as the board polls.
        lessons = [
            monday + timedelta(days=rng.randint(0, 1), hours=rng.randint(1, 6)),
            monday + timedelta(days=rng.randint(2, 3), hours=rng.randint(1, 6)),
        ]
        for student in members:
            add_student(
                history,
                now,
                student,
                assigned[room],
                lessons=lessons,
                lesson_now=room is school.classes[0],
                viewer=student is school.students[0],
            )
    history.save()


def add_student(
    history: Any,
    now: datetime,
    student: Any,
    quizzes: list[Any],
    *,
    lessons: list[datetime],
    lesson_now: bool,
    viewer: bool,
) -> None:
    """A student's 3 to 8 attempts: 1 to 6 in the nine weeks before this week (every fourth a
    spaced review), then this week's two lessons; and perhaps one left open."""
    from quizzes.models import Attempt

    rng = history.rng
    skill = rng.uniform(0.4, 0.95)
    progress: dict[int, Any] = {}
    earlier = sorted(
        lessons[0] - timedelta(days=2) - timedelta(days=61) * rng.random()
        for _ in range(rng.randint(1, 6))
    )
    starts = earlier + [lesson + timedelta(minutes=5) * rng.random() for lesson in lessons]
    ended_at = starts[0]
    for n, start in enumerate(starts):
        # One at a time: answers fold into progress in the order they were given.
        started_at = max(start, ended_at + timedelta(minutes=5))
        lesson = n - len(earlier)  # 0 and 1: this week's lessons, each on one quiz
        if lesson >= 0:
            quiz = quizzes[lesson % len(quizzes)]
            kind, question_ids = Attempt.Kind.QUIZ, history.draw(quiz)
        else:
            kind, quiz, question_ids = history.quiz_or_review(n, rng.choice(quizzes), progress)
        ended_at = history.attempt(student, quiz, kind, question_ids, started_at, skill, progress)
    # An open attempt: the viewer's class is half an hour into a quiz (the viewer at question
    # 4), and some others left one open since yesterday or the day before.
    if lesson_now or rng.random() < 0.15:
        quiz = quizzes[0]
        question_ids = history.draw(quiz)
        if lesson_now:
            started_at = now - timedelta(minutes=30) + timedelta(minutes=3) * rng.random()
            answered = 3 if viewer else rng.randrange(min(len(question_ids) - 1, 25))
        else:
            started_at = now - timedelta(days=1) - timedelta(days=2) * rng.random()
            started_at = max(started_at, ended_at + timedelta(minutes=5))
            answered = rng.randrange(len(question_ids) - 1)
        history.attempt(
            student, quiz, Attempt.Kind.QUIZ, question_ids, started_at, skill, progress, answered
        )


# ---- The requests ----------------------------------------------------------------------------


@dataclass
class Request:
    label: str
    user: Any
    path: str
    data: dict[str, Any] | None = None  # a POST when given
    htmx: bool = False


@dataclass
class Query:
    sql: str
    plan: str = ""  # empty for transaction control (SAVEPOINT, RELEASE)
    ms: float = 0.0
    hit: int = 0
    read: int = 0
    flags: list[str] = field(default_factory=list)


@dataclass
class Result:
    request: Request
    status: int
    queries: list[Query]
    # Rows the replay wrote, per table: (inserted, updated, of which HOT updates).
    writes: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def hot_path() -> list[Request]:
    """The viewer's requests, in the order a lesson makes them, and their teacher's gradebook."""
    from bench.data import answer_data
    from quizzes.models import Attempt, Question, User

    viewer = User.objects.get(username="pupil0")
    attempt = Attempt.objects.unfinished().get(user=viewer, kind=Attempt.Kind.QUIZ)
    finished = Attempt.objects.finished().filter(user=viewer, kind=Attempt.Kind.QUIZ).first()
    classroom = viewer.classrooms.select_related("teacher").get()
    number = attempt.current_number
    question = Question.objects.prefetch_related("choices").get(pk=attempt.question_id_at(number))
    answer = answer_data(attempt, question, right=True)
    page, board = attempt.get_absolute_url(), classroom.get_absolute_url()
    return [
        Request("question page", viewer, page),
        Request(
            f"answer post, question {number} (HTMX)",
            viewer,
            f"{page}questions/{number}/answer/",
            data=answer,
            htmx=True,
        ),
        Request("next question (HTMX)", viewer, page, htmx=True),
        Request("results of a finished attempt", viewer, f"/attempts/{finished.pk}/results/"),
        Request("progress", viewer, "/progress/"),
        Request("home", viewer, "/"),
        Request("class page (this week's board)", viewer, board),
        Request("polled board: this week (HTMX)", viewer, f"{board}?board=week", htmx=True),
        Request("polled board: all time (HTMX)", viewer, f"{board}?board=all", htmx=True),
        Request("teacher: gradebook", classroom.teacher, f"/classes/{classroom.pk}/gradebook/"),
    ]


def capture(request: Request, client: Any) -> tuple[int, list[str]]:
    """The request's status and SQL; its writes are rolled back (explain() replays them)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_HX_REQUEST": "true"} if request.htmx else {}
    savepoint = transaction.savepoint()
    connection.queries_log.clear()  # the request clears it at its start: count from empty
    with CaptureQueriesContext(connection) as context:
        if request.data is None:
            response = client.get(request.path, **headers)
        else:
            response = client.post(request.path, request.data, **headers)
    transaction.savepoint_rollback(savepoint)
    return response.status_code, [q["sql"] for q in context.captured_queries]


STATEMENT = re.compile(r"\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
SPILL = re.compile(r"external (merge|sort)|Disk: |Disk Usage: |temp read=|temp written=")
BATCHES = re.compile(r"Batches: (\d+)")
REMOVED = re.compile(r"Rows Removed by (?:Filter|Join Filter|Index Recheck): (\d+)")
BUFFERS = re.compile(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?")
LOOPS = re.compile(r"actual time=.* loops=(\d+)\)")
EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")
INDEX_USE = re.compile(r"(?:Scan using|Bitmap Index Scan on) (\w+)")


def explain(sql: str, table_rows: dict[str, int]) -> Query:
    """Run the statement under EXPLAIN (ANALYZE, BUFFERS), in a savepoint that keeps its writes
    unless it fails; parse the plan's time, buffers and flags."""
    from django.db import DatabaseError, connection, transaction

    query = Query(sql)
    if not STATEMENT.match(sql):
        return query
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            query.plan = "\n".join(row[0] for row in cursor.fetchall())
    except DatabaseError as error:
        query.plan = f"EXPLAIN failed: {error}"
        query.flags.append("EXPLAIN failed")
        return query
    body = query.plan.split("\nPlanning", 1)[0]  # the plan, without planning's buffers
    if match := BUFFERS.search(body):
        query.hit, query.read = int(match[1] or 0), int(match[2] or 0)
    if match := EXECUTION.search(query.plan):
        query.ms = float(match[1])
    for table in SEQ_SCAN.findall(body):
        if table_rows.get(table, 0) > BIG_TABLE:
            query.flags.append(f"Seq Scan on {table} ({table_rows[table]:,} rows)")
    if SPILL.search(body) or any(int(n) > 1 for n in BATCHES.findall(body)):
        query.flags.append("spills to disk")
    waste = filtered_out(body)
    if waste > FILTER_WASTE:
        query.flags.append(f"filter discards {waste:,} rows")
    return query


def filtered_out(plan: str) -> int:
    """The most rows any one node's filters threw away, over all its loops."""
    most, loops = 0, 1
    for line in plan.splitlines():
        if match := LOOPS.search(line):
            loops = int(match[1])
        elif match := REMOVED.search(line):
            most = max(most, int(match[1]) * loops)
    return most


# ---- Running and reporting -------------------------------------------------------------------


def setup_indexes(args: argparse.Namespace) -> list[str]:
    """Inside the run's transaction: the model changes no migration holds yet (what
    makemigrations would write, such as a new or removed index), --drop and --sql. Returns
    what was done, for the report."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.state import ProjectState

    done = []
    if not args.migrated_only:
        loader = MigrationLoader(connection)
        state = loader.project_state()
        changes = MigrationAutodetector(state, ProjectState.from_apps(apps)).changes(loader.graph)
        with connection.schema_editor(atomic=False) as editor:
            for migrations in changes.values():
                for migration in migrations:
                    state = migration.apply(state, editor)
                    done += [f"not migrated yet: {op.describe()}" for op in migration.operations]
    with connection.cursor() as cursor:
        for name in args.drop:
            cursor.execute(f'DROP INDEX "{name}"')
            done.append(f"dropped: {name}")
        for sql in args.sql:
            cursor.execute(sql)
            done.append(f"ran: {sql}")
        if done:
            cursor.execute("ANALYZE")  # as a migration would be followed by autovacuum's
    return done


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


def write_counts() -> dict[str, tuple[int, int, int]]:
    """This transaction's inserts, updates and HOT updates so far, per table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
        )
        return {name: tuple(counts) for name, *counts in cursor.fetchall()}


def run(args: argparse.Namespace) -> tuple[list[Result], str]:
    """The hot path's results, and the index report (read before the rollback, so that it
    lists the indexes the plans were made with)."""
    from django.db import transaction
    from django.test import Client

    results = []
    with transaction.atomic():
        done = setup_indexes(args)
        for line in done:
            print(f"  {line}")
        args.changes = done
        sizes = table_sizes()
        clients: dict[int, Client] = {}
        for request in hot_path():
            if request.user.pk not in clients:
                clients[request.user.pk] = Client()
                clients[request.user.pk].force_login(request.user)
            status, statements = capture(request, clients[request.user.pk])
            before = write_counts()
            queries = [explain(sql, sizes) for sql in statements]
            after = write_counts()
            writes = {
                table: delta
                for table, counts in after.items()
                if any(delta := tuple(a - b for a, b in zip(counts, before[table], strict=True)))
            }
            results.append(Result(request, status, queries, writes))
        report = index_report(results)
        transaction.set_rollback(True)
    return results, report


def short(sql: str, width: int = 96) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= width else sql[: width - 3] + "..."


def print_requests(results: list[Result]) -> None:
    for result in results:
        method = "POST" if result.request.data is not None else "GET"
        print(f"\n== {result.request.label}: {method} {result.request.path} -> {result.status}")
        for n, query in enumerate(result.queries, start=1):
            if not query.plan:
                print(f"  {n:>2}        {short(query.sql)}")
                continue
            print(f"  {n:>2} {query.ms:7.2f}  {short(query.sql)}")
            for flag in query.flags:
                print(f"             ^ {flag}")


def summary(results: list[Result]) -> str:
    lines = [
        f"{'request':<40} {'status':>6} {'queries':>7} {'SQL ms':>7} {'max ms':>7} "
        f"{'hit':>6} {'read':>5}  flags",
    ]
    for result in results:
        queries = [q for q in result.queries if q.plan]
        flags = sorted({flag for q in queries for flag in q.flags})
        lines.append(
            f"{result.request.label[:40]:<40} {result.status:>6} {len(result.queries):>7} "
            f"{sum(q.ms for q in queries):7.2f} {max((q.ms for q in queries), default=0):7.2f} "
            f"{sum(q.hit for q in queries):>6} {sum(q.read for q in queries):>5}  "
            f"{'; '.join(flags) or '-'}"
        )
    return "\n".join(lines)


def index_report(results: list[Result]) -> str:
    """For each table an answer writes: the rows the hot path wrote (an UPDATE that is not HOT
    adds an entry to every index), and each index with its size and the reads that use it."""
    from django.db import connection

    used: dict[str, list[str]] = {}
    written: dict[str, list[str]] = {}
    for result in results:
        for query in result.queries:
            for name in INDEX_USE.findall(query.plan):
                used.setdefault(name, []).append(result.request.label)
        for table, (inserted, updated, hot) in result.writes.items():
            written.setdefault(table, []).append(
                f"{result.request.label}: {inserted} inserted, {updated} updated ({hot} HOT)"
            )
    lines = []
    with connection.cursor() as cursor:
        for table in WRITTEN_TABLES:
            cursor.execute(
                "SELECT i.indexname, pg_size_pretty(pg_relation_size(i.indexname::regclass)), "
                "i.indexdef FROM pg_indexes i WHERE i.tablename = %s ORDER BY i.indexname",
                [table],
            )
            writes = written.get(table, []) or ["not written by the hot path"]
            lines.append(f"{table}: {'; '.join(writes)}")
            for name, size, definition in cursor.fetchall():
                readers = sorted(set(used.get(name, [])))
                columns = definition.split(" USING btree ", 1)[-1]
                unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
                lines.append(f"  {name:<48} {size:>8}  {unique}{columns}")
                lines.append(f"  {'':<48} {'':>8}  read by: {', '.join(readers) or 'NONE'}")
    return "\n".join(lines)


def data_set() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint, "
            "pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "AND reltuples > 1000 ORDER BY reltuples DESC"
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT version(), current_setting('work_mem')")
        version, work_mem = cursor.fetchone()
    tables = ", ".join(f"{name} {count:,} ({size})" for name, count, size in rows)
    return f"{version.split(' on ')[0]}, work_mem {work_mem}; tables: {tables}"


def write_plans(
    path: Path, args: argparse.Namespace, results: list[Result], head: str, indexes: str
) -> None:
    out = [
        "# EXPLAIN (ANALYZE, BUFFERS) of the hot-path requests: written by bench/explain.py",
        f"# {head}",
        *(f"# {line}" for line in args.changes),
        "",
        summary(results),
        "",
        indexes,
    ]
    for result in results:
        method = "POST" if result.request.data is not None else "GET"
        out += ["", "=" * 100, f"{result.request.label}: {method} {result.request.path}"]
        out.append(f"status {result.status}, {len(result.queries)} queries")
        for n, query in enumerate(result.queries, start=1):
            out += ["", f"-- {n}. {query.sql}"]
            if query.flags:
                out.append(f"-- flags: {'; '.join(query.flags)}")
            out.append(query.plan or "(transaction control: not explained)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")


def main() -> int:
    args = parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)  # boards ranked by the database, sessions in memory
    os.environ.pop("DATABASE_REPLICA_URL", None)  # one connection: every query is captured
    os.environ["DJANGO_SETTINGS_MODULE"] = "quizsite.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    built_for = prepare_database(url, args.fresh)

    import time_machine
    from django.core.management import call_command

    from bench import data  # sets Django up

    data.as_in_production()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    clock = build(args) if built_for is None else datetime.fromisoformat(built_for)
    head = f"data set as of {clock:%a %d %b %Y %H:%M %Z}: {data_set()}"
    print(head)
    with time_machine.travel(clock, tick=True):  # the data set's "now", however old it is
        results, indexes = run(args)
    print_requests(results)
    print(f"\n{summary(results)}\n\n{indexes}")
    if args.output:
        write_plans(args.output, args, results, head, indexes)
        print(f"\nplans: {args.output}")
    print(f"({time.perf_counter() - started:.0f} s)")
    bad = [r for r in results if r.status >= 400]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
