"""Signing in on a shared computer, in a real browser (issue 17): without "Keep me signed in on
this device" closing the browser signs the student out, with it they stay signed in; a
student changes their password; a teacher unlocks a student's login. Each new page passes axe
(the accessibility tour's checks) and is photographed to be looked at."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.student import log_in
from tests.browser.test_accessibility import Tour
from tests.factories import ClassroomFactory, MembershipFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a much longer secret 7"


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", display_name="Alice")


def _checked(page: Page, artifacts: Path, label: str) -> None:
    tour = Tour(page=page, viewport="laptop", artifacts=artifacts)
    tour.check(label)
    assert not tour.serious, tour.serious
    assert not tour.overflow, tour.overflow
    for width, name in ((1280, "laptop"), (320, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=artifacts / f"signin-{label}-{name}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def _reopened(browser: Browser, context: BrowserContext) -> BrowserContext:
    """The browser closed and opened again: only cookies with an expiry survive."""
    kept = [cookie for cookie in context.cookies() if cookie["expires"] != -1]
    context.close()
    reopened = browser.new_context()
    reopened.add_cookies(kept)
    return reopened


def _sign_in_and_close(browser: Browser, url: str, *, keep: bool) -> Page:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password", exact=True).fill("quizsite-demo")
    if keep:
        page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    page = _reopened(browser, context).new_page()
    page.goto(f"{url}/progress/")
    return page


def test_closing_the_browser_signs_out_unless_keep_me_signed_in_was_ticked(
    browser: Browser, live_server, alice, artifacts: Path
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Keep me signed in on this device")).not_to_be_checked()
    _checked(page, artifacts, "login")
    context.close()

    closed = _sign_in_and_close(browser, live_server.url, keep=False)
    expect(closed.get_by_role("heading", name="Log in")).to_be_visible()
    closed.context.close()

    kept = _sign_in_and_close(browser, live_server.url, keep=True)
    expect(kept.get_by_role("heading", name="My progress")).to_be_visible()
    session = next(c for c in kept.context.cookies() if c["name"] == "sessionid")
    assert 13.9 * 86400 < session["expires"] - time.time() <= 14 * 86400
    kept.context.close()


def test_a_student_changes_their_password(page: Page, live_server, alice, artifacts: Path):
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, url, "alice")
    page.get_by_role("link", name="My progress").click()
    page.get_by_role("link", name="Change my password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    _checked(page, artifacts, "password-change")

    page.get_by_label("Old password").fill("quizsite-demo")
    page.get_by_label("New password", exact=True).fill("short1234")
    page.get_by_label("New password confirmation").fill("short1234")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert").filter(has_text="too short")).to_be_visible()
    _checked(page, artifacts, "password-change-errors")

    page.get_by_label("Old password").fill("quizsite-demo")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_be_visible()  # still signed in here
    _checked(page, artifacts, "password-changed")

    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "alice", NEW_PASSWORD)


def test_a_teacher_unlocks_a_students_login(page: Page, live_server, alice, artifacts: Path):
    tess = TeacherFactory(username="tess", display_name="Tess")
    classroom = ClassroomFactory(name="Year 10 History", teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    page.set_viewport_size({"width": 1280, "height": 800})
    url = live_server.url
    page.goto(f"{url}/accounts/login/")
    for _ in range(5):  # a classmate at the next computer, typing wrong passwords for alice
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password", exact=True).fill("wrong")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many tries")).to_be_visible()

    page.goto(f"{url}/accounts/login/")
    log_in(page, url, "tess")
    page.goto(f"{url}/classes/{classroom.pk}/manage/")
    page.get_by_role("link", name="Unlock login of Alice").click()
    expect(page.get_by_role("heading", name="Unlock Alice's login?")).to_be_visible()
    _checked(page, artifacts, "unlock-student")
    page.get_by_role("button", name="Unlock login").click()
    expect(page.get_by_text("Alice can log in again now.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "alice")
