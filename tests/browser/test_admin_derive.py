"""Tess derives draft questions from a pasted text in a real browser, reviews them best first,
edits one, publishes it and its quiz; then Alice takes the quiz. Screenshots go to
test-artifacts/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizzes.grading import QuestionType
from quizzes.models import Question, Quiz, Response, Status
from tests.browser.student import log_in
from tests.browser.test_admin_authoring import admin_log_in
from tests.factories import TeacherFactory, UserFactory

pytestmark = pytest.mark.browser
TEXT = (Path(__file__).parents[1] / "data" / "berlin-wall.txt").read_text(encoding="utf-8")


def answer_rightly(page: Page, question: Question) -> None:
    """Answer this question rightly (derived drafts may share a prompt, so the student helper,
    which finds the question by its prompt, cannot tell them apart)."""
    expect(page.locator("legend.prompt")).to_contain_text(question.prompt[:40])
    choices = question.sorted_choices()
    match QuestionType(question.type):
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE | QuestionType.MULTIPLE_CHOICE:
            for choice in choices:
                if choice.is_correct:
                    page.get_by_label(choice.text, exact=True).check()
        case QuestionType.SHORT_ANSWER:
            page.get_by_label("Your answer").fill(choices[0].text)
        case QuestionType.NUMERIC:
            page.get_by_label("Your answer").fill(str(question.numeric_answer.normalize()))
        case QuestionType.ORDERING:
            for place, item in enumerate(choices, start=1):
                page.get_by_label(f"Position of {item.text}", exact=True).select_option(str(place))


@pytest.fixture
def people(transactional_db):
    TeacherFactory(username="tess", display_name="Tess")
    UserFactory(username="alice", display_name="Alice")


def test_tess_derives_reviews_and_publishes_and_alice_takes_the_quiz(
    page: Page, live_server, people, artifacts
):
    admin_log_in(page, live_server.url, "tess")
    page.get_by_role("link", name="Derive questions from a text").click()
    page.get_by_label("Title").fill("The Berlin Wall")
    page.get_by_label("Paste the text").fill(TEXT)
    page.screenshot(path=artifacts / "admin-derive.png", full_page=False)
    page.get_by_role("button", name="Derive draft questions").click()

    expect(page.locator(".messagelist")).to_contain_text("best first")
    quiz = Quiz.objects.get(title="The Berlin Wall")
    assert quiz.status == Status.DRAFT and quiz.questions.exists()
    page.screenshot(path=artifacts / "admin-derived-quiz.png", full_page=True)

    # Review the drafts, best first: open the best one and edit it.
    page.get_by_role("link", name="Review the drafts, best first").click()
    expect(page.get_by_role("columnheader", name="Confidence")).to_be_visible()
    page.screenshot(path=artifacts / "admin-drafts.png", full_page=True)
    best = quiz.questions.order_by("-confidence", "position").first()
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_text(re.compile(r"Found in “The Berlin Wall” at character"))).to_be_visible()
    explanation = page.get_by_label("Explanation")
    explanation.fill(explanation.input_value() + " Checked by Tess.")
    page.screenshot(path=artifacts / "admin-draft-edit.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    best.refresh_from_db()
    assert best.explanation.endswith("Checked by Tess.")

    # Accept it: publish the question, then its quiz.
    page.goto(
        f"{live_server.url}/admin/quizzes/question/?quiz__id__exact={quiz.pk}&status__exact=draft"
    )
    page.locator("#result_list tbody tr").first.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(
        label="Publish (accept) the selected questions"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 question.")
    expect(page.locator(".messagelist")).to_contain_text("is still a draft")
    best.refresh_from_db()
    assert best.status == Status.PUBLISHED

    page.goto(f"{live_server.url}/admin/quizzes/quiz/")
    page.get_by_role("row", name=re.compile("The Berlin Wall")).locator(
        "input.action-select"
    ).check()
    page.locator("select[name=action]").select_option(label="Publish the selected quizzes")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("students can take it now")
    # Shared with every student of the site (a quiz not shared is only for its classes).
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/change/")
    page.get_by_label("Shared").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Alice takes it: one published question.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "alice")
    page.get_by_role("heading", name="The Berlin Wall").get_by_role("link").click()
    page.get_by_role("button", name="Start quiz").click()
    expect(page.get_by_role("progressbar", name="Question 1 of 1")).to_be_visible()
    answer_rightly(page, best)
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("heading", name="Correct")).to_be_visible()
    expect(page.get_by_text("Checked by Tess.")).to_be_visible()
    page.get_by_role("button", name="See results").click()
    expect(page.get_by_text("You scored 1 of 1")).to_be_visible()
    assert Response.objects.get().question == best
    assert (
        Question.objects.filter(quiz=quiz, status=Status.DRAFT).count()
        == quiz.questions.count() - 1
    )
