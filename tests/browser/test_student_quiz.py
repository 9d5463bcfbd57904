"""The student's quiz on a phone (390 px) and a laptop (1280 px), issue 21: pages a person
lands on by address, text that needs JavaScript, print, and partial credit made clear.
Every page is scanned with axe and photographed to test-artifacts/quiz21-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from quizzes.models.attempts import start_attempt
from tests.browser.student import log_in
from tests.factories import MembershipFactory, UserFactory, matching_question

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
AXE = Axe()


def check(page: Page, artifacts: Path, label: str) -> None:
    """No axe violation of any impact, nothing scrolling sideways, and a photograph."""
    violations = [v["id"] for v in AXE.run(page).response["violations"]]
    assert not violations, (label, violations)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.viewport_size["width"], (label, width)
    page.screenshot(path=artifacts / f"quiz21-{label}.png", full_page=True)


@pytest.fixture
def alice(transactional_db):
    student = UserFactory(username="alice", display_name="Carl W.")
    MembershipFactory(student=student)
    return student


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_small_things(new_page, live_server, alice, artifacts: Path, viewport: str):
    url = live_server.url
    # The button's address is answered 405, which Chromium logs.
    page = new_page(viewport=VIEWPORTS[viewport], expected=("status of 405",))
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

    # Without JavaScript it does not claim to.
    page = new_page(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    log_in(page, url, "alice")
    page.goto(f"{url}/classes/{alice.memberships.get().classroom_id}/")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    expect(page.get_by_text("This board updates by itself")).to_be_hidden()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_partly_right_matching_answer(
    new_page, live_server, alice, artifacts: Path, viewport: str
):
    question = matching_question(explanation="Trotsky was expelled; Kirov was killed.")
    attempt = start_attempt(user=alice, quiz=question.quiz)
    page = new_page(viewport=VIEWPORTS[viewport])
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
    new_page, live_server, alice, artifacts: Path, viewport: str
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
    page = new_page(viewport=VIEWPORTS[viewport])
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


def finished_attempt(student, wrong: int, total: int = 15):
    """A finished attempt at `total` questions of the shipped banks, every type among them,
    the last `wrong` answered wrongly (a partly right matching one among them)."""
    from decimal import Decimal

    from django.core.management import call_command

    from quizzes.forms import AnswerForm
    from quizzes.models import Question, Quiz
    from tests.answers import answer_data
    from tests.factories import AttemptFactory, record

    call_command("load_banks", verbosity=0)
    quiz = Quiz.objects.get(slug="moscow-trials")
    bank = Question.objects.published().filter(quiz__source=quiz.source)
    questions = list(bank.exclude(type="matching").order_by("quiz", "position")[: total - 1])
    questions.insert(total - wrong, bank.filter(type="matching").first())
    attempt = AttemptFactory(
        user=student,
        quiz=quiz,
        question_ids=[q.pk for q in questions],
        max_score=sum(Decimal(q.points) for q in questions),
    )
    for n, question in enumerate(questions):
        right = n < total - wrong
        form = AnswerForm(question, attempt.seed, data=answer_data(attempt, question, right=right))
        assert form.is_valid(), form.errors
        answer = form.answer()
        if question.type == "matching" and not right:  # one pair right: partly right
            first = question.left_items()[0]
            answer["pairs"][str(first.id)] = first.id
        record(attempt, question, answer)
    return attempt


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_results_of_fifteen_questions_fit_three_phone_screens(
    new_page, live_server, alice, artifacts: Path, viewport: str
):
    attempt = finished_attempt(alice, wrong=4)
    page = new_page(viewport=VIEWPORTS[viewport])
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/results/")
    expect(page.locator(".score")).to_contain_text("You scored")
    expect(page.get_by_text("11 of 15 questions right, 1 partly right.")).to_be_visible()
    expect(page.get_by_role("heading", name="To look at again (4)")).to_be_visible()
    expect(page.locator(".review-list > li")).to_have_count(4)
    expect(page.locator(".review.is-partial .verdict")).to_have_text(
        "◐ Partly right: 0.3 of 1 point"
    )
    expect(page.get_by_role("heading", name="Right (11)")).to_be_visible()
    folded = page.locator(".folded-list > li > details")
    expect(folded).to_have_count(11)
    # One line each, the whole feedback a tap away.
    line = folded.first.locator("> summary").bounding_box()["height"]
    assert line < 50, line
    check(page, artifacts, f"{viewport}-results-15")
    height = page.evaluate("document.scrollingElement.scrollHeight")
    screen = VIEWPORTS[viewport]["height"]
    print(f"results of 15 questions at {viewport}: {height} px = {height / screen:.2f} screens")
    if viewport == "phone":
        assert height <= 3 * screen, height
    folded.first.locator("> summary").click()
    expect(folded.first.locator(".passage-fold")).to_be_visible()
    # Printed: every folded answer opens.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator(".folded-list details:not([open])")).to_have_count(0)

    # My mistakes, the same way: by topic with counts, what is still wrong open.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/progress/mistakes/")
    expect(page.locator(".mistake-topic")).not_to_have_count(0)
    expect(page.locator(".mistake-topic .topic-count").first).to_contain_text("mistake")
    expect(page.locator(".mistake-topic .review-list > li")).to_have_count(4)
    check(page, artifacts, f"{viewport}-mistakes")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_encouragement_without_speed(new_page, live_server, alice, artifacts: Path, viewport: str):
    from tests.browser.student import answer_on_screen
    from tests.factories import QuizFactory, single_choice_question

    quiz = QuizFactory(title="Three in a row")
    for _ in range(3):
        single_choice_question(quiz=quiz)
    attempt = start_attempt(user=alice, quiz=quiz)
    # Less motion asked for: the cheer appears without its pop.
    page = new_page(viewport=VIEWPORTS[viewport], reduced_motion="reduce")
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{attempt.get_absolute_url()}")
    for number in (1, 2, 3):
        answer_on_screen(page, right=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".feedback .verdict")).to_have_text("✓ Correct")
        if number < 3:
            expect(page.locator(".run-of-right")).to_have_count(0)
            page.get_by_role("button", name="Next question").click()
    cheer = page.locator(".run-of-right")
    expect(cheer).to_have_text("★ 3 in a row")
    assert cheer.evaluate("el => getComputedStyle(el).animationName") == "none"
    check(page, artifacts, f"{viewport}-three-in-a-row")
    page.get_by_role("button", name="See results").click()
    expect(page.get_by_text("You scored 3 of 3")).to_be_visible()
    page.goto(f"{live_server.url}/progress/")
    expect(page.locator(".streak")).to_have_text("★ 1 day of practice in a row")
    check(page, artifacts, f"{viewport}-progress-streak")
