"""A class board left open: when the student logs out in another tab, the next poll takes the
page to the login form, and logging in brings them back to the board; when they are removed
from the class, the next poll reloads the page into "Not found". Never a login form or an
error swapped into the board, and no polling of a board that is gone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.student import log_in
from tests.factories import ClassroomFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def board(transactional_db, settings):
    settings.LEADERBOARD_POLL_SECONDS = 1
    classroom = ClassroomFactory(name="Year 9 History")
    alice = UserFactory(username="alice", display_name="Alice")
    MembershipFactory(classroom=classroom, student=alice)
    return classroom, alice


def test_logging_out_in_another_tab_sends_the_board_to_the_login_and_back(
    page, live_server, board, artifacts
):
    classroom, _ = board
    log_in(page, live_server.url, "alice")
    board_url = f"{live_server.url}{classroom.get_absolute_url()}"
    page.goto(board_url)
    expect(page.get_by_role("heading", name="This week")).to_be_visible()

    # Log out as another tab would: the Log out form's post, sent with this browser's cookies,
    # whose answer ends the session in this browser too. (A second tab opened while the board
    # polls made Chromium's new_page() hang now and then in the full suite.)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    logout = page.context.request.post(
        f"{live_server.url}/accounts/logout/", headers={"X-CSRFToken": csrf}, max_redirects=0
    )
    assert logout.status == 302
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/classes/\d+/$"), timeout=5_000)
    expect(page.get_by_label("Username")).to_be_visible()
    page.screenshot(path=artifacts / "board-session-ended.png", full_page=True)
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("quizsite-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(board_url)
    expect(page.get_by_role("heading", name="Year 9 History")).to_be_visible()
    # Stop polling before the test's database goes: the page outlives this test's fixtures.
    page.goto("about:blank")


def test_a_removed_student_s_board_reloads_into_not_found(new_page, live_server, board, artifacts):
    classroom, alice = board
    # The poll that finds the class gone is a 404, which Chromium logs; nothing else may be.
    page = new_page(expected=("status of 404",))
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{classroom.get_absolute_url()}")
    expect(page.get_by_role("heading", name="This week")).to_be_visible()

    classroom.remove_student(alice.pk)

    expect(page.get_by_role("heading", name="Not found")).to_be_visible(timeout=5_000)
    expect(page.locator("#leaderboard")).to_have_count(0)
    page.screenshot(path=artifacts / "board-student-removed.png", full_page=True)
