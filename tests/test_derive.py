"""Tests of the question-derivation engine (quizzes.derive): pure Python, no Django needed.

Run with: .venv/bin/python -m pytest tests/test_derive*.py -p no:django -q
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizzes.derive import Draft, clean_text, derive, format_report, problems
from quizzes.derive.document import parse_document
from quizzes.derive.entities import NameIndex, find_numbers, find_years
from quizzes.derive.grammar import invert, lemma, parse_clause
from quizzes.derive.quality import in_passage, is_question, number_in_passage

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "fixtures" / "sources"
DATA = Path(__file__).resolve().parent / "data"
SOURCE_FILES = sorted(SOURCES.glob("*.txt"))
DATA_FILES = sorted(DATA.glob("*.txt"))
LEFTOVER = re.compile(
    r"read more about|famous quotes|quotes containing|\[\d+\]|\[citation needed\]|share this|"
    r"desiderius|popularly called fame|home \| history|advertisement|see also",
    re.IGNORECASE,
)
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _names(raw: str) -> NameIndex:
    doc = parse_document(clean_text(raw))
    return NameIndex(
        [re.sub(r"\s+", " ", s.text) for p in doc.paragraphs if not p.is_quote for s in p.sentences]
    )


def _all_fields(d: Draft) -> list[str]:
    out = [d.prompt, d.explanation, d.passage, d.topic, d.key]
    out += [str(c["text"]) for c in d.choices or []]
    out += [str(a) for a in d.answers or []] + list(d.items or [])
    return out


# ------------------------------------------------------------------------------------ cleaning


def test_clean_drops_read_more_and_quote_box():
    raw = (
        "Legacy\n"
        "Trotsky was expelled from the Soviet Union in 1929.\n"
        "Read more about this topic: Moscow Trials\n"
        "Famous quotes containing the word legacy:\n"
        "\u201cWhat is popularly called fame is nothing but an empty name.\u201d\n"
        "\u2014Desiderius Erasmus (c. 14661536)"
    )
    assert clean_text(raw) == "Legacy\nTrotsky was expelled from the Soviet Union in 1929."


def test_clean_removes_reference_markers_and_navigation():
    raw = (
        "Home | History | Cold War\n\n"
        "The wall fell in 1989.[1] Crowds gathered.[citation needed][2]\n\n"
        "Share this page\nSee also: Cold War\nAdvertisement\n"
    )
    assert clean_text(raw) == "The wall fell in 1989. Crowds gathered."


def test_clean_keeps_a_quotation_that_belongs_to_the_text():
    raw = 'He said:\n- "We shall fight on the beaches."\nThen he sat down.'
    assert clean_text(raw) == raw


def test_clean_drops_reference_section_at_the_end():
    raw = "The war ended in 1865.\n\nReferences\nSmith, J. (2001). The War. Oxford.\n"
    assert clean_text(raw) == "The war ended in 1865."


def test_clean_normalises_whitespace_and_is_idempotent():
    raw = "Title\r\n\r\n\r\n\tThe  army   crossed the river in 1812.  \r\n"
    cleaned = clean_text(raw)
    assert cleaned == "Title\n\nThe army crossed the river in 1812."
    assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize("path", SOURCE_FILES + DATA_FILES, ids=lambda p: p.name)
def test_clean_sources_have_no_leftovers(path):
    cleaned = clean_text(_read(path))
    assert not LEFTOVER.search(cleaned)
    assert clean_text(cleaned) == cleaned


# ---------------------------------------------------------------------------------- segmenting


def test_segmenting_headings_paragraphs_and_sentences():
    text = clean_text(
        "The Wall\n\nThe wall was built in 1961. It fell in 1989.\n\n"
        "Aftermath\nGermany was reunified in 1990.\nMany people celebrated."
    )
    doc = parse_document(text)
    assert doc.title == "The Wall"
    # a generic heading is put with the title, so that topics of different texts never merge
    assert [p.topic for p in doc.paragraphs] == [
        "The Wall",
        "The Wall: Aftermath",
        "The Wall: Aftermath",
    ]
    first = doc.paragraphs[0]
    assert [s.text for s in first.sentences] == ["The wall was built in 1961.", "It fell in 1989."]
    for p in doc.paragraphs:
        assert text[p.start : p.end] == p.text
        for s in p.sentences:
            assert text[s.start : s.end] == s.text


def test_segmenting_hard_wrapped_paragraph_is_one_paragraph():
    text = (
        "The army crossed the river in the early morning and marched\n"
        "north for three days before it reached the city walls.\n"
    )
    doc = parse_document(clean_text(text))
    assert len(doc.paragraphs) == 1
    assert len(doc.paragraphs[0].sentences) == 1


def test_topic_without_headings_is_a_paragraph_label():
    doc = parse_document("The army crossed the river in 1812 and then it rained for days.")
    assert doc.paragraphs[0].topic.startswith("Paragraph 1: The army crossed")


# ------------------------------------------------------------------------------------- facts


def test_years_exclude_ranges_and_counts():
    text = "In 1929 he left; the crisis of 1928-33 and 1500 soldiers; between 1936 and 1938."
    assert [y for _, _, y in find_years(text)] == [1929, 1936, 1938]


def test_numbers_with_commas_words_and_approximations():
    nums = find_numbers("Of 1,966 delegates, 1,108 were arrested; three out of five; about 620,000")
    assert [n.value for n in nums] == [1966, 1108, 3, 5, 620000]
    assert nums[-1].approx and not nums[0].approx


def test_names_are_classified_by_kind():
    names = _names(_read(SOURCES / "moscow-trials.txt"))
    assert names.kind("Stalin") == "person"
    assert names.kind("Leon Trotsky") == "person"
    assert names.kind("Kamenev") == "person"
    assert names.kind("NKVD") == "org"
    assert names.kind("Communist Party") == "org"
    assert names.kind("Ryutin Affair") == "event"
    assert names.kind("Pyatakov-Radek Trial") == "event"
    assert names.kind("Soviet Union") == "place"


def test_lemma_of_simple_past_verbs():
    cases = {
        "assassinated": "assassinate",
        "expelled": "expel",
        "allied": "ally",
        "formed": "form",
        "repudiated": "repudiate",
        "announced": "announce",
        "stopped": "stop",
        "defeated": "defeat",
        "led": "lead",
        "fled": "flee",
        "bled": "bleed",
    }
    assert {w: lemma(w) for w in cases} == cases


def test_inversion_of_a_clause():
    clause = parse_clause("Trotsky was expelled from the Soviet Union")
    assert clause is not None and clause.subject == "Trotsky"
    assert invert("Trotsky", "was expelled from the Soviet Union", True) == (
        "was Trotsky expelled from the Soviet Union"
    )
    assert invert("The Convention", "closed the Jacobin Club", False) == (
        "did the Convention close the Jacobin Club"
    )


# ----------------------------------------------------------------------- each question kind


def _only(drafts: list[Draft], **attrs) -> list[Draft]:
    return [d for d in drafts if all(getattr(d, k) == v for k, v in attrs.items())]


DATED = (
    "Revolution\n\n"
    "In 1789 crowds stormed the Bastille. Louis XVI was executed in 1793. "
    "Georges Danton was guillotined in 1794. Maximilien Robespierre was overthrown in 1795. "
    "Napoleon Bonaparte seized power in 1799."
)


def test_year_single_choice_with_years_from_the_document():
    drafts = derive(DATED)
    year_qs = [d for d in _only(drafts, type="single_choice") if d.fact_kind == "year"]
    q = next(d for d in year_qs if d.prompt == "In which year was Louis XVI executed?")
    options = [c["text"] for c in q.choices]
    assert options == sorted(options)
    assert all(YEAR.match(o) for o in options)
    assert [c["text"] for c in q.choices if c.get("correct")] == ["1793"]
    assert "1793" in q.passage and "1793" in q.explanation


def test_year_numeric_when_too_few_other_years():
    drafts = derive("Germany\n\nThe Berlin Wall was opened in 1989 by the border guards.")
    q = next(d for d in drafts if d.type == "numeric")
    assert q.prompt == "In which year was the Berlin Wall opened by the border guards?"
    assert q.answer == 1989 and q.tolerance == 0


def test_person_who_question_short_answer_and_single_choice():
    drafts = derive(DATED)
    sc = [d for d in drafts if d.type == "single_choice" and d.fact_kind == "person"]
    q = next(d for d in sc if d.prompt == "Who was guillotined in 1794?")
    assert [c["text"] for c in q.choices if c.get("correct")] == ["Georges Danton"]
    names = _names(DATED)
    assert {names.kind(c["text"]) for c in q.choices} == {"person"}
    sa = next(d for d in drafts if d.type == "short_answer" and d.prompt == q.prompt)
    assert sa.answers[0] == "Georges Danton" and "Danton" in sa.answers


def test_numbers_how_many_with_tolerance():
    text = (
        "Purges\n\nOf 139 members of the Central Committee, 98 were arrested. "
        "About 620,000 soldiers died in the war."
    )
    drafts = derive(text)
    exact = next(d for d in drafts if d.prompt.startswith("Of 139 members"))
    assert exact.type == "numeric" and exact.answer == 98 and exact.tolerance == 0
    assert exact.prompt == "Of 139 members of the Central Committee, how many were arrested?"
    approx = next(d for d in drafts if "soldiers died" in d.prompt and d.type == "numeric")
    assert approx.answer == 620000 and approx.tolerance == 62000
    assert approx.prompt == "Approximately how many soldiers died in the war?"


def test_proportion_three_out_of_five():
    drafts = derive("Legacy\n\nThree out of five Soviet marshals were arrested or shot in 1937.")
    q = next(d for d in drafts if d.type == "numeric" and "How many" in d.prompt)
    assert q.prompt == "How many out of five Soviet marshals were arrested or shot in 1937?"
    assert q.answer == 3


def test_true_false_swaps_one_fact_of_the_same_kind():
    drafts = derive(_read(SOURCES / "moscow-trials.txt"))
    tfs = _only(drafts, type="true_false")
    assert tfs and any(d.answer is False for d in tfs)
    for d in tfs:
        assert d.prompt.startswith("Is it true that ") and d.prompt.endswith("?")
        assert in_passage(d.fact, d.passage)
        statement = d.prompt[len("Is it true that ") : -1]
        passage = re.sub(r"\s*\([^()]*\)", "", d.passage)
        if d.answer is False:
            # exactly one fact differs from the passage, replaced by one of the same kind
            assert d.fact not in statement or statement.count(d.fact) < passage.count(d.fact)
            assert "not" in d.explanation


def test_true_statements_are_reworded_and_true_false_is_at_most_30_percent():
    drafts = derive(_read(Path(__file__).parent / "data" / "eval" / "tuning" / "narrative.txt"))
    tfs = _only(drafts, type="true_false")
    assert any(d.answer is True for d in tfs) and any(d.answer is False for d in tfs)
    assert len(tfs) <= 0.3 * len(drafts) + 1
    for d in tfs:
        statement = d.prompt[len("Is it true that ") : -1]
        assert statement.lower() != d.passage.rstrip(".").lower()  # never word for word


def test_ordering_from_dated_events():
    drafts = derive(DATED)
    q = next(d for d in drafts if d.type == "ordering")
    assert 3 <= len(q.items) <= 5
    years = [int(y) for y in q.item_facts]
    assert years == sorted(years) and len(set(years)) == len(years)
    for item, year in zip(q.items, q.item_facts, strict=True):
        assert year in q.passage
        assert not re.search(r"\b1[0-9]{3}\b", item)


def test_event_years_and_multiple_choice_people():
    drafts = derive(_read(SOURCES / "moscow-trials.txt"))
    prompts = {d.prompt: d for d in drafts}
    q = prompts["In which year did the Pyatakov-Radek Trial take place?"]
    assert [c["text"] for c in q.choices if c.get("correct")] == ["1937"]
    mc = [d for d in drafts if d.type == "multiple_choice"]
    assert mc
    for d in mc:
        assert d.prompt.endswith("? Select all that apply.")
        assert len([c for c in d.choices if c.get("correct")]) >= 2


def test_drafts_reject_an_answer_missing_from_its_passage():
    drafts = derive(DATED)
    d = next(d for d in drafts if d.type == "single_choice")
    cleaned = clean_text(DATED)
    assert problems(d, cleaned, _names(DATED)) == []
    bad = Draft(**{**d.__dict__, "passage": "Nothing here.", "passage_end": d.passage_start + 13})
    assert problems(bad, cleaned)


def test_is_question():
    assert is_question("In which year was Trotsky expelled from the Soviet Union?")
    assert is_question("Of 139 members of the Central Committee, how many were arrested?")
    assert is_question("Is it true that Stalin was expelled in 1929?")
    assert not is_question("Trotsky was expelled in 1929.")
    assert not is_question("In 1929 Trotsky was expelled from?")  # no question word
    assert number_in_passage(3, "Three out of five marshals")


# ------------------------------------------------------------------------------- invariants


def check_invariants(raw: str, drafts: list[Draft]) -> None:
    cleaned = clean_text(raw)
    names = _names(raw)
    keys = [d.key for d in drafts]
    assert len(keys) == len(set(keys)), "keys unique"
    order = [(-d.confidence, d.passage_start) for d in drafts]
    assert order == sorted(order), "sorted by confidence desc, then passage_start"
    for d in drafts:
        assert cleaned[d.passage_start : d.passage_end] == d.passage
        assert KEY.match(d.key)
        assert d.prompt.endswith(("?", "? Select all that apply."))
        assert 0.0 <= d.confidence <= 1.0
        assert d.difficulty in {"easy", "medium", "hard"}
        assert d.topic and "\n" not in d.topic
        for field in _all_fields(d):
            assert not LEFTOVER.search(field), (field, d.key)
        assert problems(d, cleaned, names) == [], d.key
        for right in d.correct_texts:
            assert in_passage(right, d.passage)
        if d.type == "numeric":
            assert number_in_passage(d.answer, d.passage)
        if d.type in ("single_choice", "multiple_choice"):
            kinds = {
                ("year" if YEAR.match(c["text"]) else names.kind(c["text"])) for c in d.choices
            }
            assert len(kinds) == 1 and "unknown" not in kinds, (d.key, kinds)
        dd = d.as_dict()
        assert dd["passage"] == d.passage and dd["type"] == d.type
        assert {"key", "type", "topic", "difficulty", "prompt", "explanation", "passage"} <= set(dd)
        assert {"passage_start", "passage_end", "confidence"} <= set(dd)
        assert dd["confidence_reason"]  # why it scored as it did, in a word or two
        if d.type == "single_choice":
            assert 3 <= len(dd["choices"]) <= 4
            assert sum(1 for c in dd["choices"] if c.get("correct")) == 1
        if d.type == "true_false":
            assert isinstance(dd["answer"], bool)
        if d.type == "numeric":
            assert "tolerance" in dd
        if d.type == "ordering":
            assert 3 <= len(dd["items"]) <= 6


@pytest.mark.parametrize("path", SOURCE_FILES + DATA_FILES, ids=lambda p: p.name)
def test_invariants_on_every_document(path):
    raw = _read(path)
    drafts = derive(raw)
    check_invariants(raw, drafts)
    assert derive(raw) == drafts, "deterministic"


def test_as_dict_is_yaml_ready():
    yaml = pytest.importorskip("yaml")
    drafts = derive(_read(SOURCES / "moscow-trials-legacy.txt"))
    dumped = yaml.safe_dump([d.as_dict() for d in drafts], allow_unicode=True)
    assert yaml.safe_load(dumped) == [d.as_dict() for d in drafts]


def test_report_counts_by_type_and_confidence():
    drafts = derive(_read(SOURCES / "moscow-trials.txt"))
    report = format_report(drafts)
    assert f"Drafts: {len(drafts)}" in report
    assert "By type:" in report and "By confidence:" in report
    for t in {d.type for d in drafts}:
        assert t in report
    assert format_report([]).startswith("Drafts: 0")


def test_empty_and_junk_input():
    assert derive("") == []
    assert derive("   \n\n ") == []
    assert derive("Read more about this topic: Moscow Trials\nShare this page") == []


# Forms teachers paste (issue 19): notes, timelines, tables, web copy, pronouns.


def test_each_bullet_of_revision_notes_is_read_as_a_fact():
    notes = (
        "The Weimar Republic\n\n"
        "- Friedrich Ebert was elected the first president of the republic in February 1919\n"
        "- reparations were fixed in 1921 at 132 billion gold marks\n"
        "- Gustav Stresemann became chancellor in August 1923\n"
    )
    drafts = derive(notes)
    prompts = [d.prompt for d in drafts]
    assert "Who was elected the first president of the republic in February 1919?" in prompts
    assert all("- " not in p for p in prompts)
    assert any(d.passage.startswith("reparations") for d in drafts)  # lower-case bullet read


def test_a_timeline_gives_when_and_ordering_questions_with_its_running_year():
    timeline = (
        "1962\n"
        "14 October - An American U-2 spy plane photographs missile sites in Cuba.\n"
        "16 October - Kennedy calls together his advisers.\n"
        "22 October - Kennedy announces the discovery of the missiles on television.\n"
        "27 October - A U-2 is shot down over Cuba.\n"
        "28 October - Khrushchev announces that the missiles will be removed.\n"
    )
    drafts = derive(timeline)
    when = {d.prompt: d for d in drafts if d.pattern == "timeline-when"}
    q = when["On which date in 1962 was a U-2 shot down over Cuba?"]
    assert q.correct_texts == ["27 October"]
    assert [c["text"] for c in q.choices] == [
        "16 October",
        "22 October",
        "27 October",
        "28 October",
    ]
    assert "On which date in 1962 did Kennedy call together his advisers?" in when
    order = next(d for d in drafts if d.type == "ordering")
    assert order.item_facts == ["14 October", "16 October", "22 October", "27 October"]
    assert not any(d.prompt.startswith("How many October") for d in drafts)


def test_tables_are_kept_and_each_row_gives_a_figure_question():
    text = (
        "Stalin's Five-Year Plans brought fast growth in heavy industry from 1928.\n\n"
        "| Product (million tonnes) | 1928 | 1937 |\n| --- | --- | --- |\n"
        "| Coal | 35.4 | 128.0 |\n| Steel | 4.0 | 17.7 |\n\n"
        "Grain harvest (million tonnes)\nYear\tHarvest\n1928\t73.3\n1932\t69.6\n"
    )
    cleaned = clean_text(text)
    assert "| Coal | 35.4 | 128.0 |" in cleaned and "| 1932 | 69.6 |" in cleaned
    drafts = {d.prompt: d for d in derive(text) if d.pattern == "table-figure"}
    q = drafts["According to the table, what was the figure for Coal in 1937 (million tonnes)?"]
    assert q.type == "numeric" and q.answer == 128 and q.tolerance == 0
    assert (
        drafts["According to the table, what was the harvest in 1932 (million tonnes)?"].answer
        == 69.6
    )


def test_web_infobox_and_contents_lines_are_dropped():
    page = (
        "Battle of Hastings\nDate\t14 October 1066\nResult\tNorman victory\nContents\n"
        "1 Background\n2 The battle\nBackground[edit]\n"
        "Harold hurried south and drew up his army on Senlac Hill in October 1066.\n"
    )
    cleaned = clean_text(page)
    assert "Norman victory" not in cleaned and "1 Background" not in cleaned
    assert "Harold hurried south" in cleaned


def test_a_leading_he_is_read_as_the_person_last_named():
    text = (
        "Toussaint Louverture was born into slavery around 1743 and was freed in the 1770s.\n\n"
        "He drove the British out of the colony in 1798. In 1801 he issued a constitution "
        "that named him governor for life."
    )
    prompts = [d.prompt for d in derive(text)]
    assert "In which year did Toussaint Louverture drive the British out of the colony?" in prompts
    assert not any(re.search(r"\b(?:he|him|she|them|they)\b", p, re.I) for p in prompts)


def test_a_reason_the_text_gives_becomes_a_why_question():
    text = (
        "The Weimar Republic\n\n"
        "The National Assembly met in Weimar in February 1919 because Berlin was unsafe. "
        "Friedrich Ebert was elected the first president of the republic. "
        "The Kapp Putsch was defeated by a general strike in March 1920. "
        "French and Belgian troops occupied the Ruhr in January 1923."
    )
    why = next(d for d in derive(text) if d.prompt.startswith("Why "))
    assert why.prompt == "Why did the National Assembly meet in Weimar in February 1919?"
    assert why.correct_texts == ["Because Berlin was unsafe"]
    wrong = why.distractor_texts
    assert len(wrong) >= 2 and all(w.startswith("Because ") for w in wrong)
    assert "Because the Kapp Putsch was defeated by a general strike in March 1920" in wrong


def test_headings_name_the_topics_without_numbering_and_generic_ones_with_the_title():
    text = (
        "# The Partition of India\n\n## 1. The road to independence\n\n"
        "The Indian National Congress, founded in 1885, led the campaign for self-rule.\n\n"
        "## Aftermath\n\n"
        "Gandhi was assassinated by a Hindu nationalist, Nathuram Godse, on 30 January 1948."
    )
    topics = {d.topic for d in derive(text)}
    assert topics == {"The road to independence", "The Partition of India: Aftermath"}
