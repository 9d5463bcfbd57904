"""Word knowledge: the closed classes of English words the rules read, one name per concept.

Every rule that needs "a preposition" or "a subject pronoun" takes it from here, so that a word
added to a class is added everywhere. Open classes (first names, title words, the head words of
organisations, events and places) live with the names in ``entities``; verbs and their forms in
``grammar``.
"""

from __future__ import annotations

ARTICLES = frozenset({"a", "an", "the"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
POSSESSIVES = frozenset({"his", "her", "its", "their", "our"})
QUANTIFIERS = frozenset(
    {"all", "each", "every", "few", "less", "many", "more", "most", "no", "other", "several"}
    | {"some"}
)
# "Many" of the crowd-nouns that open a subject as a determiner would ("Thousands fled").
CROWD_NOUNS = frozenset(
    {"thousands", "hundreds", "crowds", "guards", "troops", "soldiers", "people"}
)
COORDINATORS = frozenset({"and", "or", "but"})
# Prepositions that open a short phrase; the temporal ones also open a clause of time.
PREPOSITIONS = frozenset({"as", "at", "by", "for", "from", "in", "into", "of", "on", "to", "with"})
TIME_PREPOSITIONS = frozenset({"after", "before", "during", "since", "until"})
PHRASE_PREPOSITIONS = frozenset(
    {"among", "between", "despite", "following", "like", "over", "throughout", "under"}
    | {"unlike", "upon", "within"}
)
TIME_CONJUNCTIONS = frozenset({"when", "while"})
CONCESSIVE_CONJUNCTIONS = frozenset({"although", "though", "because"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})
QUESTION_WORDS = frozenset({"what", "when", "where", "which", "who", "whom", "whose", "how"})
BE_FORMS = frozenset({"be", "been", "being", "is", "are", "was", "were"})
HAVE_FORMS = frozenset({"had", "has", "have"})
DO_FORMS = frozenset({"did", "does", "do"})
MODALS = frozenset({"can", "could", "may", "might", "must", "should", "will", "would"})
# Finite auxiliaries: they can be fronted to make a question ("was Trotsky expelled").
AUXILIARIES = (BE_FORMS - {"be", "been", "being"}) | HAVE_FORMS | DO_FORMS | MODALS
SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
THIRD_PERSON_SUBJECTS = frozenset({"he", "she", "it", "they"})
PERSON_PRONOUNS = THIRD_PERSON_SUBJECTS - {"it"}  # "he", "she", "they": who stand for people
# A word before a noun that says it is no verb ("the rise", "his fall").
NOUN_DETERMINERS = ARTICLES | (POSSESSIVES - {"our"})
# Words that open a sentence whose subject is not named in it: a question on it needs the
# subject resolved first.
UNNAMED_SUBJECTS = (
    SUBJECT_PRONOUNS
    | DEMONSTRATIVES
    | POSSESSIVES - {"our"}
    | {"there", "which", "who", "such", "both", "one"}
)
NEGATIONS = frozenset({"not"})
# Degree adverbs that make an "-ed" word after them an adjective ("newly formed", "highly").
DEGREE_ADVERBS = frozenset({"very", "well", "newly", "highly"})
SMALL_NUMBER_WORDS = frozenset({"two", "three", "four", "five"})
SEQUENCE_WORDS = frozenset({"earlier", "last", "later", "next", "once"})

# Short words that end no heading ("The road to", "Stalin and").
FUNCTION_WORDS = ARTICLES | COORDINATORS | PREPOSITIONS | RELATIVE_PRONOUNS
# Words after which an "-ed" word is a participle or an adjective, not the finite verb:
# "the arrested", "was arrested", "had arrested", "newly formed", "of armed".
BEFORE_PARTICIPLE = (
    ARTICLES
    | DEMONSTRATIVES
    | POSSESSIVES
    | QUANTIFIERS
    | DEGREE_ADVERBS
    | (PREPOSITIONS - {"into"})
    | COORDINATORS - {"but"}
    | BE_FORMS
    | HAVE_FORMS
    | NEGATIONS
)
# Words before a capitalised word that make it no name's first word ("the", "in", "while").
BEFORE_NAME = (
    ARTICLES
    | DEMONSTRATIVES
    | POSSESSIVES
    | PREPOSITIONS
    | TIME_PREPOSITIONS
    | COORDINATORS
    | TIME_CONJUNCTIONS
)
# Words that open a subject noun phrase ("The guards", "Thousands of people").
SUBJECT_OPENERS = (
    ARTICLES
    | (POSSESSIVES - {"our"})
    | {"many", "some", "most", "several", "all", "both"}
    | CROWD_NOUNS
)
# Words that open a leading adverbial phrase before the subject ("In 1936, ...").
PHRASE_OPENERS = (
    ARTICLES
    | (PREPOSITIONS - {"into", "to"})
    | TIME_PREPOSITIONS
    | PHRASE_PREPOSITIONS
    | TIME_CONJUNCTIONS
    | CONCESSIVE_CONJUNCTIONS
    | SMALL_NUMBER_WORDS
    | SEQUENCE_WORDS
    | {"many", "several", "some", "that", "this"}
)
# Words left out of a question's key ("who-was-expelled-1929" -> "expelled-1929").
KEY_STOP_WORDS = (
    ARTICLES
    | PREPOSITIONS
    | COORDINATORS
    | BE_FORMS
    | HAVE_FORMS
    | DO_FORMS
    | QUESTION_WORDS
    | DEMONSTRATIVES
    | (POSSESSIVES - {"our"})
    | {"it", "many", "much", "there", "than", "then", "also"}
    | {"year", "true", "text", "according"}
)


def find_word(text: str, word: str, joiners: str = "") -> int:
    r"""Where ``word`` first stands in ``text`` as a whole word (no word character, nor one of
    ``joiners``, on either side), or -1: the search ``(?<![\w])WORD(?![\w])`` without a new
    regular expression compiled for every word asked about."""
    at = text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if not _joins(text[at - 1 : at], joiners) and not _joins(text[end : end + 1], joiners):
            return at
        at = text.find(word, at + 1)
    return -1


def _joins(ch: str, joiners: str) -> bool:
    r"""A word character (as ``\w`` reads it: alphanumeric or "_") or one of ``joiners``."""
    return bool(ch) and (ch.isalnum() or ch == "_" or ch in joiners)
