"""Accessibility of every student page (issue 9).

A student's whole journey, from the logged-out home page to a class's leaderboard, is run three
times: on a laptop (1280 px), at 200% zoom (a 1280 px window zoomed to 200% is a 640 px CSS
viewport, drawn at two device pixels per CSS pixel) and on a phone 320 px wide. On every page
axe-core (axe-playwright-python) must find no serious or critical violation, and nothing may
scroll sideways. Moderate and minor findings are written to test-artifacts/axe-<viewport>.txt.

axe is injected with Playwright's `page.evaluate`, which goes through the DevTools protocol and
so is not subject to the page's Content-Security-Policy: the scan runs under the real CSP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from quizzes import leaderboards
from quizzes.grading import QuestionType
from quizzes.models import Attempt, Classroom, Question, Quiz
from tests.browser.student import answer_on_screen, log_in
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    MembershipFactory,
    TeacherFactory,
    UserFactory,
    answer_question,
)

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "laptop": {"viewport": {"width": 1280, "height": 800}},
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
    "phone": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2},
}
# Where the quiz itself is photographed, to be looked at (test-artifacts/a11y-<viewport>-*.png).
PHOTOGRAPHED = {"zoom200", "phone"}
FAILING_IMPACTS = {"serious", "critical"}
AXE = Axe()

# One question of each type from the shipped bank, in this order; answered right (True) or
# wrong (False), so that both kinds of feedback are scanned.
EVERY_TYPE = [
    (QuestionType.SINGLE_CHOICE, True),
    (QuestionType.MULTIPLE_CHOICE, False),
    (QuestionType.TRUE_FALSE, True),
    (QuestionType.SHORT_ANSWER, False),
    (QuestionType.NUMERIC, True),
    (QuestionType.ORDERING, False),
    (QuestionType.MATCHING, True),
]


@dataclass
class Site:
    quiz: Quiz
    classroom: Classroom
    attempt: Attempt
    questions: list[Question]


@pytest.fixture
def site(transactional_db) -> Site:
    """The shipped banks; Alice in Tess's class with Bob, who has points on the board; and an
    attempt of Alice's that asks one shipped question of every type."""
    leaderboards.clear_redis()
    call_command("load_banks", verbosity=0)
    quiz = Quiz.objects.get(slug="moscow-trials")
    alice = UserFactory(username="alice", display_name="Alice")
    bob = UserFactory(username="bob", display_name="Bob")
    classroom = ClassroomFactory(name="Year 10 History", teacher=TeacherFactory(username="tess"))
    for student in (alice, bob):
        MembershipFactory(classroom=classroom, student=student)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    # The class quiz and its practice pool together have a question of every type.
    bank = (
        Question.objects.published().filter(quiz__source=quiz.source).order_by("quiz", "position")
    )
    answer_question(bob, bank.filter(type=QuestionType.SINGLE_CHOICE).first())
    questions = [bank.filter(type=kind).first() for kind, _ in EVERY_TYPE]
    attempt = AttemptFactory(
        user=alice,
        quiz=quiz,
        assignment=assignment,  # its only attempt: the feedback shows every right answer
        number=1,
        question_ids=[q.pk for q in questions],
        max_score=sum(Decimal(q.points) for q in questions),
    )
    yield Site(quiz=quiz, classroom=classroom, attempt=attempt, questions=questions)
    leaderboards.clear_redis()


@dataclass
class Tour:
    """Visits pages in one browser context and checks each: axe, no sideways scrolling, no
    JavaScript or console error (an error status is allowed only where a page expects one)."""

    page: Page
    viewport: str
    artifacts: Path
    serious: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    allowed_status: str = "status of 400"

    def __post_init__(self) -> None:
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        self.page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if message.type == "error" and self.allowed_status not in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def check(self, label: str, *, photo: bool = False) -> None:
        page = self.page
        page.wait_for_load_state()
        results = AXE.run(page)
        for violation in results.response["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            line = (
                f"{label}: {violation['id']} ({violation['impact']}) {violation['help']}: "
                f"{', '.join(targets[:5])}"
            )
            if violation["impact"] in FAILING_IMPACTS:
                self.serious.append(line)
            else:
                self.findings.append(line)
        # axe accepts aria-describedby if one of its ids exists; here every id must.
        dangling = page.evaluate(
            """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")]
                .flatMap(el => ["aria-describedby", "aria-labelledby"].flatMap(
                    name => (el.getAttribute(name) || "").split(/\\s+/).filter(Boolean)))
                .filter(id => !document.getElementById(id))"""
        )
        if dangling:
            self.serious.append(f"{label}: aria ids that name nothing: {dangling}")
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            self.overflow.append(f"{label}: {scroll} px wide in a {inner} px viewport")
        if photo and self.viewport in PHOTOGRAPHED:
            path = self.artifacts / f"a11y-{self.viewport}-{label}.png"
            # caret="hide" would leave style="" on inputs, which htmx's settle then copies to
            # the swapped-in inputs of the same id: a CSP violation caused by the screenshot.
            page.screenshot(path=path, full_page=True, caret="initial")

    def report(self) -> str:
        lines = [f"axe findings at {self.viewport} (moderate and minor: not failing)"]
        lines += self.findings or ["none"]
        lines += ["", "serious or critical:", *(self.serious or ["none"])]
        text = "\n".join(lines) + "\n"
        (self.artifacts / f"axe-{self.viewport}.txt").write_text(text)
        return text


