"""Teachers' uploads that took time growing with the square of their size (issue 17, finding 1):
every parser now reads them in time linear in their size, and reads them before the import's
write transaction opens, so a long file never makes students' answers wait on SQLite.

The budgets are generous (a linear read of these files takes milliseconds); the old code took
from several seconds to minutes on each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from quizzes.interchange.gift import parse_gift
from quizzes.interchange.htmltext import html_to_text, split_feedback
from quizzes.interchange.moodle_xml import parse_moodle_xml
from quizzes.interchange.schema import FormatError
from quizzes.sourcetext import Span, mark_passages
from tests.admin_helpers import make_quiz
from tests.factories import TeacherFactory

BUDGET_SECONDS = 1.0
RUN = 100_000


@contextmanager
def within_budget() -> Iterator[None]:
    # CPU time of this process, not the wall clock: on a machine busy with other work the wall
    # clock also counts the time this process waited for a core, which says nothing of the
    # parser. A quadratic read still takes seconds to minutes of CPU.
    started = time.process_time()
    yield
    assert time.process_time() - started < BUDGET_SECONDS


def read(parse: Callable[[Any], Any], content: Any) -> Any:
    with within_budget():
        try:
            return parse(content)
        except FormatError as error:
            return error


def moodle_question(questiontext: str) -> bytes:
    return (
        '<quiz><question type="shortanswer"><name><text>q</text></name>'
        f'<questiontext format="html"><text>{questiontext}</text></questiontext>'
        '<answer fraction="100"><text>x</text></answer></question></quiz>'
    ).encode()


@pytest.mark.parametrize(
    "gift",
    [
        "Order these?{>" + " " * RUN + "!\nA\nB\nC\n}",  # the report's file, 2.5 times longer
        "Order these?{>" + "1" * RUN + "!\nA\nB\nC\n}",
        "// " + "[id:" * (RUN // 4) + "\nWho?{=a ~b}",
        "[html]Who" + " " * RUN + "?{=a ~b}",
        "[html]Who" + "<!--" * (RUN // 4) + "?{=a ~b}",
        "Which year?{#" + "1" * RUN + "}",
    ],
    ids=["ordering-spaces", "ordering-digits", "ids", "html-spaces", "html-comments", "digits"],
)
def test_a_gift_file_is_read_in_linear_time(gift):
    read(parse_gift, gift)


def test_an_ordering_head_is_still_read_as_before():
    items = parse_gift("Order these?{>3 ALL VERTICAL SHOW\nA\nB\nC\n}").questions[0].data
    assert items["items"] == ["A", "B", "C"]
    error = read(parse_gift, "Order these?{>3 ALL!\nA\nB\nC\n}")
    assert "An ordering question starts {>N" in str(error)


def test_the_first_id_of_a_question_is_its_key():
    gift = "// [id:] and [id:first] then [id:second]\nWho?{=a ~b}"
    assert parse_gift(gift).questions[0].data["key"] == "first"
    assert parse_gift("// [id:[id:x]\nWho?{=a ~b}").questions[0].data["key"] == "id-x"


def test_a_number_too_long_to_be_one_is_refused():
    error = read(parse_gift, "Which year?{#" + "1" * RUN + "}")
    assert "is not a number" in str(error)


@pytest.mark.parametrize(
    "html",
    [
        "a" + " " * RUN + "b",  # the report's file, 5 times longer
        "a" + "\t" * RUN + "b",
        "<p>a" + " " * RUN + "</p>" + " " * RUN + "<p>b</p>",
        "a" + "<!--" * (RUN // 4) + "b",
        "a" + "<![CDATA[" * (RUN // 9) + "b",
        "a" + "<?" * (RUN // 2) + "b",
        "a" + "<!" * (RUN // 2) + "b",
    ],
    ids=["spaces", "tabs", "spaces-between-blocks", "comments", "cdata", "pi", "declarations"],
)
def test_html_is_read_in_linear_time(html):
    read(html_to_text, html)
    read(split_feedback, html)
    read(parse_moodle_xml, moodle_question(html.replace("<", "&lt;")))


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("a \n  b", "a b"),
        ("a   b", "a   b"),
        ("<p>a </p> \n <p>b</p>", "a\n\nb"),
        ("a<!-- x -->b", "ab"),
        ("a<!-- never closed", "a"),  # was "a<!-- never closed"
        ("a<!DOCTYPE html>b<?php x ?>c", "abc"),
        ("<![foo[ x ]]>y", "y"),  # it raised AssertionError (a 500 on import)
        ("1 < 2 and <b>3</b> > 2 <b", "1 < 2 and **3** > 2 <b"),
    ],
)
def test_html_reads_as_a_browser_shows_it(html, text):
    assert html_to_text(html) == text


@pytest.fixture
def teacher(transactional_db):
    return TeacherFactory(username="tess")


@pytest.fixture
def watch(monkeypatch) -> Callable[[Any, str], list[bool]]:
    """Wraps a function to note, each time it is called, whether a transaction is open."""

    def wrap(module: Any, name: str) -> list[bool]:
        seen: list[bool] = []
        original = getattr(module, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            seen.append(connection.in_atomic_block)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)
        return seen

    return wrap


@pytest.mark.parametrize(
    ("filename", "content", "parser"),
    [
        ("q.gift", b"Who?{=a ~b}", "parse_gift"),
        ("q.xml", moodle_question("Who?"), "parse_moodle_xml"),
    ],
)
@pytest.mark.parametrize("new", [False, True], ids=["into-a-quiz", "as-a-new-quiz"])
def test_an_import_is_read_before_its_transaction_opens(
    client, teacher, watch, filename, content, parser, new
):
    from quizzes.interchange import formats, gift, moodle_xml, store

    module = gift if parser == "parse_gift" else moodle_xml
    parsed = watch(module, parser)
    checked = watch(store, "check")
    saved = watch(formats.store, "save_questions")
    client.force_login(teacher)
    if new:
        url, data = reverse("admin:quizzes_quiz_import_new"), {"title": "Imported"}
    else:
        url, data = reverse("admin:quizzes_quiz_import", args=[make_quiz(teacher).pk]), {}
    response = client.post(url, {**data, "file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 302
    assert parsed == [False] and checked == [False]
    assert saved == [True]


def test_derived_questions_are_derived_before_the_transaction_opens(client, teacher, watch):
    from quizzes.interchange import store

    derived = watch(store, "derive")
    client.force_login(teacher)
    text = "In 1936 Grigory Zinoviev was tried in Moscow. " * 3
    response = client.post(reverse("admin:quizzes_derive"), {"title": "Trials", "text": text})
    assert response.status_code == 302
    assert derived == [False]


def test_a_long_source_with_many_passages_is_marked_in_linear_time():
    """A source derived from a long text (20,000 lines) with 300 questions' passages: the
    source page compared every line with every passage (seconds for each view of it)."""
    lines = [f"Line {n} of a long source text." for n in range(20_000)]
    text = "\n".join(lines)
    starts = [text.index(line + "\n") for line in lines[::60]]
    spans = [Span(start, start + 60, f"q{n}") for n, start in enumerate(starts[:300])]
    with within_budget():
        html = mark_passages(text, spans, current="q7")
    assert html.count('<span id="q') == 300
    assert '<span id="q7"></span><mark class="current">' in html


def test_a_file_of_more_questions_than_an_import_takes_is_refused():
    from quizzes.interchange.formats import MAX_QUESTIONS, read_file

    gift = "\n\n".join(f"Question {n}?{{T}}" for n in range(MAX_QUESTIONS + 1))
    with pytest.raises(FormatError, match="quizsite imports at most 1,000 at a time"):
        read_file("gift", gift.encode(), source=None)
    csv = "key,type,prompt,answer\n" + "q,true_false,Q?,true\n" * (MAX_QUESTIONS + 1)
    with pytest.raises(FormatError, match="quizsite imports at most 1,000 at a time"):
        read_file("csv", csv.encode(), source=None)


def test_a_thousand_passages_missing_from_a_long_source_are_checked_in_time():
    """Each passage that is not in the source is searched for; only the first 30 (what the
    page shows) also say where they part from it, which reads the source a dozen times."""
    from quizzes.interchange.formats import read_file
    from quizzes.models import SourceDocument

    source = SourceDocument(title="Long", text="The trials were held in Moscow. " * 30_000)
    gift = "\n\n".join(
        f"// quizsite-passage: The trials were held in Leningrad {n}.\nQuestion {n}?{{T}}"
        for n in range(1_000)
    )
    with within_budget(), pytest.raises(FormatError) as error:
        read_file("gift", gift.encode(), source=source)
    messages = error.value.messages
    assert len(messages) == 1_000
    assert sum("but then reads differently" in m for m in messages) == 30
