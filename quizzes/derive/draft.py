"""The draft question the engine produces, and its dict form (the fixtures/README.md schema)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "ordering",
    "matching",
)


@dataclass
class Ask:
    """What a pattern asks, before the Builder places it in the document: the question, its
    answer (the fields of its type) and the fact it rests on. ``Builder.emit`` adds the passage,
    topic, key, difficulty and the penalties of the scoring table."""

    qtype: str
    prompt: str
    explanation: str
    confidence: float  # the pattern's weight from ``scoring``, less its own penalties
    pattern: str  # the rule that made it (a key of ``scoring.BASE``, "-short" for a twin)
    key_hint: str  # its key's family and words ("year-trotsky-expelled")
    fact: str  # the right answer as the passage writes it ("1929", "Trotsky", "1,108")
    fact_kind: str  # year | person | org | event | number | statement | ...
    choices: list[dict[str, Any]] | None = None
    answer: Any = None
    answers: list[str] | None = None
    tolerance: float | int | None = None
    items: list[str] | None = None
    item_facts: list[str] | None = None
    pairs: list[dict[str, str]] | None = None


@dataclass
class Draft:
    key: str
    type: str
    topic: str
    difficulty: str
    prompt: str
    explanation: str
    passage: str
    passage_start: int
    passage_end: int
    confidence: float
    choices: list[dict[str, Any]] | None = None
    answer: Any = None
    answers: list[str] | None = None
    tolerance: float | int | None = None
    items: list[str] | None = None
    pairs: list[dict[str, str]] | None = None  # matching: {"left": person, "right": role}
    # What the question rests on, for checks and the report (not part of the question dict).
    fact: str = ""  # the right answer as the passage writes it ("1929", "Trotsky", "1,108")
    fact_kind: str = ""  # year | person | org | event | number | statement
    item_facts: list[str] = field(default_factory=list)  # ordering: each item's year
    paragraph: int = -1
    pattern: str = ""  # the rule that made it
    reason: str = ""  # why it scored as it did, in a word or two ("dated fact", "pronoun")

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "key": self.key,
            "type": self.type,
            "topic": self.topic,
            "difficulty": self.difficulty,
            "prompt": self.prompt,
        }
        if self.type in ("single_choice", "multiple_choice"):
            d["choices"] = [dict(c) for c in self.choices or []]
        elif self.type == "true_false":
            d["answer"] = bool(self.answer)
        elif self.type == "short_answer":
            d["answers"] = list(self.answers or [])
        elif self.type == "numeric":
            d["answer"] = self.answer
            d["tolerance"] = self.tolerance or 0
        elif self.type == "ordering":
            d["items"] = list(self.items or [])
        elif self.type == "matching":
            d["pairs"] = [dict(p) for p in self.pairs or []]
            d["spares"] = []
        d["explanation"] = self.explanation
        d["passage"] = self.passage
        d["passage_start"] = self.passage_start
        d["passage_end"] = self.passage_end
        d["confidence"] = self.confidence
        d["confidence_reason"] = self.reason
        return d

    @property
    def correct_texts(self) -> list[str]:
        if self.type in ("single_choice", "multiple_choice"):
            return [c["text"] for c in self.choices or [] if c.get("correct")]
        if self.type == "short_answer":
            return list(self.answers or [])[:1]
        return []

    @property
    def distractor_texts(self) -> list[str]:
        if self.type in ("single_choice", "multiple_choice"):
            return [c["text"] for c in self.choices or [] if not c.get("correct")]
        return []
