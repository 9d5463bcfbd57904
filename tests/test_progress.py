"""The progress views: my progress, a teacher's view of a student's, my mistakes, starting a
practice or a review, the CSV of my answers, and the review prompt on the home page.

Each view has its access matrix (anonymous, the student, another student, a teacher of the
student's class, a teacher of another class, wrong method) and a query-count guard with 1 and
with 500 attempts.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Status
from quizzes.models.attempts import duration_words, start_attempt
from tests.answers import answer_data
from tests.factories import (
    AttemptFactory,
    ClassroomFactory,
    MembershipFactory,
    QuestionProgressFactory,
    QuizFactory,
    ResponseFactory,
    TeacherFactory,
    TopicFactory,
    UserFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db
PROGRESS = reverse("quizzes:progress")
MISTAKES = reverse("quizzes:mistakes")
PRACTISE = reverse("quizzes:practise")
REVIEW = reverse("quizzes:review")
MY_DATA = reverse("quizzes:my_data")


def student_url(user):
    return reverse("quizzes:student_progress", args=[user.pk])


def history(user, attempts, *, quizzes=3):
    """`attempts` finished attempts spread over a few quizzes, each with one response (the
    first and every third after it wrong), a progress row per question, and an open attempt."""
    banks = [QuizFactory(title=f"Bank {n}") for n in range(quizzes)]
    questions = [single_choice_question(quiz=bank) for bank in banks]
    start = timezone.now() - timedelta(days=30)
    for n in range(attempts):
        question = questions[n % quizzes]
        attempt = AttemptFactory(
            user=user,
            quiz=question.quiz,
            question_ids=[question.pk],
            started_at=start + timedelta(minutes=10 * n),
            finished=True,
        )
        right = n % 3 != 0
        ResponseFactory(attempt=attempt, question=question, is_correct=right)
        Attempt.objects.filter(pk=attempt.pk).update(score=int(right), correct_count=int(right))
    for n, question in enumerate(questions):
        QuestionProgressFactory(
            user=user,
            question=question,
            last_correct=n != 0,
            due_at=timezone.now() - timedelta(hours=1),
        )
    AttemptFactory(user=user, quiz=banks[0], question_ids=[questions[0].pk])
    return questions


def login_required(response):
    return response.status_code == 302 and "/accounts/login/" in response.url


class TestMyProgress:
    def test_anonymous_is_sent_to_log_in(self, client):
        assert login_required(client.get(PROGRESS))

    def test_it_refuses_post(self, alice_client):
        assert alice_client.post(PROGRESS).status_code == 405

    def test_a_new_student_is_told_where_to_start(self, alice_client):
        page = alice_client.get(PROGRESS).content.decode()
        assert "<h1>My progress</h1>" in page
        assert "You have not taken a quiz yet" in page
        assert "Finish a quiz and your scores will appear here" in page
        assert "0</strong> questions due for review" in page

    def test_it_summarises_each_quiz_attempts_best_last_and_time_spent(self, alice_client, alice):
        quiz = QuizFactory(title="The Moscow Trials")
        question = single_choice_question(quiz=quiz)
        start = timezone.now() - timedelta(days=2)
        for minutes, score, day in [(12, 1, 0), (3, 0, 1)]:
            started = start + timedelta(days=day)
            AttemptFactory(
                user=alice,
                quiz=quiz,
                question_ids=[question.pk],
                started_at=started,
                finished_at=started + timedelta(minutes=minutes),
                position=1,
                score=score,
            )
        # An open attempt counts up to its latest answer: 5 more minutes.
        opened = AttemptFactory(user=alice, quiz=quiz, question_ids=[question.pk, question.pk])
        ResponseFactory(
            attempt=opened, question=question, answered_at=opened.started_at + timedelta(minutes=5)
        )
        Attempt.objects.filter(pk=opened.pk).update(position=1)
        page = alice_client.get(PROGRESS).content.decode()
        stats = re.sub(r"\s+", " ", page)
        assert "The Moscow Trials" in page
        assert "<dt>Attempts finished</dt><dd>2</dd>" in stats
        assert "<dt>Best score</dt><dd>100%</dd>" in stats
        assert "<dt>Last score</dt><dd>0%" in stats
        assert "<dt>Time spent</dt><dd>20 min</dd>" in stats
        assert "Unfinished: 1 of 2 answered." in stats
        assert f'href="{opened.get_absolute_url()}">Resume quiz</a>' in page

    def test_it_shows_mastery_per_topic_with_the_rule_in_words(self, alice_client, alice):
        topic = TopicFactory(name="The three trials")
        questions = [single_choice_question(topic=topic) for _ in range(10)]
        for n, question in enumerate(questions[:8]):
            QuestionProgressFactory(user=alice, question=question, last_correct=n < 7)
        page = re.sub(r"\s+", " ", alice_client.get(PROGRESS).content.decode())
        assert "The three trials" in page
        assert "7 of 10 questions right (70%)" in page
        assert "· 1 to put right" in page
        assert '<span class="visually-hidden">Level: </span>Familiar' in page
        for words in ["Not started", "Attempted", "Familiar", "Proficient", "Mastered"]:
            assert f"</span>{words}</dt>" in page
        assert "70% to 99% right on the latest answer" in page

    def test_it_draws_the_scores_as_an_accessible_svg_with_a_table(self, alice_client, alice):
        history(alice, 4, quizzes=1)  # wrong, right, right, wrong
        page = alice_client.get(PROGRESS).content.decode()
        assert re.search(
            r'<svg class="score-chart"[^>]* role="img" aria-labelledby="chart-1-title chart-1-desc"',
            page,
        )
        assert '<title id="chart-1-title">Scores on Bank 0</title>' in page
        assert re.search(
            r'<desc id="chart-1-desc">4 finished attempts, from .+ Latest score 0%, best 100%.</desc>',
            page,
        )
        assert page.count('<circle class="score-point"') == 4
        assert "<table>" in page and page.count("<tr><td>") == 4
        # Our CSP forbids inline styles and scripts; nothing here needs a library.
        assert "style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)

    def test_it_draws_one_labelled_chart_per_quiz_the_latest_first(self, alice_client, alice):
        history(alice, 5, quizzes=2)  # Bank 0, Bank 1, Bank 0, Bank 1, Bank 0
        page = alice_client.get(PROGRESS).content.decode()
        titles = re.findall(r'<h3 class="chart-title">(.*?)</h3>', page)
        assert titles == ["Bank 0", "Bank 1"]
        charts = page.split('<h3 class="chart-title">')[1:]
        assert [c.count('<circle class="score-point"') for c in charts] == [3, 2]
        # Every attempt in one table, with its quiz.
        assert page.count("<tr><td>") == 5

    def test_it_shows_what_is_due_and_offers_a_review(self, alice_client, alice):
        QuestionProgressFactory(user=alice, due_at=timezone.now() - timedelta(minutes=1))
        QuestionProgressFactory(user=alice, due_at=timezone.now() + timedelta(days=1))
        page = re.sub(r"\s+", " ", alice_client.get(PROGRESS).content.decode())
        assert "<strong>1</strong> question due for review" in page
        assert f'action="{REVIEW}"' in page and "Start review</button>" in page

    def test_it_offers_to_practise_the_mistakes(self, alice_client, alice):
        QuestionProgressFactory(user=alice, last_correct=False)
        page = re.sub(r"\s+", " ", alice_client.get(PROGRESS).content.decode())
        assert "<strong>1</strong> mistake to put right" in page
        assert f'action="{PRACTISE}"' in page and "Practise my mistakes</button>" in page
        assert f'href="{MISTAKES}"' in page

    def test_it_is_linked_from_every_page_when_logged_in(self, alice_client, quiz):
        for url in ["/", quiz.get_absolute_url(), MISTAKES]:
            assert f'href="{PROGRESS}"' in alice_client.get(url).content.decode()
        assert 'aria-current="page">My progress' in alice_client.get(PROGRESS).content.decode()
        assert f'href="{PROGRESS}"' not in Client().get("/").content.decode()

    @pytest.mark.parametrize("attempts", [1, 500])
    def test_its_queries_do_not_grow_with_the_attempts(
        self, attempts, alice_client, alice, django_assert_num_queries
    ):
        history(alice, attempts)
        # user, the progress version (with the content stamp), attempts with their quizzes,
        # the quizzes of them still open to the student, topics' counts, the days of practice
        # (the streak; the session comes from the cache)
        with django_assert_num_queries(6):
            response = alice_client.get(PROGRESS)
        assert response.status_code == 200
        # seen before: the version and the quizzes still open; the rest is kept
        with django_assert_num_queries(2):
            assert alice_client.get(PROGRESS).status_code == 200


class TestStudentProgress:
    """/students/<id>/progress/: the student themselves, or a teacher of one of their classes."""

    @pytest.fixture(autouse=True)
    def alice_in_a_class_of_the_teacher(self, alice, teacher):
        MembershipFactory(student=alice, classroom=ClassroomFactory(teacher=teacher))

    def test_a_teacher_of_the_students_class_sees_their_progress(self, client, alice, teacher):
        history(alice, 2)
        client.force_login(teacher)
        response = client.get(student_url(alice))
        page = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Progress of Alice</h1>" in page
        assert "Bank 0" in page and "score-chart" in page

    def test_the_teacher_gets_no_buttons_that_act_as_the_student(self, client, alice, teacher):
        history(alice, 2)
        client.force_login(teacher)
        page = client.get(student_url(alice)).content.decode()
        for action in [REVIEW, PRACTISE, MY_DATA, "Resume quiz"]:
            assert action not in page

    def test_a_teacher_of_another_class_gets_404(self, client, alice, teacher):
        MembershipFactory(student=UserFactory())  # a class alice is not in
        client.force_login(ClassroomFactory().teacher)
        assert client.get(student_url(alice)).status_code == 404

    def test_a_staff_member_who_is_no_teacher_of_hers_gets_404(self, client, alice):
        client.force_login(TeacherFactory())
        assert client.get(student_url(alice)).status_code == 404

    def test_another_student_gets_404_even_in_the_same_class(self, client, alice, bob, teacher):
        MembershipFactory(student=bob, classroom=alice.memberships.get().classroom)
        client.force_login(bob)
        assert client.get(student_url(alice)).status_code == 404

    def test_a_student_may_open_their_own(self, alice_client, alice):
        page = alice_client.get(student_url(alice)).content.decode()
        assert "<h1>My progress</h1>" in page

    def test_unknown_student_is_404(self, client, teacher):
        client.force_login(teacher)
        assert client.get(reverse("quizzes:student_progress", args=[999999])).status_code == 404

    def test_a_student_in_two_of_the_teachers_classes_is_shown_once(self, client, alice, teacher):
        MembershipFactory(student=alice, classroom=ClassroomFactory(teacher=teacher))
        client.force_login(teacher)
        assert client.get(student_url(alice)).status_code == 200

    def test_anonymous_is_sent_to_log_in(self, client, alice):
        assert login_required(client.get(student_url(alice)))

    def test_it_refuses_post(self, client, alice, teacher):
        client.force_login(teacher)
        assert client.post(student_url(alice)).status_code == 405

    @pytest.mark.parametrize("attempts", [1, 500])
    def test_its_queries_do_not_grow_with_the_attempts(
        self, attempts, client, alice, teacher, django_assert_num_queries
    ):
        history(alice, attempts)
        client.force_login(teacher)
        # user, the student (checked against the teacher's classes), the progress version,
        # attempts, the quizzes of them the teacher can open, topics
        with django_assert_num_queries(6):
            assert client.get(student_url(alice)).status_code == 200
        # seen before: the student, the version, the quizzes the teacher can open
        with django_assert_num_queries(3):
            assert client.get(student_url(alice)).status_code == 200


class TestMistakes:
    def test_anonymous_is_sent_to_log_in(self, client):
        assert login_required(client.get(MISTAKES))

    def test_it_refuses_post(self, alice_client):
        assert alice_client.post(MISTAKES).status_code == 405

    def test_it_shows_each_mistake_with_the_answer_the_right_one_and_the_passage(
        self, alice_client, alice
    ):
        question = single_choice_question(explanation="He was expelled in 1929.")
        attempt = AttemptFactory(user=alice, quiz=question.quiz, question_ids=[question.pk])
        ResponseFactory(attempt=attempt, question=question, is_correct=False, answer_text="1932")
        QuestionProgressFactory(user=alice, question=question, last_correct=False)
        page = re.sub(r"\s+", " ", alice_client.get(MISTAKES).content.decode())
        assert question.prompt in page
        assert (
            '<dt>Your answer</dt> <dd><span class="mark" aria-hidden="true">✗</span> 1932</dd>'
            in page
        )
        assert "<dt>Right answer</dt> <dd>1929</dd>" in page
        assert question.passage in page and "He was expelled in 1929." in page
        assert "Still to put right" in page
        assert "<strong>1</strong> question still to put right" in page
        assert f'action="{PRACTISE}"' in page

    def test_a_mistake_put_right_since_shows_its_last_wrong_answer_after_the_others(
        self, alice_client, alice
    ):
        fixed, still = single_choice_question(), single_choice_question()
        for question, wrong_answers in [(fixed, ["1927", "1932"]), (still, ["1934"])]:
            for text in wrong_answers:
                attempt = AttemptFactory(
                    user=alice, quiz=question.quiz, question_ids=[question.pk], finished=True
                )
                ResponseFactory(
                    attempt=attempt, question=question, is_correct=False, answer_text=text
                )
        QuestionProgressFactory(user=alice, question=fixed, last_correct=True)
        QuestionProgressFactory(user=alice, question=still, last_correct=False)
        page = re.sub(r"\s+", " ", alice_client.get(MISTAKES).content.decode())
        assert page.index(still.prompt) < page.index(fixed.prompt)
        assert "Put right since" in page
        assert "</span> 1932</dd>" in page and "1927" not in page

    def test_it_groups_mistakes_by_topic_with_counts_the_put_right_folded(
        self, alice_client, alice
    ):
        trials, purge = TopicFactory(name="The trials"), TopicFactory(name="The purge")
        wrong = {"still": [], "fixed": []}
        for topic, fixed in [(trials, False), (trials, True), (purge, False)]:
            question = single_choice_question(topic=topic)
            attempt = AttemptFactory(user=alice, quiz=question.quiz, question_ids=[question.pk])
            ResponseFactory(attempt=attempt, question=question, is_correct=False)
            QuestionProgressFactory(user=alice, question=question, last_correct=fixed)
            wrong["fixed" if fixed else "still"].append(question)
        page = re.sub(r"\s+", " ", alice_client.get(MISTAKES).content.decode())
        headings = re.findall(
            r'<h2 id="topic-\d+">(.*?) <span class="topic-count">(.*?)</span>', page
        )
        assert sorted(headings) == [
            ("The purge", "1 mistake"),
            ("The trials", "2 mistakes, 1 still to put right"),
        ]
        fixed = wrong["fixed"][0]
        folded = page[page.index('<ul class="folded-list">') :]
        assert f"Put right since: </span>{fixed.prompt}</summary>" in folded
        for question in wrong["still"]:
            assert f'<h3 class="prompt">{question.prompt}</h3>' in page

    def test_it_shows_nobody_elses_mistakes_nor_unpublished_questions(self, alice_client, bob):
        mine = single_choice_question()
        draft = single_choice_question(status=Status.DRAFT)
        ResponseFactory(attempt__user=bob, question=mine, is_correct=False)
        ResponseFactory(attempt__user=bob, question=draft, is_correct=False)
        page = alice_client.get(MISTAKES).content.decode()
        assert mine.prompt not in page
        assert "No mistakes yet" in page

    @pytest.mark.parametrize("attempts", [1, 500])
    def test_its_queries_do_not_grow_with_the_attempts(
        self, attempts, alice_client, alice, django_assert_num_queries
    ):
        history(alice, attempts)
        # user, latest wrong responses with their questions, the questions' choices
        with django_assert_num_queries(3):
            assert alice_client.get(MISTAKES).status_code == 200


class TestPractise:
    def test_it_needs_post_and_login(self, client):
        assert client.get(PRACTISE).status_code == 405
        assert login_required(client.post(PRACTISE))

    def test_it_starts_a_practice_of_my_mistakes_and_runs_it_like_a_quiz(self, alice_client, alice):
        question = single_choice_question()
        QuestionProgressFactory(user=alice, question=question, last_correct=False)
        response = alice_client.post(PRACTISE)
        attempt = Attempt.objects.get(kind=Attempt.Kind.PRACTICE)
        assert response.url == attempt.step_url(1)
        page = alice_client.get(response.url).content.decode()
        assert "Practise my mistakes" in page and question.prompt in page
        answer_url = reverse("quizzes:answer", args=[attempt.pk, 1])
        alice_client.post(answer_url, answer_data(attempt, question, right=True))
        results = alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
        assert "<title>Results: Practise my mistakes" in results
        assert "You scored 1 of 1" in results
        assert f'href="{PROGRESS}">See my progress</a>' in results

    def test_starting_twice_resumes(self, alice_client, alice):
        QuestionProgressFactory(user=alice, last_correct=False)
        assert alice_client.post(PRACTISE).url == alice_client.post(PRACTISE).url
        assert Attempt.objects.count() == 1

    def test_with_no_mistakes_it_says_so(self, alice_client):
        response = alice_client.post(PRACTISE, follow=True)
        assert response.redirect_chain[-1][0] == PROGRESS
        assert "no mistakes to practise" in response.content.decode()
        assert not Attempt.objects.exists()

    def test_another_student_cannot_open_my_practice(self, alice_client, alice, bob):
        QuestionProgressFactory(user=alice, last_correct=False)
        url = alice_client.post(PRACTISE).url
        other = Client()
        other.force_login(bob)
        assert other.get(url).status_code == 404


class TestReview:
    def test_it_needs_post_and_login(self, client):
        assert client.get(REVIEW).status_code == 405
        assert login_required(client.post(REVIEW))

    def test_it_starts_a_review_of_the_due_questions(self, alice_client, alice):
        question = single_choice_question()
        QuestionProgressFactory(user=alice, question=question, due_at=timezone.now())
        response = alice_client.post(REVIEW)
        attempt = Attempt.objects.get(kind=Attempt.Kind.REVIEW)
        assert response.url == attempt.step_url(1)
        assert attempt.question_ids == [question.pk]
        page = alice_client.get(response.url).content.decode()
        assert "<title>Review: question 1" in page

    def test_with_nothing_due_it_says_so(self, alice_client, alice):
        QuestionProgressFactory(user=alice, due_at=timezone.now() + timedelta(days=1))
        response = alice_client.post(REVIEW, follow=True)
        assert "Nothing is due for review yet" in response.content.decode()
        assert not Attempt.objects.exists()


class TestMyData:
    def _rows(self, response):
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        return list(csv.reader(io.StringIO(text.decode("utf-8"))))

    def test_anonymous_is_sent_to_log_in(self, client):
        assert login_required(client.get(MY_DATA))

    def test_it_refuses_post(self, alice_client):
        assert alice_client.post(MY_DATA).status_code == 405

    def test_it_is_a_csv_of_my_own_responses(self, alice_client, alice, bob):
        quiz = QuizFactory(title="The Moscow Trials")
        question = single_choice_question(quiz=quiz, prompt="When was Trotsky expelled?")
        attempt = start_attempt(user=alice, quiz=quiz)
        alice_client.post(
            reverse("quizzes:answer", args=[attempt.pk, 1]),
            answer_data(attempt, question, right=False),
        )
        ResponseFactory(attempt__user=bob, question=question)
        response = alice_client.get(MY_DATA)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="quizsite-alice-answers-{today}.csv"'
        )
        header, *rows = self._rows(response)
        assert header == [
            "quiz",
            "question",
            "your answer",
            "result",
            "points",
            "answered at",
            "session",
        ]
        assert len(rows) == 1
        quiz_title, prompt, answer, result, points, when, session = rows[0]
        assert (quiz_title, prompt, result, points, session) == (
            "The Moscow Trials",
            "When was Trotsky expelled?",
            "wrong",
            "0",
            "Quiz",
        )
        assert answer in {"1927", "1932", "1934"}
        assert when.startswith(today)

    def test_a_cell_that_looks_like_a_formula_stays_text(self, alice_client, alice):
        ResponseFactory(
            attempt__user=alice, answer_text='=HYPERLINK("http://x")', points=Decimal("0.50")
        )
        (_, row) = self._rows(alice_client.get(MY_DATA))
        assert row[2] == '\'=HYPERLINK("http://x")'
        assert row[4] == "0.5"

    @pytest.mark.parametrize("attempts", [1, 500])
    def test_its_queries_do_not_grow_with_the_responses(
        self, attempts, alice_client, alice, django_assert_num_queries
    ):
        history(alice, attempts)
        with django_assert_num_queries(2):  # user, responses with their quizzes
            response = alice_client.get(MY_DATA)
        assert len(self._rows(response)) == attempts + 1


class TestHomeReview:
    def test_it_shows_how_many_questions_are_due_and_starts_a_review(self, alice_client, alice):
        for _ in range(2):
            QuestionProgressFactory(user=alice, due_at=timezone.now() - timedelta(hours=1))
        QuestionProgressFactory(user=alice, due_at=timezone.now() + timedelta(hours=1))
        page = alice_client.get("/").content.decode()
        assert "2 questions due for review" in page
        assert f'action="{REVIEW}"' in page and "Start review</button>" in page

    def test_it_says_nothing_when_nothing_is_due(self, alice_client, alice):
        QuestionProgressFactory(user=alice, due_at=timezone.now() + timedelta(hours=1))
        assert "due for review" not in alice_client.get("/").content.decode()
        assert "due for review" not in Client().get("/").content.decode()


def test_durations_read_in_words():
    assert duration_words(timedelta(seconds=40)) == "under a minute"
    assert duration_words(timedelta(minutes=12, seconds=59)) == "12 min"
    assert duration_words(timedelta(hours=1)) == "1 h"
    assert duration_words(timedelta(hours=2, minutes=5)) == "2 h 5 min"
