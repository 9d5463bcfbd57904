"""Issue 20, points 1, 2 and 6: who sees what, assignments that count, and the safety rails.

A teacher's quiz is seen by the students of the classes it is set for (unless shared); each
assignment is its own set of attempts, with the attempts allowed, the score that counts, late
work and when the right answers show; unpublishing, deleting, a new code and unassigning ask
first; one percentage everywhere.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from quizzes.due import due_words
from quizzes.grading import percent
from quizzes.models import Assignment, Attempt, Classroom, Quiz, Status, Topic
from tests.admin_helpers import finished_attempt
from tests.answers import answer_data
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    TopicFactory,
    UserFactory,
    single_choice_question,
)
from tests.test_access_matrix import RULES

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"quizzes:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def classroom(tess, alice) -> Classroom:
    classroom = ClassroomFactory(name="Year 10 History", teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    return classroom


@pytest.fixture
def own_quiz(tess) -> Quiz:
    """Tess's own quiz, not shared: two questions."""
    quiz = QuizFactory(title="The Kirov quiz", owner=tess, shared=False)
    single_choice_question(quiz=quiz, topic=TopicFactory(name="Paragraph 1: Kirov"))
    single_choice_question(quiz=quiz, topic=TopicFactory(name="Paragraph 1: Kirov"))
    return quiz


def take(client, quiz: Quiz, rights: list[bool], assignment: Assignment | None = None) -> Attempt:
    """Start the quiz (for the assignment if given) as the page does, and answer each question
    right or wrong; returns the attempt."""
    data = {"assignment": assignment.pk} if assignment else {}
    response = client.post(url("start", quiz.slug), data)
    assert response.status_code == 302, response
    attempt = Attempt.objects.order_by("-id").first()
    for number, right in enumerate(rights, start=1):
        attempt.refresh_from_db()
        question = quiz.questions.get(pk=attempt.question_ids[number - 1])
        client.post(url("answer", attempt.pk, number), answer_data(attempt, question, right=right))
    attempt.refresh_from_db()
    return attempt


# ---- 1. Who sees what ----------------------------------------------------------------------


class TestWhoSeesWhat:
    def test_an_unshared_quiz_is_seen_only_by_the_classes_it_is_set_for(
        self, client, classroom, own_quiz, alice, bob
    ):
        assert own_quiz.title not in logged_in(client, alice).get("/").content.decode()
        AssignmentFactory(classroom=classroom, quiz=own_quiz)
        assert own_quiz.title in client.get("/").content.decode()
        assert client.get(own_quiz.get_absolute_url()).status_code == 200
        # Bob is in another teacher's class: not on his home page, and no page for him.
        MembershipFactory(student=bob)
        logged_in(client, bob)
        assert own_quiz.title not in client.get("/").content.decode()
        assert client.get(own_quiz.get_absolute_url()).status_code == 404
        assert client.post(url("start", own_quiz.slug)).status_code == 404
        assert not Attempt.objects.filter(user=bob).exists()

    def test_a_shared_quiz_is_seen_by_everyone_even_logged_out(self, client, own_quiz):
        own_quiz.shared = True
        own_quiz.save()
        assert own_quiz.title in client.get("/").content.decode()
        assert client.get(own_quiz.get_absolute_url()).status_code == 200

    def test_the_teacher_sees_their_own_and_another_teacher_does_not(
        self, client, own_quiz, tess, other_teacher
    ):
        assert Quiz.objects.visible_to(tess).filter(pk=own_quiz.pk).exists()
        assert not Quiz.objects.visible_to(other_teacher).filter(pk=own_quiz.pk).exists()

    def test_mastery_lists_only_the_topics_of_quizzes_the_student_sees(self, client, own_quiz, bob):
        shared = single_choice_question(topic=TopicFactory(name="The three trials")).quiz
        page = logged_in(client, bob).get(url("progress")).content.decode()
        assert "The three trials" in page and shared.shared
        assert "Paragraph 1: Kirov" not in page

    def test_practice_leaves_out_a_quiz_no_longer_set(self, client, classroom, own_quiz, alice):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz, attempts_allowed=1)
        take(logged_in(client, alice), own_quiz, [False, False], assignment)
        assignment.delete()
        response = client.post(url("practise"))
        assert response.status_code == 302 and not Attempt.objects.filter(kind="practice")

    def test_the_admin_sets_shared_and_load_banks_shares_the_shipped_banks(self, db):
        from django.core.management import call_command

        call_command("load_banks", verbosity=0)
        assert Quiz.objects.exists()
        assert not Quiz.objects.filter(shared=False).exists()

    def test_the_shipped_banks_stay_shared_when_a_teacher_owns_them(self, tess):
        """`make run` loads them --owner tess: a visitor and every student still see them (their
        files say `shared: true`), where a teacher's own file is for their classes only."""
        from django.core.management import call_command

        call_command("load_banks", "--owner", "tess", verbosity=0)
        assert Quiz.objects.filter(owner=tess).exists()
        assert not Quiz.objects.filter(shared=False).exists()


