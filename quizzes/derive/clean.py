"""Cleaning: drop web-page leftovers so that they are never quoted or asked about.

The cleaned text is the reference text of every draft: passages and their offsets point into it.
Cleaning is line based and conservative: a line is dropped only when it clearly is page
furniture (navigation, "Read more about this topic", quotation boxes with their attribution,
reference sections), and reference markers such as ``[1]`` or ``[citation needed]`` are removed
inline.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Inline reference markers: [1], [12], [1, 2], [a], [note 3], [citation needed], [edit] ...
_REF_MARKER = re.compile(
    # The lookbehind starts a match only at the start of a run of blanks (tried once per run).
    r"(?<![ \t])[ \t]*\[(?:\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*|[a-z]|note \d+|nb \d+|"
    r"citation needed|clarification needed|verification needed|page needed|better source needed|"
    r"edit|who\??|when\??|which\??|by whom\??|according to whom\??|dubious|discuss|"
    r"original research\??|failed verification|update)\]",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# Whole lines that are page furniture (matched against the stripped line, case-insensitive).
_LEFTOVER_LINE = re.compile(
    r"^(?:"
    r"read (?:more|the full (?:article|story))\b.*"
    r"|(?:famous |related |more )?quot(?:e|es|ations) (?:containing|about|on|by|with)\b.*"
    r"|(?:see also|main articles?|further information|related (?:articles?|topics?|pages?))\s*:.*"
    r"|retrieved (?:from|on)?\s*.*\d.*"
    r"|this (?:article|page|section) (?:is about|needs|has|may|was last)\b.*"
    r"|for other uses.*|from wikipedia.*"
    r"|(?:click|tap) here\b.*"
    r"|(?:this (?:web)?site|we) uses? cookies\b.*"
    r"|copyright\b.*|©.*|all rights reserved.*"
    r"|jump (?:up|to)\b.*|skip to\b.*|back to top|top of page|\^.*"
    r")$",
    re.IGNORECASE,
)
# Short lines made of one of these words or phrases alone are navigation or sharing buttons.
_BUTTON_WORDS = {
    "share",
    "share this",
    "share this page",
    "share this article",
    "tweet",
    "print",
    "print this page",
    "email",
    "e-mail",
    "like",
    "follow us",
    "subscribe",
    "sign in",
    "sign up",
    "log in",
    "login",
    "log out",
    "register",
    "menu",
    "home",
    "search",
    "next",
    "previous",
    "next page",
    "previous page",
    "next article",
    "previous article",
    "advertisement",
    "sponsored",
    "sponsored content",
    "accept cookies",
    "accept all cookies",
    "edit",
    "contents",
    "table of contents",
    "hide",
    "show",
    "loading...",
    "related",
    "comments",
    "leave a comment",
    "cite this page",
    "citation needed",
    "navigation",
    "main menu",
    "toggle navigation",
    "close",
}
# Headings after which the rest of a web page is references, links or bibliography.
_TAIL_SECTIONS = {
    "references",
    "external links",
    "further reading",
    "bibliography",
    "see also",
    "notes and references",
    "citations",
    "footnotes",
    "sources and further reading",
}
_NAV_SEPARATORS = re.compile(r"\s(?:\||›|»|«|>|•|·|/|→)\s")
_OPEN_QUOTES = "\"“”‘'«„"
_CLOSE_QUOTES = "\"”’'»“"
# An attribution line: an em dash or a double hyphen, then a short name.
_ATTRIBUTION = re.compile(r"^(?:[\u2014\u2015\u2013]|--)\s*[A-Z][^\n]{0,100}$")


def _is_quotation_line(line: str) -> bool:
    s = line.strip()
    if s.startswith(("- ", "* ", "> ")):
        s = s[2:].strip()
    if len(s) < 3 or s[0] not in _OPEN_QUOTES:
        return False
    tail = s.rstrip(".,;")
    return tail[-1] in _CLOSE_QUOTES


def _is_attribution(line: str) -> bool:
    s = line.strip()
    return bool(_ATTRIBUTION.match(s)) and len(s.split()) <= 12 and not s.endswith((".", "?"))


TABLE_ROW = re.compile(r"^\|.*\|$")
_NUMBER_CELL = re.compile(r"^[-–]?[\d,.]+\s*%?$")


def _is_infobox_row(cells: list[str]) -> bool:
    """ "Date<tab>14 October 1066": a short label and a value that is no sentence."""
    label, value = [*cells, "", ""][:2]
    return (
        len(cells) == 2
        and label[:1].isupper()
        and len(label.split()) <= 3
        and not value.endswith(".")
    )


def _tab_tables(text: str) -> str:
    """Tab-separated tables kept as Markdown rows ("| 1928 | 73.3 |"), so that their columns
    survive; other runs of tabbed "label, value" lines (a web page's infobox) are dropped."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j]:
            j += 1
        rows = [[c.strip() for c in line.split("\t")] for line in lines[i:j]]
        body = rows[1:]
        numeric = len(body) >= 2 and all(
            len(r) == len(rows[0]) and all(_NUMBER_CELL.match(c) for c in r[1:]) for r in body
        )
        if numeric:
            out.extend("| " + " | ".join(r) + " |" for r in rows)
        elif not (len(rows) >= 2 and all(_is_infobox_row(r) for r in rows)):
            out.extend(lines[i:j])  # not an infobox: the tabs become spaces
        i = j
    return "\n".join(out)


def _is_navigation(line: str) -> bool:
    s = line.strip()
    if TABLE_ROW.match(s):
        return False  # a Markdown table's row
    if len(s) > 160 or (s.endswith((".", "?", "!")) and len(s.split()) > 6):
        return False
    return len(_NAV_SEPARATORS.findall(f" {s} ")) >= 2


@lru_cache(maxsize=4096)  # notes and tables repeat short lines ("Total", "- yes")
def is_leftover_line(line: str) -> bool:
    """True for a line that is web-page furniture on its own."""
    s = line.strip()
    if not s:
        return False
    low = s.lower().rstrip(":.!")
    if low in _BUTTON_WORDS:
        return True
    if _LEFTOVER_LINE.match(s):
        return True
    if _is_navigation(s) or _is_attribution(s):
        return True
    # A line that is nothing but a link.
    return bool(_URL.fullmatch(s))


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = _tab_tables(text)
    text = re.sub(r"[\t\u00a0\u2007\u202f\u3000\x0b\x0c]", " ", text)
    # Other control characters (Unicode category Cc) carry no text.
    return _CONTROL.sub("", text)


def _strip_markers(line: str) -> str:
    """The line without reference markers, links and doubled spaces (each looked for only when
    its sign is there: most lines have none, and a long text has many lines)."""
    if "[" in line:
        line = _REF_MARKER.sub("", line)
    if "://" in line or "www." in line.lower():
        line = _URL.sub("", line)
    if "  " in line:
        line = re.sub(r" {2,}", " ", line)
    return line.strip()


_QUOTE_BOX = re.compile(r"^(?:famous |related |more )?quot(?:e|es|ations)\b")


def _clean_once(raw: str) -> str:
    lines = _normalise(raw).split("\n")
    kept: list[str] = []
    in_quote_box = False
    in_contents = False
    i = 0
    n = len(lines)
    while i < n:
        line = _strip_markers(lines[i])
        original = lines[i].strip()
        i += 1
        if not line:
            # A line made only of markers or links is dropped without leaving a gap.
            if not original and kept and kept[-1] != "":
                kept.append("")
            continue
        low = line.lower().rstrip(":")
        if low in _TAIL_SECTIONS:
            break  # the rest of the page is references, links or bibliography
        if len(line) <= 80 and _QUOTE_BOX.match(low):
            in_quote_box = True
            continue
        if in_quote_box:
            if _is_quotation_line(line) or _is_attribution(line):
                continue
            in_quote_box = False
        if is_leftover_line(line):
            in_contents = low in {"contents", "table of contents"}
            continue
        if in_contents and re.match(r"^\d+(?:\.\d+)*\.? [A-Z][^.]{0,60}$", line):
            continue  # a line of the page's table of contents
        in_contents = False
        if _is_quotation_line(line):
            # A quotation followed by its attribution is a quotation box, not history text.
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j < n and _is_attribution(lines[j]):
                i = j + 1
                continue
        kept.append(line)
    while kept and kept[-1] == "":
        kept.pop()
    return "\n".join(kept)


def clean_text(raw: str) -> str:
    """Return the document without web leftovers, with normalised whitespace.

    Deterministic and idempotent: ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    text = raw if isinstance(raw, str) else str(raw)
    for _ in range(5):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text
