"""The student flow: the quiz list, a quiz page, starting, answering, feedback and results.

Each view has its access matrix (anonymous, owner, another student, wrong method) and is
checked both as a full page and as the HTMX fragment it swaps in.
"""

import re
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.urls import reverse

from quizzes.grading import QuestionType
from quizzes.models import Attempt, ContentStamp, Question, Response, Status
from quizzes.models.attempts import start_attempt
from tests.answers import answer_data
from tests.conftest import HTMX
from tests.factories import QuizFactory, UserFactory, quiz_with_every_type, single_choice_question

pytestmark = pytest.mark.django_db


def answer_url(attempt, number):
    return reverse("quizzes:answer", args=[attempt.pk, number])


def current_question(attempt):
    attempt.refresh_from_db()
    return Question.objects.get(pk=attempt.question_ids[attempt.position])


class TestHome:
    def test_it_lists_published_quizzes_for_anyone(self, client, quiz):
        QuizFactory(title="Secret draft", status=Status.DRAFT)
        page = client.get("/").content.decode()
        assert quiz.title in page
        assert "7 questions" in page
        assert "Secret draft" not in page

    def test_it_shows_a_student_their_best_score_and_unfinished_attempt(
        self, alice_client, alice, quiz
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        page = alice_client.get("/").content.decode()
        assert "Resume quiz" in page
        assert reverse("quizzes:attempt", args=[attempt.pk]) in page

    def test_its_queries_do_not_grow_with_the_quizzes(
        self, alice_client, alice, django_assert_num_queries
    ):
        for _ in range(2):
            start_attempt(user=alice, quiz=single_choice_question().quiz)
        alice_client.get("/")  # the first request caches the user
        # quizzes, attempts summary, questions due for review, assigned quizzes, live games of
        # her classes (session and user: cache)
        with django_assert_num_queries(5):
            alice_client.get("/")
        for _ in range(20):
            start_attempt(user=alice, quiz=single_choice_question().quiz)
        with django_assert_num_queries(5):
            alice_client.get("/")

    def test_it_refuses_post(self, client):
        assert client.post("/").status_code == 405


class TestQuizPage:
    def test_it_offers_start_then_resume(self, alice_client, alice, quiz):
        url = reverse("quizzes:quiz", args=[quiz.slug])
        assert "Start quiz" in alice_client.get(url).content.decode()
        start_attempt(user=alice, quiz=quiz)
        assert "Resume quiz" in alice_client.get(url).content.decode()

    def test_anonymous_is_asked_to_log_in(self, client, quiz):
        page = client.get(reverse("quizzes:quiz", args=[quiz.slug])).content.decode()
        assert "Log in to start" in page

    def test_unknown_or_draft_quiz_is_404(self, client):
        assert client.get(reverse("quizzes:quiz", args=["nope"])).status_code == 404
        draft = QuizFactory(status=Status.DRAFT)
        assert client.get(reverse("quizzes:quiz", args=[draft.slug])).status_code == 404


class TestStartQuiz:
    def test_it_starts_once_and_resumes_after(self, alice_client, quiz):
        url = reverse("quizzes:start", args=[quiz.slug])
        first = alice_client.post(url)
        second = alice_client.post(url)
        attempt = Attempt.objects.get()
        # Each step has its own address (issue 21): starting lands on the question that is due.
        assert first.url == second.url == reverse("quizzes:feedback", args=[attempt.pk, 1])

    def test_it_needs_post_and_login(self, client, quiz):
        url = reverse("quizzes:start", args=[quiz.slug])
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_a_quiz_without_questions_says_so(self, alice_client):
        empty = QuizFactory()
        response = alice_client.post(reverse("quizzes:start", args=[empty.slug]), follow=True)
        assert "no questions yet" in response.content.decode()
        assert not Attempt.objects.exists()


class TestQuestionPage:
    def test_it_shows_the_current_question_in_a_labelled_fieldset(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        page = alice_client.get(attempt.get_absolute_url()).content.decode()
        assert "<legend" in page and current_question(attempt).prompt in page
        assert "Question 1 of 7" in page and "<progress" in page
        assert "Check answer" in page
        assert "<html" in page

    def test_htmx_gets_just_the_question_card(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        page = alice_client.get(attempt.get_absolute_url(), **HTMX).content.decode()
        assert "Check answer" in page
        assert "<html" not in page

    def test_another_student_gets_404(self, client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        client.force_login(UserFactory())
        assert client.get(attempt.get_absolute_url()).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert "/accounts/login/" in client.get(attempt.get_absolute_url()).url

    def test_unknown_attempt_is_404(self, alice_client):
        assert alice_client.get(reverse("quizzes:attempt", args=[999])).status_code == 404

    def test_a_finished_attempt_goes_to_the_results(self, alice_client, alice):
        question = single_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        alice_client.post(answer_url(attempt, 1), answer_data(attempt, question, right=True))
        response = alice_client.get(attempt.get_absolute_url())
        assert response.url == reverse("quizzes:results", args=[attempt.pk])
        htmx = alice_client.get(attempt.get_absolute_url(), **HTMX)
        assert htmx["HX-Redirect"] == reverse("quizzes:results", args=[attempt.pk])

    def test_its_queries_do_not_grow_with_the_bank(
        self, alice_client, alice, django_assert_num_queries
    ):
        small = quiz_with_every_type()
        big = quiz_with_every_type()
        for _ in range(30):
            single_choice_question(quiz=big)
        for quiz in (small, big):
            attempt = start_attempt(user=alice, quiz=quiz)
            ContentStamp.bump()  # as if the bank had just been edited: nothing cached
            alice_client.get("/")  # the first request caches the user
            # attempt with the content stamp, question, choices (the session and the user come
            # from the cache)
            with django_assert_num_queries(3):
                alice_client.get(attempt.get_absolute_url(), **HTMX)
            # then the question from the cache too (tests/test_content_cache.py): the attempt
            with django_assert_num_queries(1):
                alice_client.get(attempt.get_absolute_url(), **HTMX)


@pytest.mark.parametrize("kind", list(QuestionType))
def test_every_type_has_its_card_in_its_own_template(kind):
    """A new type fails here until templates/quizzes/types/<type>.html has its card."""
    template = get_template(f"quizzes/types/{kind.value}.html#card")
    assert str(template.template.origin).endswith(f"quizzes/types/{kind.value}.html")


@pytest.mark.parametrize("kind", list(QuestionType))
class TestNothingGivesTheAnswerAway:
    def test_the_card_names_options_by_their_place_and_flags_nothing(
        self, kind, alice_client, alice
    ):
        from tests.factories import QUESTION_MAKERS

        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page = alice_client.get(attempt.get_absolute_url(), **HTMX).content.decode()
        assert "correct" not in page.lower()
        assert "data-" not in page
        # Options are posted by their place in the shown order (0, 1, ...), never by id.
        values = set(
            re.findall(r'name="(?:choice|position_\d+|match_\d+)"[^>]*value="([^"]*)"', page)
        )
        values |= set(re.findall(r'<option value="([^"]*)"', page))
        assert values <= {""} | {str(n) for n in range(10)}


@pytest.mark.parametrize(
    "kind",
    [
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.ORDERING,
        QuestionType.MATCHING,
    ],
)
def test_the_right_option_is_not_always_in_the_same_place(kind):
    from tests.factories import QUESTION_MAKERS

    question = QUESTION_MAKERS[kind]()
    places = set()
    for _ in range(12):
        attempt = start_attempt(user=UserFactory(), quiz=question.quiz)
        places.add(repr(sorted(answer_data(attempt, question, right=True).items())))
    assert len(places) > 1


class TestAnswer:
    @pytest.mark.parametrize("kind", list(QuestionType))
    @pytest.mark.parametrize("right", [True, False])
    def test_every_type_is_graded_and_fed_back(self, kind, right, alice_client, alice):
        from tests.factories import QUESTION_MAKERS

        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        response = alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, question, right=right), **HTMX
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert ("Correct" if right else "Incorrect") in page
        right_heading = (question.review_columns or ("", "", "Right answer"))[2]
        assert right_heading in page and question.passage in page and question.explanation in page
        assert "See results" in page  # the only question is the last
        assert Response.objects.get().is_correct is right

    @pytest.mark.parametrize(
        ("typed", "right", "note"),
        [
            ("Zinovev", True, "Accepted - check the spelling: Zinoviev"),
            ("Zinoviev's", True, ""),
            ("Kirov", False, ""),  # another name of the source is no typo
        ],
    )
    def test_a_short_answer_is_read_forgivingly_and_says_so(
        self, typed, right, note, alice_client, alice
    ):
        from tests.factories import short_answer_question

        question = short_answer_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        page = alice_client.post(answer_url(attempt, 1), {"answer": typed}, **HTMX)
        assert Response.objects.get().is_correct is right
        assert ("Accepted - check the spelling" in page.content.decode()) is bool(note)
        if note:
            assert note in page.content.decode()

    def test_without_htmx_it_redirects_to_the_recorded_feedback(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        question = current_question(attempt)
        response = alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, question, right=True)
        )
        assert response.status_code == 302
        assert response.url == reverse("quizzes:feedback", args=[attempt.pk, 1])
        page = alice_client.get(response.url).content.decode()
        assert "Correct" in page and "Next question" in page and "<html" in page

    def test_posting_again_changes_nothing_and_shows_the_recorded_feedback(
        self, alice_client, alice, quiz
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        question = current_question(attempt)
        alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, question, right=True), **HTMX
        )
        again = alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, question, right=False), **HTMX
        )
        assert "Correct" in again.content.decode()
        attempt.refresh_from_db()
        assert (Response.objects.count(), attempt.position, attempt.score) == (1, 1, 1)

    @pytest.mark.parametrize(
        ("kind", "data", "message"),
        [
            (QuestionType.SINGLE_CHOICE, {}, "Choose an answer."),
            (QuestionType.SINGLE_CHOICE, {"choice": "99"}, "Choose one of the answers shown."),
            (QuestionType.SINGLE_CHOICE, {"choice": "x"}, "Choose one of the answers shown."),
            (QuestionType.MULTIPLE_CHOICE, {}, "Choose at least one answer."),
            (QuestionType.SHORT_ANSWER, {"answer": "   "}, "Type your answer."),
            (QuestionType.SHORT_ANSWER, {"answer": "x" * 500}, "too long"),
            (QuestionType.NUMERIC, {"answer": "about a thousand"}, "Enter a number"),
            (
                QuestionType.ORDERING,
                {"position_0": "1", "position_1": "1", "position_2": "2"},
                "different position",
            ),
            (QuestionType.ORDERING, {"position_0": "1"}, "Give every event a position."),
            (QuestionType.MATCHING, {"match_0": "0"}, "Choose a match for every item."),
        ],
    )
    def test_bad_input_gets_the_question_again_with_an_error(
        self, kind, data, message, alice_client, alice
    ):
        from tests.factories import QUESTION_MAKERS

        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        response = alice_client.post(answer_url(attempt, 1), data, **HTMX)
        assert response.status_code == 400
        page = response.content.decode()
        assert message in page and "Check answer" in page and 'role="alert"' in page
        assert not Response.objects.exists()

    def test_a_finished_attempt_answers_with_its_recorded_feedback_and_changes_nothing(
        self, alice_client, alice
    ):
        question = single_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        alice_client.post(answer_url(attempt, 1), answer_data(attempt, question, right=False))
        again = alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, question, right=True), **HTMX
        )
        assert again.status_code == 200 and "Incorrect" in again.content.decode()
        attempt.refresh_from_db()
        assert attempt.is_finished and attempt.score == 0 and Response.objects.count() == 1

    def test_a_question_not_reached_yet_sends_back_to_the_current_one(
        self, alice_client, alice, quiz
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        response = alice_client.post(answer_url(attempt, 3), {"choice": "0"})
        assert response.url == reverse("quizzes:feedback", args=[attempt.pk, 1])
        assert not Response.objects.exists()

    def test_a_number_outside_the_attempt_is_404(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert alice_client.post(answer_url(attempt, 99), {}).status_code == 404

    def test_it_needs_post(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert alice_client.get(answer_url(attempt, 1)).status_code == 405

    def test_another_student_cannot_answer(self, client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        client.force_login(UserFactory())
        assert client.post(answer_url(attempt, 1), {"choice": "0"}).status_code == 404
        assert not Response.objects.exists()

    def test_its_queries_do_not_grow_with_the_bank(
        self, alice_client, alice, django_assert_num_queries
    ):
        for size in (1, 40):
            quiz = QuizFactory()
            for _ in range(size):
                single_choice_question(quiz=quiz)
            attempt = start_attempt(user=alice, quiz=quiz)
            question = current_question(attempt)
            data = answer_data(attempt, question, right=True)
            alice_client.get(attempt.get_absolute_url())  # the question page caches the question
            # and the class's first student the next one, whose card comes with the feedback.
            stamp = Attempt.objects.with_content_stamp().get(pk=attempt.pk).content_stamp
            Question.cached_many(attempt.question_ids[:2], stamp=stamp)
            # attempt (locked, with the content stamp), insert response, progress (locked),
            # save progress, update attempt; and, inside this test's own transaction, a
            # savepoint and its release. A cold cache adds the user, the question and its
            # choices (tests/test_content_cache.py).
            with django_assert_num_queries(7):
                alice_client.post(answer_url(attempt, 1), data, **HTMX)


class TestQuestionAddress:
    """Each step of a quiz has its own address (issue 21): question N shows its card while it
    is due and its feedback once answered, so back, forward and reload show one step each."""

    def url(self, attempt, number):
        return reverse("quizzes:feedback", args=[attempt.pk, number])

    def test_it_shows_the_due_question_as_a_form(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        for headers in ({}, HTMX):
            page = alice_client.get(self.url(attempt, 1), **headers).content.decode()
            assert f'action="{answer_url(attempt, 1)}"' in page and "Check answer" in page
            assert current_question(attempt).prompt in page

    def test_an_answered_question_shows_its_feedback_never_its_form(
        self, alice_client, alice, quiz
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        question = current_question(attempt)
        alice_client.post(answer_url(attempt, 1), answer_data(attempt, question, right=False))
        for headers in ({}, HTMX):
            page = alice_client.get(self.url(attempt, 1), **headers).content.decode()
            assert "Incorrect" in page and question.explanation in page
            assert "Check answer" not in page and answer_url(attempt, 1) not in page
            # Its Next leads to the next question's own address, pushed into history.
            assert f'hx-get="{self.url(attempt, 2)}"' in page and 'hx-push-url="true"' in page

    def test_the_resume_address_names_the_due_questions_for_htmx(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        response = alice_client.get(attempt.get_absolute_url(), **HTMX)
        assert response["HX-Replace-Url"] == self.url(attempt, 1)
        assert "HX-Replace-Url" not in alice_client.get(attempt.get_absolute_url())

    def test_a_question_further_on_sends_to_the_one_due(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        for headers in ({}, HTMX):
            response = alice_client.get(self.url(attempt, 3), **headers)
            assert response.status_code == 302 and response.url == self.url(attempt, 1)

    def test_the_answer_post_puts_the_questions_address_in_place(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        data = answer_data(attempt, current_question(attempt), right=True)
        response = alice_client.post(answer_url(attempt, 1), data, **HTMX)
        assert response.status_code == 200 and "Correct" in response.content.decode()
        assert response["HX-Replace-Url"] == self.url(attempt, 1)
        response = alice_client.post(answer_url(attempt, 2), {"choice": "99"}, **HTMX)
        assert response.status_code == 400 and "HX-Replace-Url" not in response

    def test_a_stale_form_posted_again_says_the_first_answer_counts(
        self, alice_client, alice, quiz
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        question = current_question(attempt)
        alice_client.post(answer_url(attempt, 1), answer_data(attempt, question, right=False))
        again = answer_data(attempt, question, right=True)
        page = alice_client.post(answer_url(attempt, 1), again, **HTMX).content.decode()
        assert "your first answer counts" in page and "Incorrect" in page
        response = alice_client.post(answer_url(attempt, 1), again, follow=True)
        page = response.content.decode()
        assert "your first answer counts" in page and "Incorrect" in page
        assert Response.objects.count() == 1

    def test_a_number_outside_the_attempt_is_404(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert alice_client.get(self.url(attempt, 99)).status_code == 404

    def test_another_student_gets_404(self, client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        client.force_login(UserFactory())
        for number in (1, 2):
            assert client.get(self.url(attempt, number)).status_code == 404
            assert client.get(self.url(attempt, number), **HTMX).status_code == 404

    def test_the_due_question_takes_one_query_when_warm(
        self, alice_client, alice, quiz, django_assert_num_queries
    ):
        attempt = start_attempt(user=alice, quiz=quiz)
        alice_client.get(self.url(attempt, 1), **HTMX)
        with django_assert_num_queries(1):  # the attempt; the user and the question cached
            alice_client.get(self.url(attempt, 1), **HTMX)


class TestResults:
    def _finish(self, client, attempt):
        for number in range(1, attempt.total + 1):
            question = current_question(attempt)
            client.post(
                answer_url(attempt, number), answer_data(attempt, question, right=number % 2 == 1)
            )

    def test_it_shows_the_score_and_reviews_every_answer(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        self._finish(alice_client, attempt)
        page = alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
        assert "<h1>Results</h1>" in page
        attempt.refresh_from_db()
        assert attempt.is_finished
        assert re.search(r"You scored [\d.]+ of 7", page)
        for question in quiz.questions.all():
            assert question.passage in page
        # Four right (folded to a line each), three wrong (open), each with its review.
        assert page.count('<li class="card review ') == 3
        assert page.count('<li class="review is-correct">') == 4
        assert "To look at again (3)" in page and "Right (4)" in page
        assert page.index("To look at again") < page.index("Right (4)")

    def test_it_gives_the_score_percentage_and_each_topics_tally_first(self, alice_client, alice):
        from tests.factories import TopicFactory

        quiz = QuizFactory()
        trials, purge = TopicFactory(name="The trials"), TopicFactory(name="The purge")
        for topic in (trials, trials, purge):
            single_choice_question(quiz=quiz, topic=topic)
        attempt = start_attempt(user=alice, quiz=quiz)
        self._finish(alice_client, attempt)  # right, wrong, right
        page = re.sub(
            r"\s+",
            " ",
            alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode(),
        )
        assert re.search(r"You scored 2 of 3 <span class=\"score-percent\">\(67%\)</span>", page)
        assert "2 of 3 questions right." in page
        tally = dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', page))
        responses = attempt.responses.select_related("question__topic")
        expected = {
            topic.name: f"{sum(r.is_correct for r in responses if r.question.topic == topic)}"
            f" of {topic.questions.count()}"
            for topic in (trials, purge)
        }
        assert tally == expected
        assert page.index("By topic") < page.index("To look at again")

    def test_an_unfinished_attempt_goes_back_to_its_question(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert (
            alice_client.get(reverse("quizzes:results", args=[attempt.pk])).url
            == attempt.get_absolute_url()
        )

    def test_another_student_gets_404(self, client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        client.force_login(UserFactory())
        assert client.get(reverse("quizzes:results", args=[attempt.pk])).status_code == 404

    def test_htmx_gets_the_results_without_the_page_around_them(self, alice_client, alice):
        question = single_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        alice_client.post(answer_url(attempt, 1), answer_data(attempt, question, right=True))
        page = alice_client.get(
            reverse("quizzes:results", args=[attempt.pk]), **HTMX
        ).content.decode()
        assert "You scored 1 of 1" in page and "<html" not in page

    def test_its_queries_do_not_grow_with_the_questions(
        self, alice_client, alice, django_assert_num_queries
    ):
        for size in (2, 25):
            quiz = QuizFactory()
            for _ in range(size):
                single_choice_question(quiz=quiz)
            attempt = start_attempt(user=alice, quiz=quiz)
            self._finish(alice_client, attempt)
            # attempt+quiz+assignment, responses, the last try at the quiz (to compare),
            # whether the quiz is still there to try again; the user and the questions the
            # quiz showed: cache
            with django_assert_num_queries(4):
                alice_client.get(reverse("quizzes:results", args=[attempt.pk]))
            # seen before: the attempt and whether the quiz is still there; the review is kept
            with django_assert_num_queries(2):
                alice_client.get(reverse("quizzes:results", args=[attempt.pk]))
            ContentStamp.bump()  # the bank was just edited: the questions and their choices
            with django_assert_num_queries(6):
                alice_client.get(reverse("quizzes:results", args=[attempt.pk]))


class TestScreenReaderStatus:
    """A screen reader hears a short status from one live region ("Correct.", "Question 2 of
    7"), which each fragment fills out of band, rather than the whole swapped card read out."""

    @staticmethod
    def status(page: str) -> str | None:
        found = re.search(r'<p id="quiz-status" hx-swap-oob="innerHTML">(.*?)</p>', page)
        return found[1] if found else None

    def test_the_page_has_an_empty_live_region_and_a_quiet_panel(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        page = alice_client.get(attempt.get_absolute_url()).content.decode()
        region = '<p id="quiz-status" class="visually-hidden" role="status" aria-live="polite"></p>'
        assert region in page
        assert '<div id="quiz-panel" hx-history="false">' in page
        assert self.status(page) is None  # a page load announces nothing

    def test_the_next_question_says_where_the_student_is(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        alice_client.post(
            answer_url(attempt, 1), answer_data(attempt, current_question(attempt), right=True)
        )
        card = alice_client.get(attempt.get_absolute_url(), **HTMX).content.decode()
        assert self.status(card) == "Question 2 of 7"

    @pytest.mark.parametrize(("right", "said"), [(True, "Correct."), (False, "Incorrect.")])
    def test_the_feedback_says_the_verdict(self, right, said, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        data = answer_data(attempt, current_question(attempt), right=right)
        feedback = alice_client.post(answer_url(attempt, 1), data, **HTMX).content.decode()
        assert self.status(feedback) == said

    def test_partial_credit_says_the_marks(self, alice_client, alice):
        from tests.factories import multiple_choice_question

        question = multiple_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        right = answer_data(attempt, question, right=True)["choice"]
        feedback = alice_client.post(
            answer_url(attempt, 1), {"choice": right[:1]}, **HTMX
        ).content.decode()
        response = Response.objects.get()
        assert 0 < response.score < 1
        assert (question.points, response.points) == (1, Decimal("0.33"))
        assert self.status(feedback) == "Partly right: 0.3 of 1 point."

    def test_a_form_error_leaves_it_to_the_alert(self, alice_client, alice, quiz):
        attempt = start_attempt(user=alice, quiz=quiz)
        response = alice_client.post(answer_url(attempt, 1), {}, **HTMX)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        assert self.status(response.content.decode()) is None
