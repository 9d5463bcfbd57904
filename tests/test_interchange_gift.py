"""GIFT: reading the published format (and Moodle's exports), writing it back, and clear errors.

Pure: runs without the database (pytest -p no:django tests/test_interchange_gift.py).
"""

from pathlib import Path

import pytest

from quizzes.interchange.gift import parse_gift, write_gift
from quizzes.interchange.schema import FormatError, question_problems

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def sample():
    return parse_gift((DATA / "moscow.gift").read_text(encoding="utf-8"))


def by_key(sample):
    return {item.data["key"]: item.data for item in sample.questions}


def test_it_reads_every_question_of_the_sample_file(sample):
    keys = [item.data["key"] for item in sample.questions]
    assert keys == [
        "trotsky-expelled",
        "troika",
        "kirov",
        "zinoviev",
        "delegates-arrested",
        "year-of-the-troika",
        "match",
        "order",
        "kirov-was-assassinated-in-1934",
        "escapes",
    ]
    assert sample.category == "$course$/top/The power struggle"
    assert all(question_problems(item.data) == [] for item in sample.questions)


def test_it_names_the_line_each_question_starts_on(sample):
    assert sample.questions[0].line == 7  # its comment lines belong to it
    assert sample.questions[2].line == 28


def test_it_reads_single_choice_with_quizsite_lines_and_general_feedback(sample):
    question = by_key(sample)["trotsky-expelled"]
    assert question == {
        "key": "trotsky-expelled",
        "type": "single_choice",
        "choices": [
            {"text": "1927", "correct": False},
            {"text": "1929", "correct": True},
            {"text": "1932", "correct": False},
            {"text": "1934", "correct": False},
        ],
        "prompt": "In which year was Trotsky expelled from the Soviet Union?",
        "explanation": "The text says he was expelled in 1929.",
        "topic": "Exile",
        "difficulty": "easy",
        "points": 1,
        "passage": "Trotsky was expelled from the Soviet Union in 1929.",
    }


def test_it_reads_weighted_answers_as_multiple_choice_and_takes_the_topic_from_the_category(
    sample,
):
    question = by_key(sample)["troika"]
    assert question["type"] == "multiple_choice"
    assert [c["text"] for c in question["choices"] if c["correct"]] == [
        "Stalin",
        "Zinoviev",
        "Kamenev",
    ]
    assert question["topic"] == "The power struggle"
    assert question["passage"] == ""


def test_it_reads_true_false_with_its_feedback_and_unescapes_the_colon(sample):
    question = by_key(sample)["kirov"]
    assert question["type"] == "true_false"
    assert question["answer"] is True
    assert question["prompt"] == "True or false: Sergei Kirov was assassinated in December 1934."
    assert question["explanation"] == "In December 1934, Sergei Kirov was assassinated."


def test_it_reads_short_answers_without_their_feedback(sample):
    assert by_key(sample)["zinoviev"]["answers"] == ["Zinoviev", "Grigory Zinoviev"]


def test_it_reads_numbers_with_a_tolerance_or_a_range(sample):
    exact = by_key(sample)["delegates-arrested"]
    assert (exact["answer"], exact["tolerance"]) == (1108, 0)
    assert exact["explanation"] == "1,108 of 1,966."
    ranged = by_key(sample)["year-of-the-troika"]
    assert (ranged["answer"], ranged["tolerance"]) == (1923, 1)


def test_it_reads_matching_pairs_and_a_spare(sample):
    question = by_key(sample)["match"]
    assert question["pairs"] == [
        {"left": "Trotsky", "right": "Expelled in 1929"},
        {"left": "Kirov", "right": "Killed in 1934"},
    ]
    assert question["spares"] == ["Head of the NKVD"]


def test_it_reads_moodles_ordering_questions(sample):
    question = by_key(sample)["order"]
    assert question["type"] == "ordering"
    assert question["items"] == ["The troika forms", "Trotsky is expelled", "Kirov is killed"]


def test_it_reads_a_missing_word_question_with_a_blank(sample):
    question = by_key(sample)["kirov-was-assassinated-in-1934"]
    assert question["prompt"] == "Kirov was assassinated in _____ 1934."
    assert question["type"] == "single_choice"


def test_it_unescapes_special_characters(sample):
    question = by_key(sample)["escapes"]
    assert question["prompt"] == "Which reads 1 = one: {x} #2?"
    assert question["choices"] == [
        {"text": "a~b", "correct": True},
        {"text": "c\\d", "correct": False},
    ]


