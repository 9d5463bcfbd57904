"""A class list turned into accounts: names read from pasted text or a CSV file, usernames made
from them, and the one-time passwords and sign-in tokens of the login cards. Pure Python: the
database is asked only through the `taken` callable given to `usernames`.

A roster is all or nothing: any line that cannot be a name stops the whole list with its line
number (`RosterError`), before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from quizzes.names import pretends_role, skeleton, validate_display_name

# The most a class list file may hold (also its request's body limit, quizzes.middleware):
# 2,000 names with a dozen columns each from a school's system fit many times over.
MAX_ROSTER_BYTES = 1024 * 1024
MAX_NAMES = 2000  # a whole school year at once; more is a mistake (a wrong file)
MAX_NAME_LENGTH = 60  # User.display_name
BASE_LENGTH = 24  # of a username before its number
# The columns a class list may name its students by: one "name" column, or first and last names
# (as a school's management system exports them), in any case.
NAME_COLUMNS = ("name", "full name", "student", "student name", "pupil", "pupil name")
FIRST_COLUMNS = ("first name", "firstname", "given name", "forename", "first")
LAST_COLUMNS = ("last name", "lastname", "surname", "family name", "last")


class RosterError(ValueError):
    """A list that cannot be imported, and the line (1-based) that says why."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


def _clean_name(raw: str, line: int) -> str:
    """One student's name as classmates will see it: spaces collapsed; "Smith, Alice" read as
    "Alice Smith". Refuses what a display name may not be (quizzes.names)."""
    name = " ".join(raw.split())
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        name = f"{first} {last}".strip()
    if len(name) > MAX_NAME_LENGTH:
        raise RosterError(line, f"the name is longer than {MAX_NAME_LENGTH} characters.")
    try:
        validate_display_name(name)
    except ValidationError as error:
        raise RosterError(line, error.messages[0]) from None
    if pretends_role(name):
        raise RosterError(line, f"“{name}” has a role in brackets: give the name alone.")
    if not any(char.isalpha() for char in name):
        raise RosterError(line, f"“{name}” has no letters: is it a name?")
    return name


def _checked_count(names: list[str]) -> list[str]:
    if not names:
        raise RosterError(0, "The list has no names.")
    if len(names) > MAX_NAMES:
        raise RosterError(
            0, f"The list has {len(names):,} names: add at most {MAX_NAMES:,} at once."
        )
    return names


def names_from_text(text: str) -> list[str]:
    """One name a line; blank lines are skipped."""
    names = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            names.append(_clean_name(line, number))
    return _checked_count(names)


