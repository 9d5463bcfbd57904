"""Names people choose: look-alike usernames and display names that could pass for someone else.

A username is compared by its skeleton, in the spirit of Unicode TR39: each character is
replaced by one representative of the characters that look like it, so "ѕxs1" (Cyrillic ѕ)
and "sxs1", or "alice" and "Alice" and "AIice", have one skeleton. The look-alike classes come
from Unicode's confusables list as confusable-homoglyphs ships it (the data django-registration
checks usernames with), closed under "looks like" so that l, I and 1 fall in one class.

Display names are free text, but nothing in them may be invisible or reorder what follows
(control, bidi and zero-width characters), and a student cannot call themselves "(teacher)".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data
from django.core.exceptions import ValidationError


@cache
def _representatives() -> dict[str, str]:
    """Each confusable character to the smallest code point among the characters that look
    like it (one-character look-alikes only: "rn" for "m" would need the whole string)."""
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    for char, homoglyphs in confusables_data.items():
        if len(char) != 1:
            continue
        for homoglyph in homoglyphs:
            if len(homoglyph["c"]) == 1:
                a, b = find(char), find(homoglyph["c"])
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {char: find(char) for char in parent}


def skeleton(text: str) -> str:
    """What `text` looks like: equal for strings a reader cannot tell apart, case included."""
    representatives = _representatives()

    def mapped(value: str) -> str:
        value = unicodedata.normalize("NFD", value)
        return "".join(representatives.get(char, char) for char in value)

    # Mapped, case-folded and mapped again: "AIice" and "alice" meet only after both steps.
    return mapped(mapped(unicodedata.normalize("NFKC", text)).casefold())


# Cc: control characters; Cf: format characters, among them the bidi overrides and isolates
# (U+202A-202E, U+2066-2069), the zero-width space, joiners and the BOM; Co, Cs, Cn: private,
# surrogate and unassigned code points; Zl, Zp: line and paragraph separators.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
# A role in brackets after (or before) a name: "Tess (teacher)", "[Admin] Bob". Bare words
# are left alone: "Miss Teacher" and "Ada Staffordshire" are names.
_ROLE = re.compile(
    r"[(\[{<]\s*(?:the\s+)?(?:head\s*)?"
    r"(?:teacher|admin|administrator|staff|moderator|mod|tutor|principal|owner|sir|miss)\s*[)\]}>]",
    re.IGNORECASE,
)


def validate_display_name(value: str) -> None:
    """Refuses characters that do not show, or that change how the rest of the name shows."""
    if any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in value):
        raise ValidationError(
            "Use letters, digits, spaces and punctuation only: this name has a character that "
            "does not show or changes the direction of the text.",
            code="hidden_character",
        )


def pretends_role(value: str) -> bool:
    return bool(_ROLE.search(unicodedata.normalize("NFKC", value)))