def test_a_broken_file_names_every_problem_by_its_line():
    with pytest.raises(FormatError) as caught:
        parse_gift((DATA / "broken.gift").read_text(encoding="utf-8"))
    lines = [line for line, _ in caught.value.problems]
    assert lines == [4, 6, 8]
    messages = caught.value.messages
    assert "not closed" in messages[0] and messages[0].startswith("Line 4:")
    assert "Essay" in messages[1]
    assert "exactly one" in messages[2]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("::Open title What year?{=1929 ~1927}", "title"),
        ("What year? =1929 ~1927}", "no { before"),
        ("Just a sentence, no answers.", "no answers"),
        ("What year?{=1929 ~1927} and {=a ~b}", "one answer block"),
        ("Who?{~%50%Stalin ~Kirov =Trotsky}", "part of the marks"),
        ("Who?{~Stalin ~Kirov}", "No option is right"),
        ("How many?{#=1108 =%50%1100}", "50"),
        ("How many?{#about a thousand}", "not a number"),
        ("Who?{=Zinoviev =%50%Kamenev}", "right or wrong"),
        ("Match?{=Trotsky -> 1929 =Kirov}", "no ->"),
        ("", "no questions"),
    ],
)
def test_it_refuses_what_quizsite_cannot_take_with_a_clear_message(text, words):
    with pytest.raises(FormatError) as caught:
        parse_gift(text)
    assert words.lower() in str(caught.value).lower()


def test_it_reads_windows_line_endings_and_a_byte_order_mark():
    parsed = parse_gift("\ufeff::Q::What year?{\r\n=1929\r\n~1927\r\n}\r\n")
    assert parsed.questions[0].data["choices"][0] == {"text": "1929", "correct": True}


def test_it_turns_html_texts_into_plain_text():
    parsed = parse_gift("::Q::[html]<p>Who was <b>not</b> tried?</p>{=Stalin ~Zinoviev}")
    assert parsed.questions[0].data["prompt"] == "Who was **not** tried?"


EVERY_TYPE = [
    {
        "key": "single",
        "type": "single_choice",
        "choices": [
            {"text": "1927: early", "correct": False},
            {"text": "1929 = right", "correct": True},
        ],
        "prompt": "Which is **not** {braced} # hashed ~ tilded?\nA second line.",
    },
    {
        "key": "multi",
        "type": "multiple_choice",
        "choices": [
            {"text": "A", "correct": True},
            {"text": "B", "correct": True},
            {"text": "C", "correct": True},
            {"text": "D", "correct": False},
        ],
        "prompt": "Which? Select all that apply.",
    },
    {"key": "tf", "type": "true_false", "answer": False, "prompt": "True or false: yes."},
    {
        "key": "short",
        "type": "short_answer",
        "answers": ["Zinoviev", "G. Zinoviev"],
        "prompt": "Who?",
    },
    {"key": "num", "type": "numeric", "answer": "2.5", "tolerance": "0.25", "prompt": "How much?"},
    {
        "key": "order",
        "type": "ordering",
        "items": ["First: {one}", "Second", "Third"],
        "prompt": "Order them.",
    },
    {
        "key": "match",
        "type": "matching",
        "pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "2"}],
        "spares": ["3"],
        "prompt": "Match them.",
    },
]


@pytest.mark.parametrize("question", EVERY_TYPE, ids=lambda q: q["type"])
def test_writing_then_reading_gives_the_same_question(question):
    data = {
        **question,
        "explanation": "Because: the text\nsays so.",
        "topic": "The power struggle",
        "difficulty": "hard",
        "points": 2,
        "status": "published",
        "passage": "Trotsky was expelled\n\nfrom the Soviet Union in 1929.",
        "passage_start": 0,
    }
    written = write_gift([data], category="$course$/top/Test", title="Test")
    parsed = parse_gift(written)
    assert parsed.questions[0].data == data
    assert parsed.category == "$course$/top/Test"


def test_the_written_file_follows_moodles_own_export():
    written = write_gift(EVERY_TYPE[1:2], category="")
    assert "::multi::Which? Select all that apply.{" in written
    assert "\t~%33.33333%A" in written
    assert "\t~%-33.33333%D" in written
    assert "// [id:multi]" in written
