"""Fuzzing what a student can send: answers to every question type, starting quizzes,
practice and review, joining a class, the leaderboard privacy switch, and every page they can
ask for, with hostile values, odd bodies and headers and other people's ids.

Each example is a few requests by the student `owner` (see tests/fuzzing.py), undone after.
None may answer 5xx or a status outside the endpoint's own; nothing of anybody else's may change;
and the owner's own attempts must stay consistent (one response per answered question, a score
within the marks).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.db.models import Count
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.models import Attempt, Classroom, Question
from tests.fuzzing import (
    World,
    as_persona,
    bodies,
    fuzz_settings,
    fuzz_world,
    hostile_text,
    htmx_headers,
    ids,
    queries,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request, settings, personas) -> World:
    return fuzz_world(request, settings, personas, every_type=True)


def answer_fields(world: World, kind: QuestionType) -> dict[str, Any]:
    """The answer form's fields for a question of this kind, with plausible values: places
    on screen (and a few just outside), numbers and words."""
    attempt = world.type_attempts[kind]
    question = Question.objects.get(pk=attempt.question_ids[0])
    count = len(AnswerForm(question, attempt.seed).items)
    places = st.integers(-1, count + 1).map(str)
    match kind:
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE | QuestionType.MULTIPLE_CHOICE:
            return {"choice": places}
        case QuestionType.SHORT_ANSWER | QuestionType.NUMERIC:
            words = st.sampled_from(["Zinoviev", "zinóviev.", "1108", "1,108", " 1 108 ", "-3.5"])
            return {"answer": st.one_of(words, st.text(max_size=12))}
        case QuestionType.ORDERING:
            return {f"position_{i}": st.integers(0, count + 1).map(str) for i in range(count)}
        case QuestionType.MATCHING:
            return {f"match_{i}": places for i in range(count)}
    raise ValueError(kind)


def attempt_ids(world: World) -> st.SearchStrategy[int]:
    mine = [a.pk for a in world.type_attempts.values()]
    theirs = [world.open_attempt.pk, world.finished_attempt.pk, world.other_attempt.pk]
    return st.one_of(st.sampled_from(mine), ids(*theirs))


def not_mine(world: World, attempt_id: int) -> bool:
    return Attempt.objects.filter(pk=attempt_id).exclude(user=world.owner).exists()


def assert_attempts_consistent(world: World) -> None:
    for attempt in Attempt.objects.filter(user=world.owner).annotate(answered=Count("responses")):
        assert attempt.position == attempt.answered <= attempt.total
        assert 0 <= attempt.score <= attempt.max_score
        assert attempt.is_finished == (attempt.position == attempt.total)


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_answers_to_every_question_type(world: World, data: st.DataObject):
    with as_persona(world, "owner") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            kind = data.draw(st.sampled_from(list(QuestionType)), label="kind")
            attempt_id = data.draw(
                st.one_of(st.just(world.type_attempts[kind].pk), attempt_ids(world)),
                label="attempt",
            )
            number = data.draw(st.one_of(st.just(1), st.integers(0, 9), ids()), label="number")
            allowed = {404} if not_mine(world, attempt_id) else {200, 302, 400, 404}
            send(
                client,
                "POST",
                reverse("quizzes:answer", args=[attempt_id, number]),
                allowed,
                body=data.draw(bodies(answer_fields(world, kind)), label="body"),
                headers=data.draw(htmx_headers, label="headers"),
            )
        assert_attempts_consistent(world)


def slugs(world: World) -> st.SearchStrategy[str]:
    known = [world.quiz.slug, world.draft.slug, world.source.slug]
    known += [a.quiz.slug for a in world.type_attempts.values()]
    return st.one_of(st.sampled_from(known), st.from_regex(r"[-\w]{1,30}", fullmatch=True))


def codes(world: World) -> st.SearchStrategy[str]:
    code = world.classroom.join_code
    typed = [code, code.lower(), f" {code[:4]}-{code[4:]} ", world.other_classroom.join_code]
    return st.one_of(st.sampled_from(typed), st.text(max_size=24))


def student_posts(world: World, data: st.DataObject) -> tuple[str, dict[str, Any], set[int]]:
    """One of the student's own forms: where it posts, its fields, the statuses it may get."""
    action = data.draw(st.sampled_from(["start", "practise", "review", "privacy", "join"]))
    match action:
        case "start":
            slug = data.draw(st.one_of(slugs(world), hostile_text), label="slug")
            return f"/quizzes/{quote(slug, safe='')}/start/", {}, {302, 404}
        case "practise" | "review":
            return reverse(f"quizzes:{action}"), {}, {302}
        case "privacy":
            anonymous = st.sampled_from(["0", "1", "on", "true"])
            return reverse("quizzes:leaderboard_privacy"), {"anonymous": anonymous}, {302}
    return reverse("quizzes:join_class"), {"code": codes(world)}, {200, 302, 400}


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_student_forms(world: World, data: st.DataObject):
    with as_persona(world, "owner") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            path, fields, allowed = student_posts(world, data)
            body = data.draw(bodies(fields), label="body")
            send(client, "POST", path, allowed, body=body, headers=data.draw(htmx_headers))
        world.owner.refresh_from_db()
        assert not world.owner.is_staff and not world.owner.is_superuser
        assert_attempts_consistent(world)


