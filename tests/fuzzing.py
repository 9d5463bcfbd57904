"""What the security tests share: one world of personas and objects, a snapshot of everybody
else's data, hostile values for hypothesis, and a count of the requests the fuzzers make.

The world (`build_world`), of tests/conftest.py's personas in four roles: the student `owner`
(alice) with an unfinished and a finished attempt, in a class taught by `teacher` (tess) that
has the quiz assigned; the student `other` (bob) with an attempt of their own, in a class of
`other_teacher`'s (otto). Whatever a persona tries, nothing of anybody else's
may change (`unchanged_for_others`).

Fuzz profiles: `make test` runs a few derandomized examples per fuzzer (a stable CI);
`make fuzz` sets FUZZ_EXAMPLES (examples per fuzzer) and FUZZ_MIN_REQUESTS, and the run fails
if it made fewer requests than that. Either way the total is printed at the end of the run.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Membership,
    Question,
    QuestionProgress,
    Quiz,
    Response,
    SourceDocument,
    Status,
    Topic,
    User,
)
from quizzes.models.attempts import start_attempt
from quizzes.models.cards import print_new_card
from quizzes.models.live import move as move_live_game
from quizzes.models.live import start_game as start_live_game
from tests.answers import answer_data
from tests.conftest import Personas
from tests.factories import (
    QUESTION_MAKERS,
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    SourceDocumentFactory,
    quiz_with_every_type,
    record,
    single_choice_question,
)

PASSWORD = "quizsite-demo"  # every factory user's
PERSONAS = ("anonymous", "owner", "other", "teacher", "other_teacher")
_HANDLERS: dict[bool, Any] = {}


# ---- The world -------------------------------------------------------------------------------


@dataclass(repr=False)
class World:
    owner: User
    other: User
    teacher: User
    other_teacher: User
    quiz: Quiz  # published, one question of every type, in the order of QUESTION_MAKERS
    draft: Quiz
    open_attempt: Attempt  # the owner's: question 1 answered (wrong), question 2 due
    finished_attempt: Attempt  # the owner's, every question answered
    other_attempt: Attempt  # the other student's: question 1 answered (right)
    classroom: Classroom  # the teacher's; the owner is in it
    other_classroom: Classroom  # the other teacher's; the other student is in it
    assignment: Assignment  # the quiz, assigned to the classroom
    other_assignment: Assignment  # the quiz, assigned to the other classroom
    card_token: str = ""  # the sign-in link on the owner's login card (issue 20)
    # The owner's open attempt at a one-question quiz of each type (for the answer fuzzer).
    type_attempts: dict[QuestionType, Attempt] = field(default_factory=dict)
    # The classroom's live game (issue 22), its first question open.
    live_game: Any = None
    # The teacher's own quiz, not shared, set for the classroom alone (issue 20: who sees what).
    class_quiz: Any = None

    def __repr__(self) -> str:
        return "<the world of tests/fuzzing.py>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # hypothesis's reports, instead of every field

    @property
    def picture(self) -> str:
        return "0" * 32 + ".png"  # a picture's name that no picture has

    @property
    def source(self) -> SourceDocument:
        return self.quiz.source

    @property
    def topic(self) -> Topic:
        """The topic of the quiz's first question (Class insight's practice on a topic)."""
        return self.quiz.questions.order_by("position").first().topic

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)

    def client(self, persona: str, *, enforce_csrf_checks: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        # Each new Client loads the middleware again, and WhiteNoise's scans the static files
        # (0.1 s): share one handler.
        client.handler = _HANDLERS.setdefault(enforce_csrf_checks, client.handler)
        if user := self.user(persona):
            client.force_login(user)
        return client


def answer_next(attempt: Attempt, *, right: bool) -> Response:
    """Answer the attempt's next question the way the answer view does."""
    question = Question.objects.get(pk=attempt.question_ids[attempt.position])
    form = AnswerForm(question, attempt.seed, data=answer_data(attempt, question, right=right))
    assert form.is_valid(), form.errors
    return record(attempt, question, form.answer())


