"""Structure of a cleaned document: headings, paragraphs and sentences with their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .words import FUNCTION_WORDS

_WORD_CHAR = re.compile(r"[^\W_]")
BULLET = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])[ \t]+")
_QUOTE_START = re.compile(r"^(?:[-*>]\s*)?[\"“‘'«„]")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int  # position in the document
    resolved: bool = False  # a leading "He"/"She" replaced by the person's name (text only)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    index: int
    topic: str
    heading: str | None
    is_quote: bool = False
    sentences: list[Sentence] = field(default_factory=list)


_CLOSING = {"“": "”", "‘": "’", "«": "»", "„": "“"}


def _is_quotation(text: str) -> bool:
    """A paragraph of quoted words: it opens with a quotation mark that closes only near its
    end (""Four score and seven years" means 87 years: ..." opens with a quoted phrase but is
    the text's own commentary)."""
    opening = _QUOTE_START.match(text)
    if not opening:
        return False
    mark = opening.group()[-1]
    close = text.find(_CLOSING.get(mark, mark), opening.end())
    close = len(text) if close < 0 else close
    return close >= len(text) * 0.6


@dataclass
class Document:
    text: str
    title: str | None
    paragraphs: list[Paragraph]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]


def is_heading(line: str) -> bool:
    """A short line without final punctuation, like "Legacy" or "The road to war"."""
    s = line.strip().lstrip("#").strip()
    if not s or len(s) > 80 or s[-1] in ".!?:;,\"”'’-–—":
        return False
    if not (s[0].isupper() or s[0].isdigit()):
        return False
    words = s.split()
    if len(words) > 10 or words[-1].lower() in FUNCTION_WORDS:
        return False
    if _QUOTE_START.match(s):
        return False
    # "(1945)" and "“Freedom" count as capitalised: their first letter or digit does.
    firsts = [w.lstrip("(\"“‘'")[:1] or w[0] for w in words]
    capitalised = sum(1 for c in firsts if c.isupper() or c.isdigit())
    return len(words) <= 5 or capitalised * 2 >= len(words)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


# pysbd's time grows faster than the text it is given (a paragraph of 160 KB takes seconds) and
# is high per character, so it only sees what it is needed for: a stretch of prose between two
# sure sentence ends that still holds a full stop (an abbreviation, initials, "c. 1900"), and at
# most _PIECE_LIMIT characters of it. Everything else is split by the plain rule.
_PIECE_LIMIT = 1_000
# A sure sentence end: a lower-case word of three letters or more, a full stop, ! or ?, perhaps a
# closing quote, space, then a capital, digit or opening quote. The lookbehind is fixed-width and
# each whitespace run is tried once, so the search stays linear.
_SURE_END = re.compile(r"(?<=[a-z]{3})[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
# Lower-case abbreviations of three letters or more, after which a full stop is no sentence end.
_ABBREVIATIONS = {"etc", "approx", "fig", "vol", "ibid", "viz", "esp", "incl", "ref", "nos", "pp"}
_INNER_STOP = re.compile(r"[.!?][\"”’)]?\s")


def _sure_ends(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between sure sentence ends (each span may still hold several)."""
    spans = []
    start = 0
    for m in _SURE_END.finditer(text):
        word_start = m.start()
        while word_start > start and text[word_start - 1].isalpha():
            word_start -= 1
        if text[word_start : m.start()] in _ABBREVIATIONS:
            continue
        spans.append((start, m.start() + 1 + (m.group()[1:2] in '"”’)')))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _bounded(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut a long span at spaces into pieces of at most about _PIECE_LIMIT characters."""
    out = []
    while end - start > _PIECE_LIMIT:
        limit = start + _PIECE_LIMIT
        space = text.rfind(" ", start + _PIECE_LIMIT // 2, limit)
        cut = space + 1 if space > 0 else limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside ``text``, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for start, end in _sure_ends(text):
        for a, b in _bounded(start, end, text):
            piece = text[a:b]
            if not piece.strip():
                continue
            inner = _INNER_STOP.search(piece.rstrip())
            if inner is None:
                lead = len(piece) - len(piece.lstrip())
                spans.append((a + lead, a + len(piece.rstrip())))
            elif sum(ch.isalpha() for ch in piece) * 2 >= len(piece):
                spans.extend((a + x, a + y) for x, y in _segment(piece))
            else:
                spans.extend((a + x, a + y) for x, y in _fallback_spans(piece))
    return spans


def _segment(text: str) -> list[tuple[int, int]]:
    try:
        pieces = _segmenter().segment(text)
    except Exception:  # pysbd can fail on odd input; fall back to a plain rule
        return _fallback_spans(text)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        pos = text.find(stripped, cursor)
        if pos < 0:
            # The segmenter changed the text: give up on exact spans, use the fallback rule.
            return _fallback_spans(text)
        spans.append((pos, pos + len(stripped)))
        cursor = pos + len(stripped)
    return spans


def _fallback_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])[\"”’)]?(?=\s)", text):
        end = m.end()
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, end))
        start = end
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + len(piece.rstrip())))
    return spans


