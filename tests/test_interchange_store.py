"""Import and export against the database: round trips in every format, all-or-nothing imports,
questions matched by key, and recorded answers left alone."""

from pathlib import Path

import pytest

from quizzes.interchange.formats import export_quiz, guess_format, import_file
from quizzes.interchange.schema import FormatError
from quizzes.interchange.store import new_quiz, quiz_dicts
from quizzes.models import Choice, Question, Quiz, Status
from tests.factories import QuizFactory, record

DATA = Path(__file__).parent / "data"
FORMATS = ["gift", "xml", "csv"]


@pytest.fixture
def empty_quiz(db, quiz):
    """A new draft quiz on the same source text as `quiz`."""
    return new_quiz(title="Imported", owner=None, source=quiz.source)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_gives_the_same_questions(quiz, empty_quiz, fmt):
    content, _ = export_quiz(quiz, fmt)
    summary = import_file(empty_quiz, fmt, content, as_drafts=False)
    assert len(summary.created) == 7
    assert quiz_dicts(empty_quiz) == quiz_dicts(quiz)


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_again_updates_the_questions_in_place(quiz, fmt):
    question = quiz.questions.get(type="single_choice")
    choice_ids = list(question.choices.values_list("pk", flat=True))
    content, _ = export_quiz(quiz, fmt)
    edited = content.replace(b"In which year was Trotsky expelled?", b"When was Trotsky expelled?")
    summary = import_file(quiz, fmt, edited, as_drafts=False)
    assert (len(summary.created), len(summary.updated)) == (0, 7)
    question.refresh_from_db()
    assert question.prompt.startswith("When was Trotsky expelled?")
    assert list(question.choices.values_list("pk", flat=True)) == choice_ids
    assert quiz.questions.count() == 7


def test_a_new_question_goes_after_the_last(quiz):
    last = max(quiz.questions.values_list("position", flat=True))
    gift = (DATA / "moscow.gift").read_bytes()
    import_file(quiz, "gift", gift)
    added = quiz.questions.get(key="trotsky-expelled")
    assert added.position == last + 1


@pytest.mark.parametrize(
    ("name", "fmt"), [("moscow.gift", "gift"), ("moscow.xml", "xml"), ("moscow.csv", "csv")]
)
def test_the_sample_files_import_as_drafts(empty_quiz, name, fmt):
    summary = import_file(empty_quiz, fmt, (DATA / name).read_bytes())
    questions = empty_quiz.questions.all()
    assert questions.count() == len(summary.created) > 0
    assert set(questions.values_list("status", flat=True)) == {Status.DRAFT}
    expelled = questions.get(key="trotsky-expelled")
    assert expelled.passage == "Trotsky was expelled from the Soviet Union in 1929."
    assert expelled.passage_start == 0
    assert expelled.topic.name == "Exile"


def test_questions_without_a_passage_keep_the_status_the_file_gives_them(empty_quiz):
    """Questions from elsewhere (issue 20): no source passage is no bar to publishing."""
    summary = import_file(empty_quiz, "xml", (DATA / "moscow.xml").read_bytes(), as_drafts=False)
    troika = empty_quiz.questions.get(key="kirov")
    assert troika.passage == "" and troika.passage_start is None
    assert troika.status == Status.PUBLISHED
    assert "kirov" in summary.without_passage
    assert "quote no source passage" in str(summary)
    assert empty_quiz.questions.get(key="trotsky-expelled").status == Status.PUBLISHED


def test_a_passage_that_is_not_in_the_source_fails_the_whole_import_with_its_line(empty_quiz):
    gift = (DATA / "moscow.gift").read_text(encoding="utf-8")
    gift = gift.replace(
        "quizsite-passage: Trotsky was expelled", "quizsite-passage: Trotsky was exiled"
    )
    with pytest.raises(FormatError) as caught:
        import_file(empty_quiz, "gift", gift.encode())
    assert caught.value.problems[0][0] == 7
    assert "not in “Source" in caught.value.messages[0]
    assert "reads differently" in caught.value.messages[0]
    assert not empty_quiz.questions.exists()


def test_a_quiz_without_a_source_cannot_take_passages(db):
    quiz = QuizFactory(source=None)
    with pytest.raises(FormatError, match="no source text"):
        import_file(quiz, "gift", (DATA / "moscow.gift").read_bytes())
    assert not quiz.questions.exists()


def test_a_broken_file_imports_nothing(empty_quiz):
    with pytest.raises(FormatError):
        import_file(empty_quiz, "gift", (DATA / "broken.gift").read_bytes())
    with pytest.raises(FormatError):
        import_file(empty_quiz, "xml", (DATA / "broken.xml").read_bytes())
    assert not Question.objects.filter(quiz=empty_quiz).exists()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"::Q::Who?{=Stalin ~Kirov}\n\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_files_say_why(empty_quiz, raw, words):
    with pytest.raises(FormatError, match=words):
        import_file(empty_quiz, "gift", raw)


