"""Facts a question can rest on: years, numbers and names (people, organisations, events).

Names are found without a model: capitalised sequences that are not merely the first word of a
sentence, classified by their head word (Party, Army, Trial, Revolution ...), by first names and
titles, by all-caps acronyms and by what the rest of the document says about them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .words import BEFORE_NAME, FUNCTION_WORDS

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS = set(MONTHS) | {"Sept"}
_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

# ---------------------------------------------------------------------------------------------
# Years

YEAR_RE = re.compile(r"(?<![\w,.$£€-])(1[0-9]{3}|20[0-9]{2})(?![\w%]|[,.]\d|\s*[-–]\s*\d)")
_YEAR_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:in|on|of|by|since|until|till|from|between|and|or|to|early|late|mid|during|after|"
    r"before|around|circa|c\.|about|spring|summer|autumn|fall|winter|year|years|the|"
    r"as early as|as late as|\d{1,2}(?:st|nd|rd|th)?|" + "|".join(MONTHS) + r")[\s-]*|[(,;–-]\s*)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)  # each sentence is searched for years by several rules
def find_years(text: str) -> tuple[tuple[int, int, int], ...]:
    """Years as (start, end, value): 4-digit tokens 1000-2099 in a date-like context.

    Part of a range ("1928-33", "1936–1938") is not counted, nor a figure followed by a plural
    noun ("1500 soldiers").
    """
    found = []
    for m in YEAR_RE.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()]
        if re.search(r"\d\s*[-–]\s*$", before):
            continue  # second half of a range
        after = text[m.end() : m.end() + 20]
        if re.match(
            r"\s+(?!and\b|or\b|when\b|the\b|to\b|was\b|were\b|had\b|in\b|on\b)[a-z]+s\b", after
        ):
            continue
        if _YEAR_CONTEXT_BEFORE.search(before) or m.start() == 0 or re.match(r"\s*[),.;:]", after):
            found.append((m.start(), m.end(), int(m.group(1))))
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# Numbers

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|"
    r"six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|one hundred)"
)
NUMBER_RE = re.compile(
    r"(?<![\w.,$£€-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + _WORD_NUM + r")"
    r"(?P<scale>\s+(?:thousand|million|billion))?"
    r"(?P<pct>\s*%|\s+per\s*cent|\s+percent)?"
    r"(?![\w]|[,.]\d)",
    re.IGNORECASE,
)
APPROX_RE = re.compile(
    r"\b(?:about|around|approximately|roughly|some|nearly|almost|over|more than|at least|"
    r"up to|an estimated|estimated|perhaps|as many as|close to|fewer than|less than|under)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    text: str
    percent: bool
    approx: bool

    @property
    def display(self) -> str:
        v = int(self.value) if float(self.value).is_integer() else self.value
        return f"{v:,}" if isinstance(v, int) else str(v)


def word_value(word: str) -> int | None:
    w = word.lower().strip()
    if w.startswith(("a hundred", "one hundred")):
        return 100
    if "-" in w:
        a, _, b = w.partition("-")
        if a in NUMBER_WORDS and b in NUMBER_WORDS:
            return NUMBER_WORDS[a] + NUMBER_WORDS[b]
        return None
    return NUMBER_WORDS.get(w)


@lru_cache(maxsize=1024)
def find_numbers(text: str) -> tuple[Number, ...]:
    """Counts and figures in ``text`` (years excluded), with their values."""
    years = {(s, e) for s, e, _ in find_years(text)}
    out: list[Number] = []
    for m in NUMBER_RE.finditer(text):
        raw = m.group("num")
        if (m.start("num"), m.end("num")) in years:
            continue
        if raw[0].isdigit():
            value = float(raw.replace(",", ""))
        else:
            wv = word_value(raw)
            if wv is None:
                continue
            value = float(wv)
        if m.group("scale"):
            value *= _SCALES[m.group("scale").strip().lower()]
        approx = bool(APPROX_RE.search(text[max(0, m.start() - 20) : m.start()]))
        out.append(
            Number(
                start=m.start(),
                end=m.end(),
                value=value,
                text=m.group(0),
                percent=bool(m.group("pct")),
                approx=approx,
            )
        )
    return tuple(out)


def number_values(text: str) -> set[float]:
    vals = {n.value for n in find_numbers(text)}
    vals |= {float(y) for _, _, y in find_years(text)}
    # Plain digit tokens too (a year-looking figure counts as its number).
    vals |= {float(t.replace(",", "")) for t in re.findall(r"\d{1,3}(?:,\d{3})+|\d+", text)}
    return vals


# ---------------------------------------------------------------------------------------------
# Names

ORG_HEADS = {
    "party",
    "army",
    "armies",
    "navy",
    "committee",
    "congress",
    "council",
    "court",
    "assembly",
    "parliament",
    "senate",
    "government",
    "police",
    "company",
    "bank",
    "league",
    "front",
    "guard",
    "guards",
    "convention",
    "club",
    "commune",
    "church",
    "ministry",
    "office",
    "department",
    "bureau",
    "agency",
    "commission",
    "society",
    "association",
    "organisation",
    "organization",
    "alliance",
    "federation",
    "corps",
    "directory",
    "nations",
    "tribunal",
    "center",
    "centre",
    "bloc",
    "opposition",
    "politburo",
    "comintern",
    "cabinet",
    "university",
    "institute",
    "union",
    "brigade",
    "division",
    "regiment",
    "legion",
    "confederacy",
    "estates-general",
    "pact",
    "code",
}
EVENT_HEADS = {
    "putsch",
    "oath",
    "mission",
    "crash",
    "constitution",
    "charter",
    "trial",
    "trials",
    "revolution",
    "revolutions",
    "war",
    "wars",
    "battle",
    "affair",
    "purge",
    "crisis",
    "depression",
    "plan",
    "treaty",
    "speech",
    "massacre",
    "terror",
    "uprising",
    "rebellion",
    "revolt",
    "coup",
    "conference",
    "summit",
    "declaration",
    "act",
    "accords",
    "agreement",
    "campaign",
    "offensive",
    "blockade",
    "airlift",
    "invasion",
    "siege",
    "election",
    "elections",
    "proclamation",
    "address",
    "storming",
    "reign",
    "raid",
    "march",
    "assassination",
    "riots",
    "strike",
    "famine",
    "emancipation",
    "reformation",
    "restoration",
    "armistice",
    "landings",
    "retreat",
    "jubilee",
    "exhibition",
}
PLACE_HEADS = {
    "states",
    "kingdom",
    "republic",
    "empire",
    "island",
    "islands",
    "sea",
    "ocean",
    "river",
    "mountains",
    "bay",
    "wall",
    "square",
    "palace",
    "city",
    "coast",
    "peninsula",
    "gulf",
    "strait",
    "canal",
    "street",
    "gate",
    "province",
    "county",
    "valley",
    "prison",
    "bastille",
    "hall",
    "house",
    "fort",
    "harbor",
    "harbour",
    "zone",
    "sector",
    "germany",
    "europe",
    "america",
    "america's",
    "hill",
    "hills",
    "bridge",
    "abbey",
    "cathedral",
    "castle",
    "hospital",
    "hotel",
    "plain",
    "plains",
    "field",
    "fields",
    "forest",
    "lake",
    "mountain",
    "desert",
    "road",
}
# Names of days in the calendar ("Christmas Day", "Easter Sunday"): a date, never a person.
DAY_HEADS = {"day", "eve", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday"}
# Heads that also end people's names ("Thomas Day", "Benny Hill"): after a first name, a person.
_SURNAME_HEADS = {"day", "hill", "field", "bridge", "hall", "house", "street", "lake", "road"}
# Laws, treaties and other documents ("Treaty of Versailles", "Fugitive Slave Act", "Charter
# Oath"), and newspapers and books ("Daily Mail", "Domesday Book"): kinds of their own, so that
# a question about a treaty never offers a battle or a newspaper as an option.
DOCUMENT_HEADS = {
    "treaty",
    "act",
    "acts",
    "charter",
    "constitution",
    "declaration",
    "proclamation",
    "accords",
    "agreement",
    "pact",
    "code",
    "law",
    "laws",
    "edict",
    "decree",
    "bill",
    "manifesto",
    "resolution",
    "oath",
    "order",
    "ordinance",
    "amendment",
    "protocol",
    "covenant",
    "doctrine",
}
PUBLICATION_HEADS = {
    "mail",
    "times",
    "gazette",
    "journal",
    "herald",
    "chronicle",
    "magazine",
    "tribune",
    "telegraph",
    "newspaper",
    "book",
    "review",
}
# The kinds that name something (as against "other", "unknown" and "concept").
NAMED_KINDS = frozenset({"person", "org", "event", "place", "group", "document", "publication"})
# The kinds of things whose distractors must share the answer's head word's kind.
THING_KINDS = frozenset({"event", "org", "document", "publication"})
_STATE_ACRONYMS = {"USSR", "US", "USA", "UK", "GDR", "FRG", "DDR", "UN", "EU", "U.S.", "U.S.A."}
TITLES = {
    "president",
    "general",
    "king",
    "queen",
    "tsar",
    "czar",
    "tsarina",
    "emperor",
    "empress",
    "pope",
    "marshal",
    "admiral",
    "sir",
    "lord",
    "lady",
    "prince",
    "princess",
    "duke",
    "chancellor",
    "premier",
    "senator",
    "colonel",
    "captain",
    "lieutenant",
    "major",
    "dr",
    "mr",
    "mrs",
    "ms",
    "saint",
    "st",
    "bishop",
    "cardinal",
    "archbishop",
    "governor",
    "secretary",
    "chairman",
    "commander",
}
# Capitalised words that say nothing about a name at the start of a sentence, or are adjectives.
COMMON_WORDS = set(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "then",
        "thus",
        "it",
        "its",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "of",
        "to",
        "into",
        "onto",
        "with",
        "without",
        "within",
        "after",
        "before",
        "during",
        "while",
        "when",
        "whenever",
        "where",
        "wherever",
        "as",
        "since",
        "until",
        "till",
        "though",
        "although",
        "because",
        "if",
        "unless",
        "whether",
        "once",
        "but",
        "and",
        "or",
        "nor",
        "so",
        "yet",
        "also",
        "however",
        "moreover",
        "furthermore",
        "meanwhile",
        "nevertheless",
        "nonetheless",
        "consequently",
        "subsequently",
        "finally",
        "eventually",
        "later",
        "back",
        "earlier",
        "soon",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "last",
        "next",
        "most",
        "many",
        "some",
        "several",
        "all",
        "both",
        "each",
        "every",
        "few",
        "no",
        "not",
        "only",
        "even",
        "still",
        "just",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "thousand",
        "million",
        "half",
        "about",
        "over",
        "under",
        "between",
        "among",
        "against",
        "despite",
        "following",
        "throughout",
        "upon",
        "towards",
        "toward",
        "across",
        "around",
        "near",
        "beyond",
        "like",
        "unlike",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "why",
        "such",
        "other",
        "another",
        "more",
        "less",
        "much",
        "instead",
        "indeed",
        "perhaps",
        "here",
        "today",
        "yesterday",
        "tomorrow",
        "now",
        "already",
        "almost",
        "nearly",
        "just",
        "about",
        "according",
        "together",
        "whereas",
        "except",
        "besides",
        "beside",
        "behind",
        "below",
        "above",
        "along",
        "alongside",
        "amid",
        "beneath",
        "inside",
        "outside",
        "past",
        "via",
        "per",
        "according",
        "meanwhile",
        "overall",
        "ultimately",
        "initially",
        "originally",
        "historically",
        "officially",
        "shortly",
        "immediately",
        "afterwards",
        "afterward",
        "therefore",
        "hence",
        "accordingly",
        "similarly",
        "likewise",
        "otherwise",
        "elsewhere",
        "again",
        "ever",
        "never",
        "always",
        "often",
        "sometimes",
        "usually",
        "rather",
        "quite",
        "very",
        "too",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "being",
        "had",
        "has",
        "have",
        "do",
        "did",
        "does",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "can",
        "let",
        "my",
        "mine",
        "yes",
    ]
)
ADJECTIVE_WORDS = set(
    [
        "old",
        "new",
        "great",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "red",
        "white",
        "black",
        "green",
        "western",
        "eastern",
        "northern",
        "southern",
        "central",
        "soviet",
        "russian",
        "german",
        "french",
        "british",
        "english",
        "american",
        "chinese",
        "japanese",
        "italian",
        "spanish",
        "polish",
        "cuban",
        "european",
        "asian",
        "african",
        "communist",
        "socialist",
        "bolshevik",
        "catholic",
        "protestant",
        "christian",
        "jewish",
        "muslim",
        "royal",
        "imperial",
        "national",
        "federal",
        "confederate",
        "union",
        "northern",
        "modern",
        "ancient",
        "early",
        "late",
        "high",
        "low",
        "upper",
        "lower",
        "greater",
        "little",
        "grand",
        "holy",
        "anti-soviet",
        "east",
        "west",
        "north",
        "south",
        "provisional",
        "civil",
        "revolutionary",
        "democratic",
        "republican",
        "secret",
        "supreme",
    ]
)


def _read_first_names() -> dict[str, str]:
    """The given names of ``data/first_names.txt`` and whose they are: "f", "m" or "-"."""
    out = {}
    for line in (Path(__file__).parent / "data" / "first_names.txt").read_text("utf-8").split("\n"):
        if line.strip() and not line.startswith("#"):
            name, gender = line.split()
            out[name] = gender
    return out


FIRST_NAME_GENDERS = _read_first_names()
PLACE_NAMES = frozenset(
    line
    for line in (Path(__file__).parent / "data" / "places.txt").read_text("utf-8").split("\n")
    if line and not line.startswith("#")
)
FIRST_NAMES = frozenset(FIRST_NAME_GENDERS)


_PERSONAL_NOUNS = (
    r"(?:son|sons|daughter|daughters|wife|husband|father|mother|brother|sister|family|children|"
    r"death|murder|assassination|execution|arrest|trial|government|regime|rule|speech|desire|"
    r"leadership|supporters|followers|allies|rival|rivals|successor|predecessor|widow|"
    r"presidency|reign|forces|army|men|troops|orders|life|career|letter|letters|words)\b"
)


@dataclass
class Mention:
    start: int  # offset in the sentence
    end: int
    text: str  # as written, without a possessive 's
    sentence: int
    at_start: bool
    possessive: bool
    truncated: bool = False
    titled: bool = False


@dataclass
class Entity:
    key: str  # canonical text (longest form)
    kind: str  # person | org | event | place | group | document | publication | concept | other
    forms: Counter = field(default_factory=Counter)
    sentences: set = field(default_factory=set)

    @property
    def display(self) -> str:
        return self.key

    @property
    def surname(self) -> str:
        return surname_of(self.key)


def _given_name(name: str) -> str | None:
    """The given name of a full name ("Emmeline" of "Mrs Emmeline Pankhurst"), None when only
    titles or initials stand before the surname ("General Leclerc", "J. Smith")."""
    words = name.split()[:-1]
    while words and (words[0].lower().rstrip(".") in TITLES or re.fullmatch(r"[A-Z]\.", words[0])):
        words = words[1:]
    return words[0] if words else None


@lru_cache(maxsize=1 << 14)  # asked of the same names for every distractor pool
def surname_of(name: str) -> str:
    words = name.split()
    if len(words) >= 2 and is_roman(words[-1]):
        return " ".join(words[-2:])
    return words[-1] if words else name


_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*[\w]|[^\W\d_]")


@lru_cache(maxsize=1 << 16)  # a text repeats its words: each is judged once
def _is_name_token(tok: str) -> bool:
    base = re.sub(r"[’']s$", "", tok)
    if not base or not base[0].isupper():
        return False
    if base in _MONTHS or base in _DAYS:
        return False
    parts = base.split("-")
    return all(p and (p[0].isupper() or p[0].isdigit()) for p in parts)


_CONNECTOR_HEADS = (
    ORG_HEADS | EVENT_HEADS | PLACE_HEADS | DOCUMENT_HEADS | {"case", "bank", "fall", "storming"}
)


_NAME_PARTICLES = frozenset({"von", "van", "de", "da", "di", "du", "del", "der", "den", "la", "le"})


def find_name_mentions(sentence: str, sentence_index: int) -> list[Mention]:
    """Capitalised sequences in a sentence (connectors "of"/"of the" allowed after a head word)."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(sentence)]
    mentions: list[Mention] = []
    i = 0
    first_word = 0
    while first_word < len(tokens) and not tokens[first_word][2][0].isalpha():
        first_word += 1
    while i < len(tokens):
        s, e, tok = tokens[i]
        if not _is_name_token(tok):
            i += 1
            continue
        j = i
        seq_end = e
        while True:
            # next token directly after a single space
            gap = sentence[tokens[j][1] : tokens[j + 1][0]] if j + 1 < len(tokens) else ""
            if (
                gap == ". "
                and re.fullmatch(r"[A-Z]", tokens[j][2])
                and j > i
                and _is_name_token(tokens[j + 1][2])
            ):
                j += 1
                seq_end = tokens[j][1]
                continue
            if j + 1 < len(tokens) and gap == " ":
                nxt = tokens[j + 1][2]
                if _is_name_token(nxt) and not re.search(r"[’']s$", tokens[j][2]):
                    j += 1
                    seq_end = tokens[j][1]
                    continue
                # A surname's particle: "Otto von Bismarck", "Vasco da Gama".
                if (
                    nxt in _NAME_PARTICLES
                    and j + 2 < len(tokens)
                    and sentence[tokens[j + 1][1] : tokens[j + 2][0]] == " "
                    and _is_name_token(tokens[j + 2][2])
                    and tokens[j][2].lower() in FIRST_NAMES
                ):
                    j += 2
                    seq_end = tokens[j][1]
                    continue
                last_word = tokens[j][2].lower().rstrip("s") if tokens[j][2] else ""
                if nxt == "of" and (
                    tokens[j][2].lower() in _CONNECTOR_HEADS or last_word in _CONNECTOR_HEADS
                ):
                    k = j + 2
                    if (
                        k < len(tokens)
                        and tokens[k][2] == "the"
                        and sentence[tokens[j + 1][1] : tokens[k][0]] == " "
                    ):
                        k += 1
                    if (
                        k < len(tokens)
                        and _is_name_token(tokens[k][2])
                        and sentence[tokens[k - 1][1] : tokens[k][0]] == " "
                    ):
                        j = k
                        seq_end = tokens[j][1]
                        continue
            break
        text = sentence[s:seq_end]
        start = s
        at_start = i == first_word or sentence[:s].rstrip().endswith((":", "“", '"'))
        # Drop leading common words ("The", "In", "Consequently") at any position.
        words = text.split(" ")
        while words and (
            words[0].lower() in (COMMON_WORDS if at_start else BEFORE_NAME)
            or (at_start and words[0].lower().endswith("ly"))
        ):
            start += len(words[0]) + 1
            words = words[1:]
            at_start = False if start != s else at_start
        truncated = bool(re.match(r" of (?:the )?[A-Z]", sentence[seq_end:]))
        titled = len(words) >= 2 and words[0].lower().rstrip(".") in TITLES
        if titled:
            start += len(words[0]) + 1
            words = words[1:]
        if words:
            text = " ".join(words)
            possessive = bool(re.search(r"[’']s$", text))
            if possessive:
                text = text[:-2]
            if text and text[-1] in ".-":
                text = text.rstrip(".-")
            if text:
                mentions.append(
                    Mention(
                        start=start,
                        end=start + len(text),
                        text=text,
                        sentence=sentence_index,
                        at_start=(start == s and i == first_word),
                        possessive=possessive,
                        truncated=truncated,
                        titled=titled,
                    )
                )
        i = j + 1
    return mentions


