"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page(page):
    """Every page fails its test on a JavaScript error or a console error."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message) -> None:
        # A form error is answered with status 400 by design, and too many tries with 429;
        # Chromium logs every 4xx.
        expected = ("status of 400", "status of 429")
        if message.type == "error" and not any(status in message.text for status in expected):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    yield page
    assert not problems, problems