class TestTopicsBelongToTheirBank:
    def test_two_sources_topics_of_one_name_are_two_topics(self, tess, other_teacher):
        quizzes = [QuizFactory(owner=t, shared=False) for t in (tess, other_teacher)]
        topics = [Topic.named("Paragraph 1", quiz=q) for q in quizzes]
        assert topics[0] != topics[1] and topics[0].source == quizzes[0].source
        # The same bank asked again: the same topic.
        assert Topic.named("Paragraph 1", quiz=quizzes[0]) == topics[0]

    def test_a_source_shares_its_topics_between_its_quizzes(self):
        lesson = QuizFactory()
        pool = QuizFactory(source=lesson.source)
        assert Topic.named("The trials", quiz=lesson) == Topic.named("The trials", quiz=pool)

    def test_deleting_a_quiz_without_a_source_takes_its_topics(self, tess):
        quiz = QuizFactory(source=None, owner=tess)
        single_choice_question(quiz=quiz, topic=Topic.named("Mine", quiz=quiz))
        quiz.questions.all().delete()
        quiz.delete()
        assert not Topic.objects.filter(name="Mine").exists()


# ---- 2. Assignments that count ----------------------------------------------------------------


class TestAssigning:
    def test_the_rules_are_saved(self, client, tess, classroom, own_quiz):
        data = {**RULES, "quiz": own_quiz.pk, "due_at": "2030-01-31T09:00"}
        data |= {"attempts_allowed": "3", "score_counts": "last", "answers_shown": "due-date"}
        logged_in(client, tess).post(url("assign_quiz", classroom.pk), data)
        assignment = Assignment.objects.get()
        assert (assignment.attempts_allowed, assignment.score_counts) == (3, "last")
        assert assignment.answers_shown == "due-date" and not assignment.late_work_accepted

    def test_unlimited_attempts(self, client, tess, classroom, own_quiz):
        data = {**RULES, "quiz": own_quiz.pk, "attempts_allowed": "", "late_work_accepted": "on"}
        logged_in(client, tess).post(url("assign_quiz", classroom.pk), data)
        assignment = Assignment.objects.get()
        assert assignment.attempts_allowed is None and assignment.late_work_accepted

    @pytest.mark.parametrize(
        ("change", "error"),
        [
            ({"due_at": "2020-01-01T09:00"}, "Choose a due date that lies ahead"),
            ({"attempts_allowed": "0"}, "Select a valid choice"),
            ({"attempts_allowed": "-1"}, "Select a valid choice"),
            ({"score_counts": "median"}, "Select a valid choice"),
            ({"quiz": "999999"}, "Select a valid choice"),
        ],
    )
    def test_bad_input_is_a_form_error(self, client, tess, classroom, own_quiz, change, error):
        data = {**RULES, "quiz": own_quiz.pk} | change
        response = logged_in(client, tess).post(url("assign_quiz", classroom.pk), data)
        assert response.status_code == 400 and error in response.content.decode()
        assert not Assignment.objects.exists()

    def test_another_teachers_unshared_quiz_cannot_be_assigned(
        self, client, other_teacher, own_quiz
    ):
        theirs = ClassroomFactory(teacher=other_teacher)
        data = {**RULES, "quiz": own_quiz.pk}
        response = logged_in(client, other_teacher).post(url("assign_quiz", theirs.pk), data)
        assert response.status_code == 400 and not Assignment.objects.exists()

    def test_another_teachers_class_is_not_found(self, client, other_teacher, classroom, own_quiz):
        data = {**RULES, "quiz": own_quiz.pk}
        response = logged_in(client, other_teacher).post(url("assign_quiz", classroom.pk), data)
        assert response.status_code == 404