ROMAN = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


def is_roman(word: str) -> bool:
    return bool(word) and bool(ROMAN.match(word))


def _head(text: str) -> str:
    first = text.split(" of ")[0]
    return first.split()[-1].lower()


def classify_name(text: str, context_before: str = "") -> str:
    words = text.split()
    low = [w.lower() for w in words]
    head = _head(text)
    if re.search(
        r"\b(?:theory|doctrine|policy|idea|ideology|principle|slogan) of\s*$", context_before
    ):
        return "concept"
    if text in _STATE_ACRONYMS or text.lower() in PLACE_NAMES:
        return "place"
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", text) and not is_roman(text):
        return "org"
    if len(words) >= 2 and is_roman(words[-1]) and low[0] in FIRST_NAMES:
        return "person"
    if low[0] in TITLES and len(words) >= 2:
        return "person"
    if low[0] in {"fort", "lake", "mount", "port", "cape", "camp", "fortress"} and len(words) >= 2:
        return "place"
    if 2 <= len(words) <= 3 and low[0] in FIRST_NAMES and head in _SURNAME_HEADS:
        return "person"
    if head in DAY_HEADS and len(words) >= 2:
        return "other"
    if len(words) >= 2 and (low[0] == "daily" or head in PUBLICATION_HEADS):
        return "publication"
    if head in DOCUMENT_HEADS and len(words) >= 2:
        return "document"
    if head in EVENT_HEADS:
        return "event"
    if head in ORG_HEADS:
        if head == "union" and len(words) == 2 and low[0] in ADJECTIVE_WORDS:
            return "place"
        return "org"
    if any(w in ORG_HEADS for w in low) and "army" in low:
        return "org"
    if head in PLACE_HEADS:
        return "place"
    if any(re.fullmatch(r"[A-Z]{2,6}", w) and not is_roman(w) for w in words):
        return "org"
    if 2 <= len(words) <= 4 and " of " not in text:
        if low[0] in FIRST_NAMES:
            return "person"
        if (
            low[0] not in ADJECTIVE_WORDS
            and low[0] not in COMMON_WORDS
            and not any(w in ADJECTIVE_WORDS for w in low[1:])
            and not low[-1].endswith(("ists", "ites", "ans", "ics"))
            and not any(w in NUMBER_WORDS for w in low)
            and all(re.fullmatch(r"[A-Z][a-zà-ÿ’'-]+|[A-Z]\.|[IVX]+", w) for w in words)
        ):
            return "person"
    if len(words) == 1 and FIRST_NAME_GENDERS.get(low[0]) in ("f", "m"):
        return "person"  # "William landed at Pevensey"
    if len(words) == 1 and low[0] in ADJECTIVE_WORDS:
        return "group"
    if len(words) == 1 and low[0].endswith(("ists", "ites", "ism", "ans")):
        return "group"
    return "other"


