"""From sentences with a clear fact to draft questions."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

from . import scoring
from .causes import as_reason, because, consequence, led_to, purpose, thing_purpose
from .document import BULLET, Document, Paragraph, Sentence
from .draft import Ask, Draft
from .entities import (
    ADJECTIVE_WORDS,
    COMMON_WORDS,
    DOCUMENT_HEADS,
    EVENT_HEADS,
    FIRST_NAMES,
    MONTHS,
    NAMED_KINDS,
    ORG_HEADS,
    THING_KINDS,
    TITLES,
    NameIndex,
    classify_name,
    find_numbers,
    find_years,
)
from .grammar import (
    IRREGULAR,
    Clause,
    coordinated_parts,
    find_verb,
    invert,
    lemma,
    lower_first,
    parse_clause,
    restore_passive,
    split_prefix,
    strip_leading_markers,
    strip_parentheses,
    tidy,
)
from .roles import distinct_roles, roles_in
from .tables import Table, cell_prompt, figure, find_tables
from .timeline import (
    DatedEvent,
    date_distractors,
    date_pools,
    dated_events,
    is_dated_line,
    ordering_windows,
    when_prompt,
)
from .words import AUXILIARIES, DO_FORMS, KEY_STOP_WORDS, MODALS, UNNAMED_SUBJECTS, find_word

_MONTH = "|".join(MONTHS)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
# A primary source's title: its author, its name and its year ("Emmeline Pankhurst, "Freedom
# or Death" (1913)").
# "The Battle of Gettysburg, fought in Pennsylvania in July 1863, was ...": a subject, a
# participle phrase between commas, and the rest of the sentence from its verb.
_PARTICIPLE_APPOSITIVE = re.compile(
    r"^(?P<subj>(?:The |An? )?[A-Z][^,]{1,80}), (?P<verb>[a-z]+) (?P<tail>[^,]{2,120}), "
    r"(?P<rest>[a-z].*)$"
)
# Endings of common nouns, adjectives and adverbs, never of a name standing alone.
_COMMON_ENDINGS = (
    "ers",
    "ians",
    "ence",
    "ance",
    "tion",
    "tions",
    "ment",
    "ments",
    "ness",
    "ity",
    "ities",
    "ways",
    "ally",
    "ther",
    "ships",
    "ies",
)
# How hard a question of each type is, before its own reasons make it harder.
DIFFICULTY = {
    "single_choice": "easy",
    "true_false": "easy",
    "short_answer": "medium",
    "numeric": "medium",
    "multiple_choice": "medium",
    "ordering": "hard",
    "matching": "medium",
}
_NOTE_LABEL = re.compile(r"^(?P<label>[^:;.]{2,60}?): (?P<rest>\S.*)$")
_NOTE_HEAD = re.compile(
    r"^(?P<ev>[A-Z][\w-]*(?: [\w-]+){1,4}),? \(?(?:\d{1,2} )?(?:[A-Z][a-z]+ )?(?P<year>"
    + _YEAR
    + r")\)?:"
)
_SOURCE_TITLE = re.compile(
    r"^(?P<name>[A-Z][^,:()]{2,40})[,:] (?P<work>[^()]{3,80}?)(?: \(\d{4}\))?$"
)
DATE_PP = re.compile(
    r"(?:,\s*)?\b(?P<prep>in|In|on|On|by|By|during|During|as early as|as late as|until|Until|"
    r"since|Since)\s+(?P<date>(?:(?:early|late|mid-?)\s*)?(?:(?:the\s+)?(?:spring|summer|autumn|"
    r"fall|winter)\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:(?:" + _MONTH + r")\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?P<year>" + _YEAR + r"))\b"
    r"(?!\s*[-–]\s*\d|\s+(?:and|or|to)\s+\d|,\d)(?:\s*,(?=\s))?"
)
_WH_FOR_PREP = {
    "in": "In which year",
    "on": "In which year",
    "during": "In which year",
    "as early as": "In which year",
    "as late as": "In which year",
    "by": "By which year",
    "until": "Until which year",
    "since": "Since which year",
}
ARTICLE_PP = re.compile(
    r"\b(?P<prep>under|in|by|of)\s+(?P<noun>Article|Amendment|Chapter|Section|Clause|"
    r"Paragraph|Resolution|Decree|Order)\s+(?P<num>\d+)"
    r"(?P<tail>(?:\s+of\s+the\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?)"
)
_OFFICE = re.compile(r"^(?:Prime Minister|President|General|Chancellor|Admiral|Marshal) ")
_NATIONALITY_ENDINGS = ("ish", "ese", "ian", "an", "ch")
# A note's bare noun phrase after the verb of a question ("did first US troops land", "was
# new currency introduced") takes the article a sentence would give it.
_BARE_NOUN = re.compile(r"\b(did|was|were|that) (first|last|new|second|third) ")
# A note's name of a body without its article ("did National Assembly meet").
_BARE_BODY = re.compile(r"\b(did|was|were|that) ((?:[A-Z][a-z]+ )+([A-Z][a-z]+))\b")
# A verb that makes what it names ("signed the Treaty of Paris in 1783"): the year is its own.
_MADE_BEFORE = re.compile(
    r"\b(?:signed|passed|adopted|introduced|founded|issued|published|agreed|made|formed"
    r"|set up|created|established|launched|began|fought|won|lost)\s+(?:the\s+)?$"
)
TAKE_PLACE = {
    "trial",
    "trials",
    "revolution",
    "war",
    "battle",
    "affair",
    "purge",
    "crisis",
    "massacre",
    "siege",
    "rebellion",
    "uprising",
    "revolt",
    "coup",
    "conference",
    "summit",
    "election",
    "elections",
    "invasion",
    "campaign",
    "offensive",
    "blockade",
    "airlift",
    "storming",
    "raid",
    "march",
    "riots",
    "strike",
    "famine",
    "landings",
}
# "He ..." or "In June 1802 he ...": the sentence's subject is a pronoun.
_LEADING_PRONOUN = re.compile(
    r"^(?P<lead>(?:In|On|By|During|After|Before|Later|Soon) [^,]{0,40}?,? )?"
    r"(?P<pronoun>[Hh]e|[Ss]he)(?= )"
)
# "It was signed ...", "It ended ...": a thing's deed, not "It was Yezhov who" nor "It is
# likely that".
_LEADING_IT = re.compile(r"^It(?= (?:was|were|had been) [a-z]+(?:ed|en|wn|ne)\b| [a-z]+ed\b)")
# An object pronoun: "him", or "her" before what cannot follow a possessive ("gave her the
# title", "brought her back", "sent her to").
_OBJECT_PRONOUN = re.compile(
    r"(?<=[a-z] )(him|her)(?= (?:the|a|an|back|to|into|at|in|as|from|on|with|for)\b|[,.]|$)"
)
_LEADING_SUBORDINATE = re.compile(
    r"^(?:After|When|Before|Although|Though|While|Because|Since|Once|Until|If|As soon as) "
    r"[^,]{3,120}, "
)
_LEADING_POSSESSIVE = re.compile(r"^(His|Her) (?=[a-z])")
_THIS_SOURCE = re.compile(
    r"\b[Tt]his (speech|letter|document|extract|source|poem|diary|report|pamphlet|telegram)\b"
)
_DATE_WITHOUT_COMMA = re.compile(
    r"^((?:In|On|By|During) (?:\d{1,2} )?(?:[A-Z][a-z]+ )?(?:1[0-9]{3}|20[0-9]{2})"
    r"|Between (?:\d{1,2} )?(?:[A-Z][a-z]+ )?(?:1[0-9]{3}|20[0-9]{2}) and (?:\d{1,2} )?"
    r"(?:[A-Z][a-z]+ )?(?:1[0-9]{3}|20[0-9]{2})) "
    r"(?=[A-Z]|(?:the|a|an) )"
)
_NEGATIVE = re.compile(r"\b(?:not|never|no longer|neither|nor|n't)\b", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|these|those|such) \w+|\bprevent it\b|\bof it\b|\bit\s+\w+ed\b", re.I
)
_PRONOUN_RE = re.compile(
    r"\b(?:he|she|they|it|this|these|those|him|them|his|her|their|its)\b", re.IGNORECASE
)


DISTRACTOR_POOL = 400
# A sentence that gives a cause or a consequence itself: never a wrong reason.
_CONNECTIVE = re.compile(
    r"\b(?:because|led to|resulted in|caused|so that|as a result|therefore|consequently)\b", re.I
)


@dataclass
class Fact:
    """A dated event, for ordering questions."""

    year: int
    item: str
    sentence: Sentence


def stable_hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def slug(text: str, limit: int = 6) -> str:
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]
    words = [w for w in words if w not in KEY_STOP_WORDS]
    return "-".join(words[:limit]) or "question"


def normalise_space(text: str) -> str:
    return " ".join(text.split())  # str.split's whitespace is the regex \s's, and no regex


def quote(text: str) -> str:
    return f"\u201c{normalise_space(text)}\u201d"


@dataclass
class Run:
    """One subject and the run of verb phrases a clause gives it ("Stalin expelled Trotsky and
    exiled him"), with what every question on it needs: the context any question repeats."""

    sent: Sentence
    subject: str
    vps: list[str]
    prefix: str  # the clause's leading adverbial ("In December 1934")
    context: str  # the statement a later run's question opens with ("Stalin expelled ...")
    lead: str  # an adverb that led the run's clause ("eventually")
    mid_date: str | None  # a date phrase in mid-sentence ("in 1929")
    vp_run: str  # the verb phrases joined ("expelled Trotsky and exiled him")
    ctx: str  # the context as a prompt's first sentence ("... . ")
    prefix_part: str  # the adverbial as a prompt's opening ("In December 1934, ")
    statement: str  # the run as a statement, the explanation's words
    positive: list[str]  # the verb phrases that are not negated
    person: str | None  # the subject, when it is a person


class Builder:
    """Derives drafts from one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.sentences = [s for p in doc.paragraphs if not p.is_quote for s in p.sentences]
        self.by_index = {s.index: s for s in self.sentences}
        self.names = NameIndex([normalise_space(s.text) for s in self.sentences])
        self._mention_sentence = {s.index: i for i, s in enumerate(self.sentences)}
        years: dict[int, int] = {}
        for s in self.sentences:
            for _, _, y in find_years(s.text):
                years[y] = years.get(y, 0) + 1
        self.years = sorted(years)
        self.numbers = sorted(
            {n.value for s in self.sentences for n in find_numbers(s.text) if not n.percent}
        )
        self.mid_sentence_words = {
            w for s in self.sentences for w in re.findall(r"(?<=[a-z,;] )[A-Z][\w-]*", s.text)
        }
        self._paragraph_starts = [p.start for p in doc.paragraphs]
        self.timeline = dated_events(doc, self.sentences)
        # A timeline's years stand in its headings ("1962"), out of any sentence.
        self.years = sorted(set(self.years) | {e.year for e in self.timeline})
        self.recent_people: list[str] = []  # the people named lately, the latest last
        self._options: dict[tuple[str, int], str | None] = {}  # sentences put as options
        self._happenings: list[str] = []  # events and results named so far, for wrong results
        self._passage_years: set[int] = set()  # the years of the passage being read
        # A bullet's subject carried from the line before or the heading, and where it is.
        self._subjects: dict[int, tuple[str, int]] = {}
        self._first_names: dict[str, str] = {}
        for e in self.names.of_kind("person"):
            if len(e.key.split()) > 1:
                self._first_names.setdefault(e.key.split()[0], self.canonical(e.key))
        self.quotes_a_source = any(p.is_quote for p in doc.paragraphs)
        self.lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", doc.text)) | COMMON_WORDS
        self.drafts: list[Draft] = []
        self.facts: list[Fact] = []
        self._tf_count = 0
        self._rows_seen: set[tuple[str, ...]] = set()  # tables' rows asked about
        self._date_pools: dict | None = None  # a timeline's dates by year, read once
        self._dates: list[str] | None = None  # the text's day-and-month dates, once read
        self._last_thing: str | None = None  # the named thing an opening "It" stands for
        self._event_years: dict[str, str] = {}  # the year each named event is dated by first

    # ------------------------------------------------------------------ helpers

    # ------------------------------------------------------------------ pronouns

    def remember_person(self, sent: Sentence) -> None:
        """The people a following "He" or "She" may mean, the latest last: those the sentence
        names, its first (its subject, most often) the latest, in their fullest form. A
        sentence whose subject is itself "He" or "She" keeps them ("In 1844 she joined a
        community led by George Benson": "She" next is still the same woman)."""
        if _LEADING_PRONOUN.match(sent.text):
            return
        named: list[str] = []
        mentions = list(self.mentions_in(sent))
        lead = _LEADING_SUBORDINATE.match(sent.text)
        if lead:
            # "After Wilhelm II became emperor, ... Bismarck was dismissed": the main clause's
            # people are the latest, those of the clause before it less so.
            mentions.sort(key=lambda m: m.start < lead.end())
        for mention in mentions:
            ent = self.names.entity(mention.text)
            if ent is not None and self.names.is_sure_person(mention.text):
                named.append(self.canonical(ent.key))
            # A first name alone ("Toussaint agreed ..."): the person named in full before.
            elif self._first_names.get(mention.text):
                named.append(self._first_names[mention.text])
        for key in reversed(named):
            if key in self.recent_people:
                self.recent_people.remove(key)
            self.recent_people.append(key)
        del self.recent_people[:-6]

    def canonical(self, key: str) -> str:
        """The name a person goes by in the text: of their names ("Mary Seacole was born Mary
        Jane Grant"), the one the text names first, so that "she" never becomes the other."""
        names = [key, *sorted(self.names.aliases.get(key, ()))]
        return min(names, key=lambda k: (min(self.names.entity(k).sentences), names.index(k)))

    def referent(self, pronoun: str) -> str | None:
        """The latest person named whom the pronoun can mean: not a man for "she"."""
        wanted = "f" if pronoun.lower() == "she" else "m"
        for key in reversed(self.recent_people):
            if self.names.gender(key) in (None, wanted):
                return key
        return None

    def resolved(self, sent: Sentence) -> Sentence:
        """The sentence with a leading "He" or "She" replaced by the person it stands for, so
        that its questions name them ("In which year did Toussaint Louverture ...?"). The
        offsets, and so the passage quoted, stay the source's own."""
        if self.quotes_a_source and _THIS_SOURCE.search(sent.text):
            # "she gave this speech": the source the text quotes, named as such in a question.
            text = _THIS_SOURCE.sub(r"the \1 quoted in the text", sent.text)
            sent = dataclasses.replace(sent, text=text, resolved=True)
        thing = _LEADING_IT.match(sent.text)
        if thing and self._last_thing:
            # "It was signed on 28 June 1919": the treaty, event or body the sentence before
            # has as its subject.
            text = self._last_thing + sent.text[thing.end() :]
            return dataclasses.replace(sent, text=text, resolved=True)
        m = _LEADING_PRONOUN.match(sent.text)
        person = self.referent(m.group("pronoun")) if m else None
        owner = _LEADING_POSSESSIVE.match(sent.text)
        if m is None and owner is not None:
            # "Her words were meant to persuade ...": "Emmeline Pankhurst's words ...".
            whose = self.referent("he" if owner.group(1) == "His" else "she")
            if whose is None:
                return sent
            text = f"{whose}’s {sent.text[owner.end() :]}"
            return dataclasses.replace(sent, text=text, resolved=True)
        if m is None or person is None:
            return self.objects_resolved(sent)
        if m.group("lead") is None and not sent.text[0].isupper():
            return sent
        text = (m.group("lead") or "") + person + sent.text[m.end() :]
        return dataclasses.replace(sent, text=text, resolved=True)

    def objects_resolved(self, sent: Sentence) -> Sentence:
        """ "Parliament gave her the title Empress of India" -> "... gave Victoria the title":
        an object "her" or "him" in a sentence that names no one it could mean instead, put as
        the latest person named whom it can mean."""
        found = _OBJECT_PRONOUN.search(sent.text)
        if not found or _LEADING_IT.match(sent.text):
            return sent
        pronoun = found.group(1).lower()
        person = self.referent("she" if pronoun == "her" else "he")
        if person is None:
            return sent
        wanted = "f" if pronoun == "her" else "m"
        for mention in self.mentions_in(sent):
            ent = self.names.entity(mention.text)
            if (
                ent is not None
                and ent.kind == "person"
                and self.names.gender(ent.key) != ("m" if wanted == "f" else "f")
            ):
                return sent  # someone else it could mean: leave it
        text = sent.text[: found.start(1)] + person + sent.text[found.end(1) :]
        return dataclasses.replace(sent, text=text, resolved=True)

    def remember_thing(self, sent: Sentence) -> None:
        """The named treaty, event or body that a sentence has as its subject, for an "It" that
        opens the next one; any other subject forgets it."""
        if _LEADING_IT.match(sent.text):
            return
        clause = parse_clause(sent.text)
        subject = clause.subject if clause and not clause.prefix else ""
        name = re.sub(r"^The\s+", "", subject)
        if self.name_kind(name) in {"document", "event", "org"} and name[:1].isupper():
            self._last_thing = subject
        else:
            self._last_thing = None

    def carried(self, sent: Sentence) -> Sentence:
        """A bullet without a subject ("- wrote Mein Kampf while in prison") with the subject
        of the line before ("Hitler was sentenced ...") or of its heading ("Otto von
        Bismarck") put in front; its passage then runs from that line or heading, so that the
        name a question asks for is in it."""
        para = self.doc.paragraphs[sent.paragraph]
        bullet = BULLET.match(para.text)
        first = sent.text.split(" ", 1)[0]
        if (
            bullet is None
            or sent.start != para.start + bullet.end()
            or not self.doc.text[sent.start].islower()
            or not lemma(first)
            or " " not in sent.text
        ):
            return sent
        subject, start = None, sent.start
        before = self.by_index.get(sent.index - 1)
        if before is not None and self.doc.paragraphs[before.paragraph].heading == para.heading:
            name, start = self._subjects.get(before.index, (None, before.start))
            if name is None:
                clause = parse_clause(before.text)
                name = clause.subject if clause else None
            if name and self.is_name(name):
                subject = name
        heading = para.heading
        if subject is None and heading and classify_name(heading) in NAMED_KINDS:
            # Near by only: a bounded search, so that a long run of bullets stays linear.
            at = self.doc.text.rfind(heading, max(0, para.start - 2000), para.start)
            if at >= 0:
                subject, start = heading, at
        if subject is None:
            return sent
        self._subjects[sent.index] = (subject, start)
        text = f"{subject} {first.lower()} {sent.text.split(' ', 1)[1]}"
        return dataclasses.replace(sent, start=start, text=text, resolved=True)

    def is_name(self, text: str) -> bool:
        """A name of the text's, of a known kind or one never written in lower case ("Hitler",
        as against "Workers")."""
        if self.name_kind(text) in NAMED_KINDS:
            return True
        return self.names.entity(text) is not None and text.lower() not in self.lower_words

    def as_subject(self, subject: str, is_name: bool) -> str:
        """A sentence's subject as it reads inside a question: its first word in lower case
        unless it is a name ("Further treaties" -> "further treaties", "Young samurai")."""
        first = subject.split(" ")[0]
        if (
            is_name
            or not first[:1].isupper()
            or not first[1:].islower()
            or first in self.mid_sentence_words
            or first.lower() in TITLES
            or first.endswith(_NATIONALITY_ENDINGS)  # French, British, Russian
            or self.names.kind(first) not in {"unknown", "other"}
            or self.names.kind(subject) not in {"unknown", "other"}
            or not self.is_common(first)  # "Stalin": never written in lower case
        ):
            return subject
        return first.lower() + subject[len(first) :]

    def is_common(self, word: str) -> bool:
        """Whether a capitalised first word is an ordinary word ("Newspapers", "Further"), to
        be written in lower case inside a question, rather than a name ("Truman"): the text
        writes it in lower case, or it is a common word, or it has the ending of one."""
        low = word.lower()
        if self.names.kind(word) in NAMED_KINDS or low in FIRST_NAMES:
            return False
        return (
            low in self.lower_words
            or low in ADJECTIVE_WORDS
            or (low.endswith("s") and low[:-1] in self.lower_words)
            or low.endswith(_COMMON_ENDINGS)
        )

    def mentions_in(self, sent: Sentence):
        return self.names.mentions[self._mention_sentence[sent.index]]

    def name_kind(self, text: str) -> str:
        base = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        return self.names.kind(base)

    def person_of(self, subject: str) -> str | None:
        """The person a subject names: "Trotsky", "The key defendant, Leon Trotsky"."""
        s = re.sub(r"\s+(?:himself|herself|themselves)$", "", subject.strip())
        if self.names.kind(s) == "person":
            return s
        m = re.match(r"^(?P<name>[A-Z][^,]*),\s+[a-z][^,]*$", s)
        if m and self.names.kind(m.group("name")) == "person":
            return m.group("name")
        m = re.match(r"^(?:the|a|an)\s+[a-z][^,]*,\s+(?P<name>[^,]+)$", s, re.IGNORECASE)
        if m and self.names.kind(m.group("name")) == "person":
            return m.group("name")
        return None

    def people_list(self, subject: str) -> list[str] | None:
        parts = re.split(r",\s+and\s+|,\s+|\s+and\s+", subject.strip())
        if len(parts) >= 2 and all(self.names.kind(p) == "person" for p in parts):
            return parts
        return None

    def year_distractors(self, year: int, sentence_text: str, count: int = 3) -> list[int]:
        in_sentence = {y for _, _, y in find_years(sentence_text)}
        in_sentence |= {int(y) for y in re.findall(r"\b" + _YEAR + r"\b", sentence_text)}
        in_sentence |= self._passage_years
        pool = [y for y in self.years if y != year and y not in in_sentence]
        # The nearest years (nsmallest is sorted()[:count] without sorting all of a long text's)
        return sorted(heapq.nsmallest(count, pool, key=lambda y: (abs(y - year), y)))

    def name_distractors(
        self, answer: str, kind: str, sentence_text: str, count: int = 3
    ) -> list[str]:
        ent = self.names.entity(answer)
        full_form = len(answer.split()) >= 2
        out = []
        head = _head(answer)
        # The most mentioned names of the kind: enough for good distractors, and a bound that
        # keeps a long document's time linear.
        pool = self.names.of_kind(kind)[:DISTRACTOR_POOL]
        if kind in THING_KINDS:
            pool = sorted(pool, key=lambda e: _head(e.key) != head)
        # A person as a wrong answer only when the text shows them to be one (a known given
        # name, a title, "was born"): "Golden Horn" or "Ottoman Turks" merely look like people.
        sure = kind == "person" and self.names.is_sure_person(answer)
        for e in pool:
            if e is ent or _of_another_kind(e.key, kind) or self.names.are_aliases(answer, e.key):
                continue
            if any(f in self.names.other_names for f in e.forms):
                continue  # someone's other name: maybe the answer's own person
            if sure and not self.names.is_sure_person(e.key):
                continue
            forms = list(e.forms)
            if any(f in sentence_text for f in forms) or e.surname in sentence_text:
                continue
            if kind in THING_KINDS and ent is not None and e.sentences & ent.sentences:
                continue
            if kind == "person":
                text = e.key if full_form else e.surname
                if full_form and len(e.key.split()) < 2:
                    continue
            else:
                if len(e.key.split()) < 2 and not re.fullmatch(r"[A-Z]{2,6}", e.key):
                    continue
                if re.fullmatch(r"[A-Z]{2,6}", answer) != re.fullmatch(r"[A-Z]{2,6}", e.key):
                    continue
                text = e.key
            if text.lower() == answer.lower() or text in out:
                continue
            if text.lower() in answer.lower() or answer.lower() in text.lower():
                continue
            out.append(text)
            if len(out) >= count:
                break
        return out

    def answers_for(self, name: str) -> list[str]:
        ent = self.names.entity(name)
        variants = [name]
        full = self._first_names.get(name)
        if full and full != name:
            variants.append(full)  # "Peter" for "Peter III", named in full before
        if ent is not None and ent.kind == "person":
            for v in (ent.key, ent.surname):
                if v not in variants:
                    variants.append(v)
        return variants

    # ------------------------------------------------------------------ emit

    def emit(
        self, ask: Ask, sent: Sentence | None = None, span: tuple[int, int] | None = None
    ) -> None:
        """Place what a pattern asks in the document: its passage (the sentence, or ``span``),
        topic, key and difficulty, and its confidence less the penalties of its prompt."""
        if span is None:
            assert sent is not None
            span = (sent.start, sent.end)
        start, end = span
        passage = self.doc.text[start:end]
        para = self.paragraph_at(start)
        prompt = tidy_prompt(ask.prompt)
        penalties = []
        if len(prompt) > scoring.LONG_PROMPT:
            penalties.append("long-prompt")
        if len(prompt) > scoring.VERY_LONG_PROMPT:
            penalties.append("very-long-prompt")
        last = re.split(r"(?<=[.])\s+(?=[A-Z])", prompt)[-1]
        if _PRONOUN_RE.search(last.replace("Is it true that", "").replace("these events", "")):
            penalties.append("pronoun")
        if ask.qtype not in ("ordering", "matching") and _vague(prompt):  # items name them
            penalties.append("vague")
        if _RELATIVE_TIME.search(last):
            penalties.append("context")
        conf = scoring.penalised(ask.confidence, *penalties)
        why = scoring.reason(ask.pattern, penalties)
        difficulty = DIFFICULTY[ask.qtype]
        if ask.qtype == "single_choice" and ask.fact_kind == "year" and ask.choices:
            years = sorted(int(c["text"]) for c in ask.choices)
            if years[-1] - years[0] <= 4:
                difficulty = "medium"
        if ask.qtype == "numeric" and ask.fact_kind == "year":
            difficulty = "hard"
        if len(prompt) > 180 and difficulty == "easy":
            difficulty = "medium"
        family = ask.key_hint.split("-")[0]
        body = re.sub(r"^Is it true that\s+", "", prompt.split(". ")[-1])
        self.drafts.append(
            Draft(
                key=f"{family}-{slug(body, 6)}",
                type=ask.qtype,
                topic=para.topic if para else (self.doc.title or "Document"),
                difficulty=difficulty,
                prompt=prompt,
                explanation=ask.explanation,
                passage=passage,
                passage_start=start,
                passage_end=end,
                confidence=conf,
                choices=ask.choices,
                answer=ask.answer,
                answers=ask.answers,
                tolerance=ask.tolerance,
                items=ask.items,
                pairs=ask.pairs,
                fact=ask.fact,
                fact_kind=ask.fact_kind,
                item_facts=list(ask.item_facts or []),
                paragraph=para.index if para else -1,
                pattern=ask.pattern,
                reason=why,
            )
        )

    def paragraph_at(self, offset: int) -> Paragraph | None:
        i = bisect.bisect_right(self._paragraph_starts, offset) - 1
        if i < 0:
            return None
        p = self.doc.paragraphs[i]
        return p if offset < max(p.end, p.start + 1) else None

    def choice_question(
        self,
        sent: Sentence,
        prompt: str,
        answer: str,
        kind: str,
        confidence: float,
        pattern: str,
        key: str,
        context: str,
        allow_short: bool = True,
    ) -> None:
        """Single choice with same-kind names, or short answer when there are too few."""
        text = normalise_space(sent.text)
        distractors = self.name_distractors(answer, kind, text)
        bare = _OFFICE.sub("", answer)
        if kind == "person" and bare != answer and self.names.kind(bare) == "person":
            answer = bare  # "Prime Minister Clement Attlee" among bare names would stand out
        the_form = answer
        why = f"The answer is {the_form}. The text says: {quote(context)}"

        def short_answer(penalty: str, pattern_name: str, key_name: str) -> None:
            variants = self.answers_for(answer)
            extra = ""
            if len(variants) > 1:
                extra = f" The text writes {answer}; {' or '.join(variants[1:])} is accepted too."
            self.emit(
                Ask(
                    qtype="short_answer",
                    prompt=prompt,
                    explanation=why + extra,
                    confidence=scoring.penalised(confidence, penalty),
                    fact=answer,
                    fact_kind=kind,
                    pattern=pattern_name,
                    key_hint=key_name,
                    answers=variants,
                ),
                sent=sent,
            )

        twin = confidence >= scoring.SHORT_ANSWER_TWIN_FROM
        if len(distractors) >= 2 and kind == "person" and allow_short and twin:
            short_answer("short-answer-twin", pattern + "-short", "name-" + key)
        if len(distractors) >= 2:
            options = sorted([answer, *distractors[:3]], key=lambda x: (x.split()[-1], x))
            self.emit(
                Ask(
                    qtype="single_choice",
                    prompt=prompt,
                    explanation=why,
                    confidence=confidence,
                    fact=answer,
                    fact_kind=kind,
                    pattern=pattern,
                    key_hint=key,
                    choices=[
                        {"text": o, "correct": True} if o == answer else {"text": o}
                        for o in options
                    ],
                ),
                sent=sent,
            )
        elif allow_short and kind == "person":
            short_answer("short-answer-only", pattern, key)

    def year_question(
        self,
        sent: Sentence,
        prompt: str,
        year_text: str,
        confidence: float,
        pattern: str,
        key: str,
        context: str,
    ) -> None:
        year = int(year_text)
        distractors = self.year_distractors(year, normalise_space(sent.text))
        why = f"The answer is {year}. The text says: {quote(context)}"
        if len(distractors) < 2 and self.date_in_year(sent, prompt, year_text, confidence, key):
            return
        if len(distractors) >= 2:
            options = sorted([year, *distractors])
            self.emit(
                Ask(
                    qtype="single_choice",
                    prompt=prompt,
                    explanation=why,
                    confidence=confidence,
                    fact=year_text,
                    fact_kind="year",
                    pattern=pattern,
                    key_hint=key,
                    choices=[
                        {"text": str(o), "correct": True} if o == year else {"text": str(o)}
                        for o in options
                    ],
                ),
                sent=sent,
            )
        else:
            self.emit(
                Ask(
                    qtype="numeric",
                    prompt=prompt,
                    explanation=why,
                    confidence=scoring.penalised(confidence, "typed-year"),
                    fact=year_text,
                    fact_kind="year",
                    pattern=pattern,
                    key_hint=key,
                    answer=year,
                    tolerance=0,
                ),
                sent=sent,
            )

    # ------------------------------------------------------------------ per sentence

    def from_sentence(self, sent: Sentence) -> None:
        # "In 1853 an American squadron ...": the leading date read as if it had its comma.
        text = _DATE_WITHOUT_COMMA.sub(r"\1, ", normalise_space(sent.text))
        words = text.split()
        if len(words) < 5 or len(text) > 600:
            return
        if not (text[0].isupper() or text[0].isdigit()) or text.endswith("?"):
            return
        if text[0] in "\"“‘'" or "..." in text:
            return
        if is_dated_line(text):
            return  # a timeline's line: see timeline_questions
        if BULLET.match(self.doc.paragraphs[sent.paragraph].text):
            text = restore_passive(text)
        text = self.without_participle(sent, text)
        self.event_years(sent, text)
        # A note's label before its statement ("Potsdam (July 1945): Truman had replaced ..."):
        # the statement is the sentence.
        label = _NOTE_LABEL.match(text)
        if label and not find_verb(label.group("label")) and find_verb(label.group("rest")):
            rest = label.group("rest")
            text = rest[:1].upper() + rest[1:]
            if len(text.split()) < 4:
                return
        base = re.sub(r"[.!:;]+$", "", text).strip()
        plain = strip_parentheses(base)
        _marker, body = strip_leading_markers(plain)
        self.true_false(sent, plain)
        if re.match(r"^(?:It|This|They|He|She|These|Those|Such)\b", body):
            m = re.match(
                r"^It was (?P<name>[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*) who (?P<vp>.+)$", body
            )
            if m and self.names.kind(m.group("name")) == "person":
                vp = m.group("vp")
                if not _NEGATIVE.search(vp):
                    self.choice_question(
                        sent,
                        f"Who {vp}?",
                        m.group("name"),
                        "person",
                        scoring.base("cleft-who"),
                        "cleft-who",
                        f"who-{slug(vp)}",
                        body,
                    )
            return
        m = re.match(
            r"^There (?P<be>were|was) (?P<num>\S+) (?P<np>[^,]+?)(?: that | who | which |,|$)", body
        )
        if m:
            nums = [n for n in find_numbers(m.group("num")) if n.start == 0]
            if nums and not nums[0].percent:
                n = nums[0]
                self.emit(
                    Ask(
                        qtype="numeric",
                        prompt=f"How many {m.group('np')} {m.group('be')} there?",
                        explanation=f"The answer is {n.display}. The text says: {quote(text)}",
                        confidence=scoring.base("there-were"),
                        fact=m.group("num"),
                        fact_kind="number",
                        pattern="there-were",
                        key_hint=f"how-many-{slug(m.group('np'))}",
                        answer=int(n.value) if n.value.is_integer() else n.value,
                        tolerance=0,
                    ),
                    sent=sent,
                )
            return
        prefix, main = split_prefix(body)
        self.reported(sent, prefix, main, text)
        self.why_question(sent, text)
        sub = re.match(
            r"^(?:While|Although|Though|When|After|Before|Since|As|Because|Once) (?P<c>.+)$", prefix
        )
        if sub:
            inner = parse_clause(sub.group("c"))
            if inner and not _starts_with_pronoun(inner.subject):
                subj = inner.subject
                is_name = self.names.kind(re.sub(r"^the\s+", "", subj, flags=re.I)) != "unknown"
                self.date_question(sent, subj, is_name, inner.predicate(), "", "", sub.group("c"))
        clause = parse_clause(main, prefix)
        if clause is None:
            return
        # A date between subject and verb: "Zinoviev and Kamenev, in 1932, were found ..."
        mid_date = None
        dm = re.search(r",\s*(?P<pp>(?:in|on|by) [^,]*\b" + _YEAR + r")$", clause.subject)
        if dm and DATE_PP.fullmatch(dm.group("pp")):
            mid_date = dm.group("pp")
            clause.subject = clause.subject[: dm.start()].strip()
        self.from_clause(sent, clause, mid_date, text)

    def without_participle(self, sent: Sentence, text: str) -> str:
        """The sentence without a participle phrase between its subject and its verb ("The
        Indian National Congress, founded in 1885, led ..."), which the rules would take for
        the verb; a date in that phrase is asked about first ("In which year was the Indian
        National Congress founded?")."""
        m = _PARTICIPLE_APPOSITIVE.match(text)
        if not m or not (m.group("verb").endswith("ed") or m.group("verb") in IRREGULAR):
            return text
        if not find_verb("X " + m.group("rest")) or find_verb("X " + m.group("rest"))[0] != 2:
            return text
        subject, phrase = m.group("subj"), f"{m.group('verb')} {m.group('tail')}"
        dates = list(DATE_PP.finditer(phrase))
        is_name = self.names.kind(re.sub(r"^the\s+", "", subject, flags=re.I)) in NAMED_KINDS
        if len(dates) == 1 and not re.search(r"\b(?:his|her|their|its)\b", phrase):
            d = dates[0]
            rest = tidy(phrase[: d.start()] + " " + phrase[d.end() :])
            wh = _WH_FOR_PREP.get(d.group("prep").lower())
            head = subject.split(" of ")[0].split()[-1].lower()
            be = "were" if head.endswith("s") and not head.endswith(("ss", "us")) else "was"
            if wh and rest:
                self.year_question(
                    sent,
                    f"{wh} {be} {_lower_article(self.as_subject(subject, is_name))} {rest}?",
                    d.group("year"),
                    scoring.base("participle-date"),
                    "participle-date",
                    f"year-{slug(subject + ' ' + rest)}",
                    f"{subject}, {phrase}",
                )
                self.add_fact(sent, int(d.group("year")), f"{subject} {be} {rest}")
        return f"{subject} {m.group('rest')}"

    def from_clause(self, sent: Sentence, clause: Clause, mid_date: str | None, text: str) -> None:
        parts = coordinated_parts(clause)
        if not parts:
            return
        main_subject = clause.subject
        prefix = clause.prefix
        if _starts_with_pronoun(main_subject):
            return
        # Runs of verb phrases per subject.
        runs: list[tuple[str, list[str], str]] = []  # subject, verb phrases, context statement
        consumed: list[str] = []
        for kind, piece in parts:
            if not piece:
                break
            if kind == "vp":
                if not runs:
                    runs.append((main_subject, [piece], ""))
                else:
                    runs[-1][1].append(piece)
                consumed.append(f"{main_subject} {piece}" if not consumed else piece)
            elif kind == "pronoun":
                pm = re.match(r"^(?:he|she|they)\s+(?P<vp>.+)$", piece, re.IGNORECASE)
                if not pm or not runs:
                    break
                runs.append((main_subject, [pm.group("vp")], ""))
                consumed.append(piece)
            elif kind == "clause":
                lead = ""
                am = re.match(r"^(?P<adv>[a-z]+ly)\s+(?P<rest>.+)$", piece)
                body = piece
                if am and am.group("adv") not in {"only", "early"}:
                    lead, body = am.group("adv"), am.group("rest")
                inner = parse_clause(body)
                if inner is None or _starts_with_pronoun(inner.subject) or not consumed:
                    break
                if re.match(r"^[^,]{1,60}, (?:where|when|which|who)\b", body):
                    break  # "... and Burma, where the Fourteenth Army defeated ...": a place
                context = " and ".join(consumed)
                if prefix:
                    context = f"{prefix}, {context}"
                context = _sentence_case(tidy(context))
                runs.append(
                    (inner.subject, [inner.predicate()], context + ("|" + lead if lead else ""))
                )
                consumed.append(piece)
            else:
                break
        first = True
        for subject, vps, context in runs:
            lead = ""
            if "|" in context:
                context, lead = context.split("|", 1)
            self.questions_for_run(
                self.run_context(
                    sent, subject, vps, prefix if first else "", context, lead, mid_date
                )
            )
            first = False
        if clause.relative and clause.relative.lower().startswith("who "):
            person = self.person_of(clause.subject)
            rel_vp = clause.relative[4:]
            if person and not _NEGATIVE.search(rel_vp) and find_verb("X " + rel_vp):
                self.choice_question(
                    sent,
                    f"Who {rel_vp}?",
                    person,
                    "person",
                    scoring.base("relative-who"),
                    "relative-who",
                    f"who-{slug(rel_vp)}",
                    f"{person}, {clause.relative}",
                )

    def questions_for_run(self, run: Run) -> None:
        """The questions on one subject and its run of verb phrases: who or what did it,
        whose, how many, and when (a date inside a verb phrase, in mid-sentence or leading)."""
        self.who_did_it(run)
        self.whose_did_it(run)
        self.number_in_subject(
            run.sent, run.subject, run.vp_run, run.ctx, run.prefix_part, run.statement, run.lead
        )
        self.when_questions(run)

    def run_context(
        self,
        sent: Sentence,
        subject: str,
        vps: list[str],
        prefix: str,
        context: str,
        lead: str,
        mid_date: str | None,
    ) -> Run:
        vp_run = " and ".join(vps) if len(vps) > 1 else vps[0]
        prefix_part = f"{prefix}, " if prefix else ""
        if lead:
            prefix_part = f"{lead.capitalize()}, " + prefix_part
        statement = tidy(f"{prefix_part}{subject} {vp_run}")
        # "By the end of the final trial Stalin had ...": a leading phrase without its comma.
        pm0 = re.match(
            r"^(?P<pp>(?:By|In|At|On|After|Before|During) [a-z][^,]*?) (?P<name>[A-Z].*)$", subject
        )
        if pm0 and self.person_of(pm0.group("name")) and not prefix_part:
            prefix_part = f"{pm0.group('pp')}, "
            subject = pm0.group("name")
        return Run(
            sent=sent,
            subject=subject,
            vps=vps,
            prefix=prefix,
            context=context,
            lead=lead,
            mid_date=mid_date,
            vp_run=vp_run,
            ctx=f"{context}. " if context else "",
            prefix_part=prefix_part,
            statement=statement,
            positive=[vp for vp in vps if not _NEGATIVE.search(vp)],
            person=self.person_of(subject),
        )

    def who_did_it(self, run: Run) -> None:
        """ "Who expelled Trotsky?", of a person, people or a named thing (positive verb phrases
        only, and not of a long definition: "was a ...")."""
        who_run = " and ".join(run.positive)
        if run.mid_date and not run.context and run.positive and run.positive[0] == run.vps[0]:
            who_run = f"{who_run} {run.mid_date}"
        definitional = (
            bool(re.match(r"^(?:was|were|is|are) (?:a|an|one)\b", who_run)) and len(who_run) > 60
        )
        if not run.positive or definitional or _DEMONSTRATIVE.search(who_run):
            return
        sent, subject, ctx, prefix_part = run.sent, run.subject, run.ctx, run.prefix_part
        people = self.people_list(subject)
        kind = self.name_kind(subject)
        if run.person:
            person = run.person
            conf = scoring.base("subject-who" if person == subject else "subject-who-described")
            q = f"{ctx}{prefix_part}who {who_run}?"
            self.choice_question(
                sent,
                _sentence_case(q),
                person,
                "person",
                scoring.penalised(conf, *(["context"] if ctx else [])),
                "subject-who",
                f"who-{slug(who_run)}",
                run.statement,
            )
        elif people and len(people) <= 4:
            self.multiple_people(sent, people, f"{ctx}{prefix_part}who {who_run}?", run.statement)
        elif kind in THING_KINDS and len(subject.split()) >= 2:
            name = re.sub(r"^the\s+", "", subject, flags=re.IGNORECASE)
            if self.names.kind(name) == kind:
                wh = "which organisation" if kind == "org" else "what"
                q = f"{ctx}{prefix_part}{wh} {who_run}?"
                self.choice_question(
                    sent,
                    _sentence_case(q),
                    name,
                    kind,
                    scoring.base(f"subject-{kind}"),
                    f"subject-{kind}",
                    f"{kind}-{slug(who_run)}",
                    run.statement,
                    allow_short=False,
                )

    def whose_did_it(self, run: Run) -> None:
        """ "Whose teenage son was arrested ...?" from "Kamenev's teenage son was arrested ..." """
        pm = re.match(
            r"^(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*)*)[’']s (?P<rest>[a-z].*)$", run.subject
        )
        if (
            pm
            and self.names.kind(pm.group("name")) == "person"
            and run.positive
            and len(pm.group("rest") + run.vp_run) < 110
        ):
            q = f"{run.ctx}{run.prefix_part}whose {pm.group('rest')} {run.vp_run}?"
            self.choice_question(
                run.sent,
                _sentence_case(q),
                pm.group("name"),
                "person",
                scoring.base("whose"),
                "whose",
                f"whose-{slug(pm.group('rest') + ' ' + run.vp_run)}",
                run.statement,
            )

    def when_questions(self, run: Run) -> None:
        """Dates and articles inside each verb phrase, then a date in mid-sentence ("Trotsky was,
        in 1929, expelled") or in the leading adverbial ("In December 1934, Sergei Kirov was
        assassinated"), asked of the subject put in question order."""
        subject = run.person or run.subject
        am = re.match(
            r"^(?:[Tt]he|[Aa]n?)\s+[a-z][^,]*,\s+(?P<the>the\s+)?(?P<name>[A-Z][^,]*)$",
            run.subject,
        )
        if not run.person and am and self.names.kind(am.group("name")) in NAMED_KINDS - {"person"}:
            subject = (am.group("the") or "") + am.group("name")
        if _starts_with_pronoun(subject) or len(subject.split()) > 12:
            return
        is_name = self.names.kind(subject) in NAMED_KINDS
        for vp in run.vps:
            self.date_question(run.sent, subject, is_name, vp, run.prefix, run.ctx, run.statement)
            self.article_question(
                run.sent, subject, is_name, vp, run.prefix, run.ctx, run.statement
            )
        if run.context:
            return
        if run.mid_date:
            self.date_phrase_question(run, run.mid_date, subject, is_name, "mid-date")
        if run.prefix:
            self.date_phrase_question(run, run.prefix, subject, is_name, "leading-date")

    def date_phrase_question(
        self, run: Run, phrase: str, subject: str, is_name: bool, pattern: str
    ) -> None:
        """ "In which year was Sergei Kirov assassinated?" from a date phrase ("In December
        1934") of the run's first verb phrase."""
        dm = DATE_PP.fullmatch(phrase)
        if not dm:
            return
        wh = _WH_FOR_PREP.get(dm.group("prep").lower())
        inv = invert(self.as_subject(subject, is_name), run.vps[0], is_name)
        if wh and inv and not re.search(_YEAR, inv):
            self.year_question(
                run.sent,
                tidy(f"{wh} {inv}") + "?",
                dm.group("year"),
                scoring.base(pattern),
                pattern,
                f"year-{slug(inv)}",
                run.statement,
            )
            self.add_fact(run.sent, int(dm.group("year")), f"{run.subject} {run.vps[0]}")

    def date_in_year(
        self, sent: Sentence, prompt: str, year_text: str, confidence: float, key: str
    ) -> bool:
        """Where a text has too few years for options ("Congress adopted the Declaration on 4
        July 1776"): "On which date in 1776 did Congress adopt the Declaration?", with the
        text's other dates as options. Whether it was asked."""
        m = re.search(r"\b(\d{1,2}) (" + _MONTH + r"),? " + year_text + r"\b", sent.text)
        if not m or not prompt.startswith("In which year "):
            return False
        answer = f"{int(m.group(1))} {m.group(2)}"
        if self._dates is None:
            found = re.findall(r"\b(\d{1,2}) (" + _MONTH + r")\b", self.doc.text)
            self._dates = list(dict.fromkeys(f"{int(d)} {mo}" for d, mo in found))
        # Another date of the same sentence is a good wrong answer ("voted on 2 July and
        # adopted the Declaration on 4 July"): the passage says which is which.
        others = [d for d in self._dates if d != answer]
        if len(others) < 2:
            return False

        def when(d: str) -> tuple[int, int]:
            day, month = d.split(" ")
            return MONTHS.index(month), int(day)

        others.sort(
            key=lambda d: abs(when(d)[0] * 31 + when(d)[1] - when(answer)[0] * 31 - when(answer)[1])
        )
        options = sorted([answer, *others[:3]], key=when)
        self.emit(
            Ask(
                qtype="single_choice",
                prompt=f"On which date in {year_text} " + prompt[len("In which year ") :],
                explanation=(
                    f"The answer is {answer} {year_text}. The text says: {quote(sent.text)}"
                ),
                confidence=confidence,
                fact=answer,
                fact_kind="date",
                pattern="date-in-year",
                key_hint=key.replace("year-", "date-", 1),
                choices=[
                    {"text": o, "correct": True} if o == answer else {"text": o} for o in options
                ],
            ),
            sent=sent,
        )
        return True

    def add_fact(self, sent: Sentence, year: int, item: str) -> None:
        item = _sentence_case(
            re.sub(r"^(first|last|new|only|second|third) ", r"the \1 ", tidy(item))
        )
        if re.search(_YEAR, item) or len(item) > 90 or _starts_with_pronoun(item):
            return
        self.facts.append(Fact(year=year, item=item, sentence=sent))

    def date_question(
        self,
        sent: Sentence,
        subject: str,
        is_name: bool,
        vp: str,
        prefix: str,
        ctx: str,
        statement: str,
    ) -> None:
        matches = list(DATE_PP.finditer(vp))
        if len(matches) != 1:
            return
        dm = matches[0]
        wh = _WH_FOR_PREP.get(dm.group("prep").lower())
        if not wh:
            return
        before, after = vp[: dm.start()], vp[dm.end() :]
        if re.search(r"\b(?:that|which|who|whom|whose|where|when)\b|,\s+and\b", before):
            return  # the date belongs to an embedded or a later clause
        if re.match(r"\s*,?\s*(?:the|a|an)\b", after):
            return  # "on 27 July 1794, the date known as ...": an appositive to the date
        after = re.split(r"\s*,?\s*\b(?:when|which|where|who)\b|\s+and\s+", after)[0]
        without = tidy(before + " " + after)
        if re.search(_YEAR, without) or re.search(_YEAR, subject):
            return  # "did the victory at Saratoga in 1777 persuade ...": two years confuse
        inv = invert(self.as_subject(subject, is_name), without, is_name)
        if not inv:
            return
        lead = ""
        if prefix and not DATE_PP.fullmatch(prefix):
            lead = f"{prefix}, "
            wh = wh[0].lower() + wh[1:]
        q = f"{ctx}{lead}{wh} {inv}?"
        after_auxiliary = find_verb("X " + without) and without.split()[0].lower() in (
            AUXILIARIES - DO_FORMS - MODALS
        )
        conf = scoring.base("date-after-auxiliary" if after_auxiliary else "date-after-past")
        self.year_question(
            sent,
            _sentence_case(q),
            dm.group("year"),
            scoring.penalised(conf, *(["context"] if ctx else [])),
            "date-pp",
            f"year-{slug(inv)}",
            statement,
        )
        if not ctx:
            self.add_fact(sent, int(dm.group("year")), f"{subject} {without}")

    def article_question(
        self,
        sent: Sentence,
        subject: str,
        is_name: bool,
        vp: str,
        prefix: str,
        ctx: str,
        statement: str,
    ) -> None:
        am = ARTICLE_PP.search(vp)
        if not am:
            return
        without = tidy(vp[: am.start()] + " " + vp[am.end() :])
        inv = invert(self.as_subject(subject, is_name), without, is_name)
        if not inv:
            return
        lead = f"{prefix}, " if prefix else ""
        wh = f"{am.group('prep')} which {am.group('noun').lower()}{am.group('tail')}"
        q = f"{ctx}{lead}{wh} {inv}?"
        num = int(am.group("num"))
        self.emit(
            Ask(
                qtype="numeric",
                prompt=_sentence_case(q),
                explanation=f"The answer is {am.group('noun')} {num}. "
                f"The text says: {quote(statement)}",
                confidence=scoring.base("article"),
                fact=am.group("num"),
                fact_kind="number",
                pattern="article",
                key_hint=f"{am.group('noun').lower()}-{slug(inv)}",
                answer=num,
                tolerance=0,
            ),
            sent=sent,
        )

    def number_in_subject(
        self,
        sent: Sentence,
        subject: str,
        vp_run: str,
        ctx: str,
        prefix_part: str,
        statement: str,
        lead: str,
    ) -> None:
        nums = [n for n in find_numbers(subject) if not re.match(r"[A-Z]", n.text) or n.start == 0]
        if not nums or any(y for y in find_years(subject)) or "," in subject[nums[0].end :]:
            return
        n = nums[0]
        # Drop later conjuncts: "Three out of five marshals and several thousands of officers"
        subj = subject
        cut = re.search(r"\s+and\s+", subj[n.end :])
        if cut:
            subj = subj[: n.end + cut.start()]
        start = n.start
        approx_m = re.search(
            r"(?:about|around|approximately|roughly|some|nearly|almost|over|more than|at least|"
            r"an estimated|as many as|close to)\s+$",
            subj[:start],
            re.IGNORECASE,
        )
        if approx_m:
            start = approx_m.start()
        if n.percent:
            repl = "what percentage"
        else:
            repl = "how many"
            if n.approx:
                repl = "approximately how many"
        rest = subj[n.end :]
        if re.match(r"\s+(?:thousand|million|billion)\b", rest):
            return
        new_subject = f"{subj[:start]}{repl}{rest}"
        # "Nikolai Bukharin and how many other co-defendants ..." is fine; other positions are not.
        if start > 0 and not re.search(r"\band\s+$", subj[:start]):
            return
        vp_run = re.split(r",\s+(?:but|while|although|whereas)\b", vp_run)[0]
        q = f"{ctx}{prefix_part}{new_subject} {vp_run}?"
        if re.search(r"\b(?:between|from)\s+" + _YEAR + r"$|\blater\b", q.rstrip("?")):
            return  # a range cut short ("between 1845?"), or later than what?
        value = int(n.value) if float(n.value).is_integer() else n.value
        tolerance = 0
        if n.approx or approx_m:
            tolerance = round(value * 0.1) if isinstance(value, int) else round(value * 0.1, 2)
        why = f"The answer is {n.text.strip()}. The text says: {quote(statement)}"
        self.emit(
            Ask(
                qtype="numeric",
                prompt=_sentence_case(q),
                explanation=why,
                confidence=scoring.penalised(
                    scoring.base("number-subject"),
                    *(["context"] if ctx else []),
                    *(["approximate"] if tolerance else []),
                ),
                fact=n.text,
                fact_kind="number",
                pattern="number-subject",
                key_hint=f"how-many-{slug(new_subject + ' ' + vp_run)}",
                answer=value,
                tolerance=tolerance,
            ),
            sent=sent,
        )

    def reported(self, sent: Sentence, prefix: str, main: str, text: str) -> None:
        """ "Pravda reported that 25,000 persons had been ..." -> "According to Pravda, how many"

        The number must be in the subject of the reported clause.
        """
        m = re.match(
            r"^(?P<src>.+?) (?:reported|announced|estimated|stated|claimed|recorded|calculated|"
            r"declared|wrote) that (?P<clause>.+)$",
            main,
        )
        if not m or _starts_with_pronoun(m.group("src")):
            return
        inner = parse_clause(m.group("clause"))
        if inner is None:
            return
        src = lower_first(m.group("src"), self.names.kind(m.group("src")) != "unknown")
        prefix_part = f"{prefix}, according to {src}, " if prefix else f"According to {src}, "
        statement = tidy(f"{prefix + ', ' if prefix else ''}{main}")
        self.number_in_subject(
            sent, inner.subject, inner.predicate(), "", prefix_part, statement, ""
        )

    def multiple_people(self, sent: Sentence, people: list[str], prompt: str, statement: str):
        text = normalise_space(sent.text)
        full = all(len(p.split()) >= 2 for p in people)
        wrong = self.name_distractors(people[0], "person", text, count=6)
        wrong = [w for w in wrong if (len(w.split()) >= 2) == full or not full][:2]
        if len(wrong) < 2:
            return
        options = sorted([*people, *wrong], key=lambda x: (x.split()[-1], x))
        self.emit(
            Ask(
                qtype="multiple_choice",
                prompt=_sentence_case(prompt) + " Select all that apply.",
                explanation=f"The answer is {_join(people)}. The text says: {quote(statement)}",
                confidence=scoring.base("subject-people"),
                fact=people[0],
                fact_kind="person",
                pattern="subject-people",
                key_hint=f"who-all-{slug(prompt)}",
                choices=[
                    {"text": o, "correct": True} if o in people else {"text": o} for o in options
                ],
            ),
            sent=sent,
        )

    def event_years(self, sent: Sentence, text: str) -> None:
        """ "(Pyatakov-Radek Trial, 1937)", "the Chinese Revolution of 1927"."""
        found: list[tuple[str, str]] = []
        for m in re.finditer(r"\((?P<ev>[^(),]+?),[^()]*?\b(?P<year>" + _YEAR + r")\)", text):
            found.append((m.group("ev").strip(), m.group("year")))
        for m in re.finditer(
            r"\b(?P<ev>(?:[A-Z][\w-]*\s+(?:of (?:the )?)?)+[A-Z][\w-]*) (?P<prep>of|in) (?P<year>"
            + _YEAR
            + r")\b"
            r"(?!\s*(?:and|or|to|[-–])\s*\d)",
            text,
        ):
            # "X in 1766" dates what happened to X then ("repealed the Stamp Act in 1766"):
            # the year of X itself only for an event that takes place, or one made then.
            made = _MADE_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
            if m.group("prep") == "in" and not made and _head(m.group("ev")) not in TAKE_PLACE:
                continue
            found.append((m.group("ev").strip(), m.group("year")))
        for m in re.finditer(
            r"\b(?P<ev>(?:[A-Z][\w-]*\s+)+[A-Z][\w-]*) \((?P<year>" + _YEAR + r")\)", text
        ):
            found.append((m.group("ev").strip(), m.group("year")))
        # A note's head: "Kapp Putsch, March 1920: ...", "Truman Doctrine (March 1947): ...".
        lead = _NOTE_HEAD.match(text)
        if lead:
            found.append((lead.group("ev"), lead.group("year")))
        seen = set()
        for ev, year in found:
            at = text.find(ev)
            if re.search(r"\b(?:end|start|beginning|outbreak|close|eve) of (?:the )?$", text[:at]):
                continue  # "after the end of the Napoleonic Wars in 1815": not the wars' year
            ev = re.sub(r"^(?:The|the)\s+", "", ev)
            kind = self.names.kind(ev)
            if kind not in {"event", "document"} and _head(ev) in EVENT_HEADS | DOCUMENT_HEADS:
                kind = "event"  # "Spartacist uprising": an event though not all capitals
            if ev in seen or kind not in {"event", "document"} or len(ev.split()) < 2:
                continue
            if len(re.findall(r"\b" + re.escape(ev) + r"\b", text)) != 1:
                continue
            if self._event_years.setdefault(ev, year) != year:
                continue  # the text dates it otherwise before: this year is of another deed
            seen.add(ev)
            head = ev.split(" of ")[0].split()[-1].lower()
            if head in TAKE_PLACE:
                q = f"In which year did the {ev} take place?"
            elif head in EVENT_HEADS | DOCUMENT_HEADS:
                q = f"In which year does the text date the {ev}?"
            else:
                continue
            self.year_question(
                sent,
                q,
                year,
                scoring.base("event-year"),
                "event-year",
                f"year-{slug(ev)}",
                _clause_around(text, ev),
            )
            self.add_fact(sent, int(year), f"The {ev}")

    def true_false(self, sent: Sentence, plain: str) -> None:
        if sent.resolved:
            return  # its names are not where the mentions say: no sure swap
        _marker, body = strip_leading_markers(plain)
        statement = re.split(r":\s", body)[0].strip()
        if _starts_with_pronoun(body) or len(statement) > 260 or len(statement.split()) < 6:
            return
        if _NEGATIVE.search(statement) or "respectively" in statement:
            return
        if re.search(r" [-–] |; ", statement):
            return  # a note's two facts ("Accords signed 1973; troops left ..."): no sentence
        if _DEMONSTRATIVE.search(statement):
            return
        if _starts_with_pronoun(split_prefix(body)[1]):
            return
        if not find_verb(statement):
            return
        text = normalise_space(sent.text)
        swaps: list[tuple[int, int, str, str, str]] = []  # start, end, original, new, kind
        for mention in self.mentions_in(sent):
            kind = self.names.kind(mention.text)
            if kind not in {"person", *THING_KINDS} or mention.truncated:
                continue
            if mention.text in self.names.other_names:
                continue  # "was born Araminta Ross": another name of the same person
            if kind == "person" and not self.names.is_sure_person(mention.text):
                continue  # "the Golden Horn" merely looks like a person: no sure swap
            if kind == "person" and re.search(r"\b(?:he|she|his|her|him|himself|herself)\b", text):
                continue  # "Nightingale believed that the colour of her skin": whose now?
            pos = _find_word(statement, mention.text)
            if pos < 0:
                continue
            title = re.search(r"(?:^|\s)([A-Z][a-z]+)\s+$", statement[:pos])
            if kind == "person" and title and title.group(1).lower() in TITLES:
                continue  # "Lord Louis Mountbatten" -> "Lord Mohandas Gandhi": absurd
            if kind == "person" and (
                re.search(r"\b(?:[Tt]he|an?|A|An|[Hh]is|[Hh]er) [\w][\w -]*, $", statement[:pos])
                or re.match(
                    r", (?:the|a|an|[A-Z][a-z]+ of)\b", statement[pos + len(mention.text) :]
                )
            ):
                continue  # "the British prime minister, Anthony Eden": another is absurd
            alts = self.name_distractors(mention.text, kind, text, count=3)
            alts = [a for a in alts if a.split()[0].lower() not in TITLES][:1]
            if alts and kind in THING_KINDS and _head(alts[0]) != _head(mention.text):
                alts = []
            if alts:
                swaps.append((pos, pos + len(mention.text), mention.text, alts[0], kind))
        for s, e, y in find_years(statement):
            if re.search(
                r"\b(?:[Bb]y|[Uu]ntil|[Bb]efore|[Aa]fter|[Ss]ince)\s+(?:\w+\s+){0,2}$",
                statement[:s],
            ):
                continue  # "by 1914 only Ethiopia ...": another year may hold as well
            if re.search(r"\b[A-Z][\w-]+ of $", statement[:s]):
                continue  # "the Indian Rebellion of 1857": the year is part of its name
            plain_range = re.search(r"\b[Bb]etween\s+(?:\d{4}\s+and\s+)?$", statement[:s])
            if not plain_range and re.search(r"\b[Bb]etween\b[^,;]{0,40}$", statement[:s]):
                continue  # "between November 1884 and February 1885": no sure bounds
            low_bound, high_bound = 0, 9999
            rm = re.search(r"\b(?:between|from)\s+(?P<a>\d{4})\s+(?:and|to)\s+$", statement[:s])
            if rm:
                low_bound = int(rm.group("a"))
            rm = re.match(r"\s+(?:and|to|or)\s+(?P<b>\d{4})", statement[e:])
            if rm:
                high_bound = int(rm.group("b"))
            # Not a year of the same paragraph: "The crop failed again in 1846" makes "in 1846,
            # blight destroyed the crop" true.
            near = {int(x) for x in re.findall(_YEAR, self.doc.paragraphs[sent.paragraph].text)}
            alts = sorted(
                (
                    a
                    for a in self.year_distractors(y, text, count=6)
                    if low_bound < a < high_bound and a not in near
                ),
                key=lambda a, y=y: (abs(a - y), a),
            )[:1]
            if alts:
                swaps.append((s, e, str(y), str(alts[0]), "year"))
        for n in find_numbers(statement):
            if n.value < 2 or n.percent or not n.text[0].isdigit():
                continue
            if re.fullmatch(_YEAR, n.text.strip()):
                continue  # a year the date rules did not see ("Christmas Day 1066"): not a count
            if re.search(r"illion|thousand", n.text) or re.match(r"[-–]\d", statement[n.end :]):
                continue  # "132 billion" or the start of a range ("1932-33"): no sure swap
            if re.search(r"\bbetween\s+(?:[\d,]+\s+and\s+)?$", statement[: n.start], re.I):
                continue  # "between 15 and 16" may still hold if "between 15 and 18" does
            near = statement[max(0, n.start - 16) : n.end + 16]
            if re.search(r"\b(?:" + _MONTH + r")\b", near):
                continue  # a day of the month
            low = bisect.bisect_left(self.numbers, n.value / 2)
            high = bisect.bisect_right(self.numbers, n.value * 2)
            # The nearest few on each side are enough to pick the nearest usable one.
            nearest = bisect.bisect_left(self.numbers, n.value, low, high)
            others = [
                v
                for v in self.numbers[max(low, nearest - 8) : min(high, nearest + 8)]
                if v != n.value and f"{int(v):,}" not in text and str(int(v)) not in text
            ]
            if not others:
                continue
            alt = min(others, key=lambda v: (abs(v - n.value), v))
            alt_text = f"{int(alt):,}" if float(alt).is_integer() else str(alt)
            swaps.append(
                (n.start, n.start + len(n.text.strip()), n.text.strip(), alt_text, "number")
            )
        if not swaps:
            return
        self._tf_count += 1
        h = stable_hash(statement)
        # A true statement must be reworded (never the source word for word): where that is
        # sure, one in two is true; elsewhere the statement is made false.
        reworded = _reworded(statement)
        make_false = reworded is None or h % 2 == 0
        order = {
            "person": 0,
            "year": 1,
            "event": 2,
            "document": 2,
            "publication": 2,
            "org": 3,
            "number": 4,
        }
        swaps.sort(key=lambda x: (order[x[4]], x[0]))
        s, e, orig, new, kind = swaps[h % len(swaps)] if len(swaps) > 1 else swaps[0]
        shown = statement[:s] + new + statement[e:] if make_false else reworded
        first_is_name = any(
            shown.startswith(m.text) and self.names.kind(m.text) in NAMED_KINDS
            for m in self.mentions_in(sent)
        ) and not shown.startswith(("The ", "A ", "An "))
        first_word = re.split(r"[\s,]", shown, maxsplit=1)[0]
        starts_name = any(
            shown.startswith(m.text) and len(m.text.split()) >= 2 for m in self.mentions_in(sent)
        )
        first_word = re.sub(r"[’']s$", "", first_word)
        known = first_word.lower() in TITLES or (
            self.names.entity(first_word) is not None and self.names.kind(first_word) in NAMED_KINDS
        )
        if (
            not first_is_name
            and not starts_name
            and not known
            and first_word not in self.mid_sentence_words
            and not first_word.endswith(_NATIONALITY_ENDINGS)  # "French troops"
            and self.is_common(first_word)  # "Truman": never written in lower case
            and not (make_false and shown.startswith(new))
        ):
            shown = shown[:1].lower() + shown[1:]
        prompt = f"Is it true that {shown}?"
        if make_false:
            why = f"False. The text says {orig}, not {new}: {quote(sent.text)}"
            conf = scoring.base("true-false-swap")
        else:
            why = f"True. The text says: {quote(sent.text)}"
            conf = scoring.base("true-false")
        self.emit(
            Ask(
                qtype="true_false",
                prompt=prompt,
                explanation=why,
                confidence=conf,
                fact=orig,
                fact_kind=kind,
                pattern="true-false-swap" if make_false else "true-false",
                key_hint=f"tf-{slug(statement)}",
                answer=not make_false,
            ),
            sent=sent,
        )

    # ------------------------------------------------------------------ ordering

    def ordering(self) -> None:
        facts = sorted(self.facts, key=lambda f: (f.sentence.start, f.year))
        # Keep one fact per year and per sentence, in text order.
        used = 0
        i = 0
        while i < len(facts):
            window: list[Fact] = []
            years: set[int] = set()
            j = i
            while j < len(facts) and len(window) < 5:
                f = facts[j]
                if f.year not in years and f.sentence.end - facts[i].sentence.start <= 1600:
                    window.append(f)
                    years.add(f.year)
                elif f.sentence.end - facts[i].sentence.start > 1600:
                    break
                j += 1
            if len(window) >= 3:
                self.emit_ordering(window)
                used += 1
                i = j
            else:
                i += 1

    def emit_ordering(self, window: list[Fact]) -> None:
        start = min(f.sentence.start for f in window)
        end = max(f.sentence.end for f in window)
        chrono = sorted(window, key=lambda f: f.year)
        items = [f.item for f in chrono]
        if len(set(items)) != len(items):
            return
        listing = "; ".join(f"{f.item} ({f.year})" for f in chrono)
        self.emit(
            Ask(
                qtype="ordering",
                prompt="In what order did these events happen, from earliest to latest?",
                explanation=f"From earliest to latest, as the text dates them: {listing}.",
                confidence=scoring.base("ordering"),
                fact=str(chrono[0].year),
                fact_kind="year",
                pattern="ordering",
                key_hint=f"order-{slug(' '.join(str(f.year) for f in chrono))}",
                items=items,
                item_facts=[str(f.year) for f in chrono],
            ),
            sent=None,
            span=(start, end),
        )

    def run(self) -> list[Draft]:
        seen: set[str] = set()
        for sent in self.sentences:
            # A sentence the text repeats word for word would only repeat its questions.
            if sent.text in seen:
                continue
            seen.add(sent.text)
            try:
                current = self.resolved(self.carried(sent))
                # A carried bullet's passage runs from its heading: no option from it.
                passage = self.doc.text[current.start : current.end]
                self._passage_years = {y for _, _, y in find_years(passage)}
                self.from_sentence(current)
            except (ValueError, IndexError, KeyError, AttributeError):
                continue  # a rule misread this sentence: skip it rather than guess
            finally:
                self.remember_person(sent)
                self.remember_thing(sent)
                self.remember_happenings(sent)
        self._passage_years = set()
        self.ordering()
        self.role_questions()
        self.source_questions()
        self.timeline_questions()
        for table in find_tables(self.doc.text):
            self.table_questions(table)
        return self.drafts

    # ------------------------------------------------------------------ roles

    def role_questions(self) -> None:
        """ "Who was the Earl of Wessex?" for each person the text gives a role of their own
        ("the ..."), and one matching question of people to roles when there are three."""
        found = [
            r
            for s in self.sentences
            for r in roles_in(normalise_space(s.text), s.start, s.end, self.names)
            if normalise_space(s.text) == self.doc.text[s.start : s.end].replace("\n", " ")
        ]
        by_start = {s.start: s for s in self.sentences}
        for r in found:
            if not r.definite:
                continue
            sent = by_start[r.start]
            self.choice_question(
                sent,
                f"Who was {r.role}?",
                r.person,
                "person",
                scoring.base("role-who"),
                "role-who",
                f"role-{slug(r.role)}",
                f"{r.person}, {r.role}",
            )
        chosen = distinct_roles(found, self.names)[:5]
        if len(chosen) < 3:
            return
        start, end = min(r.start for r in chosen), max(r.end for r in chosen)
        listing = "; ".join(f"{r.person}: {r.role}" for r in chosen)
        self.emit(
            Ask(
                qtype="matching",
                prompt="Which role does the text give each person below?",
                explanation=f"As the text describes them: {listing}.",
                confidence=scoring.base("matching-roles"),
                fact=chosen[0].person,
                fact_kind="person",
                pattern="matching-roles",
                key_hint="match-roles",
                pairs=[{"left": r.person, "right": r.role} for r in chosen],
            ),
            sent=None,
            span=(start, end),
        )

    # ------------------------------------------------------------------ primary sources

    def source_questions(self) -> None:
        """Who made the source a text quotes, from its title ("Abraham Lincoln, the Gettysburg
        Address (1863)"): a question of authorship, not of the quoted words' details."""
        title = self.doc.title or ""
        m = _SOURCE_TITLE.match(title)
        at = self.doc.text.find(title) if title else -1
        if not (self.quotes_a_source and m and at >= 0):
            return
        name, work = m.group("name"), m.group("work").strip()
        if self.names.kind(name) != "person" and classify_name(name) != "person":
            return
        spoken = re.search(
            r"\b(?:speech|address|sermon|lecture|broadcast|spoke|told the)\b",
            f"{work} {self.doc.text}",
            re.I,
        )
        bare = work.strip('"“”')
        work_ref = work if work.startswith("the ") else f"“{bare}”"
        verb = "gave" if spoken else "wrote"
        distractors = self.name_distractors(name, "person", title)
        if len(distractors) < 2:
            return
        options = sorted([name, *distractors[:3]], key=lambda x: (x.split()[-1], x))
        self.emit(
            Ask(
                qtype="single_choice",
                prompt=f"Who {verb} {work_ref}, the source the text quotes?",
                explanation=f"The answer is {name}: the text quotes {title}.",
                confidence=scoring.base("source-author"),
                fact=name,
                fact_kind="person",
                pattern="source-author",
                key_hint="author-source",
                choices=[
                    {"text": o, "correct": True} if o == name else {"text": o} for o in options
                ],
            ),
            sent=None,
            span=(at, at + len(title)),
        )

    # ------------------------------------------------------------------ tables

    def table_questions(self, table: Table) -> None:
        """A question per row on its last figure, and its first where they differ: a choice
        among the figures of the same row and column (recall of the size, not of a decimal),
        or a typed number where the table has too few of them."""
        passage = (table.start, table.end)
        for row in table.rows:
            # A row the text repeats (under the same header) would only repeat its questions.
            if (*table.header, "|", *row) in self._rows_seen:
                continue
            self._rows_seen.add((*table.header, "|", *row))
            columns = [c for c in range(1, len(row)) if figure(row[c])]
            for col in sorted({columns[-1], columns[0]}) if columns else []:
                value, _ = figure(row[col])
                fact = row[col].rstrip("%").strip()
                ask = Ask(
                    qtype="numeric",
                    prompt=cell_prompt(table, row, col),
                    explanation=f"{row[col]}: the row “{row[0]}”, the column "
                    f"“{table.header[col]}” of the table.",
                    confidence=scoring.base("table-figure"),
                    pattern="table-figure",
                    key_hint=f"table-{slug(row[0] + ' ' + table.header[col])}",
                    fact=fact,
                    fact_kind="number",
                    answer=int(value) if value.is_integer() else value,
                    tolerance=0,
                )
                wrong = table_distractors(table, row, col)
                if len(wrong) >= 2:
                    options = sorted([fact, *wrong], key=lambda t: figure(t)[0])
                    ask = dataclasses.replace(
                        ask,
                        qtype="single_choice",
                        confidence=scoring.base("table-choice"),
                        pattern="table-choice",
                        answer=None,
                        tolerance=None,
                        choices=[
                            {"text": o, "correct": True} if o == fact else {"text": o}
                            for o in options
                        ],
                    )
                self.emit(ask, span=passage)

    # ------------------------------------------------------------------ causes

    def why_question(self, sent: Sentence, text: str) -> None:
        """ "Why did ...?" from a sentence that gives its reason ("because"), or a consequence
        ("so that", "as a result", "therefore") of its own first half or of the sentence
        before; "What was one result of ...?" from "CAUSE led to EFFECT"."""
        before = self.by_index.get(sent.index - 1)
        if before is not None and self.paragraph_at(before.start) is not self.paragraph_at(
            sent.start
        ):
            before = None
        pattern, span = "why-because", (sent.start, sent.end)
        found = because(text)
        if not found:
            found = consequence(text, before.text if before is not None else None)
            pattern = "why-result"
            if found and before is not None and found[1] == before.text.strip().rstrip("."):
                span = (before.start, sent.end)
        aim = None if found else purpose(text)
        if aim:
            found, pattern = aim, "why-purpose"
        if not found:
            self.purpose_question(sent, text)
            self.result_question(sent, text)
            return
        main, reason = found
        clause = parse_clause(_sentence_case(main))
        if clause is None or _starts_with_pronoun(clause.subject):
            return
        is_name = self.names.kind(clause.subject) in NAMED_KINDS
        inv = invert(self.as_subject(clause.subject, is_name), clause.predicate(), is_name)
        if not inv or not inv.startswith(("did ", "was ", "were ", "had ")):
            return
        skip = {sent.index, before.index if before is not None else -1}
        if aim:
            answer = f"To {reason}"
            wrong = self.other_facts(sent, answer, skip, self.as_aim)
        else:
            answer = f"Because {self.lower_first(reason)}"
            wrong = self.other_facts(sent, answer, skip, self.as_reason)
        if len(wrong) < 2:
            return
        self.choice_of_facts(sent, span, f"Why {inv}?", answer, wrong, pattern, f"why-{slug(inv)}")

    def purpose_question(self, sent: Sentence, text: str) -> None:
        """ "What was the purpose of the surrender broadcast?" from "Its purpose was to
        persuade ..." (the source a text quotes, or the named thing the sentence before is
        about), answered "To persuade ..."; other actions of the text are the wrong aims."""
        found = thing_purpose(text)
        if not found:
            return
        thing, aim = found
        if thing is None:
            thing = self.source_name() if self.quotes_a_source else self._last_thing
        if not thing:
            return
        thing = thing if thing[:1].isupper() and self.is_name(thing) else self.lower_first(thing)
        answer = f"To {aim}"
        wrong = self.other_facts(sent, answer, {sent.index}, self.as_aim)
        if len(wrong) < 2:
            return
        prompt = f"What was the purpose of {thing}, according to the text?"
        span = (sent.start, sent.end)
        self.choice_of_facts(sent, span, prompt, answer, wrong, "purpose-of", f"aim-{slug(thing)}")

    def source_name(self) -> str | None:
        """How a question names the source a text quotes, from the text's title: "the surrender
        broadcast" (of "Emperor Hirohito, the surrender broadcast (1945)"), "the Declaration
        of Independence"."""
        title = re.sub(r"\s*\(\d{4}\)$", "", self.doc.title or "").strip()
        m = _SOURCE_TITLE.match(title)
        work = m.group("work").strip() if m else title
        if not work or len(work) > 60 or re.search(r"[:;]", work):
            return None
        if work.startswith(("“", '"')):
            return f"the source {work}"
        return work if work.startswith(("the ", "The ")) else f"the {work}"

    def result_question(self, sent: Sentence, text: str) -> None:
        """ "What was one result of the Moscow Trials?" from "The Moscow Trials led to ...";
        the wrong options are events the text names before it, which cannot be its results."""
        found = led_to(text)
        if not found:
            return
        cause, effect = found
        answer = _sentence_case(effect)
        wrong = self.earlier_happenings(sent, cause, answer)
        if len(wrong) < 2:
            return
        prompt = f"What was one result of {self.lower_first(cause)}?"
        span = (sent.start, sent.end)
        key = f"result-{slug(cause)}"
        self.choice_of_facts(sent, span, prompt, answer, wrong, "result-of", key)

    def lower_first(self, text: str) -> str:
        """A clause or noun phrase as it reads after "Because" or "result of": "A law of 1873"
        -> "a law of 1873", a name left as it is."""
        if re.match(r"(?:A|An|The) ", text):
            return text[0].lower() + text[1:]
        return self.as_subject(text, self.name_kind(text) != "unknown")

    def earlier_happenings(self, sent: Sentence, cause: str, answer: str) -> list[str]:
        """Wrong results, of the answer's form (a noun phrase): the events and documents the
        text names before the cause, and the results of earlier "led to" sentences (the
        nearest few, gathered as the sentences are read); none can be a result of what comes
        after them."""
        out: list[str] = []
        for f in reversed(self._happenings[-40:]):  # the nearest first
            if f in out or f == answer or f.removeprefix("The ") in sent.text:
                continue
            if _head(f) == _head(cause):
                continue  # "The Zinoviev-Kamenev Trial" for "the Moscow Trials": a part of it
            out.append(f)
        return sorted(out[:8], key=lambda r: abs(len(r) - len(answer)))[:3]

    def remember_happenings(self, sent: Sentence) -> None:
        pair = led_to(normalise_space(sent.text))
        if pair:
            self._happenings.append(_sentence_case(pair[1]))
        for m in self.mentions_in(sent):
            if self.names.kind(m.text) in {"event", "document"} and len(m.text.split()) > 1:
                self._happenings.append(f"The {m.text}")

    def as_reason(self, other: Sentence) -> str | None:
        """A plain sentence of the text put as a reason ("Because the Kapp Putsch failed")."""
        return as_reason(other, self.lower_first)

    def as_aim(self, other: Sentence) -> str | None:
        """Another action of the text put as a purpose: "Saigo Takamori led the Satsuma
        Rebellion" -> "To lead the Satsuma Rebellion"."""
        text = other.text.strip().rstrip(".")
        clause = parse_clause(text) if as_reason(other, self.lower_first) else None
        if clause is None or clause.adverbs or clause.verb.lower() in AUXILIARIES:
            return None
        base = lemma(clause.verb)
        # Its date left out: a purpose has none ("To smash windows in London").
        rest = re.sub(r",?\s+(?:in|on|by|during)\s+(?:\w+\s+){0,2}" + _YEAR + "$", "", clause.rest)
        if not base or not rest or re.search(_YEAR, rest):
            return None
        return f"To {base} {rest}"

    def other_facts(self, sent: Sentence, answer: str, skip: set[int], as_option) -> list[str]:
        """Other facts of the text as wrong reasons: from the nearest sentences, those whose
        length is nearest the right answer's, so that no option stands out. A sentence that
        gives a cause or consequence of its own is left out: it may be the reason too."""
        # A window around the sentence: bounded, so that a long text's time stays linear.
        at = self._mention_sentence[sent.index]
        window = self.sentences[max(0, at - 20) : at + 21]
        nearby = sorted(window, key=lambda s: abs(s.index - sent.index))
        candidates: list[str] = []
        for other in nearby:
            if other.index in skip or _CONNECTIVE.search(other.text):
                continue
            key = (as_option.__name__, other.index)
            if key not in self._options:  # each sentence read once, however many questions
                self._options[key] = as_option(other)
            r = self._options[key]
            if r and len(r) <= 2 * len(answer) + 20 and r not in candidates and r != answer:
                candidates.append(r)
        return sorted(candidates[:8], key=lambda r: abs(len(r) - len(answer)))[:3]

    def choice_of_facts(self, sent, span, prompt, answer, wrong, pattern, key_hint) -> None:
        """A single-choice question whose options are statements: the right one first sorted
        among the others by length, so that its place gives nothing away."""
        options = sorted([answer, *wrong], key=len)
        self.emit(
            Ask(
                qtype="single_choice",
                prompt=prompt,
                explanation=f"{answer}. The text says: {quote(self.doc.text[span[0] : span[1]])}",
                confidence=scoring.base(pattern),
                fact=answer,
                fact_kind="result" if pattern == "result-of" else "reason",
                pattern=pattern,
                key_hint=key_hint,
                choices=[
                    {"text": o, "correct": True} if o == answer else {"text": o} for o in options
                ],
            ),
            sent=sent,
            span=span,
        )

    # ------------------------------------------------------------------ timelines

    def timeline_questions(self) -> None:
        for event in self.timeline:
            self.when_question(event)
        for window in ordering_windows(self.timeline):
            self.timeline_ordering(window)

    def when_question(self, event: DatedEvent) -> None:
        if self._date_pools is None:
            self._date_pools = date_pools(self.timeline)
        others = date_distractors(event, self.timeline, pools=self._date_pools)
        if len(others) < 2:
            # Too few other dates in its year: the year is what to ask.
            prompt = when_prompt(event)
            lead = f"On which date in {event.year} "
            sent = event.sentence
            at = self.doc.text.rfind(str(event.year), max(0, sent.start - 2000), sent.start)
            if str(event.year) in sent.text:
                at = sent.start  # "1912 - ...", "24 April 1916 - ...": the line says its year
            if prompt.startswith(lead) and at >= 0:
                self.year_question(
                    dataclasses.replace(sent, start=at),  # from its year's heading
                    "In which year " + prompt[len(lead) :],
                    str(event.year),
                    scoring.base("timeline-year"),
                    "timeline-year",
                    f"year-{slug(event.event)}",
                    f"{event.date} {event.year}: {event.event}",
                )
            return
        order = {e.date: e.order for e in self.timeline if e.year == event.year}
        options = sorted([event.date, *others], key=lambda d: order[d])
        prompt = when_prompt(event)
        pattern = "timeline-which-date" if prompt.startswith("Which date") else "timeline-when"
        self.emit(
            Ask(
                qtype="single_choice",
                prompt=prompt,
                explanation=f"{event.date} {event.year}. The timeline says: "
                f"{quote(event.sentence.text)}",
                confidence=scoring.base(pattern),
                fact=event.date,
                fact_kind="date",
                pattern=pattern,
                key_hint=f"when-{slug(event.event)}",
                choices=[
                    {"text": o, "correct": True} if o == event.date else {"text": o}
                    for o in options
                ],
            ),
            sent=event.sentence,
        )

    def timeline_ordering(self, window: list[DatedEvent]) -> None:
        items = [e.event.rstrip(".") for e in window]
        if len(set(items)) != len(items) or any(len(i) > 110 or re.search(_YEAR, i) for i in items):
            return
        year = window[0].year
        listing = "; ".join(f"{e.date}: {i}" for e, i in zip(window, items, strict=True))
        self.emit(
            Ask(
                qtype="ordering",
                prompt=f"In what order did these events of {year} happen, from earliest to latest?",
                explanation=f"From earliest to latest, as the timeline dates them: {listing}.",
                confidence=scoring.base("timeline-ordering"),
                fact=window[0].date,
                fact_kind="date",
                pattern="timeline-ordering",
                key_hint=f"order-{year}-{slug(items[0], 3)}",
                items=items,
                item_facts=[e.date for e in window],
            ),
            sent=None,
            span=(window[0].sentence.start, window[-1].sentence.end),
        )


_LEADING_DATE = re.compile(
    r"^(?P<pp>(?:In|On|By|During) (?:[\w-]+ ){0,3}(?:1[0-9]{3}|20[0-9]{2})),? (?P<rest>[A-Za-z].+)$"
)


_APPOSITION = re.compile(
    r"^(?P<name>[A-Z][\w’'-]*(?: [A-Z][\w’'-]*){0,3}), (?:who |which |the |a |an )[^,]{3,90}, "
    r"(?P<rest>[a-z][^,]+)$"
)


def _reworded(statement: str) -> str | None:
    """The statement with its leading date moved to the end ("In 1877 Saigo led ..." ->
    "Saigo led ... in 1877"), or None when no such rewording is sure."""
    m = _LEADING_DATE.match(statement)
    if m:
        # Only the main clause: a trailing ", which ..." or ", the ..." is left out.
        rest, _, tail = m.group("rest").partition(", ")
        if not tail or re.match(r"(?:which|who|the|a|an) ", tail):
            return f"{rest} {m.group('pp')[0].lower()}{m.group('pp')[1:]}"
    # A name's apposition or relative clause left out: "Zinoviev, a close ally of Lenin, was
    # shot" -> "Zinoviev was shot"; what remains is as true as the whole.
    m = _APPOSITION.match(statement)
    if m:
        return f"{m.group('name')} {m.group('rest')}"
    return None


def table_distractors(table: Table, row: list[str], col: int) -> list[str]:
    """Up to three other figures of the same kind: the row's other columns (the same thing
    another year) first, then the column's other rows; none equal to the answer."""
    answer = row[col].rstrip("%").strip()
    percent = bool(figure(row[col])[1])
    cells = [row[c] for c in range(1, len(row)) if c != col]
    value = figure(row[col])[0]
    column = [other[col] for other in table.rows if other is not row and col < len(other)]
    # The nearest figures of the column, so that the right one is not the odd one out.
    column.sort(key=lambda c: abs(figure(c)[0] - value) if figure(c) else float("inf"))
    cells += column
    out: list[str] = []
    for cell in cells:
        f = figure(cell)
        text = cell.rstrip("%").strip()
        if f and f[1] == percent and text != answer and text not in out:
            out.append(text)
    return out[:3]


@lru_cache(maxsize=1 << 14)  # the same pool of names is weighed for every question
def _of_another_kind(candidate: str, kind: str) -> bool:
    """Whether a name's own words say it is of another kind than the answer's ("Combahee
    River" or "Fugitive Slave Act" for a person): such an option is dropped, not offered."""
    own = classify_name(candidate)
    if own not in NAMED_KINDS or own == kind:
        return False
    return not {own, kind} <= {"org", "group"}


def _lower_article(text: str) -> str:
    """ "The Indian National Congress" inside a question: "the Indian National Congress"."""
    return re.sub(r"^(The|An?) ", lambda m: m.group(1).lower() + " ", text)


@lru_cache(maxsize=1 << 14)
def _head(name: str) -> str:
    return name.split(" of ")[0].split()[-1].lower().rstrip("s")


def _starts_with_pronoun(text: str) -> bool:
    first = text.strip().split(" ")[0].lower() if text.strip() else ""
    return first in UNNAMED_SUBJECTS


def _sentence_case(text: str) -> str:
    """Capitalise the first letter, and the question after a context sentence."""
    text = text.strip()
    text = re.sub(r"(?<=[a-z\d)]\. )([a-z])", lambda m: m.group(1).upper(), text)
    return text[:1].upper() + text[1:] if text else text


def _find_word(text: str, word: str) -> int:
    if not word:  # never asked in practice; the rule's own answer for it
        m = re.search(r"(?<![\w-])(?![\w-])", text)
        return m.start() if m else -1
    return find_word(text, word, joiners="-")


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clause_around(text: str, phrase: str) -> str:
    return text


# "Three days later", "the next day": a time that needs the sentence before it.
_RELATIVE_TIME = re.compile(
    r"\b(?:\w+ (?:days?|weeks?|months?|years?) later|later that|the (?:next|following) "
    r"(?:day|week|month|year))\b",
    re.IGNORECASE,
)
_QUESTION_FRAME = re.compile(
    r"^(?:Is it true that|In which year (?:did|was|were|does the text date)|On which date"
    r"|Who|Whose|Why did|What|Which|How many|Approximately how many|According to)\s+"
)


def _vague(prompt: str) -> bool:
    """Whether a question names nothing (no name, year or figure after its frame): "Who died
    in the fighting?", "In which year did the siege begin?" need the text's context."""
    body = _QUESTION_FRAME.sub("", prompt.split(". ")[-1])
    return not re.search(r"(?<!^)\b[A-Z][a-z]|\d", body)


def tidy_prompt(prompt: str) -> str:
    tail = " Select all that apply."
    if prompt.endswith(tail):
        return tidy_prompt(prompt[: -len(tail)]) + tail
    p = tidy(prompt.rstrip("?")) + "?"
    p = p.replace(" ,", ",")
    p = _BARE_NOUN.sub(r"\1 the \2 ", p)
    p = _BARE_BODY.sub(
        lambda m: (
            f"{m.group(1)} the {m.group(2)}"
            if m.group(3).lower() in ORG_HEADS and m.group(2).split()[0].lower() in ADJECTIVE_WORDS
            else m.group(0)
        ),
        p,
    )
    return p[:1].upper() + p[1:]
