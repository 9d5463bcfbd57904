"""A class takes a quiz while the board updates live: two students answer in their own browser
contexts, and the teacher's page (a third context) shows the board change without a reload.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from quizzes import leaderboards
from quizzes.models import Classroom
from tests.browser.student import answer_on_screen, log_in
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    TeacherFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
POLL = 5_000  # ms between polls: this test sets LEADERBOARD_POLL_SECONDS to 5 (default 10)


@pytest.fixture
def year10(transactional_db) -> Classroom:
    leaderboards.clear_redis()
    classroom = ClassroomFactory(name="Year 10 History", teacher=TeacherFactory(username="tess"))
    quiz = QuizFactory(title="The Kirov affair")
    for position in range(3):
        single_choice_question(quiz=quiz, position=position)
    AssignmentFactory(classroom=classroom, quiz=quiz)
    for username, name in [("ann", "Ann"), ("ben", "Ben"), ("cat", "Cat")]:
        MembershipFactory(
            classroom=classroom, student=UserFactory(username=username, display_name=name)
        )
    yield classroom
    leaderboards.clear_redis()


def take_quiz(page: Page, base_url: str, quiz_title: str, rights: list[bool]) -> None:
    page.goto(f"{base_url}/")
    page.get_by_role("link", name=quiz_title).first.click()
    page.get_by_role("button", name=re.compile("Start attempt|Resume attempt")).click()
    for right in rights:
        answer_on_screen(page, right=right)
        page.get_by_role("button", name="Check answer").click()
        expect(
            page.get_by_role("heading", name=re.compile("^(Correct|Incorrect)$"))
        ).to_be_visible()
        page.get_by_role("button", name=re.compile("Next question|See results")).click()


def board_rows(page: Page):
    return page.locator("#leaderboard tbody tr")


def test_the_board_updates_live_while_two_students_answer(
    new_page, live_server, year10, artifacts, settings
):
    settings.LEADERBOARD_POLL_SECONDS = POLL // 1000
    quiz_title = "The Kirov affair"
    board_url = f"{live_server.url}{year10.get_absolute_url()}?board=week"

    teacher = new_page(viewport=LAPTOP)
    log_in(teacher, live_server.url, "tess")
    teacher.goto(board_url)
    expect(teacher.get_by_text("No points on this board yet")).to_be_visible()
    teacher.evaluate("window.stillTheSamePage = true")
    polls: list[int] = []
    teacher.on(
        "response",
        lambda r: "since=" in r.url and polls.append(r.status),
    )

    ann = new_page(viewport=PHONE)
    ben = new_page(viewport=PHONE)
    log_in(ann, live_server.url, "ann")
    log_in(ben, live_server.url, "ben")

    take_quiz(ann, live_server.url, quiz_title, [True])
    expect(board_rows(teacher)).to_have_count(1, timeout=2 * POLL + 2_000)
    expect(board_rows(teacher).first).to_contain_text("Ann")
    expect(board_rows(teacher).first).to_contain_text("1")

    take_quiz(ben, live_server.url, quiz_title, [True, True])
    expect(board_rows(teacher).first).to_contain_text("Ben", timeout=2 * POLL + 2_000)
    expect(board_rows(teacher).nth(1)).to_contain_text("Ann")
    teacher.screenshot(path=artifacts / "leaderboard-teacher-live.png", full_page=True)

    # Nothing changes for a while: the polls are answered 204 and nothing is swapped.
    swapped = teacher.locator("#leaderboard").element_handle()
    teacher.wait_for_timeout(POLL + 1_000)
    assert 204 in polls and 200 in polls
    assert swapped.evaluate("node => node.isConnected")
    assert teacher.evaluate("window.stillTheSamePage") is True

    # Ann, on her phone, sees her own row marked in words and a goal within reach.
    ann.goto(board_url)
    me = ann.locator("#leaderboard tr[aria-current=true]")
    expect(me).to_contain_text("Ann (you)")
    expect(ann.get_by_text("1 more point to catch the place above.")).to_be_visible()
    ann.screenshot(path=artifacts / "leaderboard-student-phone.png", full_page=True)

    # Cat has no points yet: she is not ranked, and told how to get onto the board.
    cat = new_page(viewport=PHONE)
    log_in(cat, live_server.url, "cat")
    cat.goto(board_url)
    expect(cat.get_by_text("Answer a question right to get onto this board.")).to_be_visible()
    expect(cat.locator("#leaderboard tr[aria-current=true] .place")).to_contain_text("No place yet")


def test_a_student_joins_with_the_code_and_finds_the_class(page, live_server, year10, artifacts):
    UserFactory(username="dev", display_name="Dev")
    log_in(page, live_server.url, "dev")
    page.get_by_role("link", name="My classes").click()
    page.get_by_role("link", name="Join a class").click()
    page.get_by_label("Class code").fill("nope nope")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("No class has that code")).to_be_visible()
    page.screenshot(path=artifacts / "class-join-error.png", full_page=True)
    code = year10.join_code
    page.get_by_label("Class code").fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Year 10 History", level=1)).to_be_visible()
    expect(page.get_by_text("You joined Year 10 History.")).to_be_visible()
    page.get_by_role("link", name="Quizzes", exact=True).click()
    expect(page.get_by_role("heading", name="Assigned to you")).to_be_visible()
    expect(page.get_by_role("link", name="The Kirov affair").first).to_be_visible()


def test_a_finished_assignment_is_folded_into_done(page, live_server, year10, artifacts):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "ann")
    page.get_by_role("link", name="Quizzes", exact=True).click()
    assigned = page.locator("section.assigned")
    expect(assigned.get_by_text("To do")).to_be_visible()
    assigned.get_by_role("link", name="The Kirov affair").click()
    page.get_by_role("button", name="Start attempt 1 of 1").click()
    for number in range(1, 4):
        answer_on_screen(page, right=True)
        page.get_by_role("button", name="Check answer").click()
        page.get_by_role("button", name="See results" if number == 3 else "Next question").click()
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()

    page.get_by_role("link", name="Quizzes", exact=True).click()
    expect(assigned.get_by_text("All done")).to_be_visible()
    kirov = assigned.get_by_role("link", name="The Kirov affair")
    expect(kirov).to_be_hidden()
    assigned.get_by_text("Done (1)").focus()
    page.keyboard.press("Enter")  # a <details>: opens with the keyboard, no script needed
    expect(kirov).to_be_visible()
    expect(assigned.get_by_text("Done: 100%")).to_be_visible()
    page.screenshot(path=artifacts / "home-assignments-done.png", full_page=True)


@pytest.mark.usefixtures("join_limit")
def test_guessing_class_codes_makes_a_student_wait(page, live_server, year10, artifacts):
    UserFactory(username="eve", display_name="Eve")
    log_in(page, live_server.url, "eve")
    page.goto(f"{live_server.url}/classes/join/")
    code = page.get_by_label("Class code")
    for n in range(11):
        code.fill(f"AAAA{n:04}")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("No class has that code")).to_be_visible()
    code.fill(year10.join_code)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("alert")).to_contain_text("too many wrong codes")
    expect(page.get_by_label("Class code")).to_be_focused()
    page.screenshot(path=artifacts / "class-join-too-many.png", full_page=True)
    assert not year10.students.filter(username="eve").exists()
