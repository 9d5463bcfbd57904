"""Issue 20, points 4 and 5, in a real browser.

Accounts as schools have them: Tess pastes her class list, prints the login cards (their print
rendering photographed, and printed to PDF: 30 cards on one A4 page), a student signs in with
the link of her card (one button, no password), another with the one-time password and is
asked to choose his own first. Questions from elsewhere: Tess imports a GIFT file whose
question quotes no source, publishes it, and Alice takes it and sees the explanation alone.
Every page passes axe with no violation of any impact."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from quizzes.models import Question, Status, User
from tests.browser.student import answer_on_screen, log_in
from tests.browser.test_accessibility import Tour
from tests.factories import ClassroomFactory, MembershipFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path("/work/wt/shots/h3-accounts")
A4 = {"width": 748, "height": 1077}  # inside A4 (210 x 297 mm) less 6 mm margins, at 96 px an inch
NEW_PASSWORD = "a much longer secret 7"
NAMES = [
    "Amara Okafor", "Ben Carter", "Chloé Dubois", "Dev Patel", "Ella Novak", "Finn O'Brien",
    "Grace Liu", "Hamza Khan", "Isla Murray", "Jonas Weber", "Kofi Mensah", "Lena Schmidt",
    "Mia Rossi", "Noah Smith", "Olivia Brown", "Priya Shah", "Quinn Taylor", "Rosa García",
    "Sami Haddad", "Tom Wilson", "Una Byrne", "Victor Ivanov", "Wen Zhang", "Xavier Lopez",
    "Yara Nasser", "Zoë Ólafsdóttir", "Noah Smith", "Aiden Walsh", "Bea Costa", "Cal Reid",
]  # fmt: skip


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def checked(page: Page, shots: Path, label: str) -> None:
    """axe finds nothing, of any impact; nothing scrolls sideways; a photograph to look at."""
    tour = Tour(page=page, viewport="laptop", artifacts=shots)
    tour.check(label)
    assert not tour.serious and not tour.findings, tour.serious + tour.findings
    assert not tour.overflow, tour.overflow
    page.screenshot(path=shots / f"{label}.png", full_page=True)


def test_tess_makes_accounts_prints_cards_and_her_students_sign_in(
    new_page, live_server, transactional_db, shots: Path
):
    tess = TeacherFactory(username="tess", display_name="Tess")
    classroom = ClassroomFactory(teacher=tess, name="7B History")
    page = new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/classes/{classroom.pk}/manage/")
    page.get_by_role("link", name="Add students from a list").click()
    page.get_by_label("Names, one a line").fill("\n".join(NAMES))
    expect(page.get_by_label("Put a sign-in link and its QR code on each card")).to_be_checked()
    checked(page, shots, "add-students")
    page.get_by_role("button", name="Add students and make their cards").click()

    expect(page.get_by_role("heading", name="Login cards: 30 students added")).to_be_visible()
    cards = page.locator("li.login-card")
    expect(cards).to_have_count(30)
    expect(page.locator("li.login-card svg.qr")).to_have_count(30)
    expect(page.get_by_role("button", name="Print the cards")).to_be_visible()
    checked(page, shots, "login-cards-screen")
    usernames = page.locator("li.login-card dd code").all_inner_texts()[0::2]
    passwords = page.locator("li.login-card dd code").all_inner_texts()[1::2]
    assert usernames[13] == "noah.s" and usernames[26] == "noah.s2"  # two Noah Smiths
    links = [a.get_attribute("href") for a in page.locator("li.login-card a").all()]

    # On paper: the intro and the header gone, 30 cut-out cards on one A4 page.
    page.emulate_media(media="print")
    page.set_viewport_size(A4)
    expect(page.get_by_role("heading", name="Login cards: 30 students added")).to_be_hidden()
    page.screenshot(path=shots / "login-cards-print.png", full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (shots / "login-cards.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # Nothing a student must type is cut off: every password fits its card.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll(".login-card")].filter(card =>
            [...card.querySelectorAll("code")].some(code =>
                code.getBoundingClientRect().right > card.getBoundingClientRect().right - 2))
            .length"""
    )
    assert clipped == 0

    # Amara scans her card's QR code: one button, and she is in, with no password to type.
    page = new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(links[0])
    expect(page.get_by_role("heading", name="Sign in as Amara Okafor?")).to_be_visible()
    checked(page, shots, "signin-link")
    page.get_by_role("button", name="Sign in as Amara Okafor").click()
    expect(page.get_by_text("Signed in as Amara Okafor")).to_be_visible()
    page.goto(f"{live_server.url}/progress/")
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()

    # Ben types his username and one-time password: he chooses his own password first.
    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/progress/")
    page.get_by_label("Username").fill(usernames[1])
    page.get_by_label("Password").fill(passwords[1])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    checked(page, shots, "choose-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    assert User.objects.get(username=usernames[1]).check_password(NEW_PASSWORD)

    # Tess replaces Amara's lost card: the old link stops working (a 404, which Chromium logs).
    page = new_page(viewport={"width": 1280, "height": 900}, expected=("status of 404",))
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/classes/{classroom.pk}/manage/")
    page.get_by_role("link", name="Password and card of Amara Okafor").click()
    checked(page, shots, "student-login")
    page.get_by_role("button", name="Print a new card").click()
    expect(page.locator("li.login-card")).to_have_count(1)
    page.goto(links[0])
    expect(page.get_by_role("heading", name="This sign-in link does not work")).to_be_visible()


GIFT = """// A question from elsewhere: no quizsite-passage line.
::capital:: Which city was the capital of the Soviet Union from 1918? {
=Moscow
~Leningrad
~Kiev
####The Bolsheviks moved the capital from Petrograd to Moscow in March 1918.}
"""


def test_an_imported_question_without_a_source_is_published_and_taken(
    page: Page, live_server, transactional_db, shots: Path, tmp_path: Path
):
    tess = TeacherFactory(username="tess", display_name="Tess")
    alice = UserFactory(username="alice", display_name="Alice")
    classroom = ClassroomFactory(teacher=tess, name="10B History")
    MembershipFactory(classroom=classroom, student=alice)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/admin/quizzes/quiz/import/")
    page.get_by_label("Title").fill("Soviet capitals")
    gift = tmp_path / "capitals.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(gift)
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messagelist")).to_contain_text("quote no source passage")

    # Marked "No source" in the list of questions; published like any other.
    page.goto(f"{live_server.url}/admin/quizzes/question/")
    expect(page.locator(".badge.no-source")).to_have_count(1)
    page.screenshot(path=shots / "admin-no-source.png", full_page=True)
    page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    page.locator("select[name=action]").select_option(
        label="Publish (accept) the selected questions"
    )
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 question.")
    page.goto(f"{live_server.url}/admin/quizzes/quiz/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    page.locator("select[name=action]").select_option(label="Publish the selected quizzes")
    page.get_by_role("button", name="Go").click()
    assert Question.objects.get(key="capital").status == Status.PUBLISHED
    # Set for Alice's class (a teacher's quiz is seen by the classes it is set for).
    page.goto(f"{live_server.url}/classes/{classroom.pk}/manage/")
    page.get_by_label("Quiz", exact=True).select_option(label="Soviet capitals")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Soviet capitals is assigned")).to_be_visible()

    # Alice takes it: the explanation, and no empty source box.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "alice")
    page.get_by_role("link", name="Soviet capitals").first.click()
    page.get_by_role("button", name=re.compile("^Start attempt 1")).click()  # the assignment
    answer_on_screen(page, right=False)
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_role("heading", name="Incorrect")).to_be_visible()
    expect(page.get_by_text("The Bolsheviks moved the capital")).to_be_visible()
    expect(page.locator("figure.passage")).to_have_count(0)
    checked(page, shots, "no-source-feedback")