_MALE_TITLES = ("king", "lord", "sir", "mr", "emperor", "prince", "duke", "tsar", "kaiser", "pope")
_FEMALE_TITLES = ("queen", "lady", "mrs", "miss", "ms", "empress", "princess", "duchess", "madame")
_TITLE_GENDER = dict.fromkeys(_MALE_TITLES, "m") | dict.fromkeys(_FEMALE_TITLES, "f")
# What stands between a person's two names: "was born Araminta Ross", "(née Goulden)", ", known
# as", ", who took the name".
_ALIAS_GAP = re.compile(
    r"(?:^|\W)(?:born|n[ée]e|known as|called|named|the name|nicknamed|renamed|alias"
    r"|name(?: at birth)? was)\s*$"
)


# "She was named Araminta Ross", "He was known as ...", "Her birth name was ...": a later
# sentence that gives the person of the sentence before another name.
_LATER_NAME = re.compile(
    r"^(?:(?:He|She)\b[^.]{0,40}?\b(?:born|n[ée]e|named|called|known as|nicknamed|renamed"
    r"|the name)|(?:His|Her) (?:birth |real |original )?name(?: at birth)? was)\s+"
    r"(?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})"
)


class NameIndex:
    """All names of a document, grouped into entities with a kind."""

    def __init__(self, sentences: list[str]):
        self.mentions: list[list[Mention]] = []
        for idx, sent in enumerate(sentences):
            self.mentions.append(find_name_mentions(sent, idx))
        self.entities: dict[str, Entity] = {}
        self._by_form: dict[str, Entity] = {}
        self._of_kind: dict[str, list[Entity]] = {}
        # Forms the text shows to be people (a title, a known first name, ", who", "her
        # husband"), not only shaped like a name: a pronoun stands only for one of these, so
        # that "She" never becomes "Underground Railroad".
        self.sure_people: set[str] = set()
        # Other names of the same person ("Harriet Tubman was born Araminta Ross"): never a
        # distractor for each other, nor swapped into a statement that would stay true.
        self.aliases: dict[str, set[str]] = {}
        # Names the text gives as someone's other name ("Her name at birth was Araminta Ross",
        # "known as Doña Marina"), whether or not the alias rules found whose: never an option
        # or a swap, since they may be the answer's own person under another name.
        self.other_names: set[str] = set()
        self._build(sentences)
        self._find_aliases(sentences)
        self._find_later_names(sentences)
        self._find_other_names(sentences)
        # "m" or "f" where the text shows it (a title, "his" or "her" in a sentence that names
        # only that person): "She" is never resolved to a man, nor "He" to a woman.
        self.genders: dict[str, str] = {}
        self._find_genders(sentences)

    def _build(self, sentences: list[str]) -> None:
        mid_sentence_forms = {m.text for ms in self.mentions for m in ms if not m.at_start}
        kinds: dict[str, str] = {}
        for ms in self.mentions:
            for m in ms:
                if m.text in kinds:
                    continue
                if m.at_start and len(m.text.split()) == 1 and m.text not in mid_sentence_forms:
                    # Could be an ordinary word at the start of a sentence; decide later.
                    kinds.setdefault(m.text, "unknown")
                    continue
                before = sentences[m.sentence][: m.start]
                if before.endswith(('"', "“", "‘")):
                    kinds[m.text] = "other"  # a phrase in quotation marks ("Iron Curtain")
                    continue
                if m.truncated:
                    # "Duke William of Normandy": a titled given name is a person still.
                    given = m.titled and FIRST_NAME_GENDERS.get(m.text.lower(), "-") != "-"
                    # "Thomas Jefferson of Virginia": a known given name and a surname.
                    given = given or (
                        2 <= len(m.text.split()) <= 3
                        and m.text.split()[0].lower() in FIRST_NAMES
                        and classify_name(m.text) == "person"
                    )
                    kinds[m.text] = "person" if given else "other"
                    if given:
                        self.sure_people.add(m.text)
                elif re.search(r"\b(?:in|at|near|from|to|of)\s+(?:St\.?|Saint)\s+$", before) or (
                    re.match(r"(?:St|Saint) ", m.text)
                    and re.search(r"\b(?:in|at|near|from|to|of)\s+$", before)
                ):
                    kinds[m.text] = "place"  # "died in St Petersburg", not a saint
                elif m.titled and _head(m.text) not in _CONNECTOR_HEADS:
                    # "General Assembly of New York" is not a general.
                    kinds[m.text] = "person"
                    self.sure_people.add(m.text)
                else:
                    kinds[m.text] = classify_name(m.text, before)
        # Surnames of people named in full are people too.
        surnames = {
            surname_of(t): t
            for t, k in kinds.items()
            if k == "person" and len(t.split()) >= 2 and surname_of(t) != t
        }
        for t, k in list(kinds.items()):
            if len(t.split()) == 1 and t in surnames and k in {"other", "unknown"}:
                kinds[t] = "person"
        # A single word followed by ", who" is a person.
        for idx, sent in enumerate(sentences):
            for m in self.mentions[idx]:
                if kinds.get(m.text) in {"other", "unknown", "person"} and re.match(
                    r",\s+who\b", sent[m.end :]
                ):
                    kinds[m.text] = "person"
                    self.sure_people.add(m.text)
        # A single word whose possessive is followed by a personal noun is a person.
        for idx, sent in enumerate(sentences):
            for m in self.mentions[idx]:
                if (
                    m.possessive
                    and kinds.get(m.text) in {"other", "unknown"}
                    and len(m.text.split()) == 1
                    and re.match(r"[’']s\s+(?:[a-z]+\s+)?" + _PERSONAL_NOUNS, sent[m.end :])
                ):
                    kinds[m.text] = "person"
                    self.sure_people.add(m.text)
        # Lists: in "A, B, and C" where one is a person, the single-word others are people too.
        for _ in range(3):
            self._propagate_lists(sentences, kinds)
        for t, k in list(kinds.items()):
            if k == "person_list":
                kinds[t] = "person"
            elif k == "unknown":
                kinds[t] = "other"
        # A known first name, or a full name whose surname the text also uses alone
        # ("Emmeline Pankhurst ... Pankhurst"), or one that "was born": a person for sure.
        alone = {t for t, k in kinds.items() if k == "person" and len(t.split()) == 1}
        self.sure_people |= {
            t
            for t, k in kinds.items()
            if k == "person"
            and (
                t.split()[0].lower() in FIRST_NAMES
                or (len(t.split()) >= 2 and surname_of(t) in alone)
            )
        }
        for idx, sent in enumerate(sentences):
            for m in self.mentions[idx]:
                if kinds.get(m.text) == "person" and re.match(r"\s+was\s+born\b", sent[m.end :]):
                    self.sure_people.add(m.text)
        # A ruler's name and number: "Constantine XI", "Mehmed II", "Paul I".
        self.sure_people |= {
            t
            for t, k in kinds.items()
            if k == "person" and len(t.split()) == 2 and is_roman(t.split()[1])
        }
        self._group(kinds, surnames)

    def _find_aliases(self, sentences: list[str]) -> None:
        for idx, sent in enumerate(sentences):
            for a, b in itertools.pairwise(self.mentions[idx]):
                ea, eb = self._by_form.get(a.text), self._by_form.get(b.text)
                if (
                    ea is None
                    or eb is None
                    or ea is eb
                    or ea.kind != "person"
                    or eb.kind != "person"
                ):
                    continue
                gap = sent[a.end : b.start]
                # Not across "and": "married Peter III, and took the name Catherine" names her.
                if len(gap) <= 60 and _ALIAS_GAP.search(gap) and not re.search(r"\band\b", gap):
                    self.aliases.setdefault(ea.key, set()).add(eb.key)
                    self.aliases.setdefault(eb.key, set()).add(ea.key)

    def _find_other_names(self, sentences: list[str]) -> None:
        for idx, sent in enumerate(sentences):
            for m in self.mentions[idx]:
                if _ALIAS_GAP.search(sent[max(0, m.start - 24) : m.start]):
                    self.other_names.add(m.text)
        for forms in self.aliases.values():
            self.other_names |= forms

    def _find_later_names(self, sentences: list[str]) -> None:
        """Another name given in a later sentence: "Harriet Tubman was born into slavery ...
        She was named Araminta Ross ...": the pronoun stands for the person the sentence
        before names first, and the name after "named" is theirs too."""
        for idx in range(1, len(sentences)):
            m = _LATER_NAME.match(sentences[idx])
            if m is None:
                continue
            named = self._by_form.get(m.group("name"))
            before = next(
                (
                    self._by_form[b.text]
                    for b in self.mentions[idx - 1]
                    if b.text in self._by_form and self._by_form[b.text].kind == "person"
                ),
                None,
            )
            if named is None or before is None or named is before or named.kind != "person":
                continue
            self.aliases.setdefault(before.key, set()).add(named.key)
            self.aliases.setdefault(named.key, set()).add(before.key)

    def _find_genders(self, sentences: list[str]) -> None:
        seen: dict[str, set[str]] = {}  # by a title: sure
        guessed: dict[str, set[str]] = {}  # by a "his" or "her" after the name
        for idx, sent in enumerate(sentences):
            people = {}
            for m in self.mentions[idx]:
                ent = self._by_form.get(m.text)
                if ent is not None and ent.kind == "person":
                    people[ent.key] = m
                    title = sent[max(0, m.start - 12) : m.start].split()[-1:]
                    for word in (title[0] if title else "", m.text.split()[0]):
                        g = _TITLE_GENDER.get(word.lower().rstrip("."))
                        if g:
                            seen.setdefault(ent.key, set()).add(g)
            if len(people) == 1:
                key, m = next(iter(people.items()))
                after = sent[m.end :].lower()
                if re.search(r"\b(?:his|himself)\b", after):
                    guessed.setdefault(key, set()).add("m")
                # "her son" (hers), not "received her at" (someone else).
                her = re.search(r"\bher (\w+)|\bherself\b", after)
                if her and (her.group(1) or "") not in FUNCTION_WORDS:
                    guessed.setdefault(key, set()).add("f")
        # Then the given name's ("Edwin Seacole" is a man): surer than a "his" or "her" after
        # the name, which may be another's ("Benjamin Disraeli brought her back").
        for ent in self.entities.values():
            given = FIRST_NAME_GENDERS.get(ent.key.split()[0].lower(), "-")
            if ent.kind == "person" and ent.key not in seen and given != "-":
                seen[ent.key] = {given}
        for key, genders in guessed.items():
            seen.setdefault(key, genders)
        self.genders = {k: next(iter(g)) for k, g in seen.items() if len(g) == 1}

    def gender(self, key: str) -> str | None:
        return self.genders.get(key)

    def are_aliases(self, one: str, other: str) -> bool:
        """Whether two forms name the same person under different names."""
        ea, eb = self._by_form.get(one), self._by_form.get(other)
        return ea is not None and eb is not None and eb.key in self.aliases.get(ea.key, ())

    def _propagate_lists(self, sentences: list[str], kinds: dict[str, str]) -> None:
        for idx, sent in enumerate(sentences):
            ms = self.mentions[idx]
            for a, b in itertools.pairwise(ms):
                gap = sent[a.end : b.start]
                tail = sent[b.end : b.end + 6]
                listy = re.fullmatch(r"(?:[’']s)?,\s+and\s+|\s+and\s+", gap) or (
                    re.fullmatch(r",\s+", gap) and re.match(r"(?:,|\s+and\b|\))", tail)
                )
                if listy:
                    ka, kb = kinds.get(a.text), kinds.get(b.text)
                    if (
                        ka in {"person", "person_list"}
                        and kb in {"other", "unknown"}
                        and len(b.text.split()) == 1
                    ):
                        kinds[b.text] = "person_list"
                    if (
                        kb in {"person", "person_list"}
                        and ka in {"other", "unknown"}
                        and len(a.text.split()) == 1
                    ):
                        kinds[a.text] = "person_list"
        for t, k in list(kinds.items()):
            if k == "person_list":
                kinds[t] = "person"

    def _group(self, kinds: dict[str, str], surnames: dict[str, str]) -> None:
        """Group forms into entities: people by surname and given name ("Emmeline Pankhurst"
        and "Christabel Pankhurst" are two; "Pankhurst" alone is the one named first), other
        names by their text."""
        people: dict[str, str] = {}  # a full form -> its entity's id
        first_full: dict[str, str] = {}  # a surname -> the id of the first person named with it
        # A surname -> its full forms' given names and ids, so that grouping stays linear.
        by_surname: dict[str, list[tuple[str | None, str]]] = {}
        for ms in self.mentions:
            for m in ms:
                if m.text in people or kinds.get(m.text) != "person" or " " not in m.text:
                    continue
                surname, given = surname_of(m.text), _given_name(m.text)
                known = by_surname.setdefault(surname, [])
                same = next((i for g, i in known if given is None or g in (None, given)), None)
                people[m.text] = same or f"person:{surname}:{given or ''}"
                known.append((given, people[m.text]))
                first_full.setdefault(surname, people[m.text])
        for ms in self.mentions:
            for m in ms:
                kind = kinds.get(m.text, "other")
                if kind == "person":
                    key = people.get(m.text) or first_full.get(m.text) or f"person:{m.text}"
                    ent = self.entities.get(key)
                    if ent is None:
                        ent = self.entities[key] = Entity(key=m.text, kind="person")
                    if len(m.text.split()) > len(ent.key.split()):
                        ent.key = m.text
                else:
                    key = f"{kind}:{m.text}"
                    ent = self.entities.get(key)
                    if ent is None:
                        ent = self.entities[key] = Entity(key=m.text, kind=kind)
                ent.forms[m.text] += 1
                ent.sentences.add(m.sentence)
                self._by_form[m.text] = ent

    def entity(self, form: str) -> Entity | None:
        return self._by_form.get(form)

    def is_sure_person(self, form: str) -> bool:
        """Whether the text shows the entity of this form to be a person (one of its forms
        titled, with a known first name, or followed by ", who")."""
        ent = self._by_form.get(form)
        return (
            ent is not None
            and ent.kind == "person"
            and any(f in self.sure_people for f in ent.forms)
        )

    def kind(self, form: str) -> str:
        ent = self._by_form.get(form)
        return ent.kind if ent else "unknown"

    def of_kind(self, kind: str) -> list[Entity]:
        """The entities of one kind, the most mentioned first (computed once per kind)."""
        if kind not in self._of_kind:
            self._of_kind[kind] = sorted(
                (e for e in self.entities.values() if e.kind == kind),
                key=lambda e: (-sum(e.forms.values()), e.key),
            )
        return self._of_kind[kind]
