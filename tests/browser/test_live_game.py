"""A whole live game (issue 22) in three browser contexts: the teacher's host screen on a
laptop, Alice's phone (JavaScript on: the screens change by themselves, and she reloads in the
middle of a question) and Bob's phone without JavaScript (he presses Refresh, and answers once
too late). Every question type is played. axe scans the host and the phone in each state; the
screens are photographed to test-artifacts/live-*.png (and SHOTS, if set)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, LiveGame, Response
from tests.browser.servers import asgi_site
from tests.browser.student import answer_on_screen, log_in
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    TeacherFactory,
    UserFactory,
    quiz_with_every_type,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
AXE = Axe()
SECONDS = 10_000  # ms: the longest any screen may take to show a new state here


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[str]:
    with asgi_site() as url:
        yield url


@pytest.fixture
def year10(transactional_db):
    classroom = ClassroomFactory(name="Year 10 History", teacher=TeacherFactory(username="tess"))
    for username, name in [("alice", "Alice"), ("bob", "Bob")]:
        MembershipFactory(
            classroom=classroom, student=UserFactory(username=username, display_name=name)
        )
    quiz_with_every_type(title="The Moscow Trials")
    return classroom


def check(page: Page, artifacts: Path, label: str) -> None:
    """No axe violation of any impact, and a photograph."""
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in AXE.run(page).response["violations"]
    ]
    assert not violations, (label, violations)
    page.screenshot(path=artifacts / f"live-{label}.png", full_page=True)
    if shots := os.environ.get("SHOTS"):
        page.screenshot(path=Path(shots) / f"live-{label}.png", full_page=True)


def test_a_class_plays_a_whole_game(asgi_server, new_page, year10, artifacts):
    url = asgi_server
    host = new_page(viewport=LAPTOP)
    alice = new_page(viewport=PHONE)
    bob = new_page(viewport=PHONE, java_script_enabled=False)
    for page, name in [(host, "tess"), (alice, "alice"), (bob, "bob")]:
        log_in(page, url, name)

    # The teacher gives Alice extra time (an accommodation) on the class's student list.
    host.goto(f"{url}/classes/{year10.pk}/manage/")
    host.get_by_label("Extra time in live games for Alice").select_option(label="+50%")
    host.get_by_role("button", name="Save extra time for Alice").click()
    expect(host.get_by_text("Extra time for Alice in live games: +50%.")).to_be_visible()
    check(host, artifacts, "class-students")

    # The teacher starts a game from the class page; the host screen shows the code.
    host.goto(f"{url}{year10.get_absolute_url()}")
    check(host, artifacts, "class-page")
    host.get_by_label("Quiz").select_option(label="The Moscow Trials")
    host.get_by_role("button", name="Start a live game").click()
    expect(host.get_by_role("heading", name="Join the live game")).to_be_visible()
    game = LiveGame.objects.get()
    expect(host.get_by_text(game.code, exact=True)).to_be_visible()

    # The students join from their home page; the host sees them arrive.
    for page in (alice, bob):
        page.goto(f"{url}/")
        page.get_by_role("link", name="Join the live game").click()
        expect(page.get_by_role("heading", name="You are in the game")).to_be_visible()
    expect(host.get_by_text("2 students joined")).to_be_visible(timeout=SECONDS)
    check(host, artifacts, "host-lobby")

    host.get_by_role("button", name="Start").click()
    total = game.total
    for number in range(1, total + 1):
        # The question reaches Alice's phone by itself.
        heading = f"Question {number} of {total}"
        expect(alice.locator("#live-stage").get_by_text(heading)).to_be_visible(timeout=SECONDS)
        answer_on_screen(alice, right=number != 2)
        alice.get_by_role("button", name="Send my answer").click()
        expect(alice.locator(".live-saved")).to_contain_text("Your answer is in")
        expect(host.locator("#host-answers")).to_contain_text("1 of 2 answered", timeout=SECONDS)
        if number == 1:
            check(host, artifacts, "host-question")
            check(alice, artifacts, "phone-question")
            # Alice's phone reloads in the middle of the question: her answer is kept.
            alice.reload()
            expect(alice.locator(".live-saved")).to_contain_text("Your answer is in")
            expect(alice.get_by_role("button", name="Change my answer")).to_be_visible()

        # Bob has no JavaScript: he refreshes to see the question.
        bob.get_by_role("button", name="Refresh").click()
        expect(bob.get_by_text(heading).first).to_be_visible()
        answer_on_screen(bob, right=number % 2 == 1)
        if number == 2:
            # The teacher reveals before Bob sends his answer: it is refused, and he is told.
            host.get_by_role("button", name="Reveal answer").click()
            expect(host.get_by_role("heading", name="Right answer")).to_be_visible()
            bob.get_by_role("button", name="Send my answer").click()
            expect(bob.locator(".messages")).to_contain_text(
                "Too late: the answer has been revealed"
            )
            expect(bob.get_by_role("heading", name="You did not answer this one")).to_be_visible()
        else:
            # Everyone has answered: the answer is revealed at once.
            bob.get_by_role("button", name="Send my answer").click()
            expect(bob.locator("h2.verdict")).to_be_visible()

        expect(host.get_by_role("heading", name="Right answer")).to_be_visible(timeout=SECONDS)
        verdict = "Incorrect" if number == 2 else re.compile("Correct|Partly right")
        expect(alice.locator("h2.verdict")).to_contain_text(verdict, timeout=SECONDS)
        if number == 1:
            check(host, artifacts, "host-reveal")
            check(alice, artifacts, "phone-reveal")

        host.get_by_role("button", name="Show the board").click()
        expect(host.get_by_role("table")).to_contain_text("Alice", timeout=SECONDS)
        place = alice.locator("#live-mine .live-place-line")
        expect(place).to_contain_text(re.compile(r"You are \d(st|nd) of 2"), timeout=SECONDS)
        if number == 1:
            check(host, artifacts, "host-board")
            check(alice, artifacts, "phone-board")
        last = number == total
        host.get_by_role("button", name="Show the podium" if last else "Next question").click()

    expect(host.get_by_role("heading", name="The podium")).to_be_visible(timeout=SECONDS)
    expect(alice.get_by_role("heading", name="The game is over")).to_be_visible(timeout=SECONDS)
    check(host, artifacts, "host-podium")
    check(alice, artifacts, "phone-podium")

    # Every answer was recorded once, through the quiz's own path.
    assert Response.objects.filter(user__username="alice").count() == total
    assert Response.objects.filter(user__username="bob").count() == total - 1
    assert Attempt.objects.filter(kind=Attempt.Kind.LIVE).count() == 2
    assert not (host.problems + alice.problems + bob.problems)
