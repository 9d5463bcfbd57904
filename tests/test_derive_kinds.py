"""Kinds of names and pronouns in the derivation engine: a pronoun stands only for a person the
text shows to be one, a person's other name is never offered or swapped for them, and an option
is always of the answer's kind (person, group, place, document, event, publication).

Run with: .venv/bin/python -m pytest tests/test_derive_kinds.py -p no:django -q
"""

from __future__ import annotations

import re

from quizzes.derive import clean_text, derive
from quizzes.derive.document import parse_document
from quizzes.derive.entities import NameIndex, classify_name
from quizzes.derive.questions import Builder

TRUTH = """Sojourner Truth

Sojourner Truth was born Isabella Baumfree in Ulster County, New York, around 1797. She escaped \
with her infant daughter in 1826. The General Assembly of New York ended slavery in the state in \
1827. She won a court case to recover her son Peter in 1828. In 1844 she joined the Northampton \
Association, a community of reformers led by George Benson. Hopewell Station sheltered \
travellers on the road north. She spoke at the Women's Rights Convention in Akron, Ohio, in \
1851. Abraham Lincoln received her at the White House in 1864. Frederick Douglass wrote about \
her in his newspaper, the North Star, in 1849. The Fugitive Slave Act of 1850 put free Black \
people in the North at risk.
"""


def _builder(raw: str) -> Builder:
    return Builder(parse_document(clean_text(raw)))


def _names(raw: str) -> NameIndex:
    return _builder(raw).names


def test_a_pronoun_stands_only_for_a_person_the_text_shows_to_be_one():
    prompts = [d.prompt for d in derive(TRUTH)]
    # "She won a court case": Sojourner Truth, not the General Assembly named in between.
    assert "In which year did Sojourner Truth win a court case to recover her son Peter?" in prompts
    assert not any(re.search(r"Assembly of New York (?:win|join|spoke|speak)", p) for p in prompts)
    # "In 1844 she joined ... led by George Benson. ... She spoke": still Sojourner Truth.
    assert not any("George Benson speak" in p for p in prompts)
    assert any("did Sojourner Truth speak at the Women's Rights Convention" in p for p in prompts)


def test_only_evidence_makes_a_sure_person():
    names = _names(TRUTH)
    assert names.is_sure_person("Sojourner Truth")  # "was born"
    assert names.is_sure_person("Abraham Lincoln")  # a known first name
    assert names.kind("Hopewell Station") == "person"  # shaped like a name ...
    assert not names.is_sure_person("Hopewell Station")  # ... but nothing shows it is one
    assert names.kind("Assembly of New York") == "org"  # "General" is no title here


def test_a_persons_other_name_is_never_a_distractor_or_a_swap():
    builder = _builder(TRUTH)
    assert builder.names.are_aliases("Sojourner Truth", "Isabella Baumfree")
    assert not builder.names.are_aliases("Sojourner Truth", "Abraham Lincoln")
    options = builder.name_distractors("Sojourner Truth", "person", "", count=10)
    assert "Isabella Baumfree" not in options and "Abraham Lincoln" in options
    for d in derive(TRUTH):
        texts = [c["text"] for c in d.choices or []]
        if "Sojourner Truth" in texts:
            assert "Isabella Baumfree" not in texts
        if d.type == "true_false" and d.answer is False:
            assert not re.search(r"Isabella Baumfree (?!in Ulster)", d.prompt)


def test_laws_treaties_and_publications_are_kinds_of_their_own():
    assert classify_name("Fugitive Slave Act") == "document"
    assert classify_name("Treaty of Paris") == "document"
    assert classify_name("Charter Oath") == "document"
    assert classify_name("Daily Mail") == "publication"
    assert classify_name("Domesday Book") == "publication"
    assert classify_name("Battle of Hastings") == "event"
    assert classify_name("Combahee River") == "place"


def test_an_option_is_never_of_another_kind_than_the_answer():
    text = (
        "Reform\n\n"
        "Prime Minister Robert Peel repealed the Corn Laws in 1846. Lord John Russell followed "
        "him in office in 1846. The Reform Act of 1832 gave the vote to more men. The Times "
        "supported repeal in 1845. The Chartists presented a petition in 1848. Richard Cobden "
        "led the Anti-Corn Law League from 1838. William Gladstone, who served under Peel, "
        "became Chancellor in 1852. The Factory Act of 1833 limited the hours of children."
    )
    people = {"Robert Peel", "John Russell", "Richard Cobden", "William Gladstone", "Peel"}
    drafts = derive(text)
    asked = [d for d in drafts if d.choices and set(d.correct_texts) & people]
    assert asked
    for d in asked:
        for c in d.choices:
            assert classify_name(c["text"]) in {"person", "other"}, (d.prompt, c["text"])
    builder = _builder(text)
    documents = builder.name_distractors("Reform Act", "document", "", count=5)
    assert documents and all(classify_name(o) == "document" for o in documents)


