"""Tess, a teacher, writes a quiz in the admin in a real browser: two questions of different
types (one refused until its answer is right), a preview as a student that records nothing,
publishing; then Alice, a student, takes it. Screenshots of each admin page go to
test-artifacts/."""

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Attempt, Quiz, Response, Status
from tests.browser.student import answer_on_screen, log_in
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    SourceDocumentFactory,
    TeacherFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def workshop(transactional_db):
    tess = TeacherFactory(username="tess", display_name="Tess")
    alice = UserFactory(username="alice", display_name="Alice")
    MembershipFactory(classroom=ClassroomFactory(teacher=tess, name="10B History"), student=alice)
    SourceDocumentFactory(title="The Great Purge", owner=tess)
    TopicFactory(name="The power struggle")
    return tess


def admin_log_in(page: Page, base_url: str, username: str) -> None:
    page.set_viewport_size(LAPTOP)
    page.goto(f"{base_url}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("quizsite-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your workshop")).to_be_visible()


def answer_row(page: Page, n: int, text: str, *, right: bool = False) -> None:
    page.locator(f'input[name="choices-{n}-text"]').fill(text)
    if right:
        page.locator(f'input[name="choices-{n}-is_correct"]').check()


def test_tess_writes_previews_and_publishes_a_quiz_and_alice_takes_it(
    page: Page, live_server, workshop, artifacts
):
    admin_log_in(page, live_server.url, "tess")
    page.screenshot(path=artifacts / "admin-index.png", full_page=True)

    # A new quiz on the source text.
    page.get_by_role("link", name="Your quizzes").click()
    page.get_by_role("link", name="Add quiz").click()
    page.get_by_label("Title").fill("Trotsky and the congress")
    page.get_by_label("Title").press("Tab")  # the slug follows the title
    expect(page.get_by_label("Slug")).to_have_value("trotsky-and-the-congress")
    page.get_by_label("Source").select_option(label="The Great Purge")
    page.get_by_label("Shared").check()  # every student sees it, not only Tess's classes
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    quiz = Quiz.objects.get(slug="trotsky-and-the-congress")
    assert (quiz.owner, quiz.status, quiz.shared) == (workshop, Status.DRAFT, True)

    # A single-choice question, refused until exactly one answer is ticked right.
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Type").select_option(label="Single choice")
    expect(page.locator("#qtype-help [data-qtype=single_choice]")).to_be_visible()
    expect(page.locator("#qtype-help [data-qtype=matching]")).to_be_hidden()
    expect(page.locator("th.column-match_text")).to_be_hidden()
    page.get_by_label("Prompt").fill("In which year was Trotsky expelled from the Soviet Union?")
    for n, year in enumerate(["1927", "1929", "1932"]):
        answer_row(page, n, year)
    page.get_by_label("Explanation").fill("The text says he was expelled in 1929.")
    page.get_by_label("Source passage").fill("Trotsky was expelled from the Soviet Union in 1929.")
    page.get_by_label("Topic").select_option(label="The power struggle")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(
        page.get_by_text("A single-choice question has exactly one right answer")
    ).to_be_visible()
    page.screenshot(path=artifacts / "admin-question-error.png", full_page=True)
    page.locator('input[name="choices-1-is_correct"]').check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("Found in “The Great Purge” at character 0")).to_be_visible()
    page.screenshot(path=artifacts / "admin-question.png", full_page=True)

    # A numeric question: the form swaps the answer rows for the number.
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/change/")
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Type").select_option(label="Numeric")
    expect(page.locator("#choices-group")).to_be_hidden()
    expect(page.get_by_label("Right number")).to_be_visible()
    page.get_by_label("Prompt").fill("How many of the 1,966 delegates were arrested?")
    page.get_by_label("Right number").fill("1108")
    page.get_by_label("Source passage").fill(
        "Of 1,966 delegates to the party congress in 1934, 1,108 were arrested."
    )
    page.get_by_label("Topic").select_option(label="The power struggle")
    page.screenshot(path=artifacts / "admin-question-numeric.png", full_page=True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert sorted(quiz.questions.values_list("type", flat=True)) == ["numeric", "single_choice"]

    # Preview as a student: answered with HTMX, nothing recorded.
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/change/")
    page.screenshot(path=artifacts / "admin-quiz.png", full_page=True)
    page.get_by_role("link", name="Preview as a student").click()
    expect(page.get_by_text("Preview as a student.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Question 1 of 2")).to_be_visible()
    page.get_by_label("1929", exact=True).check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("heading", name="Correct")).to_be_visible()
    page.screenshot(path=artifacts / "admin-preview.png", full_page=True)
    page.get_by_role("button", name="Next question").click()
    page.get_by_label("Your answer").fill("1,000")
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("heading", name="Incorrect")).to_be_visible()
    page.get_by_role("button", name="See results").click()
    expect(page.get_by_role("heading", name="End of the preview")).to_be_visible()
    assert not Attempt.objects.exists() and not Response.objects.exists()

    # Publish the questions (in the quiz's list of questions) and the quiz.
    page.get_by_role("link", name="Back to the quiz in the admin").click()
    statuses = page.locator("td.field-status select")
    expect(statuses).to_have_count(2)
    for select in statuses.all():
        select.select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    page.locator("select[name=action]").select_option(label="Publish the selected quizzes")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("students can take it now")
    quiz.refresh_from_db()
    assert quiz.status == Status.PUBLISHED
    assert quiz.question_pool().count() == 2

    # Alice takes it.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "alice")
    page.get_by_role("link", name="Trotsky and the congress").click()
    page.get_by_role("button", name="Start quiz").click()
    for number in (1, 2):
        answer_on_screen(page, right=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_role("heading", name="Correct")).to_be_visible()
        page.get_by_role("button", name="See results" if number == 2 else "Next question").click()
    expect(page.get_by_text("You scored 2 of 2")).to_be_visible()
    assert Response.objects.filter(user__username="alice").count() == 2

    # Back in the admin, the report counts her attempt.
    page.get_by_role("button", name="Log out").click()
    admin_log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/report/")
    expect(page.locator(".stat-tiles")).to_contain_text("1")
    page.screenshot(path=artifacts / "admin-report.png", full_page=True)
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/import/")
    page.screenshot(path=artifacts / "admin-import.png", full_page=True)

    # Her class: the quiz assigned, Alice in it, the gradebook a click away.
    page.goto(f"{live_server.url}/admin/quizzes/classroom/")
    page.get_by_role("link", name="10B History").click()
    page.get_by_text("Add another Assignment").click()
    page.locator("select[name=assignments-0-quiz]").select_option(label="Trotsky and the congress")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("Alice (alice)")).to_be_visible()
    expect(page.get_by_role("link", name="Download gradebook (CSV)")).to_be_visible()
    page.screenshot(path=artifacts / "admin-class.png", full_page=True)