def build_world(personas: Personas, *, every_type: bool = False) -> World:
    """The world of tests/conftest.py's personas: alice owns, bob is the other student, tess
    the teacher (of alice's class) and otto the other teacher (of bob's)."""
    owner, other, teacher, other_teacher = personas
    quiz = quiz_with_every_type(title="Every type")
    draft = QuizFactory(title="Draft", status=Status.DRAFT)
    single_choice_question(quiz=draft)

    finished_attempt = start_attempt(user=owner, quiz=quiz)
    for number in range(finished_attempt.total):
        answer_next(finished_attempt, right=number % 2 == 0)
    open_attempt = start_attempt(user=owner, quiz=quiz)
    answer_next(open_attempt, right=False)
    other_attempt = start_attempt(user=other, quiz=quiz)
    answer_next(other_attempt, right=True)

    classroom = ClassroomFactory(teacher=teacher, name="Owner's class")
    MembershipFactory(classroom=classroom, student=owner)
    other_classroom = ClassroomFactory(teacher=other_teacher, name="Other's class")
    MembershipFactory(classroom=other_classroom, student=other)
    world = World(
        owner=owner,
        other=other,
        teacher=teacher,
        other_teacher=other_teacher,
        quiz=quiz,
        draft=draft,
        open_attempt=open_attempt,
        finished_attempt=finished_attempt,
        other_attempt=other_attempt,
        classroom=classroom,
        other_classroom=other_classroom,
        assignment=AssignmentFactory(classroom=classroom, quiz=quiz),
        other_assignment=AssignmentFactory(classroom=other_classroom, quiz=quiz),
        card_token=print_new_card(owner, teacher=teacher).token,
    )
    world.class_quiz = QuizFactory(
        title="For the owner's class", owner=teacher, shared=False, source=SourceDocumentFactory()
    )
    single_choice_question(quiz=world.class_quiz)
    AssignmentFactory(classroom=classroom, quiz=world.class_quiz)
    world.live_game = start_live_game(
        classroom=classroom, quiz=quiz, host=teacher, time_limit=None, speed_bonus=False
    )
    move_live_game(world.live_game.pk, "start", at=None, now=timezone.now())
    world.live_game.refresh_from_db()
    if every_type:
        for kind, make in QUESTION_MAKERS.items():
            world.type_attempts[kind] = start_attempt(user=owner, quiz=make().quiz)
    return world


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever happens inside is undone: each case or example starts from the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def url_patterns() -> dict[str, URLPattern]:
    """Every URL pattern by its namespaced name (quizzes:home), from Django's resolver, the
    admin aside (test_admin_access.py has its matrix). An unnamed pattern goes by its route."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                found[f"{namespace}{pattern.name or pattern.pattern}"] = pattern

    walk(get_resolver().url_patterns, "")
    return found


# ---- Everybody else's data -------------------------------------------------------------------


def others_data(persona: User | None, users: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Every row that is not `persona`'s: the `users` (everyone else, as they were before), their
    attempts, responses, progress and memberships, the classes `persona` does not teach with
    their assignments, and all the content."""
    theirs = Q(user__in=users)
    not_taught = Classroom.objects.exclude(teacher=persona) if persona else Classroom.objects.all()
    rows = {
        "users": User.objects.filter(pk__in=users).values(),
        "attempts": Attempt.objects.filter(theirs).values(),
        "responses": Response.objects.filter(theirs).values(),
        "progress": QuestionProgress.objects.filter(theirs).values(),
        "classes": not_taught.values(),
        "memberships": Membership.objects.filter(
            student__in=users, classroom__in=not_taught
        ).values(),
        "assignments": Assignment.objects.filter(classroom__in=not_taught).values(),
        "quizzes": Quiz.objects.values(),
        "questions": Question.objects.values(),
        "choices": Choice.objects.values(),
        "sources": SourceDocument.objects.values(),
    }
    return {name: list(query.order_by("pk")) for name, query in rows.items()}