class TestAttempts:
    def test_earlier_attempts_at_the_quiz_do_not_count(self, client, classroom, own_quiz, alice):
        own_quiz.shared = True
        own_quiz.save()
        take(logged_in(client, alice), own_quiz, [True, True])  # on her own, before
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz)
        page = client.get("/").content.decode()
        assert "To do" in page and "All done" not in page
        attempt = take(client, own_quiz, [True, False], assignment)
        assert (attempt.assignment, attempt.number) == (assignment, 1)
        assert "Done: 50%" in client.get("/").content.decode()

    def test_the_attempts_allowed_are_enforced_on_the_server(
        self, client, classroom, own_quiz, alice
    ):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz, attempts_allowed=2)
        take(logged_in(client, alice), own_quiz, [False, False], assignment)
        take(client, own_quiz, [True, True], assignment)
        response = client.post(url("start", own_quiz.slug), {"assignment": assignment.pk})
        assert response.status_code == 302 and response.url == own_quiz.get_absolute_url()
        page = client.get(response.url).content.decode()
        assert "You have used your 2 attempts at this assignment." in page
        assert Attempt.objects.filter(assignment=assignment).count() == 2

    def test_a_start_without_an_assignment_takes_the_open_one(
        self, client, classroom, own_quiz, alice
    ):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz)
        attempt = take(logged_in(client, alice), own_quiz, [True])
        assert attempt.assignment == assignment and not attempt.is_finished
        attempt = take(client, own_quiz, [True, True])  # resumed, and finished
        assert attempt.assignment == assignment and attempt.is_finished
        # Used up: the quiz on her own again, which does not count.
        attempt = take(client, own_quiz, [False, False])
        assert attempt.assignment is None and attempt.number is None
        assert "Practise on my own" in client.get(own_quiz.get_absolute_url()).content.decode()

    def test_an_assignment_of_another_class_is_not_found(self, client, own_quiz, alice, bob):
        others = AssignmentFactory(quiz=own_quiz)
        MembershipFactory(classroom=others.classroom, student=bob)
        MembershipFactory(student=alice, classroom=ClassroomFactory())
        AssignmentFactory(quiz=own_quiz, classroom=alice.classrooms.get())
        response = logged_in(client, alice).post(
            url("start", own_quiz.slug), {"assignment": others.pk}
        )
        assert response.status_code == 404
        for junk in ("x", "1.5", "-1"):
            response = client.post(url("start", own_quiz.slug), {"assignment": junk})
            assert response.status_code == 404

    @pytest.mark.parametrize(
        ("counts", "expected"), [("first", "0%"), ("best", "100%"), ("last", "50%")]
    )
    def test_the_score_that_counts(
        self, client, tess, classroom, own_quiz, alice, counts, expected
    ):
        assignment = AssignmentFactory(
            classroom=classroom, quiz=own_quiz, attempts_allowed=3, score_counts=counts
        )
        logged_in(client, alice)
        for rights in ([False, False], [True, True], [True, False]):
            take(client, own_quiz, rights, assignment)
        assert f"Done: {expected}" in client.get("/").content.decode()
        book = logged_in(client, tess).get(url("gradebook", classroom.pk)).content.decode()
        assert f"<strong>{expected}</strong>" in book

    def test_late_work_is_flagged(self, client, tess, classroom, own_quiz, alice):
        due = timezone.now() + timedelta(days=1)
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz, due_at=due)
        with time_machine.travel(due + timedelta(hours=1), tick=False):
            attempt = take(logged_in(client, alice), own_quiz, [True, True], assignment)
            assert attempt.is_late
            assert "(late)" in client.get("/").content.decode()
            book = logged_in(client, tess).get(url("gradebook", classroom.pk)).content.decode()
            assert "Late" in book and "100%" in book
            rows = list(
                csv.reader(
                    io.StringIO(client.get(url("gradebook_csv", classroom.pk)).content.decode())
                )
            )
            assert rows[1][2:] == [
                "100",
                "yes",
                timezone.localtime(attempt.finished_at).strftime("%Y-%m-%d %H:%M"),
                "yes",
            ]

    def test_no_late_work_refuses_a_start_after_the_due_date(
        self, client, classroom, own_quiz, alice
    ):
        due = timezone.now() + timedelta(days=1)
        assignment = AssignmentFactory(
            classroom=classroom, quiz=own_quiz, due_at=due, late_work_accepted=False
        )
        with time_machine.travel(due + timedelta(minutes=1), tick=False):
            logged_in(client, alice)
            response = client.post(url("start", own_quiz.slug), {"assignment": assignment.pk})
            page = client.get(response.url).content.decode()
            assert "late work is not accepted" in page
            assert not Attempt.objects.filter(assignment=assignment).exists()
            assert "Overdue" in client.get("/").content.decode()


