"""How a student works a page: log in, and answer the question on screen by its labels."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from quizzes.grading import QuestionType
from quizzes.models import Question


def log_in(page: Page, base_url: str, username: str, password: str = "quizsite-demo") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def question_on_screen(page: Page) -> Question:
    prompt = page.locator("legend.prompt").inner_text().strip()
    return Question.objects.prefetch_related("choices").get(prompt=prompt.replace("\n", " "))


def answer_on_screen(page: Page, *, right: bool = True) -> Question:
    """Fill in the visible question the way a student would, rightly or wrongly."""
    question = question_on_screen(page)
    choices = question.sorted_choices()
    match QuestionType(question.type):
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
            pick = next(c for c in choices if c.is_correct == right)
            page.get_by_label(pick.text, exact=True).check()
        case QuestionType.MULTIPLE_CHOICE:
            for choice in choices:
                if choice.is_correct == right:
                    page.get_by_label(choice.text, exact=True).check()
        case QuestionType.SHORT_ANSWER:
            page.get_by_label("Your answer").fill(choices[0].text if right else "Nobody")
        case QuestionType.NUMERIC:
            value = int(question.numeric_answer)
            page.get_by_label("Your answer").fill(f"{value:,}" if right else str(value + 1))
        case QuestionType.ORDERING:
            order = choices if right else list(reversed(choices))
            for place, item in enumerate(order, start=1):
                page.get_by_label(f"Position of {item.text}", exact=True).select_option(str(place))
        case QuestionType.MATCHING:
            lefts = question.left_items()
            for i, item in enumerate(lefts):
                partner = item if right else lefts[(i + 1) % len(lefts)]
                page.get_by_label(item.text, exact=True).select_option(label=partner.match_text)
    return question