@contextmanager
def unchanged_for_others(persona: User | None) -> Iterator[None]:
    """Fails if what runs inside changes anything of anyone else's. A user signed up inside
    counts as `persona`'s new self: only the users that were there before are others."""
    users = list(User.objects.exclude(pk=getattr(persona, "pk", None)).values_list("pk", flat=True))
    before = others_data(persona, users)
    yield
    after = others_data(persona, users)
    for name, rows in before.items():
        assert after[name] == rows, f"{name} of other users changed"


# ---- Requests, counted -----------------------------------------------------------------------


# No request may take longer, whatever it carries (issue 17: a 58 KB upload took 7.6 s and held
# the database's write lock all along).
REQUEST_BUDGET_SECONDS = 2.0


@dataclass
class Counter:
    requests: int = 0
    seconds: float = 0.0  # in the fuzzers, their worlds included


COUNTER = Counter()


@dataclass(frozen=True)
class Body:
    """What a POST carries: keyword arguments for the test client, and whether the body is
    broken by construction (a multipart without its boundary, a form not in UTF-8), which
    Django answers with 400 when a view reads it."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    broken: bool = False


def send(
    client: Client,
    method: str,
    path: str,
    allowed: set[int],
    *,
    body: Body | None = None,
    query: str = "",
    headers: dict[str, str] | None = None,
) -> Any:
    """Make one request and check its status: never 5xx (the test client raises what a view
    raised), always one of `allowed`, within REQUEST_BUDGET_SECONDS. A body past the request
    limit may also get its 413, one broken by construction its 400."""
    body = body or Body()
    if query:
        path = f"{path}?{query}"
    started = time.process_time()  # CPU time: a busy machine makes the wall clock wait
    response = client.generic(method, path, **_client_kwargs(body), **(headers or {}))
    seconds = time.process_time() - started
    COUNTER.requests += 1
    status = response.status_code
    assert status < 500, f"{method} {path}: {status}"
    refused = (status == 400 and body.broken) or (status == 413 and _too_big(response))
    assert status in allowed or refused, f"{method} {path}: {status} not in {sorted(allowed)}"
    assert seconds < REQUEST_BUDGET_SECONDS, f"{method} {path}: {seconds:.1f} s"
    return response


def _client_kwargs(body: Body) -> dict[str, Any]:
    """Client.generic takes a raw body: encode a dict as Client.post does (multipart)."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    kwargs = dict(body.kwargs)
    if isinstance(kwargs.get("data"), dict):
        kwargs["data"] = encode_multipart(BOUNDARY, kwargs["data"])
        kwargs["content_type"] = MULTIPART_CONTENT
    return kwargs


def _too_big(response: Any) -> bool:
    """Larger than the smallest request limit (teachers' uploads take more, and say 413 past
    theirs: tests/test_request_limits.py)."""
    length = int(response.request.get("CONTENT_LENGTH") or 0)
    return length > django_settings.REQUEST_MAX_BYTES


