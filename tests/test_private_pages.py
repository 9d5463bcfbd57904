"""Private pages and downloads are never stored (issue 17): every page a signed-in user gets, and
every CSV, says `Cache-Control: no-store`, so a shared school computer's browser or a proxy
keeps none of them. And a CSV opens safely in a spreadsheet of any language: every cell quoted,
and no cell able to run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from quizzes.spreadsheets import cell
from tests.fuzzing import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas) -> World:
    return build_world(personas)


def private_urls(world: World) -> dict[str, list[str]]:
    return {
        "owner": [
            reverse("quizzes:home"),
            reverse("quizzes:quiz", args=[world.quiz.slug]),
            reverse("quizzes:attempt", args=[world.open_attempt.pk]),
            reverse("quizzes:feedback", args=[world.open_attempt.pk, 1]),
            reverse("quizzes:results", args=[world.finished_attempt.pk]),
            reverse("quizzes:progress"),
            reverse("quizzes:mistakes"),
            reverse("quizzes:my_data"),
            reverse("quizzes:classes"),
            reverse("quizzes:classroom", args=[world.classroom.pk]),
            reverse("quizzes:source", args=[world.source.slug]),
        ],
        "teacher": [
            reverse("quizzes:classes"),
            reverse("quizzes:manage_class", args=[world.classroom.pk]),
            reverse("quizzes:gradebook", args=[world.classroom.pk]),
            reverse("quizzes:gradebook_csv", args=[world.classroom.pk]),
            reverse("quizzes:student_progress", args=[world.owner.pk]),
        ],
    }


@pytest.mark.parametrize("persona", ["owner", "teacher"])
def test_every_page_of_a_signed_in_user_is_never_stored(world, persona):
    client = world.client(persona)
    for url in private_urls(world)[persona]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_login_pages_are_never_stored(client, url):
    assert "no-store" in client.get(url)["Cache-Control"]


def test_a_download_quotes_every_cell_so_no_list_separator_splits_one(world):
    world.owner.display_name = 'Ann;=HYPERLINK("http://evil.example")'
    world.owner.save()
    response = world.client("teacher").get(
        reverse("quizzes:gradebook_csv", args=[world.classroom.pk])
    )
    text = response.content.decode()
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"')
    assert '"Ann;=HYPERLINK(""http://evil.example"")"' in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ['Ann;=HYPERLINK("http://evil.example")', world.owner.username]


def test_a_students_own_data_is_quoted_too(world):
    response = world.client("owner").get(reverse("quizzes:my_data"))
    lines = response.content.decode().splitlines()
    assert len(lines) > 1 and all(line.startswith('"') for line in lines)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("Ann;=1", "Ann;=1"),
        ("100", "100"),
        (42, "42"),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_kept_as_text(value, kept):
    assert cell(value) == kept
