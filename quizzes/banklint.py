"""The bank linter: what makes a quiz answer itself or mark a right answer wrong, found in plain
data (no database, no Django), so that the shipped YAML banks (`manage.py lint_banks`, run by
the test suite) and a teacher's quiz in the admin are checked by the same rules.

Rules, each named by its `Finding.rule`:
- giveaway: a question's answer appears, beside a word of its own prompt, in the prompt,
  options, explanation or passage of a question shown before it, or in the quiz's description;
- same-clause: two questions rest on overlapping passages (each feedback quotes the passage,
  so the first one's feedback answers the second; and it is one idea asked twice);
- ordering-item: an ordering question's items name another question's answer;
- short-answer-variants: a short answer's key lacks the possessive ("whose" questions), the
  surname alone (a person), the form without its leading article, or a full name the source
  writes: exported to GIFT or Moodle, the key is all another system grades by;
- true-false-verbatim: a true statement that copies the source, so that recognising the
  words, not understanding them, answers it;
- matching-ambiguous: a matching partner that is also true of another left-hand item (phrased
  as an absence, "left out of ...", or said of that item in the passage).

In a quiz that draws its questions for each attempt (a pool), any two questions that can be
drawn together may come in either order: "before" means "anywhere in the same draw".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import permutations
from typing import Any

from quizzes.grading import answer_form, asks_for_person, is_name, normalise_text

# Words that say nothing about what a question asks; everything else in a prompt is a cue.
STOP_WORDS = frozenset(
    """a about after against all also an and any are as at be been before being between both but
    by can could did do does during each for from had has have he her him his how if in into is
    it its just many more most much name named not of on one only or other over same says said
    say she so some such than that the their them then there these they this those three through
    to true false under until up was were what when where which while who whom whose why will
    with would year years text according select apply following statement soviet union
    communist party""".split()  # noqa: SIM905 (a paragraph of words reads better)
)
NUMBER_WORDS = {
    2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
    10: "ten", 11: "eleven", 12: "twelve", 15: "fifteen", 16: "sixteen", 20: "twenty",
}  # fmt: skip
SYNONYMS = {"murde": "assas", "kille": "assas", "kill": "assas", "shot": "execu",
            "expul": "expel", "exile": "expel", "clear": "rehab", "clean": "rehab"}  # fmt: skip
# Characters of overlap that make two passages one clause.
SAME_CLAUSE_OVERLAP = 20
# Consecutive words a true statement may share with its source before it copies it.
VERBATIM_RUN = 8
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_ABSENCE = re.compile(r"\b(not|never|no|without|except|left out|excluded)\b", re.IGNORECASE)
_WHOSE = re.compile(r"^(?:\w+ )?whose\b", re.IGNORECASE)  # "Whose son...", "At whose..."
_CLAUSE_END = re.compile(r"[.;:()\n]|\band\b")  # not commas: "Yagoda, who was ..."
_FULL_NAME = r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) {surname}\b"


@dataclass(frozen=True)
class Finding:
    quiz: str
    key: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.quiz}:{self.key}: [{self.rule}] {self.message}"


@dataclass(frozen=True)
class LintQuestion:
    """A question as the linter reads it. `rows` are its choices as interchange.schema.rows_of
    and the Choice table hold them: text, is_correct, match_text, in position order."""

    key: str
    type: str
    prompt: str
    explanation: str = ""
    passage: str = ""
    passage_start: int | None = None
    source: str = ""  # the source's slug: passages overlap only within one text
    topic: str = ""
    number: Decimal | None = None
    rows: tuple[Mapping[str, Any], ...] = ()

    @property
    def right_texts(self) -> list[str]:
        return [str(r["text"]) for r in self.rows if r.get("is_correct") and r.get("text")]

    @property
    def shown_texts(self) -> list[str]:
        """Everything a student reads of this question: the card, then its feedback."""
        options = [str(r.get("text") or "") for r in self.rows if self.type != "short_answer"]
        partners = [str(r.get("match_text") or "") for r in self.rows]
        return [self.prompt, *options, *partners, self.explanation, self.passage]

    @property
    def span(self) -> range | None:
        if self.passage_start is None:
            return None
        return range(self.passage_start, self.passage_start + len(self.passage))


@dataclass(frozen=True)
class LintQuiz:
    slug: str
    description: str
    questions: Sequence[LintQuestion]  # in the order a fixed quiz asks them
    # A pool quiz draws its questions for each attempt: any two that can be drawn together
    # count, in either order. per_topic=1 never draws two questions of one topic together.
    drawn: bool = False
    per_topic: int | None = None
    sources: Mapping[str, str] = field(default_factory=dict)  # slug -> text


def lint_quiz(quiz: LintQuiz) -> list[Finding]:
    findings: list[Finding] = []
    for earlier, later in _shown_before(quiz):
        findings += _giveaways(quiz, earlier, later)
    for question in quiz.questions:
        if term := reveals(quiz.description, question):
            findings.append(_found(quiz, question, "giveaway", f"the description names {term!r}"))
        findings += _check_question(quiz, question)
    return _unique(findings)


def _shown_before(quiz: LintQuiz) -> Iterator[tuple[LintQuestion, LintQuestion]]:
    questions = list(quiz.questions)
    if not quiz.drawn:
        for index, later in enumerate(questions):
            for earlier in questions[:index]:
                yield earlier, later
        return
    for earlier, later in permutations(questions, 2):
        if quiz.per_topic == 1 and earlier.topic == later.topic:
            continue
        # A draw asks one ordering question at most, and last (Quiz.draw_question_ids).
        if earlier.type == "ordering":
            continue
        yield earlier, later


def _giveaways(quiz: LintQuiz, earlier: LintQuestion, later: LintQuestion) -> list[Finding]:
    found = []
    if term := reveals("\n".join(earlier.shown_texts), later):
        found.append(
            _found(quiz, later, "giveaway", f"{earlier.key!r}, shown before it, says {term!r}")
        )
    # A draw meets each pair in both orders: one finding is enough.
    if _same_clause(earlier, later) and (not quiz.drawn or earlier.key < later.key):
        found.append(
            _found(quiz, later, "same-clause", f"rests on the same clause as {earlier.key!r}")
        )
    if earlier.type == "ordering" or later.type == "ordering":
        ordering, other = (earlier, later) if earlier.type == "ordering" else (later, earlier)
        items = "\n".join(str(r["text"]) for r in ordering.rows)
        if other.type != "ordering" and (term := reveals(items, other)):
            message = f"an item names {term!r}, the answer of {other.key!r}"
            found.append(_found(quiz, ordering, "ordering-item", message))
    return found


def _check_question(quiz: LintQuiz, question: LintQuestion) -> list[Finding]:
    source = quiz.sources.get(question.source, "")
    messages: list[tuple[str, str]] = []
    if question.type == "short_answer":
        messages += [("short-answer-variants", m) for m in missing_variants(question, source)]
    if question.type == "true_false" and _is_true(question):
        statement = re.sub(r"^true or false:\s*", "", question.prompt, flags=re.IGNORECASE)
        if _common_run(statement, source or question.passage) >= VERBATIM_RUN:
            messages.append(("true-false-verbatim", "the true statement copies the source"))
    if question.type == "matching":
        messages += [("matching-ambiguous", m) for m in ambiguous_pairs(question)]
    return [_found(quiz, question, rule, message) for rule, message in messages]


def _found(quiz: LintQuiz, question: LintQuestion, rule: str, message: str) -> Finding:
    return Finding(quiz.slug, question.key, rule, message)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


# ---------------------------------------------------------------------------- giveaways


def answer_terms(question: LintQuestion) -> list[str]:
    """The words that answer the question, normalised, as they would appear in other text."""
    match question.type:
        case "short_answer":
            terms = [answer_form(text) for text in question.right_texts]
            if asks_for_person(question.prompt):
                names = [t for t in question.right_texts if is_name(t)]
                terms += [answer_form(name).split()[-1] for name in names]
        case "numeric" if question.number is not None:
            value = question.number.normalize()
            terms = [normalise_text(f"{value:f}"), normalise_text(f"{value:,f}")]
            if value == value.to_integral_value() and int(value) in NUMBER_WORDS:
                terms.append(NUMBER_WORDS[int(value)])
        case "single_choice":
            terms = [answer_form(t) for t in question.right_texts if len(t.split()) <= 4]
        case _:
            terms = []
    return [term for term in dict.fromkeys(terms) if len(term) >= 3 or term.isdigit()]


def reveals(text: str, question: LintQuestion) -> str | None:
    """The answer term of `question` that `text` gives away, if any: one that appears in a
    sentence sharing a word with the question's prompt (a name alone, in a text about other
    things, answers nothing)."""
    if not text:
        return None
    sentences = [normalise_text(s).split() for s in _SENTENCE_END.split(text)]
    for term in answer_terms(question):
        term_words = term.split()
        cues = _stems(_content_words(normalise_text(question.prompt).split())) - _stems(term_words)
        for words in sentences:
            if _contains(words, term_words) and cues & _stems(_content_words(words)):
                return term
    return None


def _content_words(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in STOP_WORDS and (len(w) >= 4 or w.isdigit())]


def _stems(words: Iterable[str]) -> set[str]:
    # Crude on purpose: "trial"/"trials", "rehabilitated"/"rehabilitation" meet at five letters,
    # and a few words the banks use for one thing meet as one ("murder" gives "assassinated").
    stems = {w[:5] for w in words}
    return {SYNONYMS.get(stem, stem) for stem in stems}


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(list(words[i : i + n]) == list(phrase) for i in range(len(words) - n + 1))


def _same_clause(a: LintQuestion, b: LintQuestion) -> bool:
    if "ordering" in (a.type, b.type) or a.source != b.source or not (a.span and b.span):
        return False
    overlap = min(a.span.stop, b.span.stop) - max(a.span.start, b.span.start)
    return overlap >= SAME_CLAUSE_OVERLAP


# ---------------------------------------------------------------------------- one question


def missing_variants(question: LintQuestion, source: str) -> list[str]:
    variants = question.right_texts
    if not variants:
        return ["no accepted answer"]
    forms = {normalise_text(v) for v in variants}
    first = variants[0]
    missing = []
    if _WHOSE.match(question.prompt) and not any(re.search(r"['’]s$", v.strip()) for v in variants):
        missing.append(f"the possessive ({first}'s)")
    if normalise_text(first).startswith(("the ", "a ", "an ")):
        bare = re.sub(r"^(the|a|an)\s+", "", first, flags=re.IGNORECASE)
        if normalise_text(bare) not in forms:
            missing.append(f"the form without the article ({bare})")
    names = [v for v in variants if is_name(v)]
    if asks_for_person(question.prompt) and names:
        surname = answer_form(names[0]).split()[-1]
        if surname not in forms:
            missing.append(f"the surname alone ({surname.capitalize()})")
        spelt = re.findall(_FULL_NAME.format(surname=re.escape(surname.capitalize())), source)
        for given in dict.fromkeys(spelt):
            full = f"{given} {surname.capitalize()}"
            if normalise_text(full) not in forms and given.split()[0].lower() not in STOP_WORDS:
                missing.append(f"the source's spelling {full!r}")
    return missing


def _is_true(question: LintQuestion) -> bool:
    return any(r.get("text") == "True" and r.get("is_correct") for r in question.rows)


def _common_run(statement: str, source: str) -> int:
    """The longest run of consecutive words the statement shares with the source."""
    a, b = normalise_text(statement).split(), normalise_text(source).split()
    best, previous = 0, [0] * (len(b) + 1)
    for word in a:
        current = [0] * (len(b) + 1)
        for j, other in enumerate(b, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def ambiguous_pairs(question: LintQuestion) -> list[str]:
    """Partners that the passage also says of another left-hand item, in one clause of it."""
    pairs = [(str(r["text"]), str(r["match_text"])) for r in question.rows if r.get("text")]
    clauses = [normalise_text(c).split() for c in _CLAUSE_END.split(question.passage)]
    messages = []
    for left, right in pairs:
        if _ABSENCE.search(right):
            messages.append(f"{right!r} is said as an absence: it is true of any item it omits")
            continue
        wanted = _stems(_content_words(normalise_text(right).split()))
        for other, _ in pairs:
            names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]{3,}", other)} - STOP_WORDS
            if other == left or not names or not wanted:
                continue
            if any(names & set(words) and wanted <= _stems(words) for words in clauses):
                messages.append(f"{right!r} is also true of {other!r} by the passage")
    return messages
