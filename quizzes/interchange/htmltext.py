"""Moodle keeps question texts as HTML; quizsite keeps plain text with **bold**. Both ways here.

Plain text -> HTML escapes it, turns **x** into <strong>x</strong> and new lines into <br>.
HTML -> plain text undoes exactly that, and for HTML written elsewhere keeps the words: tags
go, paragraphs become blank lines, entities are decoded, and source-code line breaks fold into
spaces. The general feedback may carry the source passage in a
<blockquote class="quizsite-passage" data-start="…">, which is read verbatim.

Pure Python: no Django.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

PASSAGE_CLASS = "quizsite-passage"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_BLOCK = "\x00"  # a paragraph boundary, until the text is put together
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}


def text_to_html(text: str) -> str:
    html = _BOLD.sub(r"<strong>\1</strong>", escape(text, quote=False))
    return html.replace("\n", "<br>")


def feedback_html(explanation: str, passage: str, passage_start: int | None) -> str:
    """The general feedback of an exported question: the explanation, then the passage quoted,
    as quizsite shows them after an answer."""
    parts = [f"<p>{text_to_html(explanation)}</p>"] if explanation else []
    if passage:
        start = f' data-start="{passage_start}"' if passage_start is not None else ""
        quoted = escape(passage, quote=False)
        parts.append(f'<blockquote class="{PASSAGE_CLASS}"{start}>{quoted}</blockquote>')
    return "".join(parts)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.passage: list[str] | None = None
        self.passage_start: int | None = None
        self.found_passage = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.passage is not None:
            return
        if tag == "blockquote" and PASSAGE_CLASS in (attributes.get("class") or "").split():
            self.passage = []
            self.found_passage = True
            start = attributes.get("data-start") or ""
            self.passage_start = int(start) if start.isdigit() else None
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK)

    def handle_endtag(self, tag: str) -> None:
        if self.passage is not None:
            if tag == "blockquote":
                self.passage_text = "".join(self.passage)
                self.passage = None
            return
        if tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK)

    def handle_data(self, data: str) -> None:
        if self.passage is not None:
            self.passage.append(data)  # verbatim: it must match the source text exactly
        else:
            # Line breaks in HTML source are layout, not text; runs of plain spaces are kept.
            self.parts.append(re.sub(r"[ \t]*[\r\n]+[ \t\r\n]*", " ", data))

    def text(self) -> str:
        joined = "".join(self.parts).replace(_BLOCK + _BLOCK, _BLOCK)
        joined = re.sub(rf"\s*{_BLOCK}[{_BLOCK}\s]*", "\n\n", joined)
        return joined.replace("****", "").strip()


def html_to_text(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.text()


def split_feedback(html: str) -> tuple[str, str, int | None]:
    """(explanation, passage, passage_start) from an exported question's general feedback."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    passage = getattr(converter, "passage_text", "") if converter.found_passage else ""
    return converter.text(), passage, converter.passage_start
