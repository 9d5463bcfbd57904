# Two commands do all of the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# lint-banks: the bank linter alone
.PHONY: lint-banks run test install lint fmt clean serve faults fuzz bench-load bench-school bench-profile

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

lint-banks: $(STAMP)
	$(PY) manage.py lint_banks

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	# The demo teacher owns the banks; the demo class is then set their first quiz (idempotent).
	$(PY) manage.py load_demo --verbosity 0
	$(PY) manage.py load_banks --owner tess
	$(PY) manage.py load_demo --verbosity 0
	$(PY) manage.py check
	@echo "Demo logins (password quizsite-demo): students alice, bob; teacher tess; their class: Year 10 History (demo). Serving http://127.0.0.1:8000"
	# uvicorn, not runserver: a live game's event streams wait without holding a thread each
	# (README, "The live game's event streams"); it restarts when a Python file changes.
	$(VENV)/bin/uvicorn quizsite.asgi:application --host 127.0.0.1 --port 8000 --reload \
		--reload-dir quizsite --reload-dir quizzes --no-proxy-headers --lifespan off

# Production: gunicorn with uvicorn workers (quizsite/asgi_worker.py) serving quizsite.asgi,
# DEBUG off, hashed and compressed static files served by WhiteNoise.
# Needs SECRET_KEY and ALLOWED_HOSTS; reads DATABASE_URL and REDIS_URL (see README.md).
# Without REDIS_URL, one worker: a live game's events reach the streams of their own process
# only (README, "The live game's event streams").
WORKERS ?= $(if $(REDIS_URL),$(shell echo $$(( $$(nproc) * 2 ))),1)
BIND ?= 127.0.0.1:8000
serve: $(STAMP)
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY first, e.g.: export SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"; exit 1; }
	DEBUG=0 $(PY) manage.py check --deploy
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PY) manage.py load_banks
	DEBUG=0 $(VENV)/bin/gunicorn quizsite.asgi:application --worker-class quizsite.asgi_worker.Worker \
		--workers $(WORKERS) --bind $(BIND) --access-logfile - --timeout 30 --graceful-timeout 10

# The benchmarks' own tools (locust, matplotlib, pyinstrument), installed once.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(VENV)/bin/pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

# The benchmarks and the fault test live in bench/ (bench/README.md says how they are laid out);
# each writes its results to bench/results/, which git ignores. ARGS="..." passes options, e.g.
# a short run: make bench-load ARGS="--db sqlite --users 10 --seconds 10 --bare-seconds 5".

# Fault test: kills a worker and restarts PostgreSQL under load (bench/faults.py).
faults: $(BENCH_STAMP)
	$(PY) -m bench.faults $(ARGS)

# Load benchmarks (bench/load.py): the hot paths at 10/50/200 students on SQLite and
# PostgreSQL, and a school of 1,000 students on PostgreSQL + Redis.
bench-load: $(BENCH_STAMP)
	$(PY) -m bench.load hot $(ARGS)

bench-school: $(BENCH_STAMP)
	$(PY) -m bench.load school $(ARGS)

# Where each hot path's time goes (pyinstrument), in one process: bench/profile_hot_paths.py.
bench-profile: $(BENCH_STAMP)
	$(PY) -m bench.profile_hot_paths $(ARGS)

# The others, one a module: `make bench-explain` runs `python -m bench.explain`, and so on.
BENCHMARKS := stack peer budget page_weight explain derive derive_time derive_quality progress leaderboards roster live live_moves insight
.PHONY: $(addprefix bench-,$(BENCHMARKS))
$(addprefix bench-,$(BENCHMARKS)): bench-%: $(BENCH_STAMP)
	$(PY) -m bench.$* $(ARGS)

test: $(STAMP)
	# The shipped banks first: no answer given away, no brittle key (quizzes/banklint.py).
	$(PY) manage.py lint_banks
	$(PY) -m pytest $(PYTEST_ARGS)

# The whole fuzz run: FUZZ_EXAMPLES hostile examples per fuzzer, at least 10,000 requests in all
# (`make test` runs a few derandomized examples of each). The count is printed at the end.
FUZZ_EXAMPLES ?= 600
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_MIN_REQUESTS=10000 $(PY) -m pytest tests/test_fuzz_*.py -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .cache
