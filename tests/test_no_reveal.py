"""Nothing a student can ask for tells which answer is right before they have answered: not the
question card (as a page or the HTMX fragment), not the card again with a form error, not a
practice or review session's card, not the quiz, home or source page. And the feedback, once
they have answered, does show the right answer (so these checks can fail).

What "tells" means here: a word ("correct", "right answer"), a marker in the markup (an
attribute that names correctness, any data- attribute), a choice's database id (the choices get
ids of seven digits so that any id in a page is found), the explanation or the passage the
answer rests on, or the order of the options (shuffled per attempt; true/false always reads
True, False). An ordering question's selects offer positions only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import suppress
from datetime import timedelta
from html import escape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.models import Attempt, Choice, LiveGame, Question
from quizzes.models.attempts import start_attempt
from quizzes.models.live import start_game
from tests import live
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import (
    QUESTION_MAKERS,
    SOURCE_TEXT,
    ClassroomFactory,
    MembershipFactory,
    QuestionProgressFactory,
    UserFactory,
    true_false_question,
)

pytestmark = pytest.mark.django_db
ID_OFFSET = 7_000_000
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BAD_POSTS = {
    QuestionType.SINGLE_CHOICE: {"choice": "99"},
    QuestionType.MULTIPLE_CHOICE: {},
    QuestionType.TRUE_FALSE: {"choice": ["0", "1", "x"]},
    QuestionType.SHORT_ANSWER: {"answer": "   "},
    QuestionType.NUMERIC: {"answer": "about a thousand"},
    QuestionType.ORDERING: {"position_0": "1", "position_1": "1"},
    QuestionType.MATCHING: {"match_0": "0"},
}


class Page(HTMLParser):
    """A page read as a browser would: its tags and attributes, its text, the options of its
    answer form in the order shown."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.option_labels: list[str] = []  # radio and checkbox options, as listed
        self.select_labels: list[str] = []  # the items of an ordering or matching question
        self.selects: list[list[tuple[str, str]]] = []  # each select's (value, text)
        self._in: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "select":
            self.selects.append([])
        if tag == "option":
            self.selects[-1].append((attributes.get("value", ""), ""))
        if tag == "label" and "option" in attributes.get("class", "").split():
            self.option_labels.append("")
        if tag == "label" and attributes.get("for", "").startswith(("id_position_", "id_match_")):
            self.select_labels.append("")
        if tag not in VOID:
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        with suppress(ValueError):
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "option" in self._in and self.selects and self._in[-1] == "option":
            value, text = self.selects[-1][-1]
            self.selects[-1][-1] = (value, text + data)
        elif "label" in self._in and "span" in self._in and self.option_labels:
            self.option_labels[-1] += data.strip()
        elif "label" in self._in and self.select_labels and "select" not in self._in:
            self.select_labels[-1] += data.strip().removeprefix("Position of").strip()

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def assert_gives_nothing_away(html: str, question: Question) -> Page:
    page = Page(html)
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert not name.startswith("data-"), (tag, name)
            for word in ("correct", "right"):
                assert word not in name.lower(), (tag, name)
                assert word not in value.lower(), (tag, name, value)
    words = page.words.lower()
    assert "correct" not in words  # nor "Incorrect"
    assert "right answer" not in words
    for choice_id in question.choices.values_list("pk", flat=True):
        assert str(choice_id) not in html, f"choice id {choice_id} in the page"
    assert escape(question.explanation) not in html
    return page


