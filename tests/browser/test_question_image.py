"""A student takes a question with a picture, on a phone (390 px) and a laptop (1280 px): the
picture loads under the site's CSP from the app's own media path, fits the card, keeps its
space while it loads, comes back in the feedback, and axe finds no violation on either page."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from quizzes.images import clean_image
from tests.browser.student import answer_on_screen, log_in
from tests.factories import UserFactory, single_choice_question

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}
ALT = "A map of the Soviet Union in 1929 with Moscow marked by a red dot."
AXE = Axe()


def map_picture() -> bytes:
    """A wide picture, wider than a phone, so that scaling it down is seen."""
    image = Image.new("RGB", (900, 540), (236, 228, 205))
    draw = ImageDraw.Draw(image)
    draw.polygon([(80, 140), (820, 90), (860, 420), (120, 470)], fill=(190, 210, 170))
    draw.ellipse((230, 240, 262, 272), fill=(200, 30, 30))
    draw.text((275, 245), "Moscow", fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return clean_image(out.getvalue()).data


@pytest.fixture
def image_question(transactional_db):
    UserFactory(username="alice", display_name="Alice")
    question = single_choice_question()
    question.image_alt = ALT
    question.image.save("map.png", ContentFile(map_picture()), save=True)
    return question


def axe_violations(page: Page) -> list[str]:
    """Every axe violation, whatever its impact: a changed page has none."""
    results = AXE.run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


def picture_fits(page: Page, scope: str, width: int) -> None:
    picture = page.locator(f"{scope} img.question-image")
    expect(picture).to_have_attribute("alt", ALT)
    expect(picture).to_have_attribute("loading", "lazy")
    picture.scroll_into_view_if_needed()
    # Loaded (the CSP let it in, the media view served it) and no wider than the page.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    box = picture.bounding_box()
    assert box["width"] <= width and box["height"] == pytest.approx(box["width"] * 540 / 900, 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_student_takes_a_question_with_a_picture(
    new_page, live_server, image_question, artifacts, viewport
):
    width, height = VIEWPORTS[viewport]
    page = new_page(viewport={"width": width, "height": height})
    log_in(page, live_server.url, "alice")
    page.goto(live_server.url + image_question.quiz.get_absolute_url())
    page.get_by_role("button", name="Start quiz").click()

    picture_fits(page, ".question-card", width)
    assert axe_violations(page) == []
    page.screenshot(path=artifacts / f"image-question-{viewport}.png", full_page=True)

    answer_on_screen(page, right=False)
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".feedback").get_by_role("heading", name="Incorrect")).to_be_visible()
    picture_fits(page, ".feedback", width)
    assert axe_violations(page) == []
    page.screenshot(path=artifacts / f"image-feedback-{viewport}.png", full_page=True)
    # (A picture refused by the CSP would be a console error, which fails the test.)


def test_a_teacher_attaches_a_picture_in_the_admin(page, live_server, transactional_db, artifacts):
    from tests.browser.test_admin_authoring import admin_log_in
    from tests.factories import QuizFactory, TeacherFactory

    tess = TeacherFactory(username="tess", display_name="Tess")
    question = single_choice_question(quiz=QuizFactory(owner=tess))
    admin_log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/admin/quizzes/question/{question.pk}/change/")
    page.get_by_label("Picture:", exact=True).set_input_files(
        files=[{"name": "map.png", "mimeType": "image/png", "buffer": map_picture()}]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Describe the picture for a student who cannot see it.")
    ).to_be_visible()
    page.get_by_label("Picture:", exact=True).set_input_files(
        files=[{"name": "map.png", "mimeType": "image/png", "buffer": map_picture()}]
    )
    page.get_by_label("Picture's description").fill(ALT)
    page.screenshot(path=artifacts / "image-admin.png", full_page=False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    question.refresh_from_db()
    assert question.image_alt == ALT and (question.image_width, question.image_height) == (900, 540)
