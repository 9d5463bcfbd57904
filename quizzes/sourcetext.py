"""Rendering a source text with the passages that questions rest on marked. Pure Python."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str  # the id a link can jump to, at the passage's start


def mark_passages(text: str, spans: Iterable[Span], current: str | None = None) -> SafeString:
    """The text as HTML paragraphs (one per line), every character that some passage covers
    inside <mark>, an empty anchor at the start of each passage, and the passage whose anchor
    is `current` marked with the class "current". In time linear in the text and the passages:
    each line finds its cuts by bisection, and how many passages cover a piece is counted as
    the pieces go by (a long text of many lines, with hundreds of passages, took seconds)."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    current_span = next((s for s in spans if s.anchor == current), None)
    anchors: dict[int, list[str]] = {}
    change: dict[int, int] = {}  # passages starting, less passages ending, at each place
    for span in spans:
        anchors.setdefault(span.start, []).append(span.anchor)
        change[span.start] = change.get(span.start, 0) + 1
        change[span.end] = change.get(span.end, 0) - 1
    cuts = sorted(change)
    covering = passed = 0  # passages covering the piece, and the cuts passed to know it
    paragraphs: list[str] = []
    offset = 0
    for line in text.split("\n"):
        line_end = offset + len(line)
        inside = cuts[bisect_right(cuts, offset) : bisect_left(cuts, line_end)]
        html = []
        for start, end in pairwise([offset, *inside, line_end]):
            while passed < len(cuts) and cuts[passed] <= start:
                covering += change[cuts[passed]]
                passed += 1
            html.extend(f'<span id="{escape(a)}"></span>' for a in anchors.get(start, []))
            piece = escape(text[start:end])
            if covering:
                is_current = (
                    current_span and current_span.start <= start and end <= current_span.end
                )
                css = ' class="current"' if is_current else ""
                html.append(f"<mark{css}>{piece}</mark>")
            else:
                html.append(piece)
        if line.strip():
            paragraphs.append(f"<p>{''.join(html)}</p>")
        offset = line_end + 1
    return mark_safe("\n".join(paragraphs))  # every piece of text is escaped above