def assert_card_gives_nothing_away(html: str, question: Question, attempt: Attempt) -> None:
    """A question card: the above, no passage, and the form's options in the attempt's order,
    named by their places."""
    page = assert_gives_nothing_away(html, question)
    assert escape(question.passage) not in html
    assert question.prompt in html
    form = AnswerForm(question, attempt.seed)
    count = len(form.items)
    kind = QuestionType(question.type)
    inputs = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("name") == "choice"]
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE):
        assert page.option_labels == [c.text for c in form.items]
        assert [i["value"] for i in inputs] == [str(n) for n in range(count)]
        # Every option's input is the same but for its place.
        assert len({_without(i, "value", "id", "checked") for i in inputs}) == 1
    if kind == QuestionType.ORDERING:
        assert page.select_labels == [c.text for c in form.items]
        positions = [("", "Choose…")] + [(str(n), str(n)) for n in range(1, count + 1)]
        assert [[(v, t.strip()) for v, t in s] for s in page.selects] == [positions] * count
    if kind == QuestionType.MATCHING:
        assert page.select_labels == [c.text for c in form.items]
        partners = [("", "Choose…")] + [(str(j), p.match_text) for j, p in enumerate(form.partners)]
        assert [[(v, t.strip()) for v, t in s] for s in page.selects] == [partners] * count
    if kind in (QuestionType.SHORT_ANSWER, QuestionType.NUMERIC):
        assert not inputs and not page.selects
        for line in question.right_answer_lines():
            assert line not in page.words
        answer = [attrs for tag, attrs in page.tags if attrs.get("name") == "answer"]
        assert len(answer) == 1 and set(answer[0]) >= {"type", "name", "id"}


def _without(attributes: dict[str, str], *names: str) -> tuple:
    return tuple(sorted((k, v) for k, v in attributes.items() if k not in names))


def make_question(kind: QuestionType) -> Question:
    """A question of the kind, its passage marked on the source page, its choices with ids of
    seven digits."""
    question = QUESTION_MAKERS[kind]()
    question.passage_start = SOURCE_TEXT.index(question.passage)
    question.save(update_fields=["passage_start"])
    for choice in question.choices.all():
        Choice.objects.filter(pk=choice.pk).update(id=choice.pk + ID_OFFSET)
    return Question.objects.get(pk=question.pk)


@pytest.fixture
def student_client(client: Client, alice) -> Client:
    client.force_login(alice)
    return client


def started(client: Client, question: Question) -> Attempt:
    response = client.post(reverse("quizzes:start", args=[question.quiz.slug]))
    return Attempt.objects.get(pk=resolve(response.url).kwargs["attempt_id"])


def card_pages(client: Client, attempt: Attempt) -> Iterator[tuple[str, str]]:
    for url in (attempt.get_absolute_url(), attempt.step_url()):
        yield f"question page at {url}", client.get(url).content.decode()
        yield f"question card at {url}", client.get(url, **HTMX).content.decode()


KINDS = list(QuestionType)


@pytest.mark.parametrize("kind", KINDS)
def test_the_question_card_gives_nothing_away(kind, student_client):
    question = make_question(kind)
    attempt = started(student_client, question)
    for name, html in card_pages(student_client, attempt):
        assert "<form" in html, name
        assert_card_gives_nothing_away(html, question, attempt)


@pytest.mark.parametrize("kind", KINDS)
def test_the_card_with_a_form_error_gives_nothing_away(kind, student_client):
    question = make_question(kind)
    attempt = started(student_client, question)
    url = reverse("quizzes:answer", args=[attempt.pk, 1])
    for headers in ({}, HTMX):
        response = student_client.post(url, BAD_POSTS[kind], **headers)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        page = assert_gives_nothing_away(response.content.decode(), question)
        assert escape(question.passage) not in page.html
    assert not attempt.responses.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_feedback_and_results_wait_for_the_answer(kind, student_client):
    question = make_question(kind)
    attempt = started(student_client, question)
    for headers in ({}, HTMX):
        response = student_client.get(reverse("quizzes:results", args=[attempt.pk]), **headers)
        assert response.status_code == 302 and response.url == attempt.get_absolute_url()
        assert response.content == b""
        # The question's own address shows its card until it is answered (card_pages checks
        # that card gives nothing away), never its feedback.
        response = student_client.get(attempt.step_url(1), **headers)
        assert response.status_code == 200 and "Check answer" in response.content.decode()
        assert_gives_nothing_away(response.content.decode(), question)


@pytest.mark.parametrize("kind", KINDS)
def test_practice_and_review_cards_give_nothing_away(kind, student_client, alice):
    question = make_question(kind)
    QuestionProgressFactory(
        user=alice,
        question=question,
        last_correct=False,
        due_at=timezone.now() - timedelta(days=1),
    )
    for name in ("practise", "review"):
        response = student_client.post(reverse(f"quizzes:{name}"))
        attempt = Attempt.objects.get(pk=resolve(response.url).kwargs["attempt_id"])
        assert attempt.kind != Attempt.Kind.QUIZ and attempt.question_ids == [question.pk]
        for page_name, html in card_pages(student_client, attempt):
            assert "<form" in html, (name, page_name)
            assert_card_gives_nothing_away(html, question, attempt)