class FuzzReport:
    """Prints the number of fuzz requests at the end of the run; fails a run that made fewer
    than FUZZ_MIN_REQUESTS."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if COUNTER.requests:
            seconds = COUNTER.seconds
            profile = f"{FULL_EXAMPLES} examples per fuzzer" if FULL_EXAMPLES else "fast profile"
            terminalreporter.write_sep(
                "-", f"fuzz: {COUNTER.requests} requests in {seconds:.0f} s ({profile})"
            )
            if COUNTER.requests < MIN_REQUESTS:
                terminalreporter.write_line(
                    f"FAILED: fewer than FUZZ_MIN_REQUESTS={MIN_REQUESTS} requests", red=True
                )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if COUNTER.requests and COUNTER.requests < MIN_REQUESTS:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def fuzz_world(
    request: pytest.FixtureRequest, overrides: Any, personas: Personas, **kwargs: Any
) -> World:
    """The world for a fuzzer (built once, each example rolled back): leaderboards read from
    the database, the expected 404s and 400s not logged, and the requests counted."""
    manager = request.config.pluginmanager
    if not manager.has_plugin("fuzz-report"):
        manager.register(FuzzReport(), "fuzz-report")
    started = time.monotonic()
    request.addfinalizer(lambda: setattr(COUNTER, "seconds", COUNTER.seconds + _since(started)))
    overrides.REDIS_URL = ""  # the pytest-django `settings` fixture
    logger = logging.getLogger("django.request")
    request.addfinalizer(partial(logger.setLevel, logger.level))
    logger.setLevel(logging.ERROR)
    return build_world(personas, **kwargs)


def _since(started: float) -> float:
    return time.monotonic() - started


@contextmanager
def as_persona(world: World, persona: str) -> Iterator[Client]:
    """A client logged in as `persona` for one example: everything it does is undone after,
    and it fails if anything of anybody else's changed."""
    with rolled_back():
        client = world.client(persona)
        with unchanged_for_others(world.user(persona)):
            yield client


# ---- Hypothesis profiles ---------------------------------------------------------------------

FULL_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
MIN_REQUESTS = int(os.environ.get("FUZZ_MIN_REQUESTS") or 0)
SLOW = [
    HealthCheck.function_scoped_fixture,  # the world is built once per fuzzer, rolled back
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
]


def fuzz_settings(fast_examples: int = 10) -> settings:
    """A few derandomized examples in `make test`; FUZZ_EXAMPLES random ones in `make fuzz`."""
    if FULL_EXAMPLES:
        return settings(
            max_examples=FULL_EXAMPLES, deadline=None, suppress_health_check=SLOW, print_blob=True
        )
    return settings(
        max_examples=fast_examples,
        deadline=None,
        suppress_health_check=SLOW,
        derandomize=True,
        database=None,
    )


# ---- Hostile values ----------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: hacked=1",
    "\u202eevil.exe\u202c",  # right-to-left override
    "\u200f\u200e\u2066",  # direction marks
    "مرحبا بالعالم",
    "שלום",
    "🙂" * 50,
    "👩‍👩‍👧‍👦",
    "\ufeff",
    "Z̸̢̛̗a̵͉̓l̷̪̈g̶̰̈́o̶̧͝",
    "𝕳𝖎𝖘𝖙𝖔𝖗𝖞",
    "<script>alert(1)</script>",
    "'\"><img src=x onerror=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
    "' OR '1'='1' --",
    "1; DROP TABLE quizzes_attempt; --",
    "../../../../etc/passwd",
    "%00%ZZ%",
    '=HYPERLINK("http://evil.example")',
    "NaN",
    "-Infinity",
    "sNaN",
    "1e999999999",
    "-1e999999999",
    "9e999998",
    "1e-999999999",
    "0x1F",
    "1_108",
    "١٢٣",  # Arabic-Indic digits
    "²³",
    "-0",
    "00001",
    "-1",
    "1.5",
    str(2**31),
    str(2**63),
    str(2**64),
    "9" * 400,
    "true",
    "null",
    "[]",
    '{"choice": 1}',
]


@st.composite
def huge_text(draw: st.DrawFn) -> str:
    """Up to 100 KB: a short piece, repeated."""
    piece = draw(st.text(min_size=1, max_size=4))
    size = draw(st.integers(min_value=1_000, max_value=100_000))
    return piece * max(1, size // len(piece.encode()))


hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    huge_text(),
)


def hostile_value(plausible: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Any]:
    """A form value: a plausible one, a hostile one, or several (a list where one is expected)."""
    scalar = st.one_of(plausible, hostile_text) if plausible is not None else hostile_text
    return st.one_of(scalar, st.lists(scalar, min_size=0, max_size=3))


FIELD_NAME = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789[].-", min_size=1, max_size=20)


