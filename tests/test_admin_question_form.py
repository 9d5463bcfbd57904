"""The question form: the answer section fits each type, every rule says what to fix, the
passage must be the source's words, and recorded answers are never touched."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Question, Response, Status, Topic
from tests.admin_helpers import finished_attempt, make_quiz
from tests.factories import SOURCE_TEXT, QuizFactory, TeacherFactory, TopicFactory

PASSAGE = "Trotsky was expelled from the Soviet Union in 1929."
ADD = reverse("admin:quizzes_question_add")


@pytest.fixture
def my_quiz(teacher):
    return QuizFactory(owner=teacher, status=Status.DRAFT)


def form_data(quiz, qtype, rows=(), **fields):
    """POST data for the question form: the question's fields, then its answer rows given as
    (text, right, match) or (text, right, match, order)."""
    data = {
        "quiz": quiz.pk,
        "type": qtype,
        "prompt": "In which year was Trotsky expelled?",
        "explanation": "The text says so.",
        "passage": PASSAGE,
        "topic": TopicFactory().pk,
        "difficulty": "2",
        "points": "1",
        "status": "draft",
        "key": "",
        "numeric_answer": "",
        "tolerance": "0",
        "choices-TOTAL_FORMS": str(len(rows)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, row in enumerate(rows):
        text, right, match, *order = row
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-match_text"] = match
        data[f"choices-{i}-position"] = order[0] if order else ""
        if right:
            data[f"choices-{i}-is_correct"] = "on"
    return data


def errors_of(response) -> str:
    """Every error the form shows, as one string."""
    assert response.status_code == 200, "expected the form back with errors"
    parts = [str(e) for e in response.context["errors"]]
    for formset in response.context["inline_admin_formsets"]:
        parts += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(parts)


def saved(response) -> Question:
    assert response.status_code == 302, errors_of(response)
    return Question.objects.latest("pk")


YEARS = [("1927", False, ""), ("1929", True, ""), ("1932", False, "")]


def test_a_single_choice_question_is_saved_with_its_options_in_order(logged_in, my_quiz):
    question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    assert [(c.position, c.text, c.is_correct) for c in question.sorted_choices()] == [
        (0, "1927", False),
        (1, "1929", True),
        (2, "1932", False),
    ]
    assert question.key == "in-which-year-was-trotsky-expelled"
    assert question.passage_start == 0
    assert question.status == Status.DRAFT


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("1927", False, ""), ("1929", False, "")],
            "exactly one right answer: tick “Right” on one option (none is ticked)",
        ),
        ([("1927", True, ""), ("1929", True, "")], "(2 are ticked)"),
        ([("1929", True, "")], "Give at least two options."),
        ([("1929", True, ""), ("1929 ", False, "")], "Two options read the same: “1929”."),
    ],
)
def test_single_choice_rules(logged_in, my_quiz, rows, message):
    response = logged_in.post(ADD, form_data(my_quiz, "single_choice", rows))
    assert message in errors_of(response)
    assert not Question.objects.exists()


def test_multiple_choice_needs_at_least_one_right_option(logged_in, my_quiz):
    rows = [("Stalin", False, ""), ("Kirov", False, "")]
    response = logged_in.post(ADD, form_data(my_quiz, "multiple_choice", rows))
    assert "needs at least one right answer" in errors_of(response)
    rows[0] = ("Stalin", True, "")
    assert saved(logged_in.post(ADD, form_data(my_quiz, "multiple_choice", rows)))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("True", True, ""), ("Yes", False, "")], "exactly two options, “True” and “False”"),
        ([("True", True, ""), ("False", True, "")], "exactly one of “True” and “False”"),
        ([("True", False, ""), ("False", False, "")], "none is ticked"),
    ],
)
def test_true_false_rules(logged_in, my_quiz, rows, message):
    response = logged_in.post(ADD, form_data(my_quiz, "true_false", rows))
    assert message in errors_of(response)


def test_a_true_false_question_is_saved(logged_in, my_quiz):
    rows = [("True", False, ""), ("False", True, "")]
    question = saved(logged_in.post(ADD, form_data(my_quiz, "true_false", rows)))
    assert question.right_answer_lines() == ["False"]


def test_short_answer_variants_are_all_accepted(logged_in, my_quiz):
    response = logged_in.post(ADD, form_data(my_quiz, "short_answer", []))
    assert "Give at least one accepted answer." in errors_of(response)
    rows = [("Zinoviev", False, ""), ("Grigory Zinoviev", False, "")]
    question = saved(logged_in.post(ADD, form_data(my_quiz, "short_answer", rows)))
    assert all(c.is_correct for c in question.choices.all())
    assert question.grade({"text": "grigory zinoviev"}).correct


@pytest.mark.parametrize("count", [2, 7])
def test_ordering_has_three_to_six_items(logged_in, my_quiz, count):
    rows = [(f"Event {n}", False, "") for n in range(count)]
    response = logged_in.post(ADD, form_data(my_quiz, "ordering", rows))
    assert f"3 to 6 items, not {count}" in errors_of(response)


def test_ordering_items_are_saved_in_the_order_given(logged_in, my_quiz):
    rows = [
        ("Kirov is killed", False, "", "3"),
        ("The troika forms", False, "", "1"),
        ("Trotsky is expelled", False, "", "2"),
    ]
    question = saved(logged_in.post(ADD, form_data(my_quiz, "ordering", rows)))
    assert question.right_answer_lines() == [
        "The troika forms",
        "Trotsky is expelled",
        "Kirov is killed",
    ]
    assert all(c.is_correct for c in question.choices.all())


def test_numeric_needs_a_number_and_a_tolerance_that_is_not_negative(logged_in, my_quiz):
    response = logged_in.post(ADD, form_data(my_quiz, "numeric"))
    assert "Give the right number." in errors_of(response)
    response = logged_in.post(
        ADD, form_data(my_quiz, "numeric", numeric_answer="1929", tolerance="-1")
    )
    assert "The tolerance cannot be negative." in errors_of(response)
    question = saved(logged_in.post(ADD, form_data(my_quiz, "numeric", numeric_answer="1929")))
    assert question.numeric_answer == Decimal(1929)
    assert not question.choices.exists()


def test_matching_needs_pairs_and_a_match_on_every_row(logged_in, my_quiz):
    response = logged_in.post(ADD, form_data(my_quiz, "matching", [("Trotsky", False, "1929")]))
    assert "at least two pairs" in errors_of(response)
    rows = [("Trotsky", False, "1929"), ("Kirov", False, ""), ("", False, "NKVD")]
    assert "Every row needs its match" in errors_of(
        logged_in.post(ADD, form_data(my_quiz, "matching", rows))
    )
    rows[1] = ("Kirov", True, "1934")
    question = saved(logged_in.post(ADD, form_data(my_quiz, "matching", rows)))
    assert [c.text for c in question.left_items()] == ["Trotsky", "Kirov"]
    assert not any(c.is_correct for c in question.choices.all())


def test_empty_rows_are_left_out(logged_in, my_quiz):
    rows = [*YEARS, ("", False, ""), ("  ", False, "")]
    question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", rows)))
    assert question.choices.count() == 3


def test_the_passage_must_be_the_source_words_and_the_form_says_where_it_differs(
    logged_in, my_quiz
):
    data = form_data(
        my_quiz, "single_choice", YEARS, passage="Trotsky was expelled from Russia in 1929."
    )
    errors = errors_of(logged_in.post(ADD, data))
    assert "This passage is not in the source text “Source" in errors
    assert "The source has its first 26 characters, up to “…Trotsky was expelled from ”" in errors
    assert "differently from “Russia in 1929.…”" in errors


def test_a_quiz_without_a_source_has_nothing_to_quote(logged_in, teacher):
    quiz = QuizFactory(owner=teacher, source=None)
    errors = errors_of(logged_in.post(ADD, form_data(quiz, "single_choice", YEARS)))
    assert "has no source text to quote from" in errors


def test_the_change_form_shows_where_the_passage_is(logged_in, my_quiz):
    question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    page = logged_in.get(
        reverse("admin:quizzes_question_change", args=[question.pk])
    ).content.decode()
    assert "Found in “Source" in page and "at character 0" in page
    assert f"<mark>{PASSAGE}</mark>" in page


def test_a_passage_quoted_twice_keeps_its_place(logged_in, my_quiz):
    my_quiz.source.text = SOURCE_TEXT + " " + PASSAGE
    my_quiz.source.save()
    question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    later = len(SOURCE_TEXT) + 1
    Question.objects.filter(pk=question.pk).update(passage_start=later)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = form_data(my_quiz, "single_choice", [], key=question.key, prompt="Edited?")
    data |= {"choices-TOTAL_FORMS": "0"}
    for choice in question.sorted_choices():
        n = choice.position
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-position": str(n + 1),
            f"choices-{n}-match_text": "",
        } | ({f"choices-{n}-is_correct": "on"} if choice.is_correct else {})
    data |= {"choices-TOTAL_FORMS": "3", "choices-INITIAL_FORMS": "3"}
    assert logged_in.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Edited?" and question.passage_start == later


def test_keys_made_from_the_prompt_are_unique_in_the_quiz(logged_in, my_quiz):
    first = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    second = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    assert (first.key, second.key) == (
        "in-which-year-was-trotsky-expelled",
        "in-which-year-was-trotsky-expelled-2",
    )


def test_the_add_form_comes_ready_for_the_quiz_it_was_opened_from(logged_in, my_quiz):
    response = logged_in.get(f"{ADD}?quiz={my_quiz.pk}")
    assert response.context["adminform"].form.initial["quiz"] == str(my_quiz.pk)
    page = response.content.decode()
    assert 'data-qtype="matching"' in page and "js/admin-question.js" in page
    assert "<script>" not in page  # no inline script: a strict CSP is coming


def test_the_form_says_how_many_answers_are_recorded_and_keeps_them(logged_in, teacher, alice):
    quiz = make_quiz(teacher)
    question = quiz.questions.get(type="single_choice")
    finished_attempt(alice, quiz, [question], [True])
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    page = logged_in.get(url).content.decode()
    assert "1 answer recorded." in page
    assert "Their recorded results stay exactly as they were" in page
    # Make 1927 the right answer instead of 1929.
    data = form_data(
        quiz, "single_choice", [], key=question.key, prompt=question.prompt, status="published"
    )
    choices = question.sorted_choices()
    for n, choice in enumerate(choices):
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-position": str(n + 1),
            f"choices-{n}-match_text": "",
        } | ({f"choices-{n}-is_correct": "on"} if choice.text == "1927" else {})
    data |= {"choices-TOTAL_FORMS": str(len(choices)), "choices-INITIAL_FORMS": str(len(choices))}
    assert logged_in.post(url, data).status_code == 302
    assert question.right_answer_lines() == ["1927"]
    response = Response.objects.get()
    assert (response.is_correct, response.points, response.answer_text) == (True, 1, "Right")


def test_turning_a_choice_question_into_a_numeric_one_removes_its_options(logged_in, my_quiz):
    question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = form_data(my_quiz, "numeric", [], key=question.key, numeric_answer="1929")
    for n, choice in enumerate(question.sorted_choices()):
        data |= {
            f"choices-{n}-id": choice.pk,
            f"choices-{n}-question": question.pk,
            f"choices-{n}-text": choice.text,
            f"choices-{n}-position": "",
            f"choices-{n}-match_text": "",
        }
    data |= {"choices-TOTAL_FORMS": "3", "choices-INITIAL_FORMS": "3"}
    assert logged_in.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.type == "numeric" and not question.choices.exists()


def test_a_source_edit_that_breaks_a_quoted_passage_is_refused(logged_in, teacher):
    quiz = make_quiz(teacher)
    source = quiz.source
    source.owner = teacher
    source.save()
    url = reverse("admin:quizzes_sourcedocument_change", args=[source.pk])
    data = {"title": source.title, "slug": source.slug, "text": source.text.replace("1929", "1928")}
    response = logged_in.post(url, data)
    assert response.status_code == 200
    assert "changes words that" in str(response.context["errors"])
    data["text"] = source.text + " More words at the end."
    assert logged_in.post(url, data).status_code == 302


class TestTheTopic:
    """A question's topic is one of its bank's (the quiz's source, or the quiz), or the site's
    own: never another bank's, though two banks may name topics alike."""

    @pytest.fixture
    def topics(self, my_quiz):
        mine = Topic.objects.create(name="Exile", slug="exile", source=my_quiz.source)
        theirs = QuizFactory(owner=TeacherFactory(username="otto"))
        other = Topic.objects.create(name="Exile", slug="exile", source=theirs.source)
        return mine, other

    def test_its_bank_topic_or_the_site_one_is_taken(self, logged_in, my_quiz, topics):
        for topic in (topics[0], TopicFactory()):
            data = form_data(my_quiz, "single_choice", YEARS, topic=topic.pk, key="")
            data["prompt"] += f" ({topic.pk})"
            assert saved(logged_in.post(ADD, data)).topic == topic

    def test_another_bank_topic_is_refused(self, logged_in, my_quiz, topics):
        response = logged_in.post(
            ADD, form_data(my_quiz, "single_choice", YEARS, topic=topics[1].pk)
        )
        assert "Select a valid choice" in errors_of(response)  # not among the teacher's banks
        assert not Question.objects.exists()

    def test_a_bank_the_teacher_may_write_in_but_not_the_question_is_refused(
        self, logged_in, teacher, my_quiz, topics
    ):
        """Another of the teacher's own banks: offered on a new question, refused for this quiz."""
        other_quiz = QuizFactory(owner=teacher, status=Status.DRAFT)
        elsewhere = Topic.objects.create(name="Purges", slug="purges", source=other_quiz.source)
        response = logged_in.post(
            ADD, form_data(my_quiz, "single_choice", YEARS, topic=elsewhere.pk)
        )
        assert "belongs to another bank" in errors_of(response)

    def test_the_change_form_offers_the_question_bank_topics_alone(
        self, logged_in, teacher, my_quiz, topics
    ):
        other_quiz = QuizFactory(owner=teacher, status=Status.DRAFT)
        Topic.objects.create(name="Purges", slug="purges", source=other_quiz.source)
        question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
        form = logged_in.get(reverse("admin:quizzes_question_change", args=[question.pk]))
        offered = set(form.context["adminform"].form.fields["topic"].queryset)
        assert offered == {topics[0], question.topic}  # the bank's Exile, the site's topic