def student_pages(world: World, data: st.DataObject) -> tuple[str, dict[str, Any], set[int]]:
    """A page or fragment the student can ask for, its query parameters, its statuses: 404 for
    anything of somebody else's."""
    page = data.draw(
        st.sampled_from(
            [
                "home",
                "quiz",
                "source",
                "progress",
                "mistakes",
                "my_data",
                "classes",
                "join_class",
                "classroom",
                "attempt",
                "results",
                "feedback",
                "student_progress",
            ]
        ),
        label="page",
    )
    match page:
        case "quiz" | "source":
            slug = data.draw(st.one_of(slugs(world), hostile_text), label="slug")
            path = f"/{'quizzes' if page == 'quiz' else 'sources'}/{quote(slug, safe='')}/"
            return path, {"question": st.integers(-5, 10**20).map(str)}, {200, 404}
        case "classroom":
            classroom_id = data.draw(ids(world.classroom.pk, world.other_classroom.pk))
            mine = Classroom.objects.visible_to(world.owner).filter(pk=classroom_id).exists()
            board = st.sampled_from(["week", "all", f"quiz-{world.quiz.pk}", "quiz-", "quiz-0"])
            fields = {"board": board, "since": st.sampled_from(["", "0" * 16])}
            allowed = {200, 204, 404} if mine else {404}
            return reverse("quizzes:classroom", args=[classroom_id]), fields, allowed
        case "attempt" | "results" | "feedback":
            attempt_id = data.draw(attempt_ids(world), label="attempt")
            args = [attempt_id] + ([data.draw(ids(1, 2, 7))] if page == "feedback" else [])
            allowed = {404} if not_mine(world, attempt_id) else {200, 302, 404}
            return reverse(f"quizzes:{page}", args=args), {}, allowed
        case "student_progress":
            user_id = data.draw(ids(world.owner.pk, world.other.pk, world.teacher.pk))
            allowed = {200} if user_id == world.owner.pk else {404}
            return reverse("quizzes:student_progress", args=[user_id]), {}, allowed
        case "join_class":
            return reverse("quizzes:join_class"), {"code": codes(world)}, {200}
    return reverse(f"quizzes:{page}"), {}, {200}


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_queries_and_headers_on_student_pages(world: World, data: st.DataObject):
    with as_persona(world, "owner") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            path, fields, allowed = student_pages(world, data)
            query = data.draw(queries(fields), label="query")
            send(client, "GET", path, allowed, query=query, headers=data.draw(htmx_headers))


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "9e999998", "1" + "0" * 150])
def test_a_number_too_large_to_grade_is_refused_not_a_500(world: World, typed: str):
    """Found by fuzzing: grading "1e999999999" overflowed Decimal's range, a 500."""
    attempt = world.type_attempts[QuestionType.NUMERIC]
    client = world.client("owner")
    response = client.post(reverse("quizzes:answer", args=[attempt.pk, 1]), {"answer": typed})
    assert response.status_code == 400
    assert "That number is too large." in response.content.decode()
    assert not attempt.responses.exists()


def test_a_large_number_that_can_be_graded_is_graded(world: World):
    attempt = world.type_attempts[QuestionType.NUMERIC]
    client = world.client("owner")
    response = client.post(reverse("quizzes:answer", args=[attempt.pk, 1]), {"answer": "1e99"})
    assert response.status_code == 302
    assert attempt.responses.get().is_correct is False