@st.composite
def form_data(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[str] | None]) -> dict[str, Any]:
    """The form's own fields, each plausible, hostile, listed or missing; and a few others."""
    data = {}
    for name, plausible in fields.items():
        if draw(st.integers(0, 5)):  # missing one time in six
            data[name] = draw(hostile_value(plausible))
    data.update(draw(st.dictionaries(FIELD_NAME, hostile_value(), max_size=2)))
    return data


def _pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (name, item)
        for name, value in data.items()
        for item in (value if isinstance(value, list) else [value])
    ]


BROKEN_MULTIPART = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=NOPE",
    "multipart/form-data; boundary=" + "b" * 300,
]
ODD_CONTENT_TYPES = [
    "",
    "text/plain",
    "application/xml",
    "application/octet-stream",
    "multipart/mixed; boundary=x",
    "application/x-www-form-urlencoded; charset=bogus",
]
# A form in another encoding than UTF-8: Django answers 400 when a view reads it. (Not a NUL in
# the charset: WSGIRequest itself raises ValueError, in Django, before any of ours runs; servers
# such as gunicorn refuse NUL in a header anyway.)
REFUSED_CONTENT_TYPES = [
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=latin-1",
]


@st.composite
def bodies(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[str] | None]) -> Body:
    """A POST body with the form's fields, sent as a form would, or as JSON, or as something
    else entirely."""
    data = draw(form_data(fields))
    how = draw(
        st.sampled_from(
            ["multipart", "multipart", "urlencoded", "json", "odd", "broken", "oversized", "none"]
        )
    )
    match how:
        case "multipart":
            return Body({"data": data})
        case "urlencoded":
            raw = urlencode(_pairs(data)) + draw(st.sampled_from(["", "&%ZZ=%", "&=&&a", "&a=%FF"]))
            return Body({"data": raw, "content_type": "application/x-www-form-urlencoded"})
        case "json":
            return Body({"data": json.dumps(data), "content_type": "application/json"})
        case "odd":
            raw = urlencode(_pairs(data)) if draw(st.booleans()) else draw(hostile_text)
            return Body({"data": raw, "content_type": draw(st.sampled_from(ODD_CONTENT_TYPES))})
        case "oversized":  # past the request limit: a 413 before anything reads it
            raw = urlencode(_pairs(data)) + "&x=" + "x" * django_settings.REQUEST_MAX_BYTES
            return Body({"data": raw, "content_type": "application/x-www-form-urlencoded"})
        case "broken":
            content_type = draw(st.sampled_from(BROKEN_MULTIPART + REFUSED_CONTENT_TYPES))
            raw = urlencode(_pairs(data)) if draw(st.booleans()) else draw(hostile_text)
            return Body({"data": raw, "content_type": content_type}, broken=True)
    return Body()


@st.composite
def queries(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[str] | None]) -> str:
    """A query string with the view's own parameters (plausible or hostile) and others, or raw
    junk."""
    if draw(st.integers(0, 7)) == 0:
        return draw(st.sampled_from(["%ZZ", "a=%FF%FE", "&&==&", "a" * 5000, "x=1&x=2&x=3"]))
    return urlencode(_pairs(draw(form_data(fields))))


# Header values arrive as latin-1 text, as a WSGI server gives them. Control characters are
# taken out: gunicorn (`make serve`) answers 400 to a header value holding any of them
# (RFC 9110 section 5.5), so Django never sees one. (A NUL in the User-Agent would otherwise
# reach django-axes' login log, which PostgreSQL cannot store.)
_SERVER_REFUSES = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
header_text = st.one_of(
    st.sampled_from(["", "true", "\x00", "x" * 8000, "\u00e9\u00ff", "%00", "null"]),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=60),
)
URLS = ["http://testserver/", "http://evil.example/", "javascript:alert(1)", "http://[", "//x"]