def decode(raw: bytes) -> str:
    """A spreadsheet's CSV as text: UTF-8 (with or without Excel's mark), else Windows-1252,
    which Excel writes on Windows."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise RosterError(0, "The file is not text: save the class list as CSV.") from None


def _column(header: list[str], names: Iterable[str]) -> int | None:
    wanted = set(names)
    for index, title in enumerate(header):
        if " ".join(title.strip().lower().replace("_", " ").split()) in wanted:
            return index
    return None


def names_from_csv(raw: bytes) -> list[str]:
    """The names of a CSV class list whose first line names its columns: a "name" column, or
    "first name" and "last name" (also "surname", "given name"...). Commas, semicolons or
    tabs separate the cells, as the first line shows."""
    text = decode(raw)
    if "\x00" in text:
        raise RosterError(0, "The file is not text: save the class list as CSV.")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RosterError(1, "the first line must name the columns, one of them “name”.")
    first = lines[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise RosterError(0, f"The file cannot be read as CSV ({error}).") from None
    header = rows[0]
    whole = _column(header, NAME_COLUMNS)
    first_col, last_col = _column(header, FIRST_COLUMNS), _column(header, LAST_COLUMNS)
    if whole is None and first_col is None:
        raise RosterError(
            1,
            "no column is called “name” (or “first name” and “last name”): name the column "
            "of the students' names in the first line.",
        )
    names = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RosterError(
                number, f"it has {len(row)} cells where the first line has {len(header)}."
            )
        if whole is not None:
            raw_name = row[whole]
        else:
            raw_name = f"{row[first_col]} {row[last_col] if last_col is not None else ''}"
            raw_name = raw_name.replace(",", " ")
        if not raw_name.strip():
            raise RosterError(number, "the name is empty.")
        names.append(_clean_name(raw_name, number))
    return _checked_count(names)


# ---- Usernames ---------------------------------------------------------------------------------

# Letters that fold to no plain letter under NFKD.
_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th",
                          "ð": "d", "ı": "i", "ŋ": "n"})  # fmt: skip


def _ascii_word(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word.casefold().translate(_SPELLED))
    return "".join(char for char in folded if char.isascii() and char.isalnum())


def username_base(name: str) -> str:
    """What a student's username starts with: the first name and the last name's initial,
    plain lower-case letters ("Zoë Ólafsdóttir" -> "zoe.o"), or "student" for a name with
    no Latin letters."""
    words = [w for w in (_ascii_word(part) for part in re.split(r"[\s\-']+", name)) if w]
    if not words:
        return "student"
    base = words[0][:BASE_LENGTH]
    return f"{base}.{words[-1][0]}" if len(words) > 1 else base


def usernames(names: list[str], taken: Callable[[set[str]], set[str]]) -> list[str]:
    """A username for each name, in order: its base, then base2, base3... for the second and
    later of the same base, skipping any whose skeleton (quizzes.names) `taken` says an
    existing account has, so that none looks like another. `taken` is asked once a round, with
    every skeleton the round proposes."""
    bases = [username_base(name) for name in names]
    wanted: dict[str, int] = {}
    for base in bases:
        wanted[base] = wanted.get(base, 0) + 1
    chosen: dict[str, list[str]] = {base: [] for base in wanted}
    used: set[str] = set()  # skeletons given out in this list
    tried = dict.fromkeys(wanted, 0)  # numbers tried so far, per base
    while any(len(chosen[b]) < n for b, n in wanted.items()):
        proposals = {}
        for base, count in wanted.items():
            missing = count - len(chosen[base])
            start = tried[base] + 1
            # As many more as are missing, and a few spare for those taken.
            for number in range(start, start + missing + 3):
                proposals[base if number == 1 else f"{base}{number}"] = base
            tried[base] += missing + 3
        busy = taken({skeleton(candidate) for candidate in proposals})
        for candidate, base in proposals.items():
            mark = skeleton(candidate)
            if len(chosen[base]) < wanted[base] and mark not in busy and mark not in used:
                chosen[base].append(candidate)
                used.add(mark)
    given = {base: iter(names_) for base, names_ in chosen.items()}
    return [next(given[base]) for base in bases]


# ---- Secrets of the login cards ---------------------------------------------------------------

# The join codes' alphabet, lower-case: no look-alikes, typed or handwritten (no 0/o, 1/l/i...).
PASSWORD_ALPHABET = "acdefghjkmnpqrtwxy34679"
PASSWORD_GROUPS = 3  # of 4 characters: 23^12, about 2^54


def new_one_time_password() -> str:
    """A one-time password as a card prints it: "tq4x-mk7c-ha9p"."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def normalise_one_time_password(text: str) -> str:
    """As typed to as stored: case, spaces and dashes do not matter."""
    return "".join(char for char in text.lower() if char.isalnum())


def new_link_token() -> str:
    """A sign-in link's token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def link_digest(token: str) -> str:
    """What is stored of a link's token: its SHA-256, as API tokens are kept. The token is 256
    random bits, so a fast hash is enough (nothing to guess), and a lookup by it costs one
    index probe: no password hashing at the start of a lesson."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Card:
    """What one login card prints: shown once, never stored (the database keeps digests)."""

    user_id: int
    display_name: str
    username: str
    password: str  # "" when the student has their own password
    token: str  # "" when the card carries no sign-in link
