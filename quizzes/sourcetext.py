"""Rendering a source text with the passages that questions rest on marked. Pure Python."""

from __future__ import annotations

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
    is `current` marked with the class "current"."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    current_span = next((s for s in spans if s.anchor == current), None)
    cuts = {0, len(text)} | {s.start for s in spans} | {s.end for s in spans}
    anchors: dict[int, list[str]] = {}
    for span in spans:
        anchors.setdefault(span.start, []).append(span.anchor)
    paragraphs: list[str] = []
    offset = 0
    for line in text.split("\n"):
        line_end = offset + len(line)
        bounds = sorted({offset, line_end} | {c for c in cuts if offset < c < line_end})
        html = []
        for start, end in pairwise(bounds):
            html.extend(f'<span id="{escape(a)}"></span>' for a in anchors.get(start, []))
            piece = escape(text[start:end])
            covered = sum(1 for s in spans if s.start <= start and end <= s.end)
            if covered:
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
