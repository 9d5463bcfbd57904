import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quizzes import grading
from quizzes.due import date_words, due_words
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
def due(due_at: datetime | None) -> str:
    """{{ assignment.due_at|due }}: "Due Friday 12 December, 09:00", "Overdue (due ...)", or
    "No due date", in the site's time zone."""
    if due_at is None:
        return "No due date"
    return due_words(timezone.localtime(due_at), timezone.localtime())


@register.filter
def on_date(when: datetime | None) -> str:
    """{{ attempt.finished_at|on_date }}: "Friday 12 December, 09:00" (the year when not this
    year), or "" for no date."""
    if when is None:
        return ""
    return date_words(timezone.localtime(when), timezone.localdate().year)


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
def qr_code(url: str, title: str, scale: int = 4, mask: int | None = None) -> SafeString:
    """{% qr_code link "Sign-in link for Alice" %}: the link as an inline SVG QR code (`mask`:
    see quizzes.qr)."""
    return qr_svg(url, title=title, scale=scale, mask=mask)
