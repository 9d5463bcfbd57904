"""Request bodies are capped before anything reads them (issue 17, finding 6): a teacher's
upload (an import, a text to derive questions from, a source's text) up to UPLOAD_MAX_BYTES
and a form's fields, every other request REQUEST_MAX_BYTES, answered 413 with a page that says
so. A body that runs past the limit anyway is stopped as it streams in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test.client import FakePayload
from django.urls import reverse

from quizzes.middleware import LimitedUploadHandler, limit_request_body
from tests.admin_helpers import make_quiz

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class Unread(FakePayload):
    """A body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")


def claimed(length: int) -> dict[str, object]:
    """A request claiming a body of `length` bytes: a 413 must come from the Content-Length,
    before the body is read (the report's 40 MB login was written to disk first)."""
    return {
        "CONTENT_LENGTH": str(length),
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "wsgi.input": Unread(b""),
    }


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.mark.parametrize(
    "url",
    ["/accounts/login/", "/admin/login/", "/accounts/signup/", "/classes/join/", "/nowhere/"],
)
def test_a_large_body_to_any_ordinary_page_is_refused_unread(client, url):
    response = client.generic("POST", url, **claimed(40 * MB))
    assert response.status_code == 413
    page = response.content.decode()
    assert "<title>Too large to send · quizsite</title>" in page
    assert "takes forms of up to 64.0\xa0KB" in page and "Nothing was saved" in page


def test_a_form_just_over_the_limit_is_refused_and_one_at_it_goes_through(client):
    username = "x" * settings.REQUEST_MAX_BYTES
    assert client.post("/accounts/login/", {"username": username}).status_code == 413
    assert client.post("/accounts/login/", {"username": "x" * 60_000}).status_code == 200


def test_the_uploads_take_a_few_megabytes_and_no_more(teacher_client, teacher):
    quiz = make_quiz(teacher)
    imports = reverse("admin:quizzes_quiz_import", args=[quiz.pk])
    limit = settings.UPLOAD_MAX_BYTES + settings.REQUEST_MAX_BYTES
    for url in (imports, reverse("admin:quizzes_quiz_import_new")):
        response = teacher_client.generic("POST", url, **claimed(limit + 1))
        assert response.status_code == 413
        assert "takes files of up to 2.0\xa0MB" in response.content.decode()
    # Under the limit the file is read, and refused by the form if it is too big for a quiz.
    big = SimpleUploadedFile("big.gift", b"x" * (settings.UPLOAD_MAX_BYTES + 1))
    response = teacher_client.post(imports, {"file": big})
    assert response.status_code == 200
    assert "The file is larger than 2 MB." in response.content.decode()


def test_the_derive_page_takes_its_one_megabyte_of_text_and_no_more(teacher_client):
    url = reverse("admin:quizzes_derive")
    response = teacher_client.generic("POST", url, **claimed(MB + settings.REQUEST_MAX_BYTES + 1))
    assert response.status_code == 413
    assert "takes files of up to 1.0\xa0MB" in response.content.decode()
    response = teacher_client.post(url, {"title": "Long", "text": "a" * (MB + 1)})
    assert response.status_code == 200
    assert "The text is longer than 1 MB." in response.content.decode()


def test_a_source_text_can_be_pasted_whole(teacher_client):
    url = reverse("admin:quizzes_sourcedocument_add")
    text = "The trials were held in Moscow. " * 10_000  # 320 KB
    response = teacher_client.post(url, {"title": "Long", "slug": "long", "text": text})
    assert response.status_code == 302


def test_a_body_that_streams_past_its_limit_is_stopped():
    """What the Content-Length does not stop (a body without one, or with a wrong one) the
    upload handler does, chunk by chunk: nothing past the limit is kept."""
    handler = LimitedUploadHandler(None, limit=100)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(RequestDataTooBig):
        handler.receive_data_chunk(b"x" * 60, 60)


@pytest.mark.parametrize(
    ("url", "limit"),
    [("/accounts/login/", 64 * 1024), ("/admin/quizzes/quiz/import/", 2 * MB + 64 * 1024)],
)
def test_the_upload_handler_streams_first_with_the_views_limit(rf, url, limit):
    seen = []

    def view(request):
        seen.append(request.upload_handlers[0])
        return HttpResponse()

    limit_request_body(view)(rf.post(url, {"username": "x"}))
    assert isinstance(seen[0], LimitedUploadHandler) and seen[0].limit == limit


def test_a_body_that_django_stops_while_reading_it_is_a_413_too(client, settings):
    """Django's own limit on form fields (DATA_UPLOAD_MAX_MEMORY_SIZE), which it checks as it
    reads, answers with the same page, not a bare 400."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b"username=" + b"x" * 5000
    response = client.generic(
        "POST", "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Too large to send" in response.content.decode()
