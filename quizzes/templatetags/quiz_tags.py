import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quizzes import grading
from quizzes.grading import marks_text
from quizzes.qr import qr_svg

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@register.filter
def emphasis(text: str) -> SafeString:
    """Escape, then show **word** in bold: question writers bold an unavoidable **not**."""
    return mark_safe(_BOLD.sub(r"<strong>\1</strong>", escape(text)))


@register.filter
def marks(value: Decimal | int | None) -> str:
    """Marks, whole or to one decimal, the same everywhere: 7.00 -> "7", 23.33 -> "23.3"."""
    return marks_text(value)


@register.filter
def percent(part: Decimal | int | None, whole: Decimal | int | None) -> int:
    """{{ score|percent:max_score }}: grading.percent, 0 of nothing being 0."""
    return grading.percent(part, whole) or 0


@register.filter
def whole_percent(value: float | Decimal | None) -> str:
    """{{ best_percent|whole_percent }}: a percentage already worked out, rounded as
    grading.percent rounds ("73%"), or "–" when there is none."""
    rounded = grading.percent(value, 100) if value is not None else None
    return "–" if rounded is None else f"{rounded}%"


@register.filter
def grade_note(question: Any, answer: dict[str, Any]) -> str:
    """What grading said about an answer beside its verdict ("Accepted - check the spelling:
    Stalin"); graded again rather than stored, as grading is pure and cheap."""
    if question.type != "short_answer":
        return ""
    return question.grade(answer or {}).note


@register.filter
def review_rows(question: Any, answer: dict[str, Any]) -> list[Any]:
    """The answer's options, positions or pairs marked right or wrong (Question.review_rows)."""
    return question.review_rows(answer or {})


@register.simple_tag
def qr_code(url: str, title: str, scale: int = 4) -> SafeString:
    """{% qr_code link "Sign-in link for Alice" %}: the link as an inline SVG QR code."""
    return qr_svg(url, title=title, scale=scale)
