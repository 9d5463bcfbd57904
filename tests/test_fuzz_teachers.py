"""Fuzzing what a teacher can send: creating a class, a new code, assigning and unassigning
quizzes (with hostile due dates, in time zones either side of UTC), removing students, and the
teacher's pages, with hostile values and other teachers' and students' ids.

Each example is a few requests by `teacher` (see tests/fuzzing.py), undone after. None may
answer 5xx or a status outside the endpoint's own; the other teacher's class, its students and
its assignments, and every student's own data, must stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from quizzes.models import Assignment, Classroom, Membership
from tests.admin_helpers import make_quiz
from tests.factories import TeacherFactory
from tests.fuzzing import (
    Body,
    World,
    as_persona,
    bodies,
    fuzz_settings,
    fuzz_world,
    hostile_uploads,
    htmx_headers,
    ids,
    long_runs,
    queries,
    rolled_back,
    send,
)

pytestmark = pytest.mark.django_db
TIME_ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Pacific/Auckland", "UTC"]


@pytest.fixture
def world(request, settings, personas) -> World:
    return fuzz_world(request, settings, personas)


def classroom_ids(world: World) -> st.SearchStrategy[int]:
    return ids(world.classroom.pk, world.other_classroom.pk)


def taught(world: World, classroom_id: int) -> bool:
    return Classroom.objects.taught_by(world.teacher).filter(pk=classroom_id).exists()


DATES = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.dates().map(str),
    st.sampled_from(
        [
            "0001-01-01T00:00",
            "0001-01-01",
            "9999-12-31T23:59",
            "9999-12-31 23:59",
            "2030-02-30",
            "2030-01-31T25:00",
            "2030-01-31T09:00:00",
            "31/01/2030",
            "2030-W05",
            "",
        ]
    ),
)


def teacher_posts(world: World, data: st.DataObject) -> tuple[str, dict[str, Any], set[int]]:
    """One of the teacher's forms: where it posts, its fields, the statuses it may get (404 for
    another teacher's class)."""
    action = data.draw(
        st.sampled_from(["create", "code", "assign", "unassign", "remove"]), label="action"
    )
    if action == "create":
        return reverse("quizzes:create_class"), {"name": None}, {200, 302, 400}
    classroom_id = data.draw(classroom_ids(world), label="classroom")
    mine = taught(world, classroom_id)
    match action:
        case "code":
            path, fields, allowed = (
                reverse("quizzes:regenerate_code", args=[classroom_id]),
                {},
                {302},
            )
        case "assign":
            quiz = ids(world.quiz.pk, world.draft.pk).map(str)
            path = reverse("quizzes:assign_quiz", args=[classroom_id])
            fields, allowed = {"quiz": quiz, "due_at": DATES}, {302, 400}
        case "unassign":
            assignment_id = data.draw(ids(world.assignment.pk, world.other_assignment.pk))
            path = reverse("quizzes:unassign_quiz", args=[classroom_id, assignment_id])
            fields, allowed = {}, {302, 404}
        case _:
            student_id = data.draw(ids(world.owner.pk, world.other.pk, world.teacher.pk))
            path = reverse("quizzes:remove_student", args=[classroom_id, student_id])
            fields, allowed = {}, {302, 404}
    return path, fields, allowed if mine else {404}


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_teacher_forms(world: World, data: st.DataObject):
    time_zone = data.draw(st.sampled_from(TIME_ZONES), label="TIME_ZONE")
    with override_settings(TIME_ZONE=time_zone), as_persona(world, "teacher") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            path, fields, allowed = teacher_posts(world, data)
            body = data.draw(bodies(fields), label="body")
            send(client, "POST", path, allowed, body=body, headers=data.draw(htmx_headers))
        # Whatever was sent, the teacher's own class stays a class of theirs.
        assert all(a.classroom.teacher_id == world.teacher.pk for a in _mine(Assignment, world))
        assert all(m.classroom.teacher_id == world.teacher.pk for m in _mine(Membership, world))
        # Every assignment left reads back (a due date the database could not keep would not).
        list(Assignment.objects.values_list("due_at", flat=True))


def _mine(model: Any, world: World) -> list[Any]:
    return list(model.objects.filter(classroom__teacher=world.teacher).select_related("classroom"))