@pytest.mark.parametrize("kind", KINDS)
def test_the_quiz_home_and_source_pages_give_nothing_away(kind, student_client):
    question = make_question(kind)
    started(student_client, question)
    quiz, source = question.quiz, question.quiz.source
    pages = {
        "home": reverse("quizzes:home"),
        "quiz": reverse("quizzes:quiz", args=[quiz.slug]),
        "source": reverse("quizzes:source", args=[source.slug]),
        "source, passage outlined": f"{reverse('quizzes:source', args=[source.slug])}"
        f"?question={question.pk}",
    }
    for name, url in pages.items():
        for client in (student_client, Client()):
            response = client.get(url)
            assert response.status_code == 200, name
            assert_gives_nothing_away(response.content.decode(), question)


@pytest.mark.parametrize("kind", KINDS)
def test_the_feedback_shows_the_right_answer(kind, student_client):
    """The other side: once answered (wrongly), the answer is there, so the checks above can
    tell a page that gives it away."""
    question = make_question(kind)
    attempt = started(student_client, question)
    data = answer_data(attempt, question, right=False)
    fragment = student_client.post(
        reverse("quizzes:answer", args=[attempt.pk, 1]), data, **HTMX
    ).content.decode()
    page = student_client.get(reverse("quizzes:feedback", args=[attempt.pk, 1])).content.decode()
    for html in (fragment, page):
        assert "Incorrect" in html
        # One line of words, or (matching, ordering, multiple choice) a row per item.
        right_heading = (question.review_columns or ("", "", "Right answer"))[2]
        assert right_heading in html
        for row in question.review_rows(attempt.responses.get().answer):
            assert escape(row.item) in html and escape(row.right) in html
        if not question.review_columns:
            for line in question.right_answer_lines():
                assert escape(line) in html
        assert escape(question.explanation) in html and escape(question.passage) in html
        with pytest.raises(AssertionError):
            assert_gives_nothing_away(html, question)


@pytest.mark.parametrize(
    "kind",
    [
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.ORDERING,
        QuestionType.MATCHING,
    ],
)
def test_options_come_in_each_attempts_own_order(kind, client):
    """Across attempts the order changes, and it is never simply the stored one (for an
    ordering question, the stored order is the answer)."""
    question = make_question(kind)
    stored = [c.text for c in question.sorted_choices() if c.text]
    shown = []
    for seed in range(12):
        client.force_login(UserFactory())
        attempt = started(client, question)
        Attempt.objects.filter(pk=attempt.pk).update(seed=seed)  # a fixed seed: no flakes
        attempt.refresh_from_db()
        page = Page(client.get(attempt.get_absolute_url(), **HTMX).content.decode())
        labels = page.option_labels or page.select_labels
        assert labels == [c.text for c in AnswerForm(question, attempt.seed).items]
        shown.append(labels)
    assert len({tuple(labels) for labels in shown}) > 1
    assert any(labels != stored for labels in shown)


def test_true_or_false_always_reads_true_then_false(client):
    """Never shuffled, so its order says nothing, whichever is right."""
    for answer in (True, False):
        question = true_false_question(answer=answer)
        student = UserFactory()
        client.force_login(student)
        attempt = start_attempt(user=student, quiz=question.quiz)
        page = Page(client.get(attempt.get_absolute_url(), **HTMX).content.decode())
        assert page.option_labels == ["True", "False"]


def test_the_page_reader_finds_a_leak():
    """The checks fail on markup that does give the answer away."""
    question = QUESTION_MAKERS[QuestionType.SINGLE_CHOICE]()
    choice = question.choices.get(is_correct=True)
    leaks = [
        '<input type="radio" name="choice" value="1" data-answer="yes">',
        '<li class="is-correct">1929</li>',
        f'<input type="radio" name="choice" value="{choice.pk}">',
        "<p>Correct!</p>",
        f"<p>{question.explanation}</p>",
    ]
    for html in leaks:
        with pytest.raises(AssertionError):
            assert_gives_nothing_away(html, question)


