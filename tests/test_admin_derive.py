"""Deriving draft questions in the admin: from pasted text or an uploaded .txt file, to a draft
quiz of the teacher's, with a clear error for anything that is not a usable text."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes.models import Quiz, SourceDocument, Status

DERIVE = reverse("admin:quizzes_derive")
TEXT = (Path(__file__).parent / "data" / "berlin-wall.txt").read_text(encoding="utf-8")


def upload(content: bytes, name: str = "text.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def form_errors(response) -> str:
    assert response.status_code == 200
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def test_the_page_offers_pasting_or_uploading(logged_in):
    page = logged_in.get(DERIVE).content.decode()
    assert 'name="text"' in page and 'type="file"' in page and 'name="title"' in page
    assert 'enctype="multipart/form-data"' in page


def test_pasted_text_becomes_a_draft_quiz_of_the_teachers(logged_in, teacher):
    response = logged_in.post(DERIVE, {"title": "The Berlin Wall", "text": TEXT})
    quiz = Quiz.objects.get(title="The Berlin Wall")
    assert response.status_code == 302
    assert response.url == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert (quiz.owner, quiz.status) == (teacher, Status.DRAFT)
    assert quiz.source.owner == teacher
    questions = list(quiz.questions.order_by("position"))
    assert len(questions) > 5
    assert {q.status for q in questions} == {Status.DRAFT}
    confidences = [q.confidence for q in questions]
    assert confidences == sorted(confidences, reverse=True)  # best first
    assert all(q.passage in quiz.source.text for q in questions)


def test_the_quiz_page_lists_the_drafts_best_first_with_their_confidence(logged_in):
    response = logged_in.post(DERIVE, {"title": "The Berlin Wall", "text": TEXT}, follow=True)
    assert "draft questions derived from “The Berlin Wall”, best first" in response.content.decode()
    quiz = Quiz.objects.get()
    response = logged_in.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    page = response.content.decode()
    best = quiz.questions.order_by("-confidence").first()
    assert page.index(best.prompt[:40]) < page.index(
        quiz.questions.order_by("confidence").first().prompt[:40]
    )
    assert "Review the drafts, best first" in page
    # each says in a word why it scored as it did
    assert best.confidence_reason
    assert f"{round(100 * best.confidence)}% · {best.confidence_reason}" in page


def test_an_uploaded_file_works_the_same(logged_in):
    response = logged_in.post(DERIVE, {"title": "Wall", "file": upload(TEXT.encode("utf-8-sig"))})
    assert response.status_code == 302
    assert Quiz.objects.get().questions.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Wall"}, "Paste the text, or upload a .txt file."),
        ({"title": "Wall", "text": "   "}, "Paste the text, or upload a .txt file."),
        ({"title": "", "text": TEXT}, "This field is required."),
    ],
)
def test_a_missing_title_or_text_is_an_error(logged_in, data, message):
    response = logged_in.post(DERIVE, data)
    assert message in form_errors(response) + " ".join(response.context["form"].non_field_errors())
    assert not SourceDocument.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Trotsky was expelled in 1929.".encode("latin-1") + b"\xe9\xe8", "not UTF-8 text"),
        (b"", "The submitted file is empty."),
        (b"  \n\n ", "The file is empty."),
        (b"%PDF-1.4\x00\x00binary", "not a plain-text file"),
        (b"a" * (1024 * 1024 + 1), "the limit is 1 MB"),
    ],
)
def test_a_bad_upload_is_a_clear_form_error(logged_in, content, message):
    response = logged_in.post(DERIVE, {"title": "Wall", "file": upload(content)})
    assert message in form_errors(response)
    assert not Quiz.objects.exists()


def test_pasting_and_uploading_at_once_is_refused(logged_in):
    response = logged_in.post(
        DERIVE, {"title": "Wall", "text": TEXT, "file": upload(b"More text.")}
    )
    assert "not both" in " ".join(response.context["form"].non_field_errors())


def test_the_page_states_the_input_limit(logged_in):
    assert "Up to 1 MB of text" in logged_in.get(DERIVE).content.decode()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Hello.", "The text has only 1 word."),
        ("Share\nHome\nRead more about this topic: Berlin", "Nothing is left of this text"),
        (
            "Some people like walking in the hills and others like the sea. " * 5,
            "carries a year or a figure",
        ),
        (
            "It was 1990. It rained a lot. Maybe 40 people came, maybe more. Nobody knows. " * 5,
            "No sentence of the text's 20 could be turned into a question",
        ),
    ],
)
def test_a_text_with_nothing_to_ask_says_why_and_leaves_nothing_behind(logged_in, text, why):
    response = logged_in.post(DERIVE, {"title": "Nothing", "text": text})
    errors = " ".join(response.context["form"].non_field_errors())
    assert "No questions could be derived from this text." in errors and why in errors
    assert response.context["form"]["text"].value() == text  # kept, to edit and try again
    assert not Quiz.objects.exists() and not SourceDocument.objects.exists()


def test_students_cannot_derive(client, alice):
    client.force_login(alice)
    assert client.post(DERIVE, {"title": "Wall", "text": TEXT}).status_code == 302
    assert not Quiz.objects.exists()


def test_a_derived_matching_question_is_saved_with_its_pairs(logged_in):
    text = (
        "Hastings\n\nHarold Godwinson, the Earl of Wessex, was chosen king in 1066. Harald "
        "Hardrada, the king of Norway, invaded in September. Tostig Godwinson, the exiled brother "
        "of Harold, joined Hardrada. Edward Everett, the main speaker, spoke for two hours."
    )
    logged_in.post(DERIVE, {"title": "Hastings", "text": text})
    question = Quiz.objects.get(title="Hastings").questions.get(type="matching")
    pairs = {c.text: c.match_text for c in question.choices.all()}
    assert pairs["Harold Godwinson"] == "the Earl of Wessex"
    assert question.confidence_reason == "who was who"
