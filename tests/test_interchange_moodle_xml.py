"""Moodle XML: reading Moodle's exports, writing them back, and refusing unsafe or bad files.

Pure: runs without the database.
"""

from pathlib import Path

import pytest

from quizzes.interchange.htmltext import html_to_text, split_feedback, text_to_html
from quizzes.interchange.moodle_xml import parse_moodle_xml, write_moodle_xml
from quizzes.interchange.schema import FormatError, question_problems
from tests.test_interchange_gift import EVERY_TYPE

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def sample():
    category, items = parse_moodle_xml((DATA / "moscow.xml").read_bytes())
    return category, {item.data["key"]: item for item in items}


def test_it_reads_every_question_of_the_sample_file(sample):
    category, questions = sample
    assert category == "$course$/top/The power struggle"
    assert list(questions) == [
        "trotsky-expelled",
        "troika",
        "kirov",
        "zinoviev",
        "delegates-arrested",
        "match",
        "order",
    ]
    assert all(question_problems(item.data) == [] for item in questions.values())


def test_it_reads_a_multichoice_question_with_html_tags_and_the_quoted_passage(sample):
    item = sample[1]["trotsky-expelled"]
    assert item.line == 17
    assert item.data == {
        "key": "trotsky-expelled",
        "type": "single_choice",
        "choices": [
            {"text": "1927", "correct": False},
            {"text": "1929", "correct": True},
            {"text": "1932", "correct": False},
        ],
        "prompt": "In which year was Trotsky **expelled** from the Soviet Union?",
        "explanation": "The text says he was expelled in 1929.",
        "passage": "Trotsky was expelled from the Soviet Union in 1929.",
        "topic": "Exile",
        "difficulty": "easy",
        "points": 2,
        "status": "published",
    }


def test_multiple_answers_hidden_questions_and_paragraphs(sample):
    data = sample[1]["troika"].data
    assert data["type"] == "multiple_choice"
    assert [c["correct"] for c in data["choices"]] == [True, True, True, False]
    assert data["status"] == "draft"
    assert (
        data["prompt"]
        == "Who formed the ruling triumvirate in early 1923?\n\nSelect all that apply."
    )
    assert data["topic"] == "The power struggle"  # the category's name


def test_true_false_short_answer_numeric(sample):
    questions = sample[1]
    assert questions["kirov"].data["answer"] is True
    # The "*" answer is Moodle's feedback for any other answer: not an accepted answer.
    assert questions["zinoviev"].data["answers"] == ["Zinoviev", "Grigory Zinoviev"]
    numeric = questions["delegates-arrested"].data
    assert (numeric["answer"], numeric["tolerance"]) == (1108, 0)


def test_matching_with_a_spare_and_ordering_by_fraction(sample):
    questions = sample[1]
    assert questions["match"].data["spares"] == ["Head of the NKVD"]
    assert questions["order"].data["items"] == [
        "The troika forms",
        "Trotsky is expelled",
        "Kirov is killed",
    ]


def test_a_bad_file_names_each_problem_by_its_line():
    with pytest.raises(FormatError) as caught:
        parse_moodle_xml((DATA / "broken.xml").read_bytes())
    assert [line for line, _ in caught.value.problems] == [9, 13]
    assert "cannot import essay questions" in caught.value.messages[0]
    assert "Half right" in caught.value.messages[1]
    assert "part of the marks" in caught.value.messages[1]


def test_xml_that_is_not_well_formed_names_the_line():
    with pytest.raises(FormatError) as caught:
        parse_moodle_xml(b"<quiz>\n<question type='truefalse'>\n<name></question>\n</quiz>")
    assert caught.value.problems[0][0] == 3
    assert "not well-formed" in str(caught.value)


def test_it_refuses_entities_so_no_billion_laughs_and_no_external_files():
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<quiz>&b;</quiz>'
    )
    with pytest.raises(FormatError, match="document type or entities"):
        parse_moodle_xml(bomb)
    external = b'<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>'
    with pytest.raises(FormatError, match="document type"):
        parse_moodle_xml(external)


@pytest.mark.parametrize(
    ("xml", "words"),
    [
        (b"<questions/>", "starts with <quiz>"),
        (b"<quiz></quiz>", "no questions"),
        (
            b"<quiz><question type='cloze'><questiontext><text>x</text></questiontext></question></quiz>",
            "cloze",
        ),
        (
            b"<quiz><question type='shortanswer'><questiontext><text></text></questiontext></question></quiz>",
            "no question text",
        ),
        (b"\xff\xfe<\x00q\x00", "not well-formed"),
    ],
)
def test_it_says_what_is_wrong(xml, words):
    with pytest.raises(FormatError) as caught:
        parse_moodle_xml(xml)
    assert words in str(caught.value)


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q["type"])
@pytest.mark.parametrize("status", ["published", "draft"])
def test_writing_then_reading_gives_the_same_question(question, status):
    data = {
        **question,
        "explanation": "Because <the text>\nsays so & more.",
        "passage": "Trotsky was  expelled\n\nfrom the Soviet Union in 1929.",
        "passage_start": 12,
        "topic": "The power struggle",
        "difficulty": "hard",
        "points": 3,
        "status": status,
    }
    category, items = parse_moodle_xml(write_moodle_xml([data], category="$course$/top/T"))
    assert category == "$course$/top/T"
    assert items[0].data == data


def test_html_text_round_trip_keeps_bold_and_line_breaks():
    text = "Who was **not** tried?\nChoose one & only <one>."
    assert html_to_text(text_to_html(text)) == text
    assert html_to_text("<p>\n  Two\n  lines</p><p>Second   paragraph</p>") == (
        "Two lines\n\nSecond   paragraph"
    )
    assert split_feedback(
        '<p>Why.</p><blockquote class="quizsite-passage">A  b\nc</blockquote>'
    ) == (
        "Why.",
        "A  b\nc",
        None,
    )
