"""A student takes the mixed review, a pool quiz, in a real browser: the questions its attempt
drew at the start, in its order, through the card, the progress bar and the results."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz, Response
from tests.browser.student import answer_on_screen, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def review(shipped_banks):
    return Quiz.objects.get(slug="moscow-trials-mixed-review")


def test_alice_takes_the_mixed_review_as_her_attempt_drew_it(page, live_server, review, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/quizzes/{review.slug}/")
    page.get_by_role("button", name="Start quiz").click()
    attempt = Attempt.objects.get()
    total = attempt.total
    assert total == 16

    asked = []
    for number in range(1, total + 1):
        expect(
            page.get_by_role("progressbar", name=f"Question {number} of {total}")
        ).to_be_visible()
        asked.append(answer_on_screen(page, right=number % 4 != 0).pk)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator("#quiz-panel .feedback blockquote")).to_be_visible()
        if number == 1:
            page.screenshot(path=artifacts / "pool-feedback-phone.png", full_page=True)
        page.get_by_role(
            "button", name="See results" if number == total else "Next question"
        ).click()

    assert asked == attempt.question_ids  # the draw, in its order, and nothing else
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(rf"12 of {total} questions right"))).to_be_visible()
    assert Response.objects.filter(attempt=attempt).count() == total
