"""Just enough English grammar to turn a plain declarative clause into a question.

A clause is split into subject, verb group and the rest. A question about the subject replaces it
with "Who"/"What"; a question about a date or an article number fronts the phrase and inverts
the auxiliary ("was Trotsky expelled"), or uses "did" with the verb's base form when the verb is
a simple past whose base form can be told for sure. Anything less clear is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entities import COMMON_WORDS
from .words import (
    AUXILIARIES,
    BEFORE_PARTICIPLE,
    NOUN_DETERMINERS,
    PERSON_PRONOUNS,
    PHRASE_OPENERS,
    PREPOSITIONS,
    SUBJECT_OPENERS,
    TIME_PREPOSITIONS,
)

IRREGULAR = {
    "set": "set",
    "broadcast": "broadcast",
    "cut": "cut",
    "put": "put",
    "led": "lead",
    "left": "leave",
    "fell": "fall",
    "began": "begin",
    "became": "become",
    "took": "take",
    "won": "win",
    "lost": "lose",
    "made": "make",
    "gave": "give",
    "came": "come",
    "went": "go",
    "met": "meet",
    "fought": "fight",
    "sent": "send",
    "built": "build",
    "saw": "see",
    "held": "hold",
    "broke": "break",
    "rose": "rise",
    "ran": "run",
    "wrote": "write",
    "brought": "bring",
    "told": "tell",
    "found": "find",
    "kept": "keep",
    "sought": "seek",
    "stood": "stand",
    "fled": "flee",
    "shot": "shoot",
    "swore": "swear",
    "overthrew": "overthrow",
    "withdrew": "withdraw",
    "undertook": "undertake",
    "upheld": "uphold",
    "overcame": "overcome",
    "chose": "choose",
    "drew": "draw",
    "struck": "strike",
    "spoke": "speak",
    "thought": "think",
    "bought": "buy",
    "taught": "teach",
    "caught": "catch",
    "forbade": "forbid",
    "grew": "grow",
    "knew": "know",
    "threw": "throw",
    "drove": "drive",
    "rode": "ride",
    "sank": "sink",
    "sold": "sell",
    "laid": "lay",
    "paid": "pay",
    "said": "say",
    "heard": "hear",
    "understood": "understand",
    "spent": "spend",
    "meant": "mean",
    "felt": "feel",
    "dealt": "deal",
    "bore": "bear",
    "hid": "hide",
    "shook": "shake",
    "arose": "arise",
    "slew": "slay",
    "wore": "wear",
    "beat": "beat",
    "froze": "freeze",
    "stole": "steal",
    "became,": "become",
    "oversaw": "oversee",
    "foresaw": "foresee",
    "forgave": "forgive",
    "fed": "feed",
    "bred": "breed",
    "lent": "lend",
    "wept": "weep",
    "swept": "sweep",
    "slept": "sleep",
    "crept": "creep",
    "sped": "speed",
    "bled": "bleed",
    "shed": "shed",
    "rebuilt": "rebuild",
    "outlived": "outlive",
}
# -ed words that are adjectives or nouns, not finite verbs.
NOT_VERBS = {
    "red",
    "bed",
    "hundred",
    "seed",
    "shed",
    "sacred",
    "wicked",
    "naked",
    "kindred",
    "rugged",
    "beloved",
    "so-called",
    "ragged",
    "aged",
    "armed",
    "united",
    "alleged",
    "supposed",
    "advanced",
    "detailed",
    "varied",
    "limited",
    "noted",
    "renowned",
    "talented",
    "skilled",
    "learned",
    "tired",
    "wounded",
    "isolated",
    "related",
    "based",
    "called",
    "named",
    "used",
    "known",
    "titled",
    "entitled",
    "dubbed",
    "speed",
    "need",
    "feed",
    "creed",
    "deed",
    "greed",
    "steed",
    "weed",
    "breed",
    "proceed",
    "exceed",
    "succeed",
    "indeed",
}
ADVERBS = {
    "also",
    "still",
    "then",
    "later",
    "soon",
    "finally",
    "never",
    "not",
    "again",
    "once",
    "quickly",
    "eventually",
    "subsequently",
    "immediately",
    "already",
    "often",
    "first",
    "successfully",
    "briefly",
    "formally",
    "officially",
    "temporarily",
    "secretly",
    "openly",
    "publicly",
    "only",
    "jointly",
    "together",
}
RELATIVE_START = re.compile(r",\s+(?:who|which|whose|whom|where|when)\b")
WORD = re.compile(r"[\w’'-]+|[^\w\s]")


def lemma(verb: str) -> str | None:
    """Base form of a simple-past verb, or None when the rule is not sure."""
    w = verb.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if not w.endswith("ed") or len(w) < 4 or w in NOT_VERBS:
        return None
    special = {
        "created": "create",
        "united": "unite",
        "invited": "invite",
        "incited": "incite",
        "cited": "cite",
        "ignited": "ignite",
        "excited": "excite",
        "recited": "recite",
        "completed": "complete",
        "deleted": "delete",
        "competed": "compete",
        "developed": "develop",
        "hoped": "hope",
        "postponed": "postpone",
        "dethroned": "dethrone",
        "condoned": "condone",
        "enthroned": "enthrone",
        "interfered": "interfere",
        "persevered": "persevere",
        "died": "die",
        "lied": "lie",
        "tied": "tie",
        "honored": "honor",
        "favored": "favor",
        "labored": "labor",
        "colored": "color",
        "armored": "armor",
        "traveled": "travel",
        "canceled": "cancel",
        "modeled": "model",
        "labeled": "label",
        "signaled": "signal",
        "focused": "focus",
    }
    if w in special:
        return special[w]
    stem = w[:-2]
    if w.endswith("ied"):
        return w[:-3] + "y"
    if w.endswith(("eed", "ued", "ied")):
        return w[:-1]
    if w.endswith(("ayed", "eyed", "oyed", "owed", "ewed", "awed", "xed", "hed")):
        return stem
    if re.search(r"([bdgmnprt])\1ed$", w):
        return stem[:-1] if not w.endswith("dded") else None
    if w.endswith(("trolled", "pelled")):  # controlled, patrolled, expelled, compelled
        return w[:-3]
    if re.search(r"(ll|ss|ff|zz|ck)ed$", w):
        if w.endswith("elled"):
            return w[:-3]
        return stem
    vowels = "aeiou"
    if len(stem) < 2:
        return None
    last, before = stem[-1], stem[-2]
    # A vowel pair before the last consonant: "joined", "defeated", "appeared".
    if stem.endswith(("iat", "uat", "eat")) and w == "created":
        return "create"
    if stem.endswith(("iat", "uat", "uad", "uid", "uot")):  # persuaded, guided, quoted
        return stem + "e"
    if before in vowels and len(stem) >= 3 and stem[-3] in vowels:
        if last in "svzcg" and not w.endswith(
            ("eased", "aised", "aused", "oused", "eived", "eized", "ieved", "oiced", "ieged")
        ):
            return stem
        if last in "svzcg":
            return stem + "e"
        return stem
    if before in vowels:
        # Single vowel + consonant: the hard case ("opened" vs "voted").
        if last in "svzcg" or stem.endswith(
            ("at", "ot", "ut", "id", "ad", "od", "ud", "in", "un", "ul", "im", "am", "um", "ar")
        ):
            return stem + "e"
        if stem.endswith(("ir", "ur", "or", "ib", "ak", "ok", "ik", "uk", "ap", "ip", "up")):
            return stem + "e"
        if stem.endswith(("er", "en", "on", "el", "om", "it", "et", "op", "ol", "al", "il")):
            if stem.endswith(("il", "al")):
                return stem + "e"
            if stem.endswith(("it", "et")):
                return stem if len(stem) >= 5 else None
            return stem if len(stem) >= 4 else None
        return None
    # Consonant cluster.
    if last in "cgsvz" and before not in "s":
        return stem + "e"
    if last == "l" and before not in "lr":
        return stem + "e"
    if before == "s" and last in "s":
        return stem
    return stem


def is_finite_verb(token: str, prev: str | None) -> bool:
    low = token.lower()
    if not low.isalpha() and "-" not in low:
        return False
    if token[0].isupper() and prev is not None:
        return False
    if prev is not None and prev.lower() == "to":
        return False
    if low in AUXILIARIES:
        return True
    if low in IRREGULAR:
        return prev is None or prev.lower() not in NOUN_DETERMINERS
    if low in {"called", "named"} and prev is not None and prev[:1].isupper():
        return True  # "Louis XVI called the Estates-General" (not "a party called ...")
    if low.endswith("ed") and low not in NOT_VERBS and "-" not in low:
        return prev is None or prev.lower() not in BEFORE_PARTICIPLE
    return False


@dataclass
class Clause:
    prefix: str  # leading adverbial, without its comma ("In December 1934")
    subject: str
    adverbs: str  # adverbs between subject and verb ("temporarily")
    verb: str  # the finite verb or auxiliary
    rest: str  # everything after the verb
    relative: str | None = None  # "who ..." clause attached to the subject

    def predicate(self) -> str:
        parts = [self.adverbs, self.verb, self.rest]
        return " ".join(p for p in parts if p)

    def statement(self) -> str:
        body = f"{self.subject} {self.predicate()}".strip()
        return f"{self.prefix}, {body}" if self.prefix else body


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]


def find_verb(text: str) -> tuple[int, int, int] | None:
    """(start of adverbs before the verb, verb start, verb end) of the first finite verb.

    A relative clause after the subject (", who ... ,") and parentheses are skipped.
    """
    toks = tokens(text)
    depth = 0
    in_relative = False
    prev: str | None = None
    for i, (s, e, tok) in enumerate(toks):
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        if depth:
            continue
        if tok == "," and i + 1 < len(toks) and toks[i + 1][2].lower() in {"who", "which", "whose"}:
            in_relative = True
            prev = tok
            continue
        if in_relative:
            if tok == ",":
                in_relative = False
            prev = tok
            continue
        if tok in {":", ";"}:
            return None
        if i > 0 and is_finite_verb(tok, prev):
            # Walk back over adverbs.
            j = i
            while j - 1 > 0 and (
                toks[j - 1][2].lower() in ADVERBS
                or (toks[j - 1][2].lower().endswith("ly") and toks[j - 1][2].islower())
            ):
                j -= 1
            return toks[j][0], s, e
        prev = tok
    return None


_LEADING = re.compile(
    r"^(?:(?:consequently|subsequently|however|meanwhile|finally|eventually|later|then|thus|"
    r"moreover|furthermore|therefore|nevertheless|nonetheless|instead|also|afterwards|"
    r"in the end|as a result|for example|for instance|in addition|in turn|at first|"
    r"at last|in fact|indeed|initially|ultimately|soon|soon after|shortly after|"
    r"shortly afterwards|in response|in return)\s*,?\s+)",
    re.IGNORECASE,
)


def strip_parentheses(text: str) -> str:
    out = re.sub(r"\s*\([^()]*\)", "", text)
    return re.sub(r"\s{2,}", " ", out).strip()


def strip_leading_markers(text: str) -> tuple[str, str]:
    """Remove "Consequently," and the like. Returns (marker, rest)."""
    m = _LEADING.match(text)
    if not m:
        return "", text
    rest = text[m.end() :]
    return m.group(0).strip().rstrip(","), rest[:1].upper() + rest[1:] if rest else rest


def split_prefix(text: str) -> tuple[str, str]:
    """Split a leading adverbial ("In December 1934, ...", "After the death of Stalin, ...").

    Returns (prefix without comma, main clause). The prefix must start with a preposition or
    a subordinating word, or be a time phrase like "A few years later".
    """
    m = re.match(r"^((?:[^,]|,(?=\d))[^,]{1,120}?(?:,\d{3}[^,]*?)*),\s+(?=\S)", text)
    if not m:
        # "By the end of the final trial Stalin had ..." (no comma) - leave it in the subject.
        return "", text
    first = m.group(1).split()[0].lower()
    if re.match(r"^\w+ (?:days|weeks|months|years|decades) (?:after|before|later)\b", m.group(1)):
        return m.group(1), text[m.end() :]
    if first not in PHRASE_OPENERS:
        return "", text
    prefix = m.group(1)
    # A prefix that is itself a full clause ("While X did Y") is kept as a prefix too.
    rest = text[m.end() :]
    determiner = first in {
        "a",
        "an",
        "the",
        "two",
        "three",
        "four",
        "five",
        "several",
        "some",
        "many",
    }
    if determiner and not re.search(r"\b(?:later|earlier|after|before|ago|afterwards)$", prefix):
        return "", text
    return prefix, rest


def parse_clause(text: str, prefix: str = "") -> Clause | None:
    """Split a clause into subject, adverbs, verb and rest. None when that is not clear."""
    found = find_verb(text)
    if not found:
        return None
    adv_start, v_start, v_end = found
    subject = text[:adv_start].strip().rstrip(",").strip()
    if not subject:
        return None
    relative = None
    rel = RELATIVE_START.search(subject)
    if rel:
        relative = subject[rel.start() + 1 :].strip().strip(",").strip()
        subject = subject[: rel.start()].strip()
        if not subject:
            return None
    return Clause(
        prefix=prefix,
        subject=subject,
        adverbs=text[adv_start:v_start].strip(),
        verb=text[v_start:v_end],
        rest=text[v_end:].strip(),
        relative=relative,
    )


_SPLIT = re.compile(
    r"(?:,\s+(?:and|but|while|whereas|although|though|yet|so)\s*,?\s+|\s+and,\s+|;\s+|"
    r"\s+but\s+|\s+and\s+|:\s+|\s+[–—]\s+)"
)


def _boundary_kind(sep: str, after: str, passive: bool = False) -> str | None:
    """What follows a coordinating separator: see ``coordinated_parts``. None: no boundary."""
    toks = tokens(after)
    if not toks:
        return None
    first = toks[0][2]
    if first.lower() in ADVERBS or (first.lower().endswith("ly") and first.islower()):
        first = toks[1][2] if len(toks) > 1 else ""
    if not first:
        return None
    hard = sep.strip().rstrip(",").strip() in {";", ":", "–", "—"}
    if hard and len(toks) > 1 and toks[1][2] == "by" and first.endswith("ed"):
        return "stop"  # "tried to seize Berlin; defeated by a general strike": a passive note
    if is_finite_verb(first, None) and first.islower():
        if passive and first.lower() not in AUXILIARIES and first.lower() not in IRREGULAR:
            return None  # "was tried by the Convention and executed ...": one passive phrase
        return "vp"
    if first.lower() in PERSON_PRONOUNS:
        return "pronoun"
    if first.lower() in SUBJECT_OPENERS:
        inner = find_verb(after)
        if inner and inner[0] > 0:
            return "clause"
    if first[:1].islower() and not first[:1].isdigit():
        return "stop" if hard else None
    inner = find_verb(after)
    if inner and inner[0] > 0:
        return "clause"
    return "stop" if hard else None


def coordinated_parts(clause: Clause) -> list[tuple[str, str]]:
    """The predicate split into coordinated parts: [(kind, text)].

    kind: "vp" (verb phrase with the clause's subject), "pronoun" (he/she/they + verb phrase),
    "clause" (a new clause with its own subject), "stop" (unreadable; nothing after it is used).
    """
    pred = clause.predicate()
    out: list[tuple[str, str]] = []
    kind = "vp"
    cur = 0
    pos = 0
    for m in _SPLIT.finditer(pred):
        if m.start() < pos:
            continue
        if re.search(r",\s+(?:where|which|who|whom|whose)\b", pred[cur : m.start()]):
            continue  # "..., where both Hardrada and Tostig were killed": inside the relative
        passive = clause.verb.lower() in {"was", "were", "is", "are", "had", "has", "have"}
        nxt = _boundary_kind(m.group(0), pred[m.end() :], passive and kind == "vp")
        if nxt is None:
            continue
        out.append((kind, pred[cur : m.start()].strip()))
        kind = nxt
        cur = m.end()
        pos = m.end()
        if kind == "clause":
            inner = find_verb(pred[m.end() :])
            if inner:
                pos = m.end() + inner[1]
        if kind == "stop":
            break
    if kind != "stop":
        out.append((kind, pred[cur:].strip()))
    return out


def lower_first(text: str, keep: bool = False) -> str:
    """Lower-case the first word when it is an ordinary word ("The", "Most"), not a name."""
    if keep or not text:
        return text
    first = text.split(" ")[0]
    if (first.lower() in COMMON_WORDS and first[1:].islower()) or first in {"A", "I"}:
        return text[0].lower() + text[1:]
    return text


def invert(subject: str, vp: str, subject_is_name: bool) -> str | None:
    """Turn subject + verb phrase into question word order: "was Trotsky expelled ...".

    Returns the inverted text without the question word, or None when the verb cannot be
    inverted surely.
    """
    found = find_verb("X " + vp)
    if not found:
        return None
    adv_start, v_start, v_end = (x - 2 for x in found)
    if adv_start != 0:
        return None
    adverbs = vp[:v_start].strip()
    verb = vp[v_start:v_end]
    rest = vp[v_end:].strip()
    subj = lower_first(subject, subject_is_name)
    low = verb.lower()
    if low in AUXILIARIES:
        words = [low, subj, adverbs, rest]
    else:
        base = lemma(low)
        if not base:
            return None
        if low in {"did", "does", "do"}:
            return None
        # Coordinated verbs take their base form too: "stand ... and call on ...".
        parts = re.split(r"(\band\s+)(\w+)", rest)
        fixed = [parts[0]]
        for k in range(1, len(parts), 3):
            conj, word, tail = parts[k], parts[k + 1], parts[k + 2]
            if word.islower() and (word in AUXILIARIES or word in IRREGULAR or word.endswith("ed")):
                if word in AUXILIARIES:
                    return None
                b = lemma(word)
                if not b:
                    return None
                word = b
            fixed.append(conj + word + tail)
        rest = "".join(fixed)
        words = ["did", subj, adverbs, base, rest]
    return " ".join(w for w in words if w)


# Verbs that take no object: in notes, "zones joined in 1947" is active, not a passive with
# its "were" left out ("NATO founded in 1949").
INTRANSITIVE = frozenset(
    {"arrive", "begin", "collapse", "die", "end", "fail", "fall", "fight", "flee", "follow"}
    | {"go", "happen", "join", "land", "last", "march", "meet", "merge", "mutiny", "return"}
    | {"rise", "sail", "serve", "split", "start", "strike", "surrender", "vote", "walk"}
    | {"advance", "retreat", "resign", "rebel", "revolt", "stay", "work", "live", "grow"}
)


# Irregular past tenses that are not also participles ("broke", not "broken").
SIMPLE_PAST_ONLY = frozenset(
    {"broke", "rose", "fell", "began", "took", "gave", "wrote", "drove", "rode", "spoke"}
    | {"chose", "froze", "stole", "swore", "tore", "wore", "woke", "ate", "flew", "grew"}
    | {"knew", "threw", "drew", "sang", "rang", "ran", "swam", "came", "became", "went", "saw"}
)


PARTICLES = frozenset({"up", "out", "down", "off", "back", "over"})


def restore_passive(text: str) -> str:
    """A note's participle with its auxiliary put back: "NATO founded in April 1949" ->
    "NATO was founded in April 1949" ("were" after a plural subject). Only where a
    preposition or the end follows the participle (an object would make it active: "Red Army
    occupied Poland") and the verb takes an object at all."""
    found = find_verb("X " + text[0].lower() + text[1:])
    if not found:
        return text
    _adv, start, end = (x - 2 for x in found)
    verb = text[start:end].lower()
    if verb in AUXILIARIES or start == 0 or not (verb.endswith("ed") or verb in IRREGULAR):
        return text
    if verb in SIMPLE_PAST_ONLY:
        return text  # "Rebellion broke out in 1905": a past tense, never a participle
    after = text[end:].split()
    if after and after[0].lower() in PARTICLES:
        after = after[1:]  # "Cominform set up in 1947"
    if after and after[0].lower() not in PREPOSITIONS | TIME_PREPOSITIONS | {"by"}:
        return text
    if (lemma(verb) or verb) in INTRANSITIVE:
        return text
    subject = text[:start].strip()
    if re.fullmatch(r"[A-Z][a-z]+(?:ch|sh)", subject):
        return f"The {subject} were {text[start:]}"  # "French defeated ...": a people, plural
    head = text[:start].rstrip(", ").split(",")[0].split()[-1].lower()
    be = "were" if head.endswith("s") and not head.endswith(("ss", "us", "is")) else "was"
    return f"{text[:start]}{be} {text[start:]}"


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;:.?!])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"\(\s*\)", "", text)
    return text.strip().strip(",").strip()
