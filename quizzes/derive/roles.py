"""Who was who: a person and the role the text gives them in apposition.

"Harold Godwinson, the Earl of Wessex, ..." and "the last shogun, Tokugawa Yoshinobu, ..." say
what a person was; "The main speaker at the ceremony was Edward Everett" says it with "was".
Each is a "Who was ...?" question, and three or more make a matching question (person to role).
Pure functions over a sentence's text and the document's names; linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import NameIndex

# A name: capitalised words, "of"/"de"/"von" between them ("Duke William of Normandy").
_NAME = r"[A-Z][\w’'.-]*(?: (?:of |de |von |van |the )?[A-Z][\w’'.-]*){0,4}"
# A role: an article and up to nine words, lower case but for names after "of" and adjectives
# of nations ("the American military governor", "the king of Norway").
_ROLE = r"(?:the|a|an|his|her|their) (?:[\w’'-]+ ){0,8}?[\w’'-]+"
_AFTER_NAME = re.compile(r"(?P<name>" + _NAME + r"), (?P<role>" + _ROLE + r")(?=,| who\b|\.|$)")
_BEFORE_NAME = re.compile(
    r"(?:^|, |\b(?:by|to|with|and|under|for|of|from|\d{4}) )"
    r"(?P<role>(?:the|his|her) (?:[\w’'-]+ ){0,6}?[\w’'-]+), "
    r"(?P<name>" + _NAME + r")(?=,|\.|$| who\b)"
)
_COPULA = re.compile(
    r"^(?P<role>The (?:[\w’'-]+ ){0,8}?[\w’'-]+) (?:was|were) (?P<name>" + _NAME + r")(?=,|\.|$)"
)
# Roles that say nothing on their own ("a man", "the one") or are relations only the text's
# next sentence explains.
_EMPTY = re.compile(r"^(?:the|a|an|his|her|their) (?:man|woman|one|other|same|latter|former)$")


@dataclass(frozen=True)
class Role:
    person: str  # as the text writes it ("Harold Godwinson")
    role: str  # "the Earl of Wessex"
    start: int  # the sentence's offsets in the document
    end: int
    definite: bool  # "the ..." (one person fits) rather than "a ..." or "his ..."


def roles_in(text: str, start: int, end: int, names: NameIndex) -> list[Role]:
    """The roles one sentence gives people of the document."""
    out = []
    matches = [*_AFTER_NAME.finditer(text), *_BEFORE_NAME.finditer(text), *_COPULA.finditer(text)]
    for m in matches:
        name = re.sub(r"^(?:The|the) ", "", m.group("name"))
        role = m.group("role")
        if names.kind(name) != "person" or _EMPTY.match(role.lower()):
            continue
        words = role.split()
        # A role is lower case but for names ("of Norway", "American"): no verb-like clause.
        if any(w[0].isupper() for w in words[1:2]) and words[0].lower() != "the":
            continue
        if re.search(r"\b(?:was|were|is|are|had|has|did|and|but|which|that)\b", role):
            continue
        role = role[0].lower() + role[1:]
        out.append(Role(name, role, start, end, role.startswith("the ")))
    return out


def distinct_roles(roles: list[Role], names: NameIndex) -> list[Role]:
    """One role per person and per wording, the first the text gives: for a matching question
    every person and every role must appear once."""
    people: set[str] = set()
    wordings: set[str] = set()
    out = []
    for r in roles:
        ent = names.entity(r.person)
        who = ent.key if ent is not None else r.person
        if who in people or r.role in wordings:
            continue
        people.add(who)
        wordings.add(r.role)
        out.append(r)
    return out
