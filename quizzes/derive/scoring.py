"""How sure the engine is of a draft: one table of named weights.

A draft's confidence starts at the base weight of the pattern that made it (how often that kind
of question comes out usable as it is, as a teacher would judge it: the weights were set from
the labelled tuning set of tests/data/eval, see bench/derive_quality.py) and loses the
penalties that apply to it; it stays within FLOOR and CEILING. The admin lists drafts best
first by it. Change a weight here, never inline, and rerun ``bench/derive_quality.py`` to see
what it does to the bands.
"""

from __future__ import annotations

BASE = {
    # A date that opens the sentence ("In December 1934, Kirov was assassinated"): the year
    # question is the sentence turned round.
    "leading-date": 0.85,
    # A date between subject and verb ("Zinoviev and Kamenev, in 1932, were found ...").
    "mid-date": 0.75,
    # A date in a participle phrase after the subject ("The Indian National Congress, founded
    # in 1885, led ..."): "In which year was the Indian National Congress founded?"
    "participle-date": 0.75,
    # A date in the verb phrase after an auxiliary ("was expelled in 1929"): sure inversion.
    "date-after-auxiliary": 0.75,
    # A date after a simple past ("expelled him in 1929"): "did" and a base form, guessed.
    "date-after-past": 0.75,
    "event-year": 0.85,  # "the Chinese Revolution of 1927"
    "cleft-who": 0.75,  # "It was Yezhov who ..."
    "relative-who": 0.60,  # "..., Yezhov, who ..."
    "subject-who": 0.80,  # a person as the whole subject
    "subject-who-described": 0.70,  # a person named inside a longer subject
    "whose": 0.70,  # "Kamenev's son was arrested"
    "subject-event": 0.55,
    "subject-org": 0.55,
    "subject-document": 0.55,  # a law, treaty or other document as the whole subject
    "subject-publication": 0.55,  # a newspaper or book as the whole subject
    "subject-people": 0.65,  # several people: select all that apply
    "there-were": 0.70,  # "There were 1,966 delegates"
    "number-subject": 0.35,  # "Three out of five marshals were shot"
    "article": 0.70,  # "under Article 58"
    "true-false-swap": 0.75,  # one fact changed into another from the text
    "true-false": 0.75,  # the statement as the text makes it
    "ordering": 0.70,
    "timeline-when": 0.85,  # a dated line whose verb turns into a "did" question
    "timeline-which-date": 0.75,  # a dated line quoted whole
    "timeline-year": 0.75,  # a dated line alone in its year: "In which year did ...?"
    "timeline-ordering": 0.80,  # four dated lines of one year
    "why-because": 0.65,  # a reason the text gives with "because"; other facts as wrong reasons
    "why-result": 0.65,  # "so that", "as a result", "therefore": the cause as the reason
    "why-purpose": 0.60,  # "in order to": other actions of the text as wrong purposes
    "purpose-of": 0.60,  # "Its purpose was to ...": other actions of the text as wrong aims
    # "CAUSE led to EFFECT", earlier events as wrong results; one may be a result too.
    "result-of": 0.50,
    "table-choice": 0.75,  # one figure of a table's row among others of its row and column
    "table-figure": 0.60,  # one figure of a table's row: exact recall, usually worth an edit
    "role-who": 0.80,  # "Harold Godwinson, the Earl of Wessex": "Who was the Earl of Wessex?"
    "matching-roles": 0.70,  # three or more people, each to the role the text gives them
    "source-author": 0.80,  # who made the source a text quotes, from its title
}

PENALTY = {
    "context": 0.05,  # the question needs a sentence of context before it
    "approximate": 0.05,  # a numeric answer with a tolerance ("about 620,000")
    "typed-year": 0.15,  # too few other years for options: the year is typed
    "short-answer-twin": 0.0,  # the short-answer twin of a single-choice question
    "short-answer-only": 0.05,  # too few names of the kind for options
    "long-prompt": 0.08,  # over LONG_PROMPT characters
    "very-long-prompt": 0.12,  # over VERY_LONG_PROMPT characters, on top
    "pronoun": 0.15,  # a pronoun left in the question sentence
    "vague": 0.10,  # the question names nothing ("Who died in the fighting?"): 66% as is
}

# Recalibrated on the tuning set of 31 documents (462 labelled drafts, 86% usable as is):
# dated events 16 of 17, leading dates 84% (96% of those left in the top band), timeline dates
# 16 of 16, a year alone in a timeline 91%, table figures 91%, one-fact swaps 91%, reworded
# statements 7 of 7, people 86% (their typed twins 91%), orderings 71%, a number in the subject
# 0 of 6; a question that names nothing 68%, a pronoun left in it 77%.
FLOOR, CEILING = 0.05, 0.99
LONG_PROMPT, VERY_LONG_PROMPT = 150, 230
# Only questions about a person this sure also get a short-answer twin.
SHORT_ANSWER_TWIN_FROM = 0.75


# Why a draft scored as it did, in a word or two for the teacher's review list: the first
# penalty that applied, or else what kind of fact the pattern rests on.
PENALTY_WORDS = {
    "long-prompt": "long",
    "very-long-prompt": "long",
    "pronoun": "pronoun",
    "vague": "vague",
    "context": "needs context",
    "approximate": "approximate",
    "typed-year": "typed year",
    "short-answer-twin": "typed answer",
    "short-answer-only": "few options",
}
PATTERN_WORDS = (
    ("matching", "who was who"),
    ("role", "role of a person"),
    ("source", "the source's author"),
    ("why", "cause"),
    ("purpose-of", "purpose"),
    ("result-of", "consequence"),
    ("true-false-swap", "one fact changed"),
    ("true-false", "reworded"),
    ("timeline-ordering", "timeline order"),
    ("timeline", "timeline date"),
    ("ordering", "dated events"),
    ("table", "table figure"),
    ("subject-people", "several people"),
    ("subject-event", "named event"),
    ("subject-org", "named group"),
    ("subject-document", "named document"),
    ("subject-publication", "named publication"),
    ("there-were", "figure"),
    ("number", "figure"),
    ("article", "figure"),
    ("who", "named person"),
    ("whose", "named person"),
    ("date", "dated fact"),
    ("year", "dated fact"),
)


def reason(pattern: str, penalties: list[str]) -> str:
    """A word or two on why a draft scored as it did ("dated fact", "long", "pronoun")."""
    if penalties:
        return PENALTY_WORDS[penalties[0]]
    if pattern.endswith("-short"):
        return "typed answer"
    return next((word for key, word in PATTERN_WORDS if key in pattern), "")


def base(pattern: str) -> float:
    return BASE[pattern]


def penalised(confidence: float, *penalties: str) -> float:
    """``confidence`` less the named penalties, within FLOOR and CEILING, to two decimals."""
    value = confidence - sum(PENALTY[p] for p in penalties)
    return round(max(FLOOR, min(CEILING, value)), 2)
