"""Rules of the derivation engine found by labelling its drafts (tests/data/eval): each guards a
class of draft a history teacher would reject or have to edit.

Run with: .venv/bin/python -m pytest tests/test_derive_quality_rules.py -p no:django -q
"""

from __future__ import annotations

from quizzes.derive import clean_text, derive
from quizzes.derive.document import parse_document
from quizzes.derive.questions import Builder


def _prompts(raw: str) -> list[str]:
    return [d.prompt for d in derive(raw)]


def test_a_womans_she_is_never_the_man_named_last():
    # "Benjamin Disraeli brought her back": "her" is Victoria's, not Disraeli's.
    text = (
        "Queen Victoria\n\nQueen Victoria was born at Kensington Palace in London on 24 May 1819. She "
        "married Prince Albert in 1840. The prime minister Benjamin Disraeli brought her back "
        "into public life in 1868. She died at Osborne House on 22 January 1901.\n"
    )
    prompts = _prompts(text)
    assert not any("Disraeli die" in p for p in prompts)
    assert any(p.startswith("In which year did Victoria die") for p in prompts)


def test_another_name_read_from_her_name_at_birth_is_never_an_option_or_a_swap():
    text = (
        "Harriet Tubman\n\nHarriet Tubman was born into slavery in Maryland around 1822. Her name "
        "at birth was Araminta Ross. Harriet Tubman escaped alone to Philadelphia in 1849. "
        "William Still recorded her story in 1850. Frederick Douglass praised Harriet Tubman "
        "in 1868. Harriet Tubman led the raid on the Combahee River in 1863.\n"
    )
    for d in derive(text):
        assert "Araminta" not in d.prompt or d.answer is not False, d.prompt
        assert not any("Araminta" in t for t in d.distractor_texts), d.prompt


def test_an_act_is_dated_by_its_own_year_not_by_its_repeal():
    text = (
        "The American Revolution\n\nThe Stamp Act of 1765 taxed newspapers and legal documents. "
        "Parliament repealed the Stamp Act in 1766, but new duties followed in 1767. British "
        "soldiers fired on a crowd in Boston in 1770.\n"
    )
    dated = [d for d in derive(text) if "date the Stamp Act" in d.prompt]
    assert dated and all(d.fact == "1765" for d in dated)


def test_an_opening_it_stands_for_the_treaty_the_sentence_before_is_about():
    text = (
        "Treaty of Versailles\n\nThe Treaty of Versailles ended the First World War. It was "
        "signed on 28 June 1919 in the Hall of Mirrors. The Paris Peace Conference opened in "
        "January 1919. The League of Nations met in 1920. The Locarno Treaties followed in 1925.\n"
    )
    assert any(
        p.startswith("In which year was the Treaty of Versailles signed") for p in _prompts(text)
    )


def test_too_few_years_for_options_asks_the_date_in_the_year():
    text = (
        "The Declaration of Independence (1776)\n\nCongress voted for independence on 2 July "
        "and adopted the Declaration on 4 July 1776. The committee met on 11 June to choose its "
        "writer. Thomas Jefferson wrote the first draft, and John Adams suggested changes.\n"
    )
    dated = [d for d in derive(text) if d.prompt.startswith("On which date in 1776")]
    assert dated
    assert dated[0].correct_texts == ["4 July"]
    assert {"2 July", "11 June"} <= set(dated[0].distractor_texts)


def test_a_place_shaped_like_a_name_is_never_swapped_for_a_person():
    text = (
        "The fall of Constantinople\n\nThe Ottoman Turks had crossed into Europe in the 1350s. "
        "Mehmed II became sultan in 1451. The defenders stretched a great chain across the "
        "Golden Horn in 1453. The last emperor, Constantine XI, died in the fighting in 1453.\n"
    )
    for d in derive(text):
        if d.type == "true_false":
            assert "across the Constantine" not in d.prompt
            assert "the Constantine XI had" not in d.prompt


def test_no_true_false_from_a_notes_two_facts():
    text = (
        "The Vietnam War\n\n- Gulf of Tonkin incident, August 1964 - Congress gave President "
        "Johnson power to use force\n- Paris Peace Accords signed January 1973; last US combat "
        "troops left in March 1973\n- Saigon fell to North Vietnam on 30 April 1975\n"
    )
    for d in derive(text):
        if d.type == "true_false":
            assert " - " not in d.prompt and ";" not in d.prompt, d.prompt


def test_a_question_that_names_nothing_scores_lower_and_says_why():
    text = (
        "Constantinople, 1453\n\nThe siege began on 6 April 1453. Mehmed II became sultan in "
        "1451. Orban built huge cannons in 1452. The Ottoman army broke through the walls of "
        "Constantinople on 29 May 1453.\n"
    )
    vague = [d for d in derive(text) if d.prompt == "In which year did the siege begin?"]
    assert vague and vague[0].reason == "vague"
    builder = Builder(parse_document(clean_text(text)))
    assert builder.names.is_sure_person("Mehmed II")
