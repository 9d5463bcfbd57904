"""Rough edges a student or a teacher ran into, each fixed and kept fixed: pages that must fit a
phone (375 px) and read well on a laptop, printing, wording and labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.student import log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    QuizFactory,
    TeacherFactory,
    single_choice_question,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def fits(page: Page) -> None:
    """Nothing scrolls sideways."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


def text_box(page: Page, selector: str) -> dict:
    """Where the text of the element is drawn (its box may stand elsewhere)."""
    return page.locator(selector).first.evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el);
                   const r = range.getBoundingClientRect(); return {x: r.x, right: r.right}; }"""
    )


@pytest.fixture
def tess_quiz(transactional_db):
    tess = TeacherFactory(username="tess", display_name="Tess")
    quiz = QuizFactory(title="The Moscow Trials", owner=tess)
    for n in range(1, 4):
        single_choice_question(quiz=quiz, prompt=f"Which year was trial number {n} held?")
    return quiz


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_question_sheet_numbers_its_questions_inside_the_page(
    new_page, live_server, tess_quiz, artifacts: Path, viewport, media
):
    """Each number stands at the left of its prompt, within the page's margin (an inline block
    inheriting the prompt's hanging indent had pushed it half out of the page, on paper too),
    and the Name and Date lines fit a phone."""
    page = new_page(viewport=viewport)
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/teach/quizzes/{tess_quiz.pk}/sheet/")
    page.emulate_media(media=media)
    expect(page.locator(".sheet-question")).to_have_count(3)
    fits(page)
    name, date = page.locator(".sheet-name .write-line").all()
    assert name.bounding_box()["y"] == date.bounding_box()["y"]  # one line, even on a phone
    edge = page.locator(".sheet-header").bounding_box()["x"]
    number = text_box(page, ".sheet-number")
    assert number["x"] == pytest.approx(edge, abs=1), (number, edge)
    # The lines under the prompt start after the number, not under it.
    assert number["right"] < page.locator(".sheet-how").first.bounding_box()["x"]
    page.screenshot(path=artifacts / f"rough-sheet-{viewport['width']}-{media}.png")


def test_the_admin_s_quiz_and_question_forms_pass_axe(new_page, live_server, tess_quiz, artifacts):
    """The breadcrumbs' links, and links in a sentence, could be told from their text by colour
    alone, and the rows of questions, answers and assignments had unnamed fields. (axe re-reads
    each stylesheet as an inline style, which the CSP refuses, and asks for forms.css's @import
    beside the page, a 404: its own noise.)"""
    from axe_playwright_python.sync_playwright import Axe

    page = new_page(viewport=LAPTOP, expected=("Content Security Policy", "status of 404"))
    log_in(page, live_server.url, "tess")
    question = tess_quiz.questions.first()
    classroom = ClassroomFactory(teacher=tess_quiz.owner)
    AssignmentFactory(classroom=classroom, quiz=tess_quiz)
    for url in (
        f"/admin/quizzes/quiz/{tess_quiz.pk}/change/",
        f"/admin/quizzes/question/{question.pk}/change/",
        "/admin/quizzes/question/",
        f"/admin/quizzes/classroom/{classroom.pk}/change/",
    ):
        page.goto(live_server.url + url)
        violations = Axe().run(page).response["violations"]
        serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], (url, serious)
    page.screenshot(path=artifacts / "rough-admin-questions.png")
