"""Issue 20, points 1, 2 and 6 as a teacher and students use them, in the browser:

1. who sees what: Tess's own quiz is seen by her class, not by a student of another class;
2. assignments that count: Tess sets a quiz with 2 attempts, the best counting; Alice takes it
   twice (the first attempt's feedback keeps the right answers back), the best counts on her
   page and in the gradebook;
6. safety rails: a new code and unassigning ask first (pages that work without JavaScript),
   and unpublishing an assigned quiz in the admin names the class and asks; Alice then sees
   the assignment as withdrawn, with no link.

axe runs on every new page and accepts no violation. Screenshots go to the artifacts folder,
and to /work/wt/shots/h1-assign/ when it exists (the lead looks at them there).
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from quizzes.models import Classroom, Quiz
from tests.browser.student import answer_on_screen, log_in
from tests.factories import (
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    TeacherFactory,
    TopicFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1280, "height": 900}
SHOTS = Path("/work/wt/shots/h1-assign")
AXE = Axe()


@pytest.fixture
def year10(transactional_db) -> Classroom:
    """Tess's class with Alice; Bob in Otto's class; Tess's own quiz of two questions, not
    shared, not yet set."""
    tess = TeacherFactory(username="tess", display_name="Tess")
    classroom = ClassroomFactory(name="Year 10 History", teacher=tess)
    MembershipFactory(
        classroom=classroom, student=UserFactory(username="alice", display_name="Alice")
    )
    otto = TeacherFactory(username="otto", display_name="Otto")
    bob = UserFactory(username="bob", display_name="Bob")
    MembershipFactory(classroom=ClassroomFactory(name="Year 9", teacher=otto), student=bob)
    quiz = QuizFactory(title="The Kirov affair", owner=tess, shared=False)
    topic = TopicFactory(name="Paragraph 1: Kirov")
    for position in range(2):
        single_choice_question(quiz=quiz, position=position, topic=topic)
    return classroom


def shot(page: Page, artifacts: Path, name: str) -> None:
    path = artifacts / f"assignments-{name}.png"
    page.screenshot(path=path, full_page=True)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def no_axe_violation(page: Page) -> None:
    page.wait_for_load_state()
    violations = AXE.run(page).response["violations"]
    assert not violations, [(v["id"], v["impact"], v["help"]) for v in violations]


def take(page: Page, rights: list[bool], *, button: str) -> list[str]:
    """Start from the quiz page with `button` and answer; returns each feedback's text."""
    page.get_by_role("button", name=button).click()
    texts = []
    for number, right in enumerate(rights, start=1):
        answer_on_screen(page, right=right)
        page.get_by_role("button", name="Check answer").click()
        feedback = page.locator("article.feedback")
        expect(feedback).to_be_visible()
        texts.append(feedback.inner_text())
        if number == 1 and not right:
            no_axe_violation(page)
        last = number == len(rights)
        page.get_by_role("button", name="See results" if last else "Next question").click()
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
    return texts


def test_a_teacher_sets_two_attempts_and_the_best_counts(new_page, live_server, year10, artifacts):
    quiz = Quiz.objects.get(title="The Kirov affair")
    teacher, alice = new_page(viewport=LAPTOP), new_page(viewport=LAPTOP)
    bob = new_page(viewport=LAPTOP, expected=("status of 404",))  # a quiz not his to see

    # 1. Before it is set, neither student sees Tess's own quiz.
    log_in(alice, live_server.url, "alice")
    expect(alice.get_by_role("link", name="The Kirov affair")).to_have_count(0)

    # 2. Tess sets it from the class page: due in a week, 2 attempts, the best counts.
    log_in(teacher, live_server.url, "tess")
    teacher.goto(f"{live_server.url}/classes/{year10.pk}/manage/")
    teacher.get_by_label("Quiz", exact=True).select_option(label="The Kirov affair")
    due = timezone.localtime() + timedelta(days=7)
    teacher.get_by_label("Due (optional)").fill(due.strftime("%Y-%m-%dT09:00"))
    teacher.get_by_label("Attempts allowed").select_option(label="2")
    teacher.get_by_label("Which score counts").select_option(label="Best attempt")
    no_axe_violation(teacher)
    shot(teacher, artifacts, "1-teacher-sets-rules")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.get_by_text("The Kirov affair is assigned to Year 10 History.")).to_be_visible()
    expect(teacher.get_by_text("2 attempts, the best counts")).to_be_visible()

    # Alice now sees it, due next week; Bob, of Otto's class, does not.
    alice.goto(f"{live_server.url}/")
    assigned = alice.locator("section.assigned")
    expect(assigned.get_by_text(f"Due {due:%A} {due.day} {due:%B}, 09:00")).to_be_visible()
    log_in(bob, live_server.url, "bob")
    expect(bob.get_by_role("link", name="The Kirov affair")).to_have_count(0)
    bob.goto(f"{live_server.url}{quiz.get_absolute_url()}")
    expect(bob.get_by_role("heading", name="Not found")).to_be_visible()
    shot(bob, artifacts, "2-other-class-student-404")

    # 3. Alice's first attempt: all wrong, and the feedback keeps the right answer back.
    assigned.get_by_role("link", name="The Kirov affair").click()
    expect(alice.get_by_text("2 attempts, your best counts.")).to_be_visible()
    no_axe_violation(alice)
    shot(alice, artifacts, "3-student-quiz-page")
    feedback = take(alice, [False, False], button="Start attempt 1 of 2")
    assert all("Right answer" not in text for text in feedback)
    assert "shows the right answers on your last attempt" in feedback[0]
    shot(alice, artifacts, "4-results-answers-held-back")

    # Her second: all right. The best (100%) counts, not the first (0%).
    alice.goto(f"{live_server.url}{quiz.get_absolute_url()}")
    expect(alice.get_by_text("Your score that counts: 0%")).to_be_visible()
    take(alice, [True, True], button="Start attempt 2 of 2")
    alice.goto(f"{live_server.url}{quiz.get_absolute_url()}")
    expect(alice.get_by_text("Your score that counts: 100%")).to_be_visible()
    expect(alice.get_by_text("You have used your 2 attempts at this assignment.")).to_be_visible()
    shot(alice, artifacts, "5-attempts-used")
    alice.goto(f"{live_server.url}/")
    assigned.get_by_text("Done (1)").click()
    expect(assigned.get_by_text(re.compile(r"Done: 100%"))).to_be_visible()
    shot(alice, artifacts, "6-home-done")

    # The gradebook: 100%, completed today, the class average.
    teacher.goto(f"{live_server.url}/classes/{year10.pk}/gradebook/")
    book = teacher.locator("table.gradebook")
    expect(book.get_by_role("cell", name=re.compile(r"100% completed"))).to_be_visible()
    expect(book.locator("tfoot")).to_contain_text("Class average")
    expect(book.locator("tfoot")).to_contain_text("100%")
    no_axe_violation(teacher)
    shot(teacher, artifacts, "7-gradebook")