def take_the_quiz(tour: Tour, site: Site) -> None:
    """Every question type: its card, its form error (the 400 fragment), its feedback."""
    page = tour.page
    page.get_by_role("button", name="Resume attempt 1").click()
    for number, ((kind, right), question) in enumerate(
        zip(EVERY_TYPE, site.questions, strict=True), start=1
    ):
        expect(page.locator("legend.prompt")).to_have_text(
            re.compile(re.escape(question.prompt[:20]))
        )
        # Whatever the scrolling before, the new question is shown from its start.
        expect(page.locator(".question-card .progress")).to_be_in_viewport()
        tour.check(f"question-{kind}", photo=number in (1, 6, 7))
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_role("alert")).to_be_visible()
        tour.check(f"form-error-{kind}", photo=number == 1)
        answer_on_screen(page, right=right)
        page.get_by_role("button", name="Check answer").click()
        verdict = "Correct" if right else "Incorrect"
        expect(page.get_by_role("heading", name=verdict)).to_be_visible()
        # A tap on Check answer shows the verdict, not the bottom of a long feedback; the
        # mark and the word say it as well as the colour.
        expect(page.locator(".feedback .verdict")).to_be_in_viewport()
        mark = "✓" if right else "✗"
        expect(page.locator(".feedback .verdict")).to_have_text(re.compile(rf"{mark}\s+{verdict}"))
        tour.check(f"feedback-{verdict.lower()}-{kind}", photo=number in (1, 2))
        last = number == len(EVERY_TYPE)
        page.get_by_role("button", name="See results" if last else "Next question").click()
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_focused()
    for item in page.locator(".review .verdict").all_inner_texts():
        assert re.fullmatch(r"✓ Correct|✗ Incorrect|◐ Partly right", item.strip()), item
    tour.check("results", photo=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_student_page_passes_axe_and_fits_the_screen(
    browser: Browser, live_server, site: Site, artifacts: Path, viewport: str
):
    context = browser.new_context(**VIEWPORTS[viewport])
    tour = Tour(context.new_page(), viewport, artifacts)
    page, url = tour.page, live_server.url
    try:
        page.goto(f"{url}/")
        tour.check("home-logged-out", photo=True)
        page.goto(f"{url}/accounts/signup/")
        tour.check("signup")
        page.get_by_role("button", name="Sign up").click()
        expect(page.locator(".field-error").first).to_be_visible()
        tour.check("signup-errors", photo=True)
        page.goto(f"{url}/accounts/login/")
        tour.check("login", photo=True)
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_be_visible()
        tour.check("login-error")
        # django-axes answers the 5th wrong password in a row with 429 and the lockout page.
        tour.allowed_status = "status of 429"
        for _ in range(4):
            page.get_by_label("Password").fill("wrong")
            page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Too many tries")).to_be_visible()
        # In words a student reads, not django-axes' ISO 8601 duration ("PT15M").
        expect(page.get_by_role("alert")).to_contain_text("paused for up to 1 minute.")
        tour.check("locked-out", photo=True)
        tour.allowed_status = "status of 404"
        page.goto(f"{url}/no-such-page/")
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        tour.check("not-found", photo=True)
        tour.allowed_status = "status of 400"

        log_in(page, url, "alice")
        tour.check("home", photo=True)
        page.goto(f"{url}{site.quiz.get_absolute_url()}")
        tour.check("quiz", photo=True)
        take_the_quiz(tour, site)

        page.goto(f"{url}/sources/moscow-trials/")
        tour.check("source")
        question = site.questions[0]
        page.goto(f"{url}/sources/moscow-trials/?question={question.pk}#question-{question.pk}")
        tour.check("source-passage", photo=True)
        page.goto(f"{url}/progress/")
        tour.check("progress", photo=True)
        page.goto(f"{url}/progress/mistakes/")
        tour.check("mistakes", photo=True)
        page.goto(f"{url}/classes/")
        tour.check("classes", photo=True)
        page.goto(f"{url}/classes/join/")
        tour.check("join-class")
        page.get_by_label("Class code").fill("NOPE1234")
        page.get_by_role("button", name="Join").click()
        expect(page.locator(".field-error")).to_be_visible()
        tour.check("join-class-error", photo=True)
        page.goto(f"{url}/classes/{site.classroom.pk}/")
        expect(page.get_by_role("table")).to_be_visible()
        tour.check("classroom", photo=True)
    finally:
        context.close()

    print(tour.report())
    assert not tour.serious, "\n".join(tour.serious)
    assert not tour.overflow, "\n".join(tour.overflow)
    assert not tour.console, tour.console
