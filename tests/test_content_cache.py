"""Question content comes from the cache, keyed by the content stamp that the attempt's own query
reads (Question.cached, ContentStamp): the hot student requests make fewer queries, and any write
to content shows at once, in every process, whatever its cache.
"""

import pytest
import yaml
from django.apps import apps
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.interchange.banks import load_bank
from quizzes.models import (
    Attempt,
    Choice,
    ContentStamp,
    Question,
    Response,
    SourceDocument,
    Status,
    Topic,
)
from quizzes.models.attempts import start_attempt
from quizzes.models.content import ContentModel, ContentQuerySet
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import (
    QUESTION_MAKERS,
    SOURCE_TEXT,
    QuizFactory,
    quiz_with_every_type,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


def stamp() -> int | None:
    return ContentStamp.objects.values_list("version", flat=True).first()


def page(client, attempt) -> str:
    response = client.get(attempt.get_absolute_url(), **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def answer(client, attempt, number, data):
    return client.post(reverse("quizzes:answer", args=[attempt.pk, number]), data, **HTMX)


def feedback(client, attempt, number):
    return client.get(reverse("quizzes:feedback", args=[attempt.pk, number]), **HTMX)


def as_the_view_reads_it(attempt: Attempt, number: int = 1) -> Question:
    """The question as the student views get it: keyed by the stamp read with the attempt."""
    attempt = Attempt.objects.annotate(content_stamp=ContentStamp.current()).get(pk=attempt.pk)
    return Question.cached(attempt.question_id_at(number), stamp=attempt.content_stamp)


def answer_right_now(client, attempt, number=1):
    """Post the answer that the database (not any cache) says is right."""
    question = Question.objects.get(pk=attempt.question_id_at(number))
    return answer(client, attempt, number, answer_data(attempt, question, right=True))


@pytest.fixture
def single(alice):
    """A one-question quiz (1927, *1929*, 1932, 1934) and Alice's attempt at it."""
    question = single_choice_question()
    return question, start_attempt(user=alice, quiz=question.quiz)


class TestQueries:
    """Counts on a cold cache (the content was just edited) and a warm one, at two bank sizes.
    The session comes from the cache throughout."""

    @pytest.fixture(params=[0, 40], ids=["small bank", "big bank"])
    def attempt(self, request, alice):
        quiz = quiz_with_every_type()
        for _ in range(request.param):
            single_choice_question(quiz=quiz)
        return start_attempt(user=alice, quiz=quiz)

    def test_the_question_page_takes_one_when_warm(
        self, attempt, alice_client, django_assert_num_queries
    ):
        ContentStamp.bump()
        with django_assert_num_queries(4):  # user, attempt with the stamp, question, choices
            page(alice_client, attempt)
        with django_assert_num_queries(1):  # attempt with the stamp; user and question cached
            page(alice_client, attempt)

    def test_the_answer_post_takes_five_when_warm(
        self, attempt, alice_client, django_assert_num_queries
    ):
        question = Question.objects.get(pk=attempt.question_id_at(1))
        data = answer_data(attempt, question, right=True)
        ContentStamp.bump()
        # user, locked attempt with the stamp, question, choices, insert response, locked
        # progress, save progress, update attempt; and this test's savepoint and its release
        with django_assert_num_queries(10):
            answer(alice_client, attempt, 1, data)
        page(alice_client, attempt)  # the page caches question 2, as a student meets it
        question = Question.objects.get(pk=attempt.question_id_at(2))
        data = answer_data(attempt, question, right=True)
        with django_assert_num_queries(7):  # the same without user, question and choices
            answer(alice_client, attempt, 2, data)

    def test_the_feedback_takes_two_when_warm(
        self, attempt, alice_client, django_assert_num_queries
    ):
        answer_right_now(alice_client, attempt)
        ContentStamp.bump()
        with django_assert_num_queries(4):  # attempt, question, choices, response
            feedback(alice_client, attempt, 1)
        with django_assert_num_queries(2):  # attempt, response
            feedback(alice_client, attempt, 1)

    def test_the_locked_attempt_brings_the_stamp_in_the_same_query(self, attempt, alice_client):
        page(alice_client, attempt)
        with CaptureQueriesContext(connection) as queries:
            answer_right_now(alice_client, attempt)
        attempt_sql = [q["sql"] for q in queries if 'FROM "quizzes_attempt"' in q["sql"]]
        assert len(attempt_sql) == 1
        assert "quizzes_contentstamp" in attempt_sql[0]
        if connection.vendor == "postgresql":
            assert 'FOR UPDATE OF "quizzes_attempt"' in attempt_sql[0]


@pytest.mark.parametrize("kind", list(QuestionType))
class TestAWarmHitMakesNoQuery:
    def test_for_the_card_the_grading_and_the_feedback(self, kind, django_assert_num_queries):
        question = QUESTION_MAKERS[kind]()
        fresh = Question.objects.with_content().get(pk=question.pk)
        current = stamp()
        Question.cached(question.pk, stamp=current)
        attempt = Attempt(seed=7)  # answer_data needs only its seed
        with django_assert_num_queries(0):
            cached = Question.cached(question.pk, stamp=current)
            form = AnswerForm(cached, attempt.seed, data=answer_data(attempt, cached, right=True))
            assert form.is_valid(), form.errors
            given = form.answer()
            assert cached.grade(given) == fresh.grade(given)
            assert cached.grade(given).correct
            assert cached.describe_answer(given) == fresh.describe_answer(given)
            assert cached.right_answer_lines() == fresh.right_answer_lines()
            source = cached.quiz.source
            assert (source.title, source.slug, source.get_absolute_url()) == (
                fresh.quiz.source.title,
                fresh.quiz.source.slug,
                fresh.quiz.source.get_absolute_url(),
            )
            assert (cached.prompt, cached.passage) == (fresh.prompt, fresh.passage)

    def test_through_the_views(self, kind, alice, alice_client, django_assert_num_queries):
        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page(alice_client, attempt)
        with django_assert_num_queries(1):  # the attempt (the user comes from the cache)
            card = page(alice_client, attempt)
        assert question.prompt in card
        answer_right_now(alice_client, attempt)
        with django_assert_num_queries(2):  # the attempt and the response
            shown = feedback(alice_client, attempt, 1).content.decode()
        source = question.quiz.source
        assert question.passage in shown
        assert source.title in shown and source.get_absolute_url() in shown
        assert "Correct" in shown


class TestCachedMany:
    """Question.cached_many, for the results page: one round trip for all, the same questions
    as Question.cached gives, and what a write changed at once."""

    def test_a_warm_read_of_many_makes_no_query(self, django_assert_num_queries):
        quiz = quiz_with_every_type()
        pks = list(quiz.questions.values_list("pk", flat=True))
        ContentStamp.bump()
        now = stamp()
        with django_assert_num_queries(2):  # the questions with quiz and source, the choices
            cold = Question.cached_many(pks, stamp=now)
        with django_assert_num_queries(0):
            warm = Question.cached_many(pks, stamp=now)
        assert sorted(cold) == sorted(warm) == sorted(pks)
        for pk in pks:
            assert warm[pk].right_answer_lines() == Question.objects.get(pk=pk).right_answer_lines()
            assert warm[pk].quiz.source.title == cold[pk].quiz.source.title

    def test_it_shares_entries_with_cached(self, single, django_assert_num_queries):
        question, _attempt = single
        now = stamp()
        Question.cached(question.pk, stamp=now)
        with django_assert_num_queries(0):
            assert Question.cached_many([question.pk], stamp=now)[question.pk].pk == question.pk

    def test_it_reads_only_what_it_misses(self, django_assert_num_queries):
        first, second = single_choice_question(), single_choice_question()
        now = stamp()
        Question.cached(first.pk, stamp=now)
        with django_assert_num_queries(2):  # the second question, its choices
            found = Question.cached_many([first.pk, second.pk], stamp=now)
        assert set(found) == {first.pk, second.pk}

    def test_an_edit_shows_at_once(self, single):
        question, _attempt = single
        Question.cached_many([question.pk], stamp=stamp())
        Question.objects.filter(pk=question.pk).update(prompt="Renamed prompt")
        ContentStamp.bump()  # as every bulk write does
        assert Question.cached_many([question.pk], stamp=stamp())[question.pk].prompt == (
            "Renamed prompt"
        )

    def test_without_a_stamp_it_reads_the_database(self, single, django_assert_num_queries):
        question, _attempt = single
        for _ in range(2):
            with django_assert_num_queries(2):
                Question.cached_many([question.pk], stamp=None)

    def test_the_results_page_shows_an_edit_at_once(self, single, alice_client):
        question, attempt = single
        answer_right_now(alice_client, attempt)
        results = reverse("quizzes:results", args=[attempt.pk])
        assert question.passage in alice_client.get(results).content.decode()
        question.passage = "A corrected passage of the source."
        question.save()
        assert "A corrected passage of the source." in alice_client.get(results).content.decode()


class TestAWriteShowsAtOnce:
    """Each test warms the cache first, so a missed bump would show the old content."""

    def test_a_choice_s_new_text(self, single, alice_client):
        question, attempt = single
        assert "1932" in page(alice_client, attempt)
        choice = question.choices.get(text="1932")
        choice.text = "1933"
        choice.save()
        card = page(alice_client, attempt)
        assert "1933" in card and "1932" not in card

    def test_a_new_right_answer_grades_at_once(self, single, alice_client):
        question, attempt = single
        page(alice_client, attempt)
        question.choices.filter(text="1929").get().delete()  # the right one goes...
        new = question.choices.get(text="1927")
        new.is_correct = True  # ...and another becomes right
        new.save()
        answer_right_now(alice_client, attempt)
        response = Response.objects.get()
        assert response.is_correct and response.answer_text == "1927"

    def test_a_choice_that_is_no_longer_right(self, single, alice_client):
        question, attempt = single
        page(alice_client, attempt)
        old = question.choices.get(text="1929")
        old.is_correct = False
        old.save()
        new = question.choices.get(text="1934")
        new.is_correct = True
        new.save()
        answer_right_now(alice_client, attempt)
        assert Response.objects.get().answer_text == "1934"
        assert Response.objects.get().is_correct

    def test_a_deleted_choice(self, single, alice_client):
        question, attempt = single
        assert "1932" in page(alice_client, attempt)
        question.choices.get(text="1932").delete()
        assert "1932" not in page(alice_client, attempt)

    def test_a_new_prompt_and_passage(self, single, alice_client):
        question, attempt = single
        page(alice_client, attempt)
        question.prompt = "When was Trotsky expelled from the Soviet Union?"
        question.passage = "Trotsky was expelled from the Soviet Union"
        question.save()
        assert "When was Trotsky expelled" in page(alice_client, attempt)
        answer_right_now(alice_client, attempt)
        shown = feedback(alice_client, attempt, 1).content.decode()
        assert "<blockquote>Trotsky was expelled from the Soviet Union</blockquote>" in shown

    def test_a_renamed_source(self, single, alice_client):
        question, attempt = single
        answer_right_now(alice_client, attempt)
        assert question.quiz.source.title in feedback(alice_client, attempt, 1).content.decode()
        source = SourceDocument.objects.get(pk=question.quiz.source_id)
        source.title = "Trotsky in exile"
        source.save()
        assert "Trotsky in exile" in feedback(alice_client, attempt, 1).content.decode()

    def test_a_question_deleted_after_the_attempt_started_is_404(self, alice, alice_client):
        quiz = QuizFactory()
        for _ in range(2):
            single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        page(alice_client, attempt)  # cached
        Question.objects.get(pk=attempt.question_id_at(1)).delete()
        assert alice_client.get(attempt.get_absolute_url()).status_code == 404
        assert answer(alice_client, attempt, 1, {"choice": "0"}).status_code == 404

    def test_an_unknown_question_is_404_and_not_cached(self, alice, alice_client):
        attempt = Attempt.objects.create(user=alice, question_ids=[987654321], kind="practice")
        assert alice_client.get(attempt.get_absolute_url()).status_code == 404
        with pytest.raises(Question.DoesNotExist):
            Question.cached(987654321, stamp=stamp())

    def test_a_reloaded_bank(self, tmp_path, alice, alice_client):
        path = write_bank(tmp_path, BANK)
        quiz = load_bank(path)
        attempt = start_attempt(user=alice, quiz=quiz)
        assert "In which year was Trotsky expelled?" in page(alice_client, attempt)
        edited = yaml.safe_load(yaml.safe_dump(BANK))
        edited["questions"][0]["prompt"] = "When was Trotsky expelled?"
        edited["questions"][0]["choices"] = [{"text": "1927", "correct": True}, {"text": "1929"}]
        load_bank(write_bank(tmp_path, edited))
        assert "When was Trotsky expelled?" in page(alice_client, attempt)
        answer_right_now(alice_client, attempt)
        assert Response.objects.get().answer_text == "1927"

    def test_a_question_retired_from_its_bank(self, tmp_path, alice):
        """Reloading a bank without a question only update()s it to draft: no signal, but
        ContentQuerySet moves the stamp."""
        quiz = load_bank(write_bank(tmp_path, BANK))
        attempt = start_attempt(user=alice, quiz=quiz)
        assert as_the_view_reads_it(attempt, 2).status == Status.PUBLISHED
        shorter = {**BANK, "questions": BANK["questions"][:1]}
        load_bank(write_bank(tmp_path, shorter))
        assert as_the_view_reads_it(attempt, 2).status == Status.DRAFT


SOURCE = {"slug": "exile", "title": "Exile", "file": "exile.txt"}
BANK = {
    "source": SOURCE,
    "quiz": {"slug": "exile", "title": "Exile", "status": "published"},
    "questions": [
        {
            "key": "expelled",
            "type": "single_choice",
            "topic": "Exile",
            "prompt": "In which year was Trotsky expelled?",
            "choices": [{"text": "1927"}, {"text": "1929", "correct": True}],
            "passage": "Trotsky was expelled from the Soviet Union in 1929.",
        },
        {
            "key": "kirov",
            "type": "true_false",
            "topic": "Exile",
            "prompt": "True or false: Kirov was killed in 1934.",
            "answer": True,
            "passage": "In December 1934, Sergei Kirov was assassinated.",
        },
    ],
}


def write_bank(folder, data):
    (folder / SOURCE["file"]).write_text(SOURCE_TEXT, encoding="utf-8")
    path = folder / "exile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


class TestTheAdminActions:
    """Publishing and unpublishing write with update(): ContentQuerySet moves the stamp."""

    def act(self, client, model, action, objects):
        url = reverse(f"admin:quizzes_{model}_changelist")
        data = {"action": action, "_selected_action": [o.pk for o in objects], "index": 0}
        assert client.post(url, data).status_code == 302

    def test_unpublishing_and_publishing_a_question(self, logged_in, teacher, alice):
        quiz = QuizFactory(owner=teacher)
        question = single_choice_question(quiz=quiz, passage_start=0)
        attempt = start_attempt(user=alice, quiz=quiz)
        assert as_the_view_reads_it(attempt).status == Status.PUBLISHED
        self.act(logged_in, "question", "unpublish", [question])
        assert as_the_view_reads_it(attempt).status == Status.DRAFT
        self.act(logged_in, "question", "publish", [question])
        assert as_the_view_reads_it(attempt).status == Status.PUBLISHED

    def test_unpublishing_and_publishing_a_quiz(self, logged_in, teacher, alice):
        quiz = QuizFactory(owner=teacher)
        single_choice_question(quiz=quiz, passage_start=0)
        attempt = start_attempt(user=alice, quiz=quiz)
        assert as_the_view_reads_it(attempt).quiz.status == Status.PUBLISHED
        self.act(logged_in, "quiz", "unpublish", [quiz])
        assert as_the_view_reads_it(attempt).quiz.status == Status.DRAFT
        self.act(logged_in, "quiz", "publish", [quiz])
        assert as_the_view_reads_it(attempt).quiz.status == Status.PUBLISHED

    @pytest.mark.parametrize(
        "model, action",
        [
            ("quiz", "publish"),
            ("quiz", "unpublish"),
            ("quiz", "duplicate"),
            ("question", "publish"),
            ("question", "unpublish"),
            ("question", "duplicate"),
        ],
    )
    def test_each_changes_the_stamp(self, logged_in, teacher, model, action):
        quiz = QuizFactory(owner=teacher)
        question = single_choice_question(quiz=quiz, passage_start=0)
        before = stamp()
        self.act(logged_in, model, action, [quiz if model == "quiz" else question])
        assert stamp() != before


def _save(obj):
    obj.save()


WRITES = {
    "save a question": lambda q: _save(q),
    "delete a question": lambda q: q.delete(),
    "save a choice": lambda q: _save(q.choices.first()),
    "add a choice": lambda q: Choice.objects.create(question=q, text="1930"),
    "delete a choice": lambda q: q.choices.first().delete(),
    "save a quiz": lambda q: _save(q.quiz),
    "delete a quiz": lambda q: q.quiz.delete(),
    "save a source": lambda q: _save(q.quiz.source),
    "save a topic": lambda q: _save(q.topic),
    "add a topic": lambda q: Topic.named("The purges"),
    "bump": lambda q: ContentStamp.bump(),
    # Bulk writes send no signal: ContentQuerySet moves the stamp for them.
    "update questions": lambda q: Question.objects.filter(pk=q.pk).update(prompt="New?"),
    "update a quiz's questions": lambda q: q.quiz.questions.update(explanation="Why."),
    "update choices": lambda q: q.choices.update(text="1931"),
    "bulk-create choices": lambda q: Choice.objects.bulk_create([Choice(question=q, text="1933")]),
    "bulk-update choices": lambda q: Choice.objects.bulk_update(
        [Choice(pk=q.choices.first().pk, question=q, text="1935")], ["text"]
    ),
    "update quizzes": lambda q: type(q.quiz).objects.filter(pk=q.quiz_id).update(title="New"),
    "update sources": lambda q: SourceDocument.objects.update(title="Renamed"),
    "update topics": lambda q: Topic.objects.filter(pk=q.topic_id).update(name="Renamed"),
}


class TestTheStamp:
    @pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
    def test_it_changes_on_every_kind_of_write(self, write):
        question = single_choice_question()
        before = stamp()
        write(question)
        assert stamp() != before

    def test_loading_a_bank_changes_it_even_when_it_only_retires_a_question(self, tmp_path):
        load_bank(write_bank(tmp_path, BANK))
        before = stamp()
        load_bank(write_bank(tmp_path, BANK))
        assert stamp() == before  # an unchanged bank writes nothing
        load_bank(write_bank(tmp_path, {**BANK, "questions": BANK["questions"][:1]}))
        assert stamp() != before

    def test_a_bulk_write_that_changes_nothing_leaves_it(self):
        single_choice_question()
        before = stamp()
        assert Question.objects.filter(pk=-1).update(prompt="Nobody") == 0
        assert Choice.objects.bulk_create([]) == []
        assert stamp() == before

    def test_students_do_not_change_it(self, single, alice_client):
        _, attempt = single
        before = stamp()
        page(alice_client, attempt)
        answer_right_now(alice_client, attempt)
        feedback(alice_client, attempt, 1)
        assert stamp() == before

    def test_a_rolled_back_bump_never_comes_back(self):
        """Not version + 1: after a rollback, the next write would reuse the rolled-back
        number, under which the cache may hold content that never committed."""
        before = stamp()
        with pytest.raises(RuntimeError), transaction.atomic():
            ContentStamp.bump()
            rolled_back = stamp()
            raise RuntimeError
        assert stamp() == before
        ContentStamp.bump()
        assert stamp() not in {before, rolled_back}

    def test_without_its_row_nothing_is_cached_and_the_next_write_makes_it(
        self, single, alice_client, django_assert_num_queries
    ):
        """As after `flush` (transactional tests empty every table)."""
        question, attempt = single
        ContentStamp.objects.all().delete()
        page(alice_client, attempt)  # the first request caches the user
        for _ in range(2):
            with django_assert_num_queries(3):  # attempt, question, choices
                page(alice_client, attempt)
        question.save()
        assert stamp() is not None
        page(alice_client, attempt)
        with django_assert_num_queries(1):
            page(alice_client, attempt)


def test_two_processes_with_their_own_caches_both_see_a_write(settings, single, alice_client):
    """Each gunicorn worker has its own locmem cache: a write reaches them all through the
    stamp that every request reads from the database, not through the caches."""
    question, attempt = single
    workers = [
        {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": n}}
        for n in ("worker-1", "worker-2")
    ]
    for caches in workers:
        settings.CACHES = caches
        assert "1932" in page(alice_client, attempt)
    # Behind the stamp's back (raw SQL: no signal, no ContentQuerySet), both workers keep what
    # they cached: they really serve from their own caches.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Choice._meta.db_table} SET text = %s WHERE question_id = %s AND text = %s",
            ["1933", question.pk, "1932"],
        )
    for caches in workers:
        settings.CACHES = caches
        assert "1932" in page(alice_client, attempt)
    question.choices.get(text="1933").save()  # an ordinary save: the signal bumps the stamp
    for caches in workers:
        settings.CACHES = caches
        card = page(alice_client, attempt)
        assert "1933" in card and "1932" not in card


def content_models() -> list:
    """Every model of quizzes/models/content.py but the stamp itself: the content."""
    models = apps.get_app_config("quizzes").get_models()
    return [
        model
        for model in models
        if model.__module__ == "quizzes.models.content" and model is not ContentStamp
    ]


class TestEveryContentModelIsCovered:
    """A new content model moves the stamp with no list to keep: it derives from ContentModel,
    and this test fails until it does."""

    def test_there_are_the_five_at_least(self):
        names = {model.__name__ for model in content_models()}
        assert {"SourceDocument", "Topic", "Quiz", "Question", "Choice"} <= names

    @pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
    def test_it_is_content_and_its_bulk_writes_move_the_stamp(self, model):
        assert issubclass(model, ContentModel)
        assert isinstance(model._default_manager.all(), ContentQuerySet)

    @pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
    def test_each_kind_of_write_to_it_moves_the_stamp(self, model):
        single_choice_question()  # a row of every content model the factories know
        row = model._default_manager.first()
        assert row is not None, f"make a {model.__name__} in single_choice_question()"
        pk = model._meta.pk.attname
        writes = {
            "save": row.save,
            "update": lambda: model._default_manager.filter(pk=row.pk).update(**{pk: row.pk}),
            "delete": row.delete,
        }
        for name, write in writes.items():
            if name == "delete":
                unprotect(row)
            before = stamp()
            write()
            assert stamp() != before, name


def unprotect(row) -> None:
    """Delete the rows that keep `row` from being deleted (a topic's questions, say)."""
    try:
        with transaction.atomic():
            type(row)._default_manager.get(pk=row.pk).delete()  # (a copy: delete() forgets pk)
            transaction.set_rollback(True)
    except ProtectedError as error:
        for other in error.protected_objects:
            other.delete()