def test_a_new_code_and_unassigning_ask_first(new_page, live_server, year10, artifacts):
    year10.assign(Quiz.objects.get(title="The Kirov affair"))
    old = year10.join_code
    teacher = new_page(viewport=LAPTOP)
    log_in(teacher, live_server.url, "tess")
    teacher.goto(f"{live_server.url}/classes/{year10.pk}/manage/")
    teacher.get_by_role("link", name="Make a new code").click()
    expect(
        teacher.get_by_role("heading", name="Make a new code for Year 10 History?")
    ).to_be_visible()
    no_axe_violation(teacher)
    shot(teacher, artifacts, "8-confirm-new-code")
    teacher.get_by_role("link", name="Keep the code").click()
    year10.refresh_from_db()
    assert year10.join_code == old
    teacher.get_by_role("link", name="Make a new code").click()
    teacher.get_by_role("button", name="Make a new code").click()
    expect(teacher.get_by_text("The old one no longer works.")).to_be_visible()
    year10.refresh_from_db()
    assert year10.join_code != old

    teacher.get_by_role("link", name="Unassign The Kirov affair").click()
    expect(
        teacher.get_by_role("heading", name=re.compile("^Unassign The Kirov affair"))
    ).to_be_visible()
    no_axe_violation(teacher)
    shot(teacher, artifacts, "9-confirm-unassign")
    teacher.get_by_role("button", name="Unassign").click()
    expect(teacher.get_by_text("The Kirov affair is no longer assigned.")).to_be_visible()
    assert not year10.assignments.exists()


def test_unpublishing_an_assigned_quiz_asks_and_the_student_sees_it_withdrawn(
    new_page, live_server, year10, artifacts
):
    quiz = Quiz.objects.get(title="The Kirov affair")
    year10.assign(quiz)
    teacher, alice = new_page(viewport=LAPTOP), new_page(viewport=LAPTOP)
    log_in(teacher, live_server.url, "tess")
    teacher.goto(f"{live_server.url}/admin/quizzes/quiz/?owner=me")
    teacher.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    teacher.get_by_label("Action:").select_option(label="Unpublish (back to draft)")
    teacher.get_by_role("button", name=re.compile("^(Go|Run)")).click()
    expect(teacher.get_by_text("Year 10 History (The Kirov affair)")).to_be_visible()
    shot(teacher, artifacts, "10-admin-unpublish-asks")
    teacher.get_by_role("button", name="Yes, unpublish").click()
    expect(teacher.get_by_text("1 quiz back to draft")).to_be_visible()

    log_in(alice, live_server.url, "alice")
    assigned = alice.locator("section.assigned")
    assigned.get_by_text("Done (1)").click()  # no longer work to do: folded with what is done
    expect(assigned.get_by_text("Withdrawn by your teacher")).to_be_visible()
    expect(assigned.get_by_role("link", name="The Kirov affair")).to_have_count(0)
    shot(alice, artifacts, "11-student-sees-withdrawn")