# ---- The live game (issue 22): every page, fragment and event a phone or the projected host
# screen gets before the reveal.


live_events = live.published  # every event the game publishes (tests/live.py)


def live_game_of(question: Question, alice, bob) -> tuple[LiveGame, Client, Client, Client]:
    """A live game of the question's quiz in a class of Alice and Bob, its question open;
    the clients of the host, Alice and Bob, each page opened once."""
    classroom = ClassroomFactory()
    for student in (alice, bob):
        MembershipFactory(classroom=classroom, student=student)
    game = start_game(
        classroom=classroom, quiz=question.quiz, host=classroom.teacher, time_limit=60,
        speed_bonus=False,
    )  # fmt: skip
    clients = []
    for user in (classroom.teacher, alice, bob):
        clients.append(Client())
        clients[-1].force_login(user)
    host, phone, other = clients
    for client in (phone, other):
        client.get(reverse("quizzes:live_phone", args=[game.code]))
    host.post(reverse("quizzes:live_move", args=[game.code, "start"]))
    game.refresh_from_db()
    return game, host, phone, other


def live_pages(game: LiveGame, host: Client, phone: Client) -> Iterator[tuple[str, str]]:
    """What the phone and the host can ask for while the question is open."""
    code = game.code
    yield "phone page", phone.get(reverse("quizzes:live_phone", args=[code])).content.decode()
    yield (
        "phone stream",
        b"".join(phone.get(reverse("quizzes:live_events", args=[code])).streaming_content).decode(),
    )
    yield "host page", host.get(reverse("quizzes:live_host", args=[code])).content.decode()
    yield (
        "host stream",
        b"".join(
            host.get(reverse("quizzes:live_host_events", args=[code])).streaming_content
        ).decode(),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_live_game_gives_nothing_away_before_the_reveal(kind, alice, bob, live_events):
    question = make_question(kind)
    game, host, phone, _bob = live_game_of(question, alice, bob)
    # Bob has joined too, so that Alice's answer alone does not reveal (everyone answered).
    answer_url = reverse("quizzes:live_answer", args=[game.code])
    for name, html in live_pages(game, host, phone):
        assert_gives_nothing_away(html, question)
        assert escape(question.passage) not in html, name
        if name == "phone page":
            assert_card_gives_nothing_away(html, question, game)

    # A wrong answer, then a right one, then a form error: each fragment and page after it.
    for data, status, card in [
        (answer_data(game, question, right=False), 200, True),
        # From here on the phone shows the answer given, the right one: nothing more.
        (answer_data(game, question, right=True), 200, False),
        (BAD_POSTS[kind], 400, False),
    ]:
        data = {**data, "number": "1"}
        fragment = phone.post(answer_url, data, **HTMX)
        assert fragment.status_code == status
        assert_gives_nothing_away(fragment.content.decode(), question)
        if card:
            assert_card_gives_nothing_away(fragment.content.decode(), question, game)
        for name, html in live_pages(game, host, phone):
            assert_gives_nothing_away(html, question)
            assert escape(question.passage) not in html, name

    # Every event sent so far: to the phones, to Alice's phone, to the host on the wall.
    assert {channel for channel, _, _ in live_events} >= {game.channel, game.host_channel}
    for channel, event, data in live_events:
        assert_gives_nothing_away(data, question)
        assert escape(question.passage) not in data, (channel, event)

    # The other side: from the reveal on, the phones and the host say what was right.
    live_events.clear()
    host.post(reverse("quizzes:live_move", args=[game.code, "reveal"]))
    mine = [data for channel, _, data in live_events if channel == game.player_channel(alice.pk)]
    shown = [data for channel, _, data in live_events if channel == game.host_channel]
    why = [
        data for channel, event, data in live_events if (channel, event) == (game.channel, "why")
    ]
    assert mine and shown and why
    for html in (*mine, *shown):
        with pytest.raises(AssertionError):
            assert_gives_nothing_away(html, question)
    for html in (*shown, *why):  # the passage: on the host, and once to every phone
        assert escape(question.passage) in html