def teacher_pages(world: World, data: st.DataObject) -> tuple[str, dict[str, Any], set[int]]:
    page = data.draw(
        st.sampled_from(
            [
                "manage_class",
                "gradebook",
                "gradebook_csv",
                "remove_student",
                "classroom",
                "student_progress",
                "classes",
                "create_class",
            ]
        ),
        label="page",
    )
    if page in ("classes", "create_class"):
        return reverse(f"quizzes:{page}"), {}, {200}
    if page == "student_progress":
        user_id = data.draw(ids(world.owner.pk, world.other.pk, world.other_teacher.pk))
        allowed = {200} if user_id in (world.owner.pk, world.teacher.pk) else {404}
        return reverse("quizzes:student_progress", args=[user_id]), {}, allowed
    classroom_id = data.draw(classroom_ids(world), label="classroom")
    mine = taught(world, classroom_id)
    if page == "remove_student":
        student_id = data.draw(ids(world.owner.pk, world.other.pk))
        path = reverse("quizzes:remove_student", args=[classroom_id, student_id])
        return path, {}, {200, 404} if mine else {404}
    fields: dict[str, Any] = {}
    if page == "classroom":
        board = st.sampled_from(["week", "all", f"quiz-{world.quiz.pk}", "quiz-x", "QUIZ-1"])
        fields = {"board": board, "since": None}
    allowed = {200, 204, 404} if page == "classroom" else {200}
    return reverse(f"quizzes:{page}", args=[classroom_id]), fields, allowed if mine else {404}


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_queries_and_headers_on_teacher_pages(world: World, data: st.DataObject):
    with as_persona(world, "teacher") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            path, fields, allowed = teacher_pages(world, data)
            query = data.draw(queries(fields), label="query")
            send(client, "GET", path, allowed, query=query, headers=data.draw(htmx_headers))


@pytest.mark.parametrize("time_zone", TIME_ZONES)
@pytest.mark.parametrize("due_at", ["0001-01-01T00:00", "0001-01-01", "9999-12-31T23:59"])
def test_a_due_date_at_the_end_of_the_calendar_is_refused_not_a_500(
    world: World, time_zone: str, due_at: str
):
    """Found by the fuzzer: east of UTC, 1 January of the year 1 has no UTC (where the database
    keeps it), nor west of it the last minute of 9999. Saving it was a 500."""
    client = world.client("teacher")
    url = reverse("quizzes:assign_quiz", args=[world.classroom.pk])
    with override_settings(TIME_ZONE=time_zone):
        response = client.post(url, {"quiz": world.quiz.pk, "due_at": due_at})
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            page = response.content.decode()
            # The year 1 is past anyway: a due date must lie ahead (issue 20).
            assert "between the years 2 and 9998" in page or "lies ahead" in page
        page = client.get(reverse("quizzes:manage_class", args=[world.classroom.pk]))
        assert page.status_code == 200


@pytest.fixture
def admin_teacher(world: World) -> Any:
    """A teacher in the admin's Teachers group, with a quiz of their own to import into."""
    teacher = TeacherFactory(username="admin_teacher")
    make_quiz(teacher)
    return teacher


@fuzz_settings(fast_examples=30)
@given(data=st.data())
def test_hostile_files_are_imported_or_refused_within_the_budget(
    world: World, admin_teacher: Any, data: st.DataObject
):
    """Issue 17: a GIFT or Moodle XML file of long runs (spaces, digits, "[id:", "<!--"...)
    took seconds to minutes to read, holding the write lock. `send` fails past 2 s."""
    quiz = admin_teacher.owned_quizzes.get()
    name, content = data.draw(hostile_uploads(), label="file")
    with rolled_back():
        client = world.client("anonymous")
        client.force_login(admin_teacher)
        for url in (
            reverse("admin:quizzes_quiz_import", args=[quiz.pk]),
            reverse("admin:quizzes_quiz_import_new"),
        ):
            fields = {"file": SimpleUploadedFile(name, content), "title": "Hostile"}
            send(client, "POST", url, {200, 302}, body=Body({"data": fields}))


@fuzz_settings(fast_examples=15)
@given(text=long_runs())
@example(text=". " * 20_000)  # the report's: 5.5 s before the derive engine's rewrite
def test_hostile_texts_are_derived_within_the_budget(world: World, admin_teacher: Any, text: str):
    with rolled_back():
        client = world.client("anonymous")
        client.force_login(admin_teacher)
        body = Body({"data": {"title": "Hostile", "text": text}})
        send(client, "POST", reverse("admin:quizzes_derive"), {200, 302}, body=body)
