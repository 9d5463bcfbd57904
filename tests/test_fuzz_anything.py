"""Fuzzing everything at once: any persona, any URL of the site (from Django's resolver, so a
new URL is fuzzed as soon as it exists), any method, with the ids of anybody's objects or none,
any of the forms' fields with hostile values, odd bodies, query strings and headers.

Whatever arrives, the answer is never 5xx, always a status the site uses (a redirect, a page, a
refusal), and nothing of anybody else's changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import (
    PERSONAS,
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
    url_patterns,
)

pytestmark = pytest.mark.django_db
METHODS = ["GET", "GET", "POST", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]
# 301: a path without its trailing slash (APPEND_SLASH).
STATUSES = {200, 204, 301, 302, 400, 403, 404, 405}
JUNK_PATHS = [
    "/attempts/-1/",
    "/attempts/1",
    "/attempts/%00/",
    "/classes/1/students/x/remove/",
    "/quizzes/../admin/",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/sources/\u202e/",
    "//evil.example/",
    "/progress/my-data.csv/",
]


@pytest.fixture
def world(request, settings, personas) -> World:
    return fuzz_world(request, settings, personas)


def url_arguments(world: World) -> dict[str, st.SearchStrategy[Any]]:
    """For each URL argument, the world's objects of that kind (anybody's) and any other."""
    users = ids(world.owner.pk, world.other.pk, world.teacher.pk, world.other_teacher.pk)
    slugs = [world.quiz.slug, world.draft.slug, world.source.slug, world.draft.source.slug]
    return {
        "attempt_id": ids(world.open_attempt.pk, world.finished_attempt.pk, world.other_attempt.pk),
        "number": ids(1, 2, 7),
        "classroom_id": ids(world.classroom.pk, world.other_classroom.pk),
        "assignment_id": ids(world.assignment.pk, world.other_assignment.pk),
        "student_id": users,
        "user_id": users,
        "slug": st.one_of(
            st.sampled_from(slugs), st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True)
        ),
    }


def form_fields(world: World) -> dict[str, st.SearchStrategy[Any] | None]:
    """Every form field of the site, with a plausible value or none (hostile only)."""
    quiz_ids = ids(world.quiz.pk, world.draft.pk).map(str)
    codes = st.sampled_from([world.classroom.join_code, world.other_classroom.join_code])
    return {
        "choice": st.integers(0, 5).map(str),
        "answer": None,
        "position_0": st.integers(1, 3).map(str),
        "match_0": st.integers(0, 2).map(str),
        "code": codes,
        "name": None,
        "quiz": quiz_ids,
        "due_at": st.just("2030-01-31T09:00"),
        "anonymous": st.sampled_from(["0", "1"]),
        "username": st.sampled_from(["alice", "bob", "tess"]),
        "password": None,
        "password1": None,
        "password2": None,
        "display_name": None,
        "next": st.sampled_from(["/", "//evil.example/"]),
    }


@st.composite
def paths(draw: st.DrawFn, world: World) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.one_of(st.sampled_from(JUNK_PATHS), hostile_text.map(lambda t: "/" + t)))
    patterns = url_patterns()
    name = draw(st.sampled_from(sorted(patterns)))
    arguments = url_arguments(world)
    kwargs = {}
    for argument, converter in patterns[name].pattern.converters.items():
        default = ids() if isinstance(converter, IntConverter) else arguments["slug"]
        kwargs[argument] = draw(arguments.get(argument, default))
    return reverse(name, kwargs=kwargs)


@fuzz_settings(fast_examples=40)
@given(data=st.data())
def test_anything_from_anyone(world: World, data: st.DataObject):
    persona = data.draw(st.sampled_from(PERSONAS), label="persona")
    fields = form_fields(world)
    with as_persona(world, persona) as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            method = data.draw(st.sampled_from(METHODS), label="method")
            path = data.draw(paths(world), label="path")
            body = data.draw(bodies(fields), label="body") if method != "GET" else None
            query = data.draw(queries(fields), label="query")
            headers = data.draw(htmx_headers, label="headers")
            send(client, method, path, STATUSES, body=body, query=query, headers=headers)