# ------------------------------------------------------------------ causes and consequences

MEIJI = """The Meiji reforms

The Boshin War ended in 1869. The Charter Oath promised reform. The government abolished the \
domains in 1871. A law of 1873 introduced conscription, so that a national army of commoners \
replaced the samurai. The samurai lost their stipends in 1876. Saigo Takamori led the Satsuma \
Rebellion in 1877. The rebels were defeated by the new army at Kumamoto Castle. As a result, the \
government no longer feared a samurai revolt. The Satsuma Rebellion led to the end of the samurai \
as a class. Japan adopted a constitution in 1889. The Diet met for the first time in 1890.
"""


def _by_prompt(text: str) -> dict:
    return {d.prompt: d for d in derive(text)}


def test_so_that_asks_why_with_the_first_half_as_the_reason():
    d = _by_prompt(MEIJI)["Why did a national army of commoners replace the samurai?"]
    assert d.correct_texts == ["Because a law of 1873 introduced conscription"]
    assert len(d.choices) == 4 and all(c["text"].startswith("Because ") for c in d.choices)
    assert d.pattern == "why-result" and "so that" in d.passage


def test_as_a_result_asks_why_with_the_sentence_before_as_the_reason():
    d = _by_prompt(MEIJI)["Why did the government no longer fear a samurai revolt?"]
    assert d.correct_texts == [
        "Because the rebels were defeated by the new army at Kumamoto Castle"
    ]
    # The passage quotes both sentences, so that the answer is grounded in it.
    assert d.passage.startswith("The rebels were defeated") and "As a result" in d.passage
    # A sentence that gives a consequence of its own is never a wrong reason.
    assert not any("led to" in c["text"] for c in d.choices)


def test_led_to_asks_for_one_result_with_earlier_events_as_wrong_options():
    d = _by_prompt(MEIJI)["What was one result of the Satsuma Rebellion?"]
    assert d.correct_texts == ["The end of the samurai as a class"]
    assert set(d.distractor_texts) == {"The Boshin War", "The Charter Oath"}
    assert d.pattern == "result-of" and d.reason == "consequence"


def test_no_consequence_question_without_a_sure_cause():
    text = (
        "Reform\n\nThe Boshin War ended in 1869. The Charter Oath promised reform in 1868. "
        "The army marched north and led to panic in the capital in 1870. As a result, he "
        "resigned in 1871. The domains were abolished in 1871."
    )
    prompts = [d.prompt for d in derive(text)]
    assert not any(p.startswith(("What was one result", "Why")) for p in prompts), prompts


# ------------------------------------------------------------------ bulleted notes

NOTES = """German unification: revision notes

Otto von Bismarck
- became minister-president of Prussia in 1862
- fought Denmark in 1864 and Austria in 1866
- declared the German Empire at Versailles in January 1871

The Franco-Prussian War
- Napoleon III declared war on Prussia in July 1870
  - surrendered at Sedan in September 1870
- the French lost Alsace and Lorraine in 1871
"""


def test_a_bullet_without_a_subject_takes_the_line_befores():
    d = _by_prompt(NOTES)["Who surrendered at Sedan in September 1870?"]
    assert d.correct_texts == ["Napoleon III"]
    # The passage runs from the line that names him, so that the answer is in it.
    assert d.passage.startswith("Napoleon III declared war") and d.passage.endswith("1870")


def test_a_bullet_without_a_subject_takes_a_named_heading():
    drafts = _by_prompt(NOTES)
    d = drafts["In which year did Otto von Bismarck become minister-president of Prussia?"]
    assert d.correct_texts == ["1862"] and d.passage.startswith("Otto von Bismarck")
    # Carried on through the heading's later bullets; the years between are no options.
    d = drafts["In which year did Otto von Bismarck declare the German Empire at Versailles?"]
    assert not {"1864", "1866"} & set(d.distractor_texts or [])
    # A bullet with its own subject keeps it.
    assert "In which year did the French lose Alsace and Lorraine?" in drafts


