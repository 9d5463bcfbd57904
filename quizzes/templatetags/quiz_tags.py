import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quizzes.models.content import format_number

register = template.Library()

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@register.filter
def emphasis(text: str) -> SafeString:
    """Escape, then show **word** in bold: question writers bold an unavoidable **not**."""
    return mark_safe(_BOLD.sub(r"<strong>\1</strong>", escape(text)))


@register.filter
def marks(value: Decimal | int | None) -> str:
    """Scores without trailing zeros: 7.50 -> "7.5", 7.00 -> "7"."""
    return format_number(Decimal(value or 0))


@register.filter
def percent(part: Decimal | int | None, whole: Decimal | int | None) -> int:
    if not whole:
        return 0
    return round(100 * Decimal(part or 0) / Decimal(whole))


@register.filter
def grade_note(question: Any, answer: dict[str, Any]) -> str:
    """What grading said about an answer beside its verdict ("Accepted - check the spelling:
    Stalin"); graded again rather than stored, as grading is pure and cheap."""
    if question.type != "short_answer":
        return ""
    return question.grade(answer or {}).note
