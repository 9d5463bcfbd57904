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
# Every pattern here starts on one character and has nothing to backtrack into, so each runs
# in time linear in the text: `[ \t]*[\r\n]+` or `\s*\x00`, which start on any space, took
# seconds on a text of 20,000 spaces.
_LINE_BREAKS = re.compile(r"[\r\n][ \t\r\n]*")
_BLOCK_RUN = re.compile(rf"{_BLOCK}[{_BLOCK}\s]*")
_DECLARATION = re.compile(r"<[!?]")


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
            self.parts.append(_joined(_LINE_BREAKS.split(data), " ", " \t"))

    def text(self) -> str:
        pieces = _BLOCK_RUN.split("".join(self.parts))
        return _joined(pieces, "\n\n", None).replace("****", "").strip()


def _joined(pieces: list[str], separator: str, chars: str | None) -> str:
    """Pieces split apart, joined again with `separator`, each without the `chars` (None:
    whitespace) it ended with before the split: what a leading `[ \t]*` would have taken."""
    return separator.join([*(p.rstrip(chars) for p in pieces[:-1]), pieces[-1]])


def _without_declarations(html: str) -> str:
    """The HTML without comments, doctypes, CDATA and processing instructions (none of them is
    text), and with no tag left open at the end, as HTML5 reads them. Python 3.11's html.parser
    rescans to the end of the text from every construct never closed (20,000 "<!--" took
    seconds, "<![foo[" raised); here each is found once."""
    kept: list[str] = []
    position = 0
    while found := _DECLARATION.search(html, position):
        kept.append(html[position : found.start()])
        comment = html.startswith("<!--", found.start())
        close = "-->" if comment else ">"
        end = html.find(close, found.start() + (4 if comment else 2))
        if end < 0:
            position = len(html)  # never closed: it runs to the end, as in a browser
            break
        position = end + len(close)
    kept.append(html[position:])
    text = "".join(kept)
    last = text.rfind(">") + 1
    return text[:last] + text[last:].replace("<", "&lt;")


def _converted(html: str) -> _Converter:
    converter = _Converter()
    converter.feed(_without_declarations(html))
    converter.close()
    return converter


def html_to_text(html: str) -> str:
    return _converted(html).text()


def split_feedback(html: str) -> tuple[str, str, int | None]:
    """(explanation, passage, passage_start) from an exported question's general feedback."""
    converter = _converted(html)
    passage = getattr(converter, "passage_text", "") if converter.found_passage else ""
    return converter.text(), passage, converter.passage_start