class TestRightAnswersHeldBack:
    def _feedback(self, client, attempt: Attempt, number: int = 1) -> str:
        return client.get(url("feedback", attempt.pk, number)).content.decode()

    def test_while_attempts_remain_the_feedback_shows_no_right_answer(
        self, client, classroom, own_quiz, alice
    ):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz, attempts_allowed=2)
        first = take(logged_in(client, alice), own_quiz, [False, False], assignment)
        page = self._feedback(client, first)
        assert "Incorrect" in page and "Right answer" not in page and "1929" not in page
        assert "shows the right answers on your last attempt" in page
        results = client.get(url("results", first.pk)).content.decode()
        assert "Right answer" not in results and "1929" not in results
        # Nor through My mistakes or practice.
        assert "1929" not in client.get(url("mistakes")).content.decode()
        assert client.post(url("practise")).status_code == 302
        assert not Attempt.objects.filter(kind="practice").exists()
        # The last attempt shows them.
        last = take(client, own_quiz, [False, False], assignment)
        assert "Right answer" in self._feedback(client, last)
        assert "Right answer" in self._feedback(client, first)

    def test_after_the_due_date_if_the_teacher_says_so(self, client, classroom, own_quiz, alice):
        due = timezone.now() + timedelta(days=1)
        assignment = AssignmentFactory(
            classroom=classroom,
            quiz=own_quiz,
            attempts_allowed=None,
            due_at=due,
            answers_shown=Assignment.Answers.AFTER_DUE_DATE,
        )
        attempt = take(logged_in(client, alice), own_quiz, [False, False], assignment)
        assert "Right answer" not in self._feedback(client, attempt)
        with time_machine.travel(due + timedelta(minutes=1), tick=False):
            assert "Right answer" in self._feedback(logged_in(client, alice), attempt)

    def test_practice_and_own_quizzes_stay_as_they_are(self, client, own_quiz, alice, classroom):
        AssignmentFactory(classroom=classroom, quiz=own_quiz, attempts_allowed=1)
        attempt = take(logged_in(client, alice), own_quiz, [False, False])  # the assignment's
        assert "Right answer" in self._feedback(client, attempt)  # its only attempt
        shared = single_choice_question().quiz
        attempt = take(client, shared, [False])
        assert "Right answer" in self._feedback(client, attempt)


class TestDueDates:
    def test_in_words(self):
        now = datetime(2026, 12, 6, 12, 0)
        assert due_words(datetime(2026, 12, 11, 9, 0), now) == "Due Friday 11 December, 09:00"
        assert due_words(datetime(2026, 12, 12, 23, 59), now) == "Due Saturday 12 December"
        assert due_words(datetime(2027, 1, 1, 9, 0), now) == "Due Friday 1 January 2027, 09:00"
        assert due_words(datetime(2026, 12, 1, 9, 0), now).startswith("Overdue")

    def test_students_see_the_day_and_overdue(self, client, classroom, own_quiz, alice):
        due = timezone.now() + timedelta(days=3)
        AssignmentFactory(classroom=classroom, quiz=own_quiz, due_at=due)
        page = logged_in(client, alice).get("/").content.decode()
        assert f"Due {timezone.localtime(due):%A %-d %B}" in page
        with time_machine.travel(due + timedelta(days=1), tick=False):
            assert "Overdue" in logged_in(client, alice).get("/").content.decode()
            assert "Overdue" in client.get(own_quiz.get_absolute_url()).content.decode()


