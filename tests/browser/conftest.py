"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

# Playwright's sync API runs an event loop in this thread; the ORM calls that the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def shipped_banks(transactional_db):
    """The shipped banks loaded, and Alice, a student, to take them."""
    from django.core.management import call_command

    from tests.factories import UserFactory

    call_command("load_banks", verbosity=0)
    UserFactory(username="alice", display_name="Alice")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    # Never skip: CI installs Debian's chromium (see .ci/run); a missing browser is a failure.
    assert chromium, "Debian's chromium is needed for the browser tests: apt-get install chromium"
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        # No GPU here: without --disable-gpu, Chromium has been known to hang opening a page.
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-gpu",
        ],
    }


@pytest.fixture(autouse=True)
def no_context_left_open(browser: Browser):
    """A browser context left open after its test keeps its keep-alive connections to the live
    server, and the server's thread for each: at the end of the run, when the server has
    stopped sharing the in-memory SQLite test database with them, each fails on closing it
    (PytestUnhandledThreadExceptionWarning, blamed on whichever test ran last). So a test
    closes every context it opens (`new_page` does), and one that does not fails here."""
    yield
    left = browser.contexts
    for context in left:
        context.close()
    assert not left, f"{len(left)} browser context(s) left open: open pages with new_page"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Chromium logs every 4xx; a form error is answered with 400 by design, and too many tries
# with 429.
EXPECTED_STATUSES = ("status of 400", "status of 429")


def watch_problems(page: Page, expected: tuple[str, ...] = ()) -> list[str]:
    """The page's script errors and console errors as they come, in a list that is also
    `page.problems`; but for a 400 or a 429 and errors whose text holds one of `expected`
    (errors a test brings about on purpose)."""
    problems: list[str] = []
    ignored = EXPECTED_STATUSES + expected
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message) -> None:
        if message.type == "error" and not any(text in message.text for text in ignored):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.problems = problems
    return problems


@pytest.fixture
def page(page):
    """Every page fails its test on a JavaScript error or a console error."""
    problems = watch_problems(page)
    yield page
    assert not problems, problems


@pytest.fixture
def new_page(browser: Browser):
    """Pages in browser contexts of their own (their own cookies, so their own logins):
    `new_page(viewport=PHONE, java_script_enabled=False)`, or `new_page(expected=("status of
    404",))` for errors the test brings about. Each page fails its test on a JavaScript error or
    a console error, as `page` does, and every context is closed after the test: a context left
    open keeps its keep-alive connections to the live server, whose threads then use the shared
    test database after the server has stopped sharing it."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(*, expected: tuple[str, ...] = (), **options) -> Page:
        contexts.append(browser.new_context(**options))
        pages.append(contexts[-1].new_page())
        watch_problems(pages[-1], expected)
        return pages[-1]

    yield make
    for context in contexts:
        context.close()
    problems = [problem for page in pages for problem in page.problems]
    assert not problems, problems
