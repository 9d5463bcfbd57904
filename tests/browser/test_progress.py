"""Alice's progress in a real browser: she answers a quiz with some mistakes, sees her mastery,
practises her mistakes, and three days later (the clock moved with time-machine, which the
live server's thread shares) finds her questions due for review and reviews them."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from quizzes.models import Attempt
from tests.browser.student import answer_on_screen, log_in, question_on_screen
from tests.factories import QuizFactory, TopicFactory, UserFactory, single_choice_question

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 800}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def quiz(transactional_db):
    UserFactory(username="alice", display_name="Alice")
    quiz = QuizFactory(title="The road to the trials")
    for name in ["The three trials", "The power struggle"]:
        topic = TopicFactory(name=name)
        for _ in range(3):
            single_choice_question(quiz=quiz, topic=topic)
    return quiz


def answer_all(page: Page, *, right) -> None:
    """Answer each question of the attempt on screen, `right(question)` deciding how."""
    while True:
        question = question_on_screen(page)
        answer_on_screen(page, right=right(question))
        page.get_by_role("button", name="Check answer").click()
        expect(
            page.get_by_role("heading", name=re.compile("^(Correct|Incorrect)$"))
        ).to_be_visible()
        last = page.get_by_role("button", name="See results")
        if last.count():
            last.click()
            expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
            return
        page.get_by_role("button", name="Next question").click()


def topic_level(page: Page, topic: str):
    return page.locator(".topic", has=page.get_by_role("heading", name=topic)).locator(
        ".level-badge"
    )


def screenshot_both(page: Page, path) -> None:
    page.screenshot(path=path.with_name(f"{path.stem}-laptop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=path.with_name(f"{path.stem}-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)


def test_alice_practises_her_mistakes_and_reviews_them_days_later(
    page, live_server, quiz, artifacts
):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "alice")
    page.get_by_role("link", name=quiz.title, exact=True).click()
    page.get_by_role("button", name="Start quiz").click()
    # Two of the three questions on the power struggle go wrong.
    missed = set()

    def first_two_of_the_struggle_wrong(question):
        if question.topic.name == "The power struggle" and len(missed) < 2:
            missed.add(question.pk)
            return False
        return True

    answer_all(page, right=first_two_of_the_struggle_wrong)
    expect(page.get_by_text("You scored 4 of 6")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    expect(topic_level(page, "The three trials")).to_have_text("Level: Proficient")
    expect(topic_level(page, "The power struggle")).to_have_text("Level: Attempted")
    expect(page.get_by_text("1 of 3 questions right (33%)")).to_be_visible()
    expect(page.locator(".next-count").first).to_have_text("0 questions due for review")
    expect(page.get_by_text("2 mistakes to put right")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Scores on "))).to_be_visible()
    screenshot_both(page, artifacts / "progress.png")

    page.get_by_role("link", name="See my mistakes with the right answers").click()
    expect(page.get_by_role("heading", name="My mistakes", level=1)).to_be_visible()
    expect(page.locator(".review")).to_have_count(2)
    expect(page.locator(".review").first.get_by_text("Right answer")).to_be_visible()
    screenshot_both(page, artifacts / "mistakes.png")

    page.get_by_role("button", name="Practise my mistakes").click()
    expect(page.get_by_role("heading", name="Practise my mistakes", level=1)).to_be_visible()
    asked = set()

    def right_and_noted(question):
        asked.add(question.pk)
        return True

    answer_all(page, right=right_and_noted)
    assert asked == missed
    expect(page.get_by_text("You scored 2 of 2")).to_be_visible()
    page.get_by_role("link", name="See my progress").click()
    expect(topic_level(page, "The power struggle")).to_have_text("Level: Proficient")
    expect(page.get_by_text("0 mistakes to put right")).to_be_visible()

    with time_machine.travel(timezone.now() + timedelta(days=3), tick=True):
        log_in(page, live_server.url, "alice")  # a session lasts 12 hours at most
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="6 questions due for review")).to_be_visible()
        screenshot_both(page, artifacts / "home-review.png")
        page.get_by_role("button", name="Start review").click()
        expect(page.get_by_role("heading", name="Review", level=1)).to_be_visible()
        answer_all(page, right=lambda question: True)
        expect(page.get_by_text("You scored 6 of 6")).to_be_visible()
        page.get_by_role("link", name="See my progress").click()
        for topic in ["The three trials", "The power struggle"]:
            expect(topic_level(page, topic)).to_have_text("Level: Mastered")
        expect(page.locator(".next-count").first).to_have_text("0 questions due for review")
        screenshot_both(page, artifacts / "progress-mastered.png")

    kinds = sorted(Attempt.objects.values_list("kind", flat=True))
    assert kinds == ["practice", "quiz", "review"]
    assert not Attempt.objects.unfinished().exists()


def test_the_progress_page_works_without_javascript(new_page, live_server, quiz):
    page = new_page(java_script_enabled=False)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    page.get_by_role("button", name="Start quiz").click()
    answer_on_screen(page, right=False)
    page.get_by_role("button", name="Check answer").click()
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_text("1 mistake to put right")).to_be_visible()
    page.get_by_role("button", name="Practise my mistakes").click()
    expect(page.get_by_role("heading", name="Practise my mistakes", level=1)).to_be_visible()
