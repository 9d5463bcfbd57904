"""A student takes a quiz with the keyboard alone (issue 9).

Only page.keyboard is used to act (Tab, Shift+Tab, arrows, Space, Enter, typing): no clicks and
no fill, check or select_option. The page is only read, to know which answer is right and to
check where focus is. After every HTMX swap focus must land somewhere sensible, not on <body>:
the Next question button after an answer, the first field of the next question, the first field
again after a form error, and the Results heading at the end.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from quizzes.models import Question, Quiz
from tests.factories import (
    QuizFactory,
    UserFactory,
    matching_question,
    multiple_choice_question,
    ordering_question,
    short_answer_question,
    single_choice_question,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz(transactional_db) -> Quiz:
    UserFactory(username="alice", display_name="Alice")
    quiz = QuizFactory(title="Keyboard quiz")
    for position, make in enumerate(
        [
            single_choice_question,
            multiple_choice_question,
            ordering_question,
            matching_question,
            short_answer_question,
        ]
    ):
        make(quiz=quiz, position=position)
    return quiz


def focused(page: Page) -> Locator:
    return page.locator("*:focus")


def expect_visible_focus(page: Page) -> None:
    """Focus is on a real element, and it is drawn: :focus-visible, with an outline."""
    style = page.evaluate(
        """() => {
            const el = document.activeElement;
            const css = getComputedStyle(el);
            return {tag: el.tagName, visible: el.matches(":focus-visible"),
                    outline: css.outlineStyle, width: parseFloat(css.outlineWidth)};
        }"""
    )
    assert style["tag"] != "BODY", "focus was lost"
    assert style["visible"] and style["outline"] != "none" and style["width"] >= 2, style
    expect(focused(page)).to_be_in_viewport()


def tab_to(page: Page, target: Locator, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            expect_visible_focus(page)
            return
    raise AssertionError(f"{target} was not reached with Tab")


def question_on_screen(page: Page) -> Question:
    prompt = page.locator("legend.prompt").inner_text().strip()
    return Question.objects.prefetch_related("choices").get(prompt=prompt)


def check_and_expect_feedback(page: Page, verdict: str, next_button: str) -> None:
    expect(focused(page)).to_have_text("Check answer")
    expect_visible_focus(page)
    page.keyboard.press("Enter")
    panel = page.locator("#quiz-panel")
    # A run of right answers adds "3 in a row." to the status.
    expect(page.locator("#quiz-status[aria-live=polite]")).to_have_text(
        re.compile(rf"^{verdict}\.( \d+ in a row\.)?$")
    )
    # Colour is never the only sign: a mark and a word say right or wrong.
    mark = "✓" if verdict == "Correct" else "✗"
    expect(panel.locator(".verdict")).to_have_text(re.compile(rf"^\s*{mark}\s+{verdict}\s*$"))
    expect(focused(page)).to_have_text(next_button)
    expect_visible_focus(page)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 320, "height": 640}]
)
def test_alice_takes_a_quiz_with_the_keyboard_alone(
    page: Page, live_server, quiz, viewport, artifacts
):
    page.set_viewport_size(viewport)

    def photo(name: str) -> None:
        # What the student sees, focus ring included. caret="initial": hiding the caret would
        # leave style="" on inputs for htmx to copy into a swap, which the CSP then refuses.
        path = artifacts / f"keyboard-{viewport['width']}-{name}.png"
        page.screenshot(path=path, caret="initial")

    page.goto(f"{live_server.url}/accounts/login/")
    expect(focused(page)).to_have_attribute("name", "username")
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type("quizsite-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Signed in as")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Keyboard quiz", exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Start quiz"))
    page.keyboard.press("Enter")

    # The skip link leads past the header straight to the question.
    expect(page.locator("legend.prompt")).to_be_visible()
    page.keyboard.press("Tab")
    expect(focused(page)).to_have_text("Skip to content")
    expect_visible_focus(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    # 1. Single choice: Tab lands on the first radio; the arrows move and choose.
    question = question_on_screen(page)
    radios = page.locator(".question-card input[type=radio]")
    expect(radios.first).to_be_focused()
    expect_visible_focus(page)
    labels = [label.strip() for label in page.locator(".option").all_inner_texts()]
    right = labels.index(next(c.text for c in question.choices.all() if c.is_correct))
    for _ in range(right):
        page.keyboard.press("ArrowDown")
    if right == 0:
        page.keyboard.press("Space")
    expect(radios.nth(right)).to_be_checked()
    photo("radio")
    page.keyboard.press("Tab")
    check_and_expect_feedback(page, "Correct", "Next question")
    photo("feedback")
    page.keyboard.press("Enter")

    # 2. Multiple choice: focus moves to the first box; Space ticks, Tab moves on.
    expect(page.locator("legend.prompt")).to_have_text(re.compile("Select all that apply"))
    boxes = page.locator(".question-card input[type=checkbox]")
    expect(boxes.first).to_be_focused()
    expect_visible_focus(page)
    question = question_on_screen(page)
    right_texts = {c.text for c in question.choices.all() if c.is_correct}
    for label in page.locator(".option").all_inner_texts():
        if label.strip() in right_texts:
            page.keyboard.press("Space")
        page.keyboard.press("Tab")
    # Shift+Tab goes back to the last box, and Tab returns to the button.
    page.keyboard.press("Shift+Tab")
    expect(boxes.last).to_be_focused()
    page.keyboard.press("Tab")
    check_and_expect_feedback(page, "Correct", "Next question")
    page.keyboard.press("Enter")

    # 3. Ordering: first a form error (nothing chosen), after which focus goes back to the
    # first field; then each select is set by typing its position.
    selects = page.locator(".question-card select")
    expect(selects.first).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Check answer"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Give every event a position")
    expect(selects.first).to_be_focused()
    expect_visible_focus(page)
    photo("form-error")
    question = question_on_screen(page)
    place = {c.text: n for n, c in enumerate(question.sorted_choices(), start=1)}
    for label in page.locator(".select-list label").all_inner_texts():
        item = " ".join(label.split()).removeprefix("Position of ")
        page.keyboard.type(str(place[item]))
        page.keyboard.press("Tab")
    check_and_expect_feedback(page, "Correct", "Next question")
    page.keyboard.press("Enter")

    # 4. Matching: type the start of each partner's text; the decoy stays unchosen.
    expect(selects.first).to_be_focused()
    question = question_on_screen(page)
    partner = {c.text: c.match_text for c in question.left_items()}
    for label in page.locator(".select-list label").all_inner_texts():
        page.keyboard.type(partner[label.strip()].split()[0])
        page.keyboard.press("Tab")
    check_and_expect_feedback(page, "Correct", "Next question")
    page.keyboard.press("Enter")

    # 5. Short answer, answered wrongly: the box has focus; Enter sends it.
    answer_box = page.get_by_label("Your answer")
    expect(answer_box).to_be_focused()
    expect_visible_focus(page)
    page.keyboard.type("Trotsky")
    page.keyboard.press("Tab")
    check_and_expect_feedback(page, "Incorrect", "See results")
    page.keyboard.press("Enter")

    results = page.get_by_role("heading", name="Results", exact=True)
    expect(results).to_be_focused()
    photo("results")
    expect(page).to_have_title(re.compile("^Results: Keyboard quiz"))
    expect(page.get_by_text("You scored 4 of 5")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Try again"))
