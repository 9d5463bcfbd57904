"""Import and export pages of the admin: download a quiz in each format, import a file into a
quiz or as a new quiz, and see every problem of a bad file with nothing imported."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.interchange.store import quiz_dicts
from quizzes.models import Quiz, Status
from tests.admin_helpers import make_quiz

DATA = Path(__file__).parent / "data"


@pytest.fixture
def my_quiz(teacher):
    return make_quiz(teacher)


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes() if content is None else content)


@pytest.mark.parametrize(
    ("fmt", "filename", "content_type", "start"),
    [
        ("gift", "quiz.gift.txt", "text/plain", b"// Quiz"),
        ("xml", "quiz.xml", "application/xml", b'<?xml version="1.0"'),
        ("csv", "quiz.csv", "text/csv", b'"key","type","prompt"'),
    ],
)
def test_a_quiz_downloads_in_each_format(logged_in, my_quiz, fmt, filename, content_type, start):
    my_quiz.slug = "quiz"
    my_quiz.save()
    response = logged_in.get(reverse("admin:quizzes_quiz_export", args=[my_quiz.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(start)


def test_the_quiz_page_offers_import_and_export(logged_in, my_quiz):
    page = logged_in.get(reverse("admin:quizzes_quiz_change", args=[my_quiz.pk])).content.decode()
    for fmt in ("gift", "xml", "csv"):
        assert reverse("admin:quizzes_quiz_export", args=[my_quiz.pk, fmt]) in page
    assert reverse("admin:quizzes_quiz_import", args=[my_quiz.pk]) in page


@pytest.mark.parametrize("fmt", ["gift", "xml", "csv"])
def test_a_download_imported_as_a_new_quiz_gives_the_same_questions(logged_in, my_quiz, fmt):
    content = logged_in.get(reverse("admin:quizzes_quiz_export", args=[my_quiz.pk, fmt])).content
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import_new"),
        {
            "title": "A copy",
            "source": my_quiz.source.pk,
            "file": SimpleUploadedFile(f"copy.{fmt}", content),
            "format": "",
            "as_drafts": "on",
        },
    )
    copy = Quiz.objects.get(title="A copy")
    assert response.status_code == 302
    assert response.url == reverse("admin:quizzes_quiz_change", args=[copy.pk])
    assert copy.status == Status.DRAFT
    as_drafts = [dict(d, status="draft") for d in quiz_dicts(my_quiz)]
    assert quiz_dicts(copy) == as_drafts


def test_importing_into_a_quiz_says_what_it_did(logged_in, my_quiz):
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import", args=[my_quiz.pk]),
        {"file": upload("moscow.gift"), "format": "gift", "as_drafts": "on"},
        follow=True,
    )
    assert "Imported 10 questions (10 added, 0 updated)." in response.content.decode()
    assert my_quiz.questions.count() == 17


def test_a_bad_file_lists_its_problems_and_imports_nothing(logged_in, my_quiz):
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import", args=[my_quiz.pk]),
        {"file": upload("broken.gift"), "format": "", "as_drafts": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in page
    assert "Line 4: The answers opened with { are not closed with }." in page
    assert "Line 6: Essay questions" in page
    assert "Line 8:" in page
    assert my_quiz.questions.count() == 7


def test_a_failed_new_quiz_import_leaves_no_empty_quiz_behind(logged_in):
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import_new"),
        {"title": "Broken", "file": upload("broken.xml")},
    )
    assert "Nothing was imported." in response.content.decode()
    assert not Quiz.objects.filter(title="Broken").exists()


def test_an_unknown_file_name_asks_for_the_format(logged_in, my_quiz):
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import", args=[my_quiz.pk]),
        {"file": SimpleUploadedFile("questions.dat", b"::Q::Who?{=A ~B}")},
    )
    assert "does not say which format" in str(response.context["form"].errors)


def test_an_import_into_another_teachers_quiz_is_refused(logged_in, other_teacher):
    theirs = make_quiz(other_teacher)
    response = logged_in.post(
        reverse("admin:quizzes_quiz_import", args=[theirs.pk]), {"file": upload("moscow.gift")}
    )
    assert response.status_code == 403
    assert theirs.questions.count() == 7


def test_the_import_page_explains_the_formats(logged_in):
    page = logged_in.get(reverse("admin:quizzes_quiz_import_new")).content.decode()
    assert "GIFT" in page and "Moodle XML" in page and "CSV" in page
    assert "cannot be imported" in page
