"""Due dates in words, as a student reads them: "Due Friday 12 December, 09:00", the year only
when it is not this year, and "Overdue" once it has passed. Plain datetimes in the reader's
time zone; no Django."""

from __future__ import annotations

from datetime import datetime


def date_words(when: datetime, today_year: int) -> str:
    """ "Friday 12 December, 09:00"; "Friday 1 January 2027, 09:00" in another year; the time
    left out at the end of a day (23:59), which is what a date alone means."""
    words = f"{when:%A} {when.day} {when:%B}"
    if when.year != today_year:
        words += f" {when.year}"
    if (when.hour, when.minute) != (23, 59):
        words += f", {when:%H:%M}"
    return words


def due_words(due_at: datetime, now: datetime) -> str:
    """ "Due Friday 12 December, 09:00", or "Overdue (due ...)" once `now` is past it."""
    words = date_words(due_at, now.year)
    if now > due_at:
        return f"Overdue (due {words})"
    return f"Due {words}"