# Section headings that name no topic on their own: the document's title goes before them.
_GENERIC_HEADINGS = {
    "background",
    "aftermath",
    "legacy",
    "overview",
    "introduction",
    "summary",
    "early life",
    "later life",
    "death",
    "causes",
    "consequences",
    "results",
    "impact",
    "significance",
    "context",
    "conclusion",
    "history",
    "the battle",
    "later history",
}
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-Z]\.)\s+")
_YEAR_ONLY = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")


def topic_of(heading: str | None, title: str | None) -> str | None:
    """The topic a paragraph is about, from its heading: numbering dropped ("2. The British
    decide to leave"), and a bare year or a generic heading ("Background") put with the
    document's title, so that topics from different texts never merge."""
    if not heading:
        return title
    heading = _NUMBERING.sub("", heading).strip() or heading
    if title and heading != title:
        if _YEAR_ONLY.match(heading):
            return f"{_NUMBERING.sub('', title).strip()} ({heading})"
        if heading.lower() in _GENERIC_HEADINGS:
            return f"{_NUMBERING.sub('', title).strip()}: {heading}"
    return heading


_LABEL_WORD = re.compile(r"[\w’'-]+")


def _paragraph_label(text: str, number: int) -> str:
    words = _LABEL_WORD.findall(text[:200])[:5]
    label = " ".join(words)
    return f"Paragraph {number}: {label}" if label else f"Paragraph {number}"


def parse_document(cleaned: str) -> Document:
    """Split cleaned text into headings and paragraphs, and paragraphs into sentences."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in cleaned.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1

    # Blocks: runs of non-empty lines.
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for off, line in lines:
        if line.strip():
            current.append((off, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    raw_paragraphs: list[tuple[int, int, str | None]] = []  # start, end, heading
    heading: str | None = None
    title: str | None = None
    first_block = True
    for block in blocks:
        rest = block
        if is_heading(block[0][1]) and (len(block) == 1 or len(block[1][1]) > len(block[0][1])):
            heading = block[0][1].strip().lstrip("#").strip()
            if first_block and title is None:
                title = heading
            rest = block[1:]
        first_block = False
        if not rest:
            continue
        # Hard-wrapped prose: short lines, some of them ending mid-sentence.
        wrapped = (
            len(rest) >= 2
            and all(len(line) <= 90 for _, line in rest[:-1])
            and any(not line.rstrip().endswith((".", "!", "?", '"', "”")) for _, line in rest[:-1])
        )
        wrapped = wrapped and not any(_QUOTE_START.match(line) for _, line in rest)
        # Bulleted notes: each bullet is a fact of its own, never a wrapped line of prose.
        wrapped = wrapped and not any(BULLET.match(line) for _, line in rest)
        if wrapped:
            start = rest[0][0]
            end = rest[-1][0] + len(rest[-1][1])
            raw_paragraphs.append((start, end, heading))
        else:
            for off, line in rest:
                if is_heading(line) and len(rest) > 1:
                    heading = line.strip().lstrip("#").strip()
                    if title is None and not raw_paragraphs:
                        title = heading  # a web page's first line: its title
                    continue
                raw_paragraphs.append((off, off + len(line), heading))

    paragraphs: list[Paragraph] = []
    sentence_index = 0
    for number, (start, end, head) in enumerate(raw_paragraphs, start=1):
        text = cleaned[start:end]
        topic = topic_of(head, title) or _paragraph_label(text, number)
        para = Paragraph(
            start=start,
            end=end,
            text=text,
            index=number - 1,
            topic=topic,
            heading=head,
            is_quote=_is_quotation(text.strip()),
        )
        # A bullet's marker is no part of its sentence; a bullet that starts in lower case
        # ("reparations fixed in 1921 ...") is read as if it started a sentence.
        bullet = BULLET.match(text)
        skip = bullet.end() if bullet else 0
        # Line breaks inside a paragraph are wrapping, not sentence ends (offsets stay the same).
        for s_start, s_end in split_sentences(text[skip:].replace("\n", " ")):
            s_start, s_end = s_start + skip, s_end + skip
            words = text[s_start:s_end]
            if not _WORD_CHAR.search(words):
                continue  # "." or "--" alone: no sentence
            if bullet and s_start == skip:
                words = words[:1].upper() + words[1:]
            para.sentences.append(
                Sentence(
                    start=start + s_start,
                    end=start + s_end,
                    text=words,
                    paragraph=para.index,
                    index=sentence_index,
                )
            )
            sentence_index += 1
        paragraphs.append(para)
    return Document(text=cleaned, title=title, paragraphs=paragraphs)
