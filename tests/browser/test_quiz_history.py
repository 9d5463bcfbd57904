"""Back, forward and reload during a quiz (issue 21, point 1): every step has its own address,
and each of them shows that step again, with JavaScript on (htmx pushes the addresses) and off
(links, forms and redirects), on a phone and on a laptop."""

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, Response
from tests.browser.student import answer_on_screen, log_in
from tests.factories import QuizFactory, UserFactory, single_choice_question

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "laptop": 1280}


@pytest.fixture
def two_questions(transactional_db):
    quiz = QuizFactory(title="Two questions")
    for _ in range(2):
        single_choice_question(quiz=quiz)
    UserFactory(username="alice", display_name="Alice")
    return quiz


def expect_whole_page(page: Page) -> None:
    """A whole page, not a fragment: htmx restoring history from a fragment would drop these."""
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("heading", name="Two questions", level=1)).to_be_visible()


def expect_question(page: Page, number: int) -> None:
    """The card of question `number`, to answer, at its own address."""
    expect_whole_page(page)
    expect(page).to_have_url(re.compile(rf"/attempts/\d+/questions/{number}/\??$"))
    expect(page.get_by_role("article", name=f"Question {number} of 2")).to_be_visible()
    expect(page.get_by_role("button", name="Check answer")).to_be_visible()


def expect_feedback(page: Page, number: int) -> None:
    """The feedback on question `number`, at the question's address: never its form again."""
    expect_whole_page(page)
    expect(page).to_have_url(re.compile(rf"/attempts/\d+/questions/{number}/\??$"))
    feedback = page.get_by_role("article", name=f"Feedback on question {number}")
    expect(feedback).to_be_visible()
    expect(feedback.get_by_role("heading", name=re.compile("Correct|Incorrect"))).to_be_visible()
    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)


def expect_results(page: Page) -> None:
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/results/\??$"))
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()


def settle(page: Page) -> None:
    """Let a reload that htmx starts on a history miss finish before the next step."""
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_back_forward_and_reload_show_each_step(
    new_page, live_server, two_questions, artifacts, javascript, width
):
    page = new_page(java_script_enabled=javascript, viewport={"width": width, "height": 800})
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{two_questions.get_absolute_url()}")
    page.get_by_role("button", name="Start quiz").click()
    name = f"history-{'js' if javascript else 'nojs'}-{width}"

    expect_question(page, 1)
    page.reload()
    expect_question(page, 1)

    answer_on_screen(page, right=False)
    page.get_by_role("button", name="Check answer").click()
    expect_feedback(page, 1)
    page.reload()  # the explanation stays; reload no longer skips to the next question
    expect_feedback(page, 1)
    expect(page.locator(".feedback blockquote")).to_be_visible()

    page.go_back()  # with htmx the answered card left history; without, its address is refetched
    settle(page)
    if "/questions/1/" in page.url:  # a GET form without fields ends its address with "?"
        expect_feedback(page, 1)
    else:
        expect(page).to_have_url(re.compile(rf"{two_questions.get_absolute_url()}$"))
        # The quiz's page, read afresh: not a stale "answered 0 of 2".
        expect(page.get_by_text("You have answered 1 of 2 questions so far.")).to_be_visible()
    page.go_forward()
    settle(page)
    expect_feedback(page, 1)

    page.get_by_role("button", name="Next question").click()
    expect_question(page, 2)
    page.go_back()
    settle(page)
    expect_feedback(page, 1)
    page.screenshot(path=artifacts / f"{name}-back-to-feedback.png", full_page=True)
    page.go_forward()
    settle(page)
    expect_question(page, 2)
    page.reload()
    expect_question(page, 2)

    answer_on_screen(page, right=True)
    page.get_by_role("button", name="Check answer").click()
    expect_feedback(page, 2)
    page.go_back()
    settle(page)
    # With htmx the answer replaced the card's history entry, so back is question 1's
    # feedback; without, the redirect after the post left the card's entry, which now shows
    # the feedback too. Never the card that would take a second answer.
    expect_feedback(page, 1 if javascript else 2)
    page.go_forward()
    settle(page)
    expect_feedback(page, 2)  # forward brings back the feedback, not an answerable form
    page.reload()
    expect_feedback(page, 2)

    page.get_by_role("button", name="See results").click()
    expect_results(page)
    page.go_back()
    settle(page)
    expect_feedback(page, 2)
    page.go_forward()
    settle(page)
    expect_results(page)
    page.reload()
    expect_results(page)
    page.screenshot(path=artifacts / f"{name}-results.png", full_page=True)

    attempt = Attempt.objects.get()
    assert attempt.is_finished and Response.objects.filter(attempt=attempt).count() == 2


def test_the_next_question_that_came_with_the_feedback_has_its_own_address(
    page, live_server, two_questions
):
    """The feedback brings the next card along and "Next question" shows it without a request:
    its address is pushed all the same, and back and forward load each step afresh."""
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{two_questions.get_absolute_url()}")
    page.get_by_role("button", name="Start quiz").click()
    answer_on_screen(page, right=True)
    page.get_by_role("button", name="Check answer").click()
    expect_feedback(page, 1)
    asked: list[str] = []
    page.on("request", lambda r: "/static/" in r.url or asked.append(r.url))
    page.get_by_role("button", name="Next question").click()
    expect_question(page, 2)
    assert asked == []
    page.go_back()
    settle(page)
    expect_feedback(page, 1)
    page.go_forward()
    settle(page)
    expect_question(page, 2)
    answer_on_screen(page, right=True)
    page.get_by_role("button", name="Check answer").click()
    expect_feedback(page, 2)
    assert Response.objects.filter(attempt=Attempt.objects.get()).count() == 2