htmx_headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.one_of(
            st.sampled_from(["true", "false", "TRUE", "1", "", "true, true", " true"]),
            header_text,
        ),
        "HTTP_HX_TARGET": st.one_of(
            st.sampled_from(["quiz-panel", "main", "leaderboard"]), header_text
        ),
        "HTTP_HX_CURRENT_URL": st.one_of(st.sampled_from(URLS), header_text),
        "HTTP_HX_CURRENT_URL_URI_AUTOENCODED": st.sampled_from(["true", "false"]),
        "HTTP_HX_TRIGGER": header_text,
        "HTTP_HX_TRIGGER_NAME": header_text,
        "HTTP_HX_BOOSTED": st.sampled_from(["true", "false", "\x00"]),
        "HTTP_HX_HISTORY_RESTORE_REQUEST": st.sampled_from(["true", "false"]),
        "HTTP_HX_PROMPT": header_text,
        "HTTP_ACCEPT": st.sampled_from(["*/*", "application/json", "text/html", "", "\x00"]),
        "HTTP_REFERER": st.one_of(st.sampled_from(URLS), header_text),
        "HTTP_USER_AGENT": header_text,
        "HTTP_X_FORWARDED_FOR": st.one_of(st.sampled_from(["1.2.3.4", "::1", "x, y"]), header_text),
    },
).map(lambda headers: {name: _SERVER_REFUSES.sub("", value) for name, value in headers.items()})


def ids(*known: int) -> st.SearchStrategy[int]:
    """An id for a URL: one of the world's (often someone else's) or any other."""
    edges = st.sampled_from([0, 1, 2**31 - 1, 2**63 - 1, 2**63, 2**64 + 1])
    anything = st.integers(min_value=0, max_value=10**30)
    return st.one_of(st.sampled_from(known), edges, anything) if known else edges | anything


# ---- Hostile uploads ---------------------------------------------------------------------------

# Runs that made a parser's pattern backtrack, or Python's html.parser rescan, on every one of
# their characters (issue 17), and other special characters of GIFT, XML and HTML.
RUNS = [" ", "\t", "\n", " \n", "\r\n", "1", "[id:", "**", "<", "<!--", "<![CDATA[", "<![x[",
        "<?", "<!", "<a ", '<b a="', "</", "&", "&#", "{", "}", "=", "~", "#", "->", "::", "%",
        "\\", "\\n", "// ", ". "]  # fmt: skip
GIFT_TEMPLATES = [
    "Order these?{{>{run}!\nA\nB\nC\n}}",
    "// {run}\nWho?{{=a ~b}}",
    "[html]Who{run}?{{=a ~b}}",
    "Who{run}?{{=a{run} ~b}}",
    "::{run}::Who?{{T}}",
    "Which year?{{#{run}}}",
    "Who?{{~%{run}%a ~b}}",
    "{run}",
]
XML_TEMPLATE = (
    '<quiz><question type="shortanswer"><name><text>{run}</text></name>'
    '<questiontext format="html"><text>a{run}b</text></questiontext>'
    '<answer fraction="100"><text>x</text></answer></question></quiz>'
)


@st.composite
def long_runs(draw: st.DrawFn, max_size: int = 60_000) -> str:
    """One hostile run, repeated to up to `max_size` characters."""
    run = draw(st.sampled_from(RUNS))
    return run * (draw(st.integers(1_000, max_size)) // len(run))


@st.composite
def hostile_uploads(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file a teacher could upload to the import, as (its name, its bytes)."""
    run = draw(long_runs())
    match draw(st.sampled_from(["gift", "xml", "csv"])):
        case "gift":
            return "hostile.gift", draw(st.sampled_from(GIFT_TEMPLATES)).format(run=run).encode()
        case "xml":
            return "hostile.xml", XML_TEMPLATE.format(run=escape(run)).encode()
    header = "key,type,prompt,answer,topic\n"
    return "hostile.csv", f'{header}q,short_answer,"{run}",{run[:100]},{run[:50]}\n'.encode()
