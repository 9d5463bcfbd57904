"""The student's quiz on a phone (390 px) and a laptop (1280 px), issue 21: pages a person
lands on by address, text that needs JavaScript, print, and partial credit made clear.
Every page is scanned with axe and photographed to test-artifacts/quiz21-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from quizzes.models.attempts import start_attempt
from tests.browser.student import log_in
from tests.factories import MembershipFactory, UserFactory, matching_question

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
AXE = Axe()


def check(page: Page, artifacts: Path, label: str) -> None:
    """No serious or critical axe finding, nothing scrolling sideways, and a photograph."""
    violations = AXE.run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, (label, serious)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.viewport_size["width"], (label, width)
    page.screenshot(path=artifacts / f"quiz21-{label}.png", full_page=True)


@pytest.fixture
def alice(transactional_db):
    student = UserFactory(username="alice", display_name="Carl W.")
    MembershipFactory(student=student)
    return student


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_small_things(browser: Browser, live_server, alice, artifacts: Path, viewport: str):
    url = live_server.url
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    log_in(page, url, "alice")
    # A bookmarked button's address: a page that says where the button is, not "HTTP ERROR 405".
    page.goto(f"{url}/progress/review/")
    expect(
        page.get_by_role("heading", name="This address is reached with a button")
    ).to_be_visible()
    page.get_by_role("link", name="My progress").last.click()
    expect(page.get_by_role("heading", name="My progress", exact=True)).to_be_visible()
    page.goto(f"{url}/progress/review/")
    check(page, artifacts, f"{viewport}-405")
    # With JavaScript the class board says it updates itself.
    page.goto(f"{url}/classes/{alice.memberships.get().classroom_id}/")
    expect(page.get_by_text("This board updates by itself")).to_be_visible()
    # Printed, the page has no navigation.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    context.close()

    # Without JavaScript it does not claim to.
    context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    page = context.new_page()
    log_in(page, url, "alice")
    page.goto(f"{url}/classes/{alice.memberships.get().classroom_id}/")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    expect(page.get_by_text("This board updates by itself")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_partly_right_matching_answer(
    browser: Browser, live_server, alice, artifacts: Path, viewport: str
):
    question = matching_question(explanation="Trotsky was expelled; Kirov was killed.")
    attempt = start_attempt(user=alice, quiz=question.quiz)
    page = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{attempt.get_absolute_url()}")
    page.get_by_label("Trotsky", exact=True).select_option(label="Expelled in 1929")
    page.get_by_label("Kirov", exact=True).select_option(label="Head of the NKVD")
    page.get_by_role("button", name="Check answer").click()
    verdict = page.locator(".feedback .verdict")
    expect(verdict).to_have_text("◐ Partly right")
    expect(verdict).to_be_in_viewport()
    expect(page.get_by_text("You earned 0.5 of 1 point.")).to_be_visible()
    # Each pair in the right answer's order, marked beside the student's own.
    rows = page.locator(".answer-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Trotsky")
    expect(rows.nth(0).locator(".mark")).to_have_text("✓")
    expect(rows.nth(1)).to_contain_text("Kirov")
    expect(rows.nth(1).locator(".mark")).to_have_text("✗")
    expect(rows.nth(1)).to_contain_text("Killed in 1934")
    check(page, artifacts, f"{viewport}-partly-right-matching")
    page.get_by_role("button", name="See results").click()
    expect(page.get_by_text("You scored 0.5 of 1")).to_be_visible()
    check(page, artifacts, f"{viewport}-results-partial")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Try again")).to_be_hidden()
    page.screenshot(path=artifacts / f"quiz21-{viewport}-results-print.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_progress_chart_has_a_labelled_line_per_quiz(
    browser: Browser, live_server, alice, artifacts: Path, viewport: str
):
    from datetime import timedelta

    from django.utils import timezone

    from quizzes.models import Attempt
    from tests.test_progress import history

    history(alice, 7, quizzes=2)
    # Bank 0's attempts on days apart; Bank 1's all on one day.
    now = timezone.now()
    bank0 = Attempt.objects.filter(quiz__title="Bank 0", finished_at__isnull=False)
    for n, attempt in enumerate(bank0.order_by("started_at")):
        finished = now - timedelta(days=9 - 3 * n)
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=finished - timedelta(minutes=5), finished_at=finished
        )
    page = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/progress/")
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(2)
    expect(charts.locator("h3")).to_have_text(["Bank 0", "Bank 1"])
    first_dates = charts.nth(0).locator("text.date-label")
    expect(first_dates).to_have_count(2)
    day = f"{(now - timedelta(days=9)).day} {(now - timedelta(days=9)):%b}"
    expect(first_dates.first).to_have_text(day)
    # One day's attempts: the day once, not "6 Dec ... 6 Dec".
    expect(charts.nth(1).locator("text.date-label")).to_have_count(1)
    page.get_by_text("Show these scores as a table").click()
    expect(page.locator(".chart-table tbody tr")).to_have_count(7)
    check(page, artifacts, f"{viewport}-progress-charts")