def test_no_subject_carried_from_a_heading_that_is_no_name():
    text = "Revision notes\n\nThreats from left and right\n- crushed the rising in 1919\n"
    assert not any("Threats" in d.prompt for d in derive(text))


def test_she_is_never_resolved_to_a_man():
    text = (
        "Victoria and Albert\n\n"
        "Queen Victoria came to the throne of the United Kingdom in 1837. Prince Albert married "
        "Victoria in 1840, and his ideas shaped the Great Exhibition. She opened the Great "
        "Exhibition in Hyde Park in 1851. Albert died of typhoid fever in 1861."
    )
    names = _names(text)
    assert names.gender("Prince Albert") == "m" or names.gender("Albert") == "m"
    prompts = [d.prompt for d in derive(text)]
    assert "In which year did Victoria open the Great Exhibition in Hyde Park?" in prompts
    assert not any("Albert open" in p for p in prompts)


def test_in_order_to_asks_why_with_other_actions_as_wrong_purposes():
    text = (
        "Votes for women\n\n"
        "Emmeline Pankhurst was born in Manchester in 1858. She founded the Women's Social and "
        "Political Union in 1903 in order to win the vote for women. The suffragettes smashed "
        "windows in London in 1912. Emily Davison ran onto the course at the Derby in 1913. The "
        "government passed the Cat and Mouse Act in 1913. Women over thirty won the vote in 1918."
    )
    prompt = "Why did Emmeline Pankhurst found the Women's Social and Political Union in 1903?"
    d = _by_prompt(text)[prompt]
    assert d.correct_texts == ["To win the vote for women"] and d.pattern == "why-purpose"
    assert len(d.choices) >= 3 and all(c["text"].startswith("To ") for c in d.choices)
    assert not any(re.search(r"\d{4}", c["text"]) for c in d.choices)  # no dates in purposes


def test_people_of_one_surname_are_not_one_person_and_she_finds_the_woman():
    text = (
        "Mary Seacole\n\nMary Seacole was born Mary Jane Grant in Kingston in 1805. In 1836 she "
        "married Edwin Horatio Seacole, a merchant, but he died eight years later. In 1855 she "
        "opened the British Hotel near Balaclava. She died in London in 1881."
    )
    prompts = [d.prompt for d in derive(text)]
    assert "In which year did Mary Seacole die in London?" in prompts
    assert not any("Edwin Horatio Seacole die" in p or "Mary Jane Grant die" in p for p in prompts)


def test_notes_participle_is_asked_as_a_passive():
    text = "The Cold War\n\n- NATO founded in April 1949 with 12 members\n- Marshall Plan aid\n"
    prompts = [d.prompt for d in derive(text)]
    assert "In which year was NATO founded with 12 members?" in prompts


def test_roles_in_apposition_give_who_was_and_matching_questions():
    text = (
        "Hastings\n\nHarold Godwinson, the Earl of Wessex, was chosen king in 1066. Harald "
        "Hardrada, the king of Norway, invaded in September. William of Normandy landed three "
        "days later with Odo of Bayeux, his half-brother. Tostig Godwinson, the exiled brother "
        "of Harold, joined Hardrada. Edward Everett, the main speaker, spoke for two hours."
    )
    drafts = derive(text)
    assert any(d.prompt == "Who was the king of Norway?" for d in drafts)
    matching = [d for d in drafts if d.type == "matching"]
    assert len(matching) == 1
    pairs = {p["left"]: p["right"] for p in matching[0].pairs}
    assert pairs["Harold Godwinson"] == "the Earl of Wessex"
    assert matching[0].as_dict()["pairs"][0].keys() == {"left", "right"}


def test_a_name_given_in_a_later_sentence_is_the_same_person():
    text = (
        "Sojourner Truth\n\nSojourner Truth was born into slavery in Ulster County, New York, "
        "around 1797. She was named Isabella Baumfree by her parents. She escaped with her "
        "infant daughter in 1826. In 1843 she took a new name and became a travelling preacher."
    )
    names = _names(text)
    assert names.are_aliases("Sojourner Truth", "Isabella Baumfree")
    statements = [d.prompt for d in derive(text) if d.type == "true_false"]
    assert not any("Isabella Baumfree was born into slavery" in p for p in statements)
