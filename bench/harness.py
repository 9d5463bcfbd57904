"""What the benchmarks that drive the app from outside share (bench/load.py, bench/loadgen.py,
bench/faults.py): a production-like environment for the app, a fresh database, gunicorn started
and stopped, percentiles, and any well-formed answer to a card; and the folder every benchmark
writes its results to (bench/results/, which git ignores).

It needs no Django of its own (the app runs in its own processes)."""

from __future__ import annotations

import os
import platform
import random
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"  # ignored by git: the README keeps what is worth keeping
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Where several people benchmark on one machine, each keeps to their own: databases named with
# BENCH_DB_PREFIX (quizsite_load becomes <prefix>load), Redis at BENCH_REDIS_URL, and servers on
# a port of BENCH_PORTS ("8160-8169"); by default any free port.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "quizsite_")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SECRET_KEY = "bench-secret-key-not-for-production-use-0123456789-abcdefghijklmnop"


def results(name: str) -> Path:
    """bench/results/`name`, its folder made if need be."""
    RESULTS.mkdir(exist_ok=True)
    return RESULTS / name


def app_env(database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off, WhiteNoise's compressed manifest) over plain HTTP on
    loopback, and `extra` over them. django-axes is off unless `extra` turns it on: the load
    logs hundreds of students in from one address. `DJANGO_SETTINGS_MODULE="bench.settings"`
    in `extra` adds the bare endpoints and the Server-Timing header (bench/endpoints.py)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
    }
    # Set for the tests or a shell; a production server has none of them unless asked.
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_REPLICA_URL"):
        env.pop(name, None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env | extra


def in_process(database_url: str, redis_url: str = "", **extra: str) -> None:
    """This process's environment as `app_env` makes it, for a benchmark that runs the app in
    its own process through Django's test client (then `import bench.data` sets Django up)."""
    env = app_env(database_url, redis_url, ALLOWED_HOSTS="testserver", **extra)
    os.environ.clear()
    os.environ.update(env)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def set_up(env: dict[str, str], *school: str) -> Path:
    """The app's tables, the shipped banks and collected static files, then a school from
    bench/data.py (its options `school`, --students and --classes at least). Returns the
    school's JSON file: its students and their password."""
    manage(env, "migrate", "--noinput")
    manage(env, "load_banks")
    manage(env, "collectstatic", "--noinput")
    out = results(f"school-{os.getpid()}.tmp")
    subprocess.run(
        [PY, "-m", "bench.data", *school, "--out", str(out)], cwd=ROOT, env=env, check=True
    )
    return out


def fresh_postgres(name: str) -> str:
    """Drop and create database `name` (quizsite_<name> or BENCH_DB_PREFIX<name>); its URL."""
    name = DB_PREFIX + name.removeprefix("quizsite_")
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def kept_postgres(server: str, database: str, *, fresh: bool) -> bool:
    """Create `database` on `server` if it is not there (or drop and create it when `fresh`),
    for a benchmark that keeps its large data between runs; True if it has to be filled."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    return not exists


def fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def flush_redis(url: str) -> None:
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    """A free port: of BENCH_PORTS ("8160-8169") if it is set, else any."""
    first, _, last = os.environ.get("BENCH_PORTS", "0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in BENCH_PORTS={os.environ['BENCH_PORTS']}")


# `make serve`'s server: the ASGI application in gunicorn's uvicorn workers.
ASGI = ("quizsite.asgi:application", "--worker-class", "quizsite.asgi_worker.Worker")


def start_gunicorn(
    env: dict[str, str],
    port: int,
    workers: int,
    log: Path,
    *extra: str,
    asgi: bool = False,
    app: str = "quizsite.wsgi",
    gunicorn: str = GUNICORN,
    cwd: Path = ROOT,
    up: str = "/accounts/login/",
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`, its output in `log`; returns once `up` answers. With
    `asgi`, quizsite as `make serve` runs it; else sync workers serving `app` (quizsite.wsgi
    unless another app's, from `gunicorn` in `cwd`)."""
    out = log.open("w")
    server = subprocess.Popen(
        [
            gunicorn,
            *(ASGI if asgi else (app,)),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            *extra,
        ],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=out,
    )
    wait_until_up(f"http://127.0.0.1:{port}{up}", server, log)
    return server


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def cpu_model() -> str:
    """The CPU's model name, as lscpu says it."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> str:
    """Cores, CPU and memory: what a benchmark's figures hold for."""
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu_model()}), {memory:.0f} GiB"


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank p-th percentile (NaN for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def answer_for(card: str) -> dict[str, str]:
    """Any well-formed answer to the question card (the load cares about recording, not
    marks): a random option, a name or a number, positions 1..n, and partners in turn."""
    data: dict[str, str] = {}
    if 'name="choice"' in card:
        values = sorted(set(re.findall(r'name="choice" value="(\d+)"', card)))
        data["choice"] = random.choice(values)
    elif 'name="answer"' in card:
        data["answer"] = "1937" if 'inputmode="decimal"' in card else "Zinoviev"
    places = re.findall(r'name="(position_\d+)"', card)
    for i, name in enumerate(random.sample(places, len(places)), start=1):
        data[name] = str(i)
    for name in re.findall(r'name="(match_\d+)"', card):
        data[name] = "0"
    return data
