"""A question's picture (issue 21, point 4): the admin's form takes a JPEG, PNG or WebP up to
2 MB with a description, refuses anything else with a form error, keeps only its pixels; the
card and the feedback show it with its description; the app serves it from the local storage."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quizzes.images import MAX_IMAGE_BYTES, ImageProblem, clean_image
from quizzes.models import Question, Status
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import QuizFactory, single_choice_question
from tests.test_admin_question_form import ADD, YEARS, errors_of, form_data, saved

GPS = 0x8825
MAKE = 0x010F


def picture(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    options = {}
    if exif:
        tags = image.getexif()
        tags[MAKE] = "Canon"
        tags[GPS] = {1: "N", 2: (51.0, 30.0, 0.0)}
        options["exif"] = tags
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "map.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def image_question(**fields) -> Question:
    question = single_choice_question(**fields)
    question.image_alt = "A map of the Soviet Union in 1929, Moscow marked in red."
    question.image.save("map.png", ContentFile(clean_image(picture("PNG")).data), save=True)
    return question


class TestCleanImage:
    @pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
    def test_it_keeps_the_format_and_the_pixels_size(self, fmt):
        clean = clean_image(picture(fmt, (120, 80)))
        assert Image.open(io.BytesIO(clean.data)).format == fmt
        assert (clean.width, clean.height) == (120, 80)

    def test_it_drops_exif_and_gps(self):
        original = picture(exif=True)
        assert Image.open(io.BytesIO(original)).getexif().get(MAKE) == "Canon"
        clean = Image.open(io.BytesIO(clean_image(original).data))
        assert dict(clean.getexif()) == {}
        assert "exif" not in clean.info and b"Canon" not in clean_image(original).data

    def test_it_scales_a_huge_picture_down(self):
        clean = clean_image(picture("PNG", (4000, 1000)))
        assert (clean.width, clean.height) == (1600, 400)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"GIF89a" + b"\0" * 40, "damaged"),
            (b"not a picture at all", "damaged"),
            (picture()[:200], "damaged"),
            (picture("GIF"), "JPEG, PNG or WebP"),
            (picture("BMP"), "JPEG, PNG or WebP"),
            (b"\xff" * (MAX_IMAGE_BYTES + 1), "larger than 2 MB"),
        ],
    )
    def test_it_refuses_what_is_not_a_small_good_picture(self, data, message):
        with pytest.raises(ImageProblem, match=message):
            clean_image(data)

    def test_it_refuses_a_decompression_bomb(self):
        bomb = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # a few kB, 100 megapixels
        assert len(bomb.getvalue()) < 100_000
        with pytest.raises(ImageProblem, match="too many pixels"):
            clean_image(bomb.getvalue())


@pytest.fixture
def my_quiz(teacher):
    return QuizFactory(owner=teacher, status=Status.DRAFT)


class TestAdminForm:
    def test_it_saves_a_picture_without_its_metadata_under_a_random_name(self, logged_in, my_quiz):
        data = form_data(my_quiz, "single_choice", YEARS, image_alt="A map of Europe.")
        data["image"] = upload(picture(exif=True), "holiday-in-Leeds.jpg")
        question = saved(logged_in.post(ADD, data))
        assert question.image_alt == "A map of Europe."
        assert (question.image_width, question.image_height) == (40, 30)
        assert re.fullmatch(r"questions/[0-9a-f]{32}\.jpg", question.image.name)
        with question.image.open() as stored:
            assert dict(Image.open(stored).getexif()) == {}

    def test_a_picture_needs_its_description(self, logged_in, my_quiz):
        data = form_data(my_quiz, "single_choice", YEARS, image_alt="  ")
        data["image"] = upload(picture())
        assert "Describe the picture" in errors_of(logged_in.post(ADD, data))
        assert not Question.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"not a picture", "valid image"),  # Django's own check with Pillow comes first
            (picture()[:300], "valid image"),
            (picture("GIF"), "JPEG, PNG or WebP"),
            (picture() + b"\0" * MAX_IMAGE_BYTES, "larger than 2 MB"),
        ],
    )
    def test_a_bad_file_is_a_form_error(self, logged_in, my_quiz, data, message):
        post = form_data(my_quiz, "single_choice", YEARS, image_alt="Something.")
        post["image"] = upload(data)
        response = logged_in.post(ADD, post)
        assert message in errors_of(response)
        assert not Question.objects.exists()

    # Django's ImageField opens the file before our check does, and Pillow warns as it does.
    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    def test_a_decompression_bomb_is_a_form_error(self, logged_in, my_quiz):
        bomb = io.BytesIO()
        Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")
        post = form_data(my_quiz, "single_choice", YEARS, image_alt="Something.")
        post["image"] = upload(bomb.getvalue(), "bomb.png")
        assert "too many pixels" in errors_of(logged_in.post(ADD, post))

    def test_the_change_form_takes_a_two_mb_picture_past_the_body_limit(
        self, logged_in, my_quiz, settings
    ):
        # A 2 MB noisy PNG: the body is well past the 64 kB every other form may send.
        settings.UPLOAD_MAX_BYTES = 0  # the question form's limit is its own, not the uploads'
        question = saved(logged_in.post(ADD, form_data(my_quiz, "single_choice", YEARS)))
        noisy = Image.frombytes("RGB", (800, 800), _noise(800 * 800 * 3))
        out = io.BytesIO()
        noisy.save(out, format="PNG")
        assert 1_500_000 < len(out.getvalue()) <= MAX_IMAGE_BYTES
        url = reverse("admin:quizzes_question_change", args=[question.pk])
        data = form_data(my_quiz, "single_choice", YEARS, image_alt="Noise.", key=question.key)
        data["image"] = upload(out.getvalue(), "noise.png")
        response = logged_in.post(url, data)
        assert response.status_code == 302, errors_of(response)
        question.refresh_from_db()
        assert question.image and question.image_width == 800

    def test_other_forms_keep_their_small_limit(self, logged_in, my_quiz):
        big = b"x" * (200 * 1024)
        response = logged_in.post(
            reverse("admin:quizzes_topic_add"), {"name": "T", "f": upload(big)}
        )
        assert response.status_code == 413


def _noise(n: int) -> bytes:
    import random

    return random.Random(1).randbytes(n)


class TestStudentSees:
    def test_the_card_shows_the_picture_with_its_description_and_size(self, alice_client, alice):
        question = image_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page = alice_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
        img = re.search(r"<img class=\"question-image\"[^>]*>", page).group(0)
        assert f'src="{question.image.url}"' in img
        assert 'alt="A map of the Soviet Union in 1929, Moscow marked in red."' in img
        assert 'width="40" height="30"' in img and 'loading="lazy"' in img
        assert "style=" not in img

    def test_the_feedback_shows_it_too(self, alice_client, alice):
        question = image_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        response = alice_client.post(
            reverse("quizzes:answer", args=[attempt.pk, 1]),
            answer_data(attempt, question, right=False),
            **HTMX,
        )
        page = response.content.decode()
        assert "Incorrect" in page
        assert f'src="{question.image.url}"' in page and "Moscow marked in red" in page

    def test_the_results_review_shows_it_in_the_fold(self, alice_client, alice):
        question = image_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        alice_client.post(
            reverse("quizzes:answer", args=[attempt.pk, 1]),
            answer_data(attempt, question, right=True),
        )
        results = alice_client.get(reverse("quizzes:results", args=[attempt.pk]))
        page = results.content.decode()
        assert results.status_code == 200
        assert page.count(f'src="{question.image.url}"') == 1 and "Moscow marked in red" in page

    def test_a_question_without_a_picture_has_no_img(self, alice_client, alice):
        question = single_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page = alice_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
        assert "question-image" not in page

    def test_the_app_serves_the_stored_picture(self, client, db):
        question = image_question()
        response = client.get(question.image.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert "immutable" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == question.image.read()

    @pytest.mark.parametrize(
        "path", ["/media/../settings.py", "/media/questions/x.svg", "/media/questions/a/b.png"]
    )
    def test_nothing_else_is_served_from_media(self, client, path):
        assert client.get(path).status_code == 404


class TestMoodleXml:
    """Moodle XML carries a picture inside its question text; GIFT and CSV have no place for
    one and leave it out."""

    def test_export_then_import_brings_the_picture_and_its_alt_text(self, db):
        from quizzes.interchange.formats import export_quiz, import_file

        question = image_question()
        raw, _ = export_quiz(question.quiz, "xml")
        assert b'encoding="base64"' in raw and b"@@PLUGINFILE@@/picture.png" in raw
        copy_quiz = QuizFactory(source=question.quiz.source)
        import_file(copy_quiz, "xml", raw)
        copy = copy_quiz.questions.get()
        assert copy.image_alt == question.image_alt
        assert (copy.image_width, copy.image_height) == (40, 30)
        assert copy.image.name != question.image.name
        with copy.image.open() as a, question.image.open() as b:
            assert a.read() == b.read()

    def test_importing_it_again_writes_no_new_file(self, db):
        from quizzes.interchange.formats import export_quiz, import_file

        question = image_question()
        raw, _ = export_quiz(question.quiz, "xml")
        import_file(question.quiz, "xml", raw)
        question_again = Question.objects.get(pk=question.pk)
        assert question_again.image.name == question.image.name

    @pytest.mark.parametrize("name", ["gift", "csv"])
    def test_gift_and_csv_leave_the_picture_out(self, db, name):
        from quizzes.interchange.formats import export_quiz

        raw, _ = export_quiz(image_question().quiz, name)
        assert b"PLUGINFILE" not in raw and b"base64" not in raw

    @pytest.mark.parametrize(
        ("file", "words"),
        [
            ('<file name="a.png" encoding="base64">!!!</file>', "not valid base64"),
            ('<file name="a.png" encoding="base64">aGVsbG8=</file>', "damaged"),
            (None, "no alt text"),
        ],
    )
    def test_a_bad_picture_is_a_problem_of_its_question(self, file, words):
        import base64

        from quizzes.interchange.moodle_xml import parse_moodle_xml
        from quizzes.interchange.schema import FormatError

        if file is None:
            data = base64.b64encode(picture("PNG")).decode()
            file = f'<file name="a.png" encoding="base64">{data}</file>'
        xml = f"""<quiz><question type="shortanswer"><name><text>q</text></name>
          <questiontext format="html"><text><![CDATA[<p>Who?</p><p><img src="@@PLUGINFILE@@/a.png"></p>]]></text>{file}</questiontext>
          <answer fraction="100"><text>Lenin</text></answer></question></quiz>"""
        with pytest.raises(FormatError) as error:
            parse_moodle_xml(xml)
        assert words in " ".join(error.value.messages)