# ---- 6. Safety rails -------------------------------------------------------------------------


class TestOnePercentage:
    def test_24_of_33_is_73_percent_everywhere(self, client, tess, classroom, alice):
        assert percent(24, 33) == 73 and percent(Decimal("24.00"), Decimal("33.00")) == 73
        assert percent(1, 8) == 13 and percent(0, 0) is None and percent(62.5, 100) == 63
        quiz = QuizFactory(owner=tess, shared=False)
        questions = [single_choice_question(quiz=quiz) for _ in range(33)]
        assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
        attempt = finished_attempt(
            alice, quiz, questions, [True] * 24 + [False] * 9, assignment=assignment
        )
        results = logged_in(client, alice).get(url("results", attempt.pk)).content.decode()
        assert "(73%)" in results
        assert "Done: 73%" in client.get("/").content.decode()
        progress = client.get(url("progress")).content.decode()
        assert "73%" in progress and "72%" not in progress
        logged_in(client, tess)
        assert "<strong>73%</strong>" in client.get(url("gradebook", classroom.pk)).content.decode()
        rows = list(
            csv.reader(io.StringIO(client.get(url("gradebook_csv", classroom.pk)).content.decode()))
        )
        assert rows[1][2] == "73" and rows[-1][:3] == ["Class average", "", "73"]


class TestWithdrawn:
    def test_an_unpublished_assignment_shows_withdrawn_with_no_link(
        self, client, classroom, own_quiz, alice
    ):
        AssignmentFactory(classroom=classroom, quiz=own_quiz)
        own_quiz.status = Status.DRAFT
        own_quiz.save()
        page = logged_in(client, alice).get("/").content.decode()
        assert "Withdrawn by your teacher" in page
        assert own_quiz.get_absolute_url() not in page
        board = client.get(classroom.get_absolute_url()).content.decode()
        assert "withdrawn" in board and own_quiz.get_absolute_url() not in board

    def test_no_link_on_the_progress_page_to_a_quiz_no_longer_set(
        self, client, classroom, own_quiz, alice
    ):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz)
        attempt = take(logged_in(client, alice), own_quiz, [True, True], assignment)
        assignment.delete()
        page = client.get(url("progress")).content.decode()
        assert own_quiz.title in page and own_quiz.get_absolute_url() not in page
        results = client.get(url("results", attempt.pk))
        assert results.status_code == 200
        assert own_quiz.get_absolute_url() not in results.content.decode()


class TestConfirmations:
    def test_a_new_code_asks_first(self, client, tess, classroom):
        old = classroom.join_code
        page = logged_in(client, tess).get(url("manage_class", classroom.pk)).content.decode()
        assert f'href="{url("regenerate_code", classroom.pk)}"' in page
        confirm = client.get(url("regenerate_code", classroom.pk)).content.decode()
        assert "stops working at once" in confirm
        classroom.refresh_from_db()
        assert classroom.join_code == old
        client.post(url("regenerate_code", classroom.pk))
        classroom.refresh_from_db()
        assert classroom.join_code != old

    def test_unassign_asks_first_and_keeps_the_attempts(
        self, client, tess, classroom, own_quiz, alice
    ):
        assignment = AssignmentFactory(classroom=classroom, quiz=own_quiz)
        take(logged_in(client, alice), own_quiz, [True, True], assignment)
        confirm = logged_in(client, tess).get(url("unassign_quiz", classroom.pk, assignment.pk))
        assert "Its 1 attempt stays" in confirm.content.decode()
        assert Assignment.objects.exists()
        client.post(url("unassign_quiz", classroom.pk, assignment.pk))
        assert not Assignment.objects.exists() and Attempt.objects.filter(user=alice).count() == 1


