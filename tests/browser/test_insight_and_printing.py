"""Class insight and printing (issue 20, points 3 and 7) in Chromium: the teacher opens Class
insight from the class page, reads it as a grid and as a table in words, sets practice on a
topic; a quiz prints as a question sheet and as an answer key, and a student's results print on
one or two pages. axe finds no violation of any impact; the pages are photographed to
test-artifacts/insight-*.png and print-*.png, and the printed PDFs are counted in pages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.student import log_in
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    TeacherFactory,
    TopicFactory,
    UserFactory,
    answer_question,
    single_choice_question,
)

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
AXE = Axe()
NAMES = ["Ada", "Boris", "Clara", "Dmitri", "Elena", "Fyodor", "Galina", "Ivan", "Katya", "Lev"]


def check(page: Page, artifacts: Path, label: str) -> None:
    """No axe violation of any impact, nothing scrolling sideways, and a photograph."""
    violations = [v["id"] for v in AXE.run(page).response["violations"]]
    assert not violations, (label, violations)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    wide = page.evaluate(
        """() => { const out=[]; for (const el of document.querySelectorAll('body *')) { const r=el.getBoundingClientRect(); if (r.right > window.innerWidth + 1) if (!el.closest('table')) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right)); } return out.slice(0,15); }"""
    )
    assert width <= page.viewport_size["width"], (label, width, wide)
    page.screenshot(path=artifacts / f"{label}.png", full_page=True)


def practice_on(page: Page, topic: str):
    """The topic's "Set practice" button, by its full accessible name."""
    return page.get_by_role("button", name=re.compile(rf"^Set practice on this topic\W+{topic}$"))


def pdf_pages(page: Page, path: Path) -> int:
    """Print the page to a PDF (A4, as a school prints) and count its pages."""
    data = page.pdf(path=path, format="A4", print_background=False)
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


@pytest.fixture
def classroom(transactional_db):
    """Tess's class of ten, set a quiz on two topics (due yesterday); most have answered some
    of it, some wrongly, two are still at it and one has not started."""
    tess = TeacherFactory(username="tess", display_name="Tess")
    room = ClassroomFactory(teacher=tess, name="10B History")
    quiz = QuizFactory(title="The Moscow Trials: first check", shared=False, owner=tess)
    questions = []
    for name, n in (("The power struggle", 4), ("The show trials", 4)):
        topic = TopicFactory(name=name)
        questions += [
            single_choice_question(quiz=quiz, topic=topic, prompt=f"{name}: question {i + 1}?")
            for i in range(n)
        ]
    assignment = AssignmentFactory(
        classroom=room, quiz=quiz, due_at=timezone.now() - timedelta(days=1)
    )
    for n, name in enumerate(NAMES):
        student = UserFactory(username=name.lower(), display_name=name)
        MembershipFactory(classroom=room, student=student)
        answered = questions[: 8 - n % 3 * 2] if n < 9 else []
        for i, question in enumerate(answered):
            answer_question(student, question, right=(i + n) % 5 != 0 and n != i)
        if answered:
            AttemptFactory(
                user=student,
                quiz=quiz,
                assignment=assignment,
                number=1,
                question_ids=[q.pk for q in questions],
                position=len(answered),
                finished_at=None if n in (2, 6) else timezone.now() - timedelta(days=n % 3),
            )
    return room


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_class_insight(new_page, live_server, classroom, artifacts: Path, viewport: str):
    page = new_page(viewport=VIEWPORTS[viewport])
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/classes/{classroom.pk}/manage/")
    page.get_by_role("link", name="Class insight").click()
    expect(page.get_by_role("heading", name="Class insight", level=1)).to_be_visible()
    expect(page.get_by_text("10 students.")).to_be_visible()
    # Per topic, the spread; per question, the share right and the commonest wrong answer.
    topics = page.locator(".topic-spread tbody tr")
    expect(topics).to_have_count(2)
    expect(page.locator(".question-table tbody tr").first).to_contain_text("1927")
    # Per assignment, who is where.
    statuses = page.locator(".assignment-progress .status-counts")
    expect(statuses).to_contain_text("Not started: 1")
    expect(statuses).to_contain_text("Working: 2")
    expect(statuses).to_contain_text("Late:")
    statuses.locator("summary", has_text="Not started").click()
    expect(statuses.get_by_text("Lev", exact=True)).to_be_visible()
    # The grid: a letter in every cell, and a legend.
    grid = page.locator(".mastery-grid")
    expect(grid.locator("tbody tr")).to_have_count(10)
    expect(grid.locator("tbody td").first).to_have_text(re.compile(r"^[–AFPM]$"))
    expect(page.get_by_role("heading", name="Levels")).to_be_visible()
    check(page, artifacts, f"insight-{viewport}")

    page.get_by_role("link", name="Show as a table in words").click()
    expect(page.locator(".grid-words tbody td").first).to_have_text(
        re.compile(r"^(Not started|Attempted|Familiar|Proficient|Mastered) \(\d/4\)$")
    )
    check(page, artifacts, f"insight-{viewport}-table")

    # Set practice on a topic: a plain form, so it works without JavaScript too.
    practice_on(page, "The power struggle").click()
    expect(page.locator(".messages")).to_contain_text("Practice: The power struggle")
    expect(page.locator(".messages")).to_contain_text("is assigned to 10B History")
    expect(
        page.get_by_role("heading", name=re.compile("^Practice: The power struggle"))
    ).to_be_visible()
    if viewport == "laptop":
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        expect(page.get_by_role("button", name=re.compile("Set practice")).first).to_be_hidden()
        page.screenshot(path=artifacts / "insight-print.png", full_page=True)


