"""Tables of figures (Markdown pipe rows; tab-separated ones are made such by cleaning).

Each row is a fact: a numeric question asks for one of its figures ("According to the table,
what was the figure for Coal in 1932 (million tonnes)?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import TABLE_ROW
from .entities import classify_name

_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+$")
_FIGURE = re.compile(r"^(?P<num>[-–]?\d[\d,]*(?:\.\d+)?)\s*(?P<pct>%)?$")
_YEAR = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")
_THE_PLACE = re.compile(r"^(?:United|Soviet) |(?:States|Kingdom|Union|Republic|Netherlands)$")
_UNIT = re.compile(r"\(([^()]{2,40})\)")
# A table of more rows is asked about in pieces of this many rows, each its drafts' passage and
# their distractors' pool: a draft's passage, and the work of checking it, stay short however long
# the table (a pasted 1 MB table would otherwise cost time quadratic in its rows).
PIECE_ROWS = 30


@dataclass
class Table:
    start: int  # offset of the header row in the cleaned text
    end: int  # end of the last row
    caption: str  # the line above the table, if it is a short title ("Grain harvest (...)")
    header: list[str]
    rows: list[list[str]]

    @property
    def unit(self) -> str:
        m = _UNIT.search(self.header[0]) or _UNIT.search(self.caption)
        return m.group(1) if m else ""


def figure(cell: str) -> tuple[float, bool] | None:
    m = _FIGURE.match(cell.strip())
    if not m:
        return None
    return float(m.group("num").replace(",", "").replace("–", "-")), bool(m.group("pct"))


def find_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        if not TABLE_ROW.match(lines[i].strip()):
            i += 1
            continue
        j = i
        while j < len(lines) and TABLE_ROW.match(lines[j].strip()):
            j += 1
        cells = [[c.strip() for c in ln.strip()[1:-1].split("|")] for ln in lines[i:j]]
        at = [k for k in range(i + 1, j) if not _RULE.match(lines[k])]  # the rows' lines
        rows = [cells[k - i] for k in at]
        width = len(cells[0])
        above = lines[i - 1].strip() if i > 0 else ""
        caption = above if above and len(above.split()) <= 8 and above[-1:] not in ".:" else ""
        if len(rows) >= 2 and width >= 2 and all(len(r) == width for r in rows):
            for n in range(0, len(rows), PIECE_ROWS):
                last = j - 1 if len(rows) <= PIECE_ROWS else at[min(n + PIECE_ROWS, len(rows)) - 1]
                start = offsets[i] if n == 0 else offsets[at[n]]
                end = offsets[last] + len(lines[last])
                tables.append(Table(start, end, caption, cells[0], rows[n : n + PIECE_ROWS]))
        i = j
    return tables


def cell_prompt(table: Table, row: list[str], col: int) -> str:
    """ "According to the table, what was the figure for Coal in 1932 (million tonnes)?" """
    unit = f" ({table.unit})" if table.unit else ""
    if _THE_PLACE.search(row[0]):
        row = [f"the {row[0]}", *row[1:]]  # "in the United States"
    head = table.header[col]
    if figure(row[col]) and figure(row[col])[1]:
        unit = " (per cent)"
    if _YEAR.match(head):
        return f"According to the table, what was the figure for {row[0]} in {head}{unit}?"
    if head.lower().endswith("ed") or classify_name(head) != "other":
        # "Killed", "Britain": no noun to ask "what was the ..." of.
        return f"According to the table, what figure is given for {row[0]} under “{head}”{unit}?"
    name = head[:1].lower() + head[1:] if head[1:2].islower() else head
    return f"According to the table, what was the {name} in {row[0]}{unit}?"