class TestAdminRails:
    @pytest.fixture
    def assigned(self, classroom, own_quiz, other_teacher) -> Quiz:
        AssignmentFactory(classroom=classroom, quiz=own_quiz)
        AssignmentFactory(classroom=ClassroomFactory(teacher=other_teacher), quiz=own_quiz)
        return own_quiz

    def test_the_unpublish_action_names_the_classes_and_asks(self, client, tess, assigned):
        changelist = reverse("admin:quizzes_quiz_changelist")
        data = {"action": "unpublish", "_selected_action": [assigned.pk]}
        page = logged_in(client, tess).post(changelist, data).content.decode()
        assert "Year 10 History (The Kirov quiz)" in page
        assert "1 class of other teachers" in page and "Yes, unpublish" in page
        assigned.refresh_from_db()
        assert assigned.status == Status.PUBLISHED
        client.post(changelist, {**data, "confirmed": "yes"})
        assigned.refresh_from_db()
        assert assigned.status == Status.DRAFT

    def test_the_change_form_asks_before_unpublishing(self, client, tess, assigned):
        change = reverse("admin:quizzes_quiz_change", args=[assigned.pk])
        data = {
            "title": assigned.title,
            "slug": assigned.slug,
            "description": "",
            "source": assigned.source_id,
            "status": "draft",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        }
        response = logged_in(client, tess).post(change, data)
        assert response.status_code == 200
        assert "This quiz is set for Year 10 History" in response.content.decode()
        assigned.refresh_from_db()
        assert assigned.status == Status.PUBLISHED
        response = client.post(change, {**data, "confirm_withdraw": "on"})
        assigned.refresh_from_db()
        assert assigned.status == Status.DRAFT

    def test_the_delete_page_names_the_classes(self, client, tess, assigned):
        page = logged_in(client, tess).get(reverse("admin:quizzes_quiz_delete", args=[assigned.pk]))
        assert "This quiz is set for classes" in page.content.decode()
        assert "Year 10 History" in page.content.decode()

    def test_the_classrooms_list_counts_students_and_links_the_class_page(
        self, client, tess, classroom
    ):
        page = logged_in(client, tess).get(reverse("admin:quizzes_classroom_changelist"))
        text = page.content.decode()
        assert "quizzes.User.None" not in text
        assert '<td class="field-student_count">1</td>' in text
        assert url("manage_class", classroom.pk) in text
        index = client.get(reverse("admin:index")).content.decode()
        assert f'href="{url("classes")}"' in index

    def test_the_quiz_report_narrows_to_one_class(
        self, client, tess, classroom, own_quiz, alice, bob, other_teacher
    ):
        questions = list(own_quiz.questions.all())
        finished_attempt(alice, own_quiz, questions, [True, True])
        finished_attempt(bob, own_quiz, questions, [False, False])
        report = reverse("admin:quizzes_quiz_report", args=[own_quiz.pk])
        AssignmentFactory(classroom=classroom, quiz=own_quiz)
        everyone = logged_in(client, tess).get(report).content.decode()
        assert "<dd>2</dd>" in everyone and "<dd>50%</dd>" in everyone
        mine = client.get(f"{report}?classroom={classroom.pk}").content.decode()
        assert "<dd>1</dd>" in mine and "<dd>100%</dd>" in mine
        theirs = ClassroomFactory(teacher=other_teacher)
        for bad in (str(theirs.pk), "nope", "999999"):
            assert client.get(f"{report}?classroom={bad}").status_code == 404


# ---- Query counts ----------------------------------------------------------------------------


def test_the_home_pages_queries_do_not_grow_with_assignments(client, django_assert_num_queries):
    student = UserFactory()
    logged_in(client, student)
    client.get("/")  # the first request caches the user
    for size in (1, 8):
        for _ in range(size):
            quiz = single_choice_question(quiz=QuizFactory(shared=False)).quiz
            assignment = AssignmentFactory(quiz=quiz, attempts_allowed=2)
            MembershipFactory(classroom=assignment.classroom, student=student)
            finished_attempt(
                student, quiz, list(quiz.questions.all()), [True], assignment=assignment
            )
        # quizzes, attempts summed by quiz, reviews due, assignments, their attempts (the
        # user and session from the cache), the class's live game if any
        with django_assert_num_queries(6):
            page = client.get("/").content.decode()
        assert page.count("Done: 100%") == Assignment.objects.count()  # 1, then 9