def test_the_practice_button_works_without_javascript(new_page, live_server, classroom):
    page = new_page(viewport=VIEWPORTS["laptop"], java_script_enabled=False)
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/classes/{classroom.pk}/insight/")
    practice_on(page, "The show trials").click()
    expect(page.locator(".messages")).to_contain_text("Practice: The show trials")


@pytest.fixture
def shipped(transactional_db):
    from django.core.management import call_command

    from quizzes.models import Quiz

    call_command("load_banks", verbosity=0)
    TeacherFactory(username="tess", display_name="Tess")
    return Quiz.objects.get(slug="moscow-trials")


def test_a_quiz_prints_as_a_question_sheet_and_an_answer_key(
    new_page, live_server, shipped, artifacts: Path
):
    page = new_page(viewport=VIEWPORTS["laptop"])
    log_in(page, live_server.url, "tess")
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{shipped.pk}/change/")
    page.get_by_role("link", name="Print questions").click()
    expect(page.get_by_role("heading", name=shipped.title, level=1)).to_be_visible()
    count = shipped.questions.filter(status="published").count()
    expect(page.locator(".sheet-question")).to_have_count(count)
    expect(page.locator(".sheet-answer")).to_have_count(0)
    check(page, artifacts, "print-sheet-screen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".sheet-tools")).to_be_hidden()
    page.screenshot(path=artifacts / "print-sheet.png", full_page=True)
    sheet_pages = pdf_pages(page, artifacts / "print-sheet.pdf")
    print(f"question sheet: {count} questions on {sheet_pages} A4 pages")
    assert 1 <= sheet_pages <= count // 3 + 1, sheet_pages

    page.emulate_media(media="screen")
    page.get_by_role("link", name="The answer key").click()
    expect(page.locator(".sheet-answer")).to_have_count(count)
    check(page, artifacts, "print-key-screen")
    page.emulate_media(media="print")
    page.screenshot(path=artifacts / "print-key.png", full_page=True)
    key_pages = pdf_pages(page, artifacts / "print-key.pdf")
    print(f"answer key: {count} questions on {key_pages} A4 pages")
    assert key_pages <= sheet_pages


def test_results_print_on_one_or_two_pages(new_page, live_server, artifacts: Path):
    from tests.browser.test_student_quiz import finished_attempt

    alice = UserFactory(username="alice", display_name="Alice")
    attempt = finished_attempt(alice, wrong=4)
    page = new_page(viewport=VIEWPORTS["laptop"])
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/results/")
    expect(page.locator(".score")).to_contain_text("You scored")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.screenshot(path=artifacts / "print-results.png", full_page=True)
    pages = pdf_pages(page, artifacts / "print-results.pdf")
    print(f"results of 15 questions, 4 wrong: {pages} A4 pages")
    assert pages <= 2, pages