def test_editing_answers_by_import_never_changes_recorded_results(quiz, alice):
    question = quiz.questions.get(type="single_choice")
    right = question.choices.get(is_correct=True)
    from quizzes.models.attempts import start_attempt

    attempt = start_attempt(user=alice, quiz=quiz)
    response = record(attempt, question, {"choice": right.pk})
    content, _ = export_quiz(quiz, "gift")
    flipped = content.replace(b"\t=1929", b"\t~1929").replace(b"\t~1927", b"\t=1927")
    import_file(quiz, "gift", flipped, as_drafts=False)
    assert question.choices.get(text="1927").is_correct
    response.refresh_from_db()
    assert response.is_correct and response.points == 1 and response.answer_text == "1929"


# CSV, through django-import-export


def test_csv_export_has_one_readable_row_per_question(quiz):
    content, fmt = export_quiz(quiz, "csv")
    lines = content.decode().splitlines()
    assert lines[0] == (
        '"key","type","prompt","options","answer","tolerance","explanation","passage",'
        '"passage_start","topic","difficulty","points","status"'
    )  # every cell quoted, so that a spreadsheet splitting on ";" reads each whole
    assert fmt.content_type.startswith("text/csv")
    assert "numeric" in content.decode() and "1108" in content.decode()


def test_csv_rows_with_problems_are_named_by_their_spreadsheet_row_and_nothing_is_saved(empty_quiz):
    text = (DATA / "moscow.csv").read_text(encoding="utf-8")
    text = text.replace(",1929,,The text", ",1930,,The text")  # not one of the options
    text = text.replace(",true,,,", ",maybe,,,")
    with pytest.raises(FormatError) as caught:
        import_file(empty_quiz, "csv", text.encode())
    messages = caught.value.messages
    assert messages[0].startswith("Row 2: The answer “1930” is not one of the options")
    assert messages[1].startswith("Row 4: The answer of a true/false question")
    assert not empty_quiz.questions.exists()
    assert not Choice.objects.filter(question__quiz=empty_quiz).exists()


def test_a_csv_without_the_columns_says_which_are_missing(empty_quiz):
    with pytest.raises(FormatError, match="missing: type, answer"):
        import_file(empty_quiz, "csv", b"key,prompt\nq1,Who?\n")


def test_the_format_is_told_from_the_file_name():
    assert guess_format("Moscow.GIFT") == "gift"
    assert guess_format("export.txt") == "gift"
    assert guess_format("questions-20240101.xml") == "xml"
    assert guess_format("sheet.csv") == "csv"
    assert guess_format("notes.docx") is None


def test_importing_never_deletes_the_questions_a_file_leaves_out(quiz):
    """Importing adds and updates; it never deletes a question (responses point at them)."""
    content, _ = export_quiz(quiz, "gift")
    header, first, *_ = content.split(b"\n\n// [id:")
    summary = import_file(quiz, "gift", header + b"\n\n// [id:" + first + b"\n")
    assert len(summary.updated) == 1
    assert quiz.questions.count() == 7
    assert Quiz.objects.count() == 1


def test_one_bank_naming_one_topic_two_ways_shares_it(db):
    """Issue 17: "sx-cold-war" and "SX Cold War" make the same slug; the second import raised
    IntegrityError (a 500). In one bank they are one topic."""
    quiz = new_quiz(title="One", owner=None, source=None)
    for topic in ("sx-cold-war", "SX Cold War"):
        gift = f"// quizsite-topic: {topic}\nWho led the USSR in 1953?{{=Malenkov ~Kirov}}"
        import_file(quiz, "gift", gift.encode())
    assert [q.topic.name for q in quiz.questions.all()] == ["sx-cold-war"]


def test_two_teachers_importing_a_topic_of_the_same_name_get_one_each(db, teacher, other_teacher):
    """Issue 20: topics belong to their bank, so two teachers' "Paragraph 1" never collide."""
    first = new_quiz(title="One", owner=teacher, source=None)
    second = new_quiz(title="Two", owner=other_teacher, source=None)
    for quiz in (first, second):
        gift = "// quizsite-topic: Paragraph 1\nWho led the USSR in 1953?{=Malenkov ~Kirov}"
        import_file(quiz, "gift", gift.encode())
    one, two = (quiz.questions.get().topic for quiz in (first, second))
    assert one.name == two.name == "Paragraph 1" and one != two
    assert (one.quiz, two.quiz) == (first, second)


@pytest.mark.parametrize("names", [["Холодная война", "Великая война"], ["???", "!!!"]])
def test_topics_whose_names_make_no_slug_stay_apart(db, names):
    quiz = new_quiz(title="One", owner=None, source=None)
    gift = "\n\n".join(
        f"// quizsite-topic: {name}\nQuestion {n}?{{=a ~b}}" for n, name in enumerate(names)
    )
    import_file(quiz, "gift", gift.encode())
    assert sorted(q.topic.name for q in quiz.questions.all()) == sorted(names)


def test_a_topic_longer_than_the_database_keeps_is_refused(empty_quiz):
    with pytest.raises(FormatError, match="A topic is at most 100 characters"):
        import_file(empty_quiz, "gift", f"// quizsite-topic: {'x' * 101}\nWho?{{=a ~b}}".encode())
