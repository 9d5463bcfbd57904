"""A student takes a quiz to the results in a real browser: with HTMX, and with JavaScript off."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz, Response
from tests.browser.student import answer_on_screen, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_quiz(shipped_banks):
    return Quiz.objects.get(slug="moscow-trials")


def test_alice_takes_the_demo_quiz_with_htmx_and_no_page_load(
    page, live_server, demo_quiz, artifacts
):
    log_in(page, live_server.url, "alice")
    page.get_by_role("link", name=demo_quiz.title, exact=True).click()
    page.get_by_role("button", name="Start quiz").click()
    # A marker on the window survives only while no new page is loaded.
    page.evaluate("window.stillTheSamePage = true")
    total = Attempt.objects.get().total
    # One request per answer: the feedback brings the next question's card along. (Chromium
    # asks for the favicon again when the title changes: static, cached in production.)
    asked: list[str] = []
    page.on(
        "request",
        lambda r: "/static/" in r.url or asked.append(f"{r.method} {r.url}"),
    )

    for number in range(1, total + 1):
        expect(
            page.get_by_role("progressbar", name=f"Question {number} of {total}")
        ).to_be_visible()
        expect(page.locator("progress")).to_have_attribute("value", str(number))
        expect(page).to_have_url(re.compile(rf"/attempts/\d+/questions/{number}/$"))
        expect(page).to_have_title(f"{demo_quiz.title}: question {number} · quizsite")
        if number > 1:  # focus moved from the Next button to the question's first field
            assert page.evaluate("!!document.activeElement.closest('#quiz-panel .question-card')")
        if number == 1:
            page.screenshot(path=artifacts / "question.png", full_page=True)
        answer_on_screen(page, right=number % 3 != 0)
        # Screen readers hear a short status, not the whole card read out.
        status = page.locator("#quiz-status[role=status]")
        if number > 1:
            expect(status).to_have_text(f"Question {number} of {total}")
        page.get_by_role("button", name="Check answer").click()
        feedback = page.locator("#quiz-panel .feedback")
        verdict = feedback.get_by_role("heading", name=re.compile("Correct|Incorrect"))
        expect(verdict).to_be_visible()
        if "Incorrect" in verdict.inner_text():
            expect(status).to_have_text(re.compile(r"^(Incorrect|Partly right: .+ points?)\.$"))
        else:
            expect(status).to_have_text("Correct.")
        assert page.locator("#quiz-panel").get_attribute("aria-live") is None
        expect(feedback.locator("blockquote")).to_be_visible()
        if number == 1:
            page.screenshot(path=artifacts / "feedback.png", full_page=True)
        last = number == total
        page.get_by_role("button", name="See results" if last else "Next question").click()

    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(rf"You scored [\d.]+ of {total}"))).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    answers = [a for a in asked if re.search(r"POST .*/questions/\d+/answer/$", a)]
    assert len(answers) == total and len(asked) == total + 1, asked  # and the results
    assert page.url.endswith(f"/attempts/{Attempt.objects.get().pk}/results/")
    page.screenshot(path=artifacts / "results.png", full_page=True)
    assert Response.objects.count() == total


def test_a_form_error_is_shown_in_place(page, live_server, demo_quiz):
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/quizzes/{demo_quiz.slug}/")
    page.get_by_role("button", name="Start quiz").click()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert not Response.objects.exists()


def test_alice_takes_the_demo_quiz_with_javascript_off(new_page, live_server, demo_quiz, artifacts):
    page = new_page(java_script_enabled=False)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/quizzes/{demo_quiz.slug}/")
    page.get_by_role("button", name="Start quiz").click()
    total = Attempt.objects.get().total
    for number in range(1, total + 1):
        expect(
            page.get_by_role("progressbar", name=f"Question {number} of {total}")
        ).to_be_visible()
        answer_on_screen(page, right=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_role("heading", name="Correct")).to_be_visible()
        if number == 2:
            # Reload and the back button must neither grade twice nor lose the answer.
            page.reload()
            page.go_back()
            page.go_forward()
            expect(page.get_by_role("heading", name="Correct")).to_be_visible()
        page.get_by_role(
            "button", name="See results" if number == total else "Next question"
        ).click()
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(page.get_by_text(f"You scored {total} of {total}")).to_be_visible()
    page.screenshot(path=artifacts / "results-no-js.png", full_page=True)
    assert Response.objects.count() == total
