"""Classes: joining, my classes, a class's boards (full page, polled fragment, 204), and the
teacher's pages (create, code, students, assignments, gradebook and its CSV).

Personas (tests/conftest.py): tess teaches the class and alice is in it; bob is a student outside
it; otto (`other_teacher`) teaches another class. Each view has its access matrix: anonymous,
outsider, other teacher, wrong method.
"""

import csv
import io
import os
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import leaderboards
from quizzes.models import Assignment, Classroom, Membership, Status
from quizzes.models.classes import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from tests.conftest import HTMX
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    MembershipFactory,
    QuizFactory,
    UserFactory,
    answer_question,
    class_of,
    single_choice_question,
)
from tests.test_access_matrix import RULES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_redis(settings):
    """Redis as the environment has it (or none), with nothing cached from another test."""
    settings.REDIS_URL = os.environ.get("REDIS_URL", "")
    leaderboards.clear_redis()
    yield
    leaderboards.clear_redis()


@pytest.fixture
def classroom(tess, alice):
    classroom = ClassroomFactory(name="Year 10 History", teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    return classroom


def client_for(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"quizzes:{name}", args=args)


class TestJoinClass:
    def test_anonymous_is_asked_to_log_in(self, client):
        response = client.get(url("join_class"))
        assert response.status_code == 302 and "/accounts/login/" in response.url

    def test_an_empty_post_is_a_form_error(self, client, bob):
        response = client_for(client, bob).post(url("join_class"))
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()
        assert not bob.memberships.exists()

    def test_it_shows_a_code_form(self, client, bob):
        page = client_for(client, bob).get(url("join_class") + "?code=ACDE").content.decode()
        assert 'name="code"' in page and 'value="ACDE"' in page

    def test_a_code_joins_the_class_however_it_is_typed(self, client, bob, classroom):
        code = classroom.join_code
        typed = f" {code[:4].lower()}-{code[4:]} "
        response = client_for(client, bob).post(url("join_class"), {"code": typed})
        assert response.url == classroom.get_absolute_url()
        assert classroom.students.filter(pk=bob.pk).exists()

    def test_joining_twice_is_harmless(self, client, bob, classroom):
        client_for(client, bob)
        for _ in range(2):
            response = client.post(url("join_class"), {"code": classroom.join_code}, follow=True)
        assert Membership.objects.filter(student=bob).count() == 1
        assert "You are already in Year 10 History" in response.content.decode()

    def test_a_wrong_code_is_a_form_error(self, client, bob, classroom):
        response = client_for(client, bob).post(url("join_class"), {"code": "AAAAAAAA"})
        assert response.status_code == 400
        assert "No class has that code" in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Membership.objects.filter(student=bob).exists()

    def test_the_teacher_does_not_join_their_own_class(self, client, tess, classroom):
        client_for(client, tess).post(url("join_class"), {"code": classroom.join_code})
        assert not Membership.objects.filter(student=tess).exists()

    def test_it_refuses_other_methods(self, client, bob):
        assert client_for(client, bob).put(url("join_class")).status_code == 405


@pytest.mark.usefixtures("join_limit")
class TestJoinCodeGuessing:
    def guess(self, client, times):
        return [client.post(url("join_class"), {"code": f"AAAA{n:04}"}) for n in range(times)]

    def test_after_eleven_wrong_codes_even_the_right_one_waits(self, client, bob, classroom):
        tries = self.guess(client_for(client, bob), 11)  # a count over 10 stops the next try
        assert [r.status_code for r in tries] == [400] * 11
        response = client.post(url("join_class"), {"code": classroom.join_code})
        assert response.status_code == 429
        page = response.content.decode()
        assert "too many wrong codes" in page and 'role="alert"' in page
        assert 'name="code"' in page and classroom.join_code not in page
        assert not Membership.objects.filter(student=bob).exists()

    def test_right_codes_do_not_count(self, client, bob, classroom):
        client_for(client, bob)
        for _ in range(12):
            assert client.post(url("join_class"), {"code": classroom.join_code}).status_code == 302
        assert self.guess(client, 1)[0].status_code == 400

    def test_each_student_has_their_own_count(self, client, alice, bob, classroom):
        self.guess(client_for(client, bob), 11)
        response = client_for(client, alice).post(url("join_class"), {"code": classroom.join_code})
        assert response.status_code == 302
        assert Membership.objects.filter(student=alice).exists()

    def test_the_form_still_shows(self, client, bob):
        self.guess(client_for(client, bob), 11)
        assert client.get(url("join_class")).status_code == 200


class TestMyClasses:
    def test_a_student_sees_their_classes_and_how_classmates_see_them(
        self, client, alice, classroom
    ):
        ClassroomFactory(name="Someone else's class")
        page = client_for(client, alice).get(url("classes")).content.decode()
        assert "Year 10 History" in page and "Someone else" not in page
        assert "Appear as “Anonymous student” instead" in page

    def test_a_teacher_sees_the_classes_they_teach_with_their_codes(self, client, tess, classroom):
        page = client_for(client, tess).get(url("classes")).content.decode()
        assert classroom.spaced_join_code in page and "1 student" in page
        assert url("create_class") in page

    def test_anonymous_is_asked_to_log_in(self, client):
        assert client.get(url("classes")).status_code == 302

    def test_it_refuses_post(self, client, alice):
        assert client_for(client, alice).post(url("classes")).status_code == 405

    def test_its_queries_do_not_grow_with_the_classes(
        self, client, tess, django_assert_num_queries
    ):
        client_for(client, tess).get(url("classes"))  # the first request caches the user
        for size in (1, 20):
            for _ in range(size):
                class_of(2, teacher=tess)
            with django_assert_num_queries(2):  # classes taught, classes joined
                client.get(url("classes"))


class TestPrivacy:
    def test_a_student_can_appear_as_anonymous_and_back(self, client, alice):
        client_for(client, alice)
        response = client.post(url("leaderboard_privacy"), {"anonymous": "1"})
        assert response.url == url("classes")
        alice.refresh_from_db()
        assert alice.anonymous_on_leaderboards
        client.post(url("leaderboard_privacy"), {"anonymous": "0"})
        alice.refresh_from_db()
        assert not alice.anonymous_on_leaderboards

    def test_it_refuses_get_and_anonymous(self, client, alice):
        assert client.post(url("leaderboard_privacy")).status_code == 302
        assert client_for(client, alice).get(url("leaderboard_privacy")).status_code == 405


class TestClassPage:
    def test_members_and_the_teacher_see_it_and_no_one_else(
        self, client, classroom, alice, tess, bob, other_teacher
    ):
        page = url("classroom", classroom.pk)
        assert client.get(page).status_code == 302  # anonymous: log in first
        for outsider in (bob, other_teacher):
            assert client_for(client, outsider).get(page).status_code == 404
        assert client_for(client, alice).get(page).status_code == 200
        teacher_page = client_for(client, tess).get(page).content.decode()
        assert url("manage_class", classroom.pk) in teacher_page

    def test_an_outsider_cannot_poll_the_fragment_either(self, client, classroom, bob):
        response = client_for(client, bob).get(url("classroom", classroom.pk), **HTMX)
        assert response.status_code == 404

    def test_it_refuses_post(self, client, classroom, alice):
        assert client_for(client, alice).post(url("classroom", classroom.pk)).status_code == 405

    def test_the_student_sees_their_own_row_marked_in_words(self, client, classroom, alice):
        answer_question(alice, single_choice_question())
        page = client_for(client, alice).get(url("classroom", classroom.pk)).content.decode()
        assert 'aria-current="true"' in page
        assert 'Alice <span class="you">(you)</span>' in page
        assert "You are at the top of this board." in page

    def test_classmates_see_display_names_or_anonymous_never_usernames(
        self, client, classroom, alice
    ):
        carol = UserFactory(username="carol_secret", display_name="Carol", email="c@example.org")
        dan = UserFactory(username="dan_secret", display_name="Dan", anonymous_on_leaderboards=True)
        for student in (carol, dan):
            MembershipFactory(classroom=classroom, student=student)
            answer_question(student, single_choice_question())
        for board in ("week", "all"):
            page = client_for(client, alice).get(url("classroom", classroom.pk), {"board": board})
            text = page.content.decode()
            assert '<th scope="row">Carol' in text and '<th scope="row">Anonymous student' in text
            assert "Dan" not in text
            assert "_secret" not in text and "example.org" not in text

    def test_the_teacher_sees_real_names(self, client, classroom, tess):
        dan = UserFactory(display_name="Dan", anonymous_on_leaderboards=True)
        MembershipFactory(classroom=classroom, student=dan)
        answer_question(dan, single_choice_question())
        page = client_for(client, tess).get(url("classroom", classroom.pk)).content.decode()
        assert '<th scope="row">Dan' in page and '<th scope="row">Anonymous' not in page

    def test_each_assigned_quiz_has_a_board(self, client, classroom, alice):
        assignment = AssignmentFactory(classroom=classroom, quiz=single_choice_question().quiz)
        client_for(client, alice)
        page = client.get(url("classroom", classroom.pk)).content.decode()
        board = f"?board=quiz-{assignment.quiz_id}"
        assert board in page
        response = client.get(url("classroom", classroom.pk) + board)
        assert response.status_code == 200
        assert 'aria-current="page">' + assignment.quiz.title in response.content.decode()

    def test_an_unassigned_quiz_or_unknown_board_is_404(self, client, classroom, alice):
        quiz = QuizFactory()
        client_for(client, alice)
        for board in (f"quiz-{quiz.pk}", "nope"):
            response = client.get(url("classroom", classroom.pk), {"board": board})
            assert response.status_code == 404

    def test_htmx_gets_the_table_alone(self, client, classroom, alice):
        client_for(client, alice)
        response = client.get(url("classroom", classroom.pk), {"board": "all"}, **HTMX)
        text = response.content.decode()
        assert response.status_code == 200
        assert text.lstrip().startswith('<div id="leaderboard"') and "<html" not in text
        assert 'hx-trigger="every 10s"' in text  # LEADERBOARD_POLL_SECONDS' default
        assert "Vary" in response and "HX-Request" in response["Vary"]

    def test_the_poll_interval_is_a_setting(self, client, classroom, alice, settings):
        settings.LEADERBOARD_POLL_SECONDS = 3
        page = client_for(client, alice).get(url("classroom", classroom.pk)).content.decode()
        assert 'hx-trigger="every 3s"' in page

    def test_polling_answers_204_until_the_board_changes(self, client, classroom, alice, bob):
        client_for(client, alice)
        page = url("classroom", classroom.pk)
        first = client.get(page, {"board": "all"}, **HTMX)
        since = re.search(r"since=([0-9a-f]+)", first.content.decode())[1]
        assert client.get(page, {"board": "all", "since": since}, **HTMX).status_code == 204
        MembershipFactory(classroom=classroom, student=bob)
        answer_question(bob, single_choice_question())
        leaderboards.count_answer(bob.pk, bob.responses.get().question.quiz_id)
        changed = client.get(page, {"board": "all", "since": since}, **HTMX)
        assert changed.status_code == 200 and "Bob" in changed.content.decode()

    def test_without_htmx_a_stale_since_still_gets_the_page(self, client, classroom, alice):
        response = client_for(client, alice).get(url("classroom", classroom.pk), {"since": "x"})
        assert response.status_code == 200 and "<html" in response.content.decode()

    @pytest.mark.parametrize("board", ["week", "all", "quiz"])
    def test_its_queries_do_not_grow_with_the_class(
        self, client, tess, board, django_assert_num_queries, django_capture_on_commit_callbacks
    ):
        for size in (3, 300):
            classroom = class_of(size, teacher=tess)
            quiz = single_choice_question().quiz
            assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
            for member in classroom.students.all()[:3]:
                answer_question(member, quiz.questions.get(), assignment=assignment)
            viewer = classroom.students.first()
            client_for(client, viewer)
            page = url("classroom", classroom.pk)
            params = {"board": f"quiz-{quiz.pk}" if board == "quiz" else board}
            client.get(page, params)  # (with Redis: the first read fills it in)
            # class, its assignments (tabs), its live game if one is on, the board (the user
            # comes from the cache)
            with django_assert_num_queries(4):
                assert client.get(page, params).status_code == 200
            # the polled fragment needs the assignments only for a quiz's board
            with django_assert_num_queries(3 if board == "quiz" else 2):
                assert client.get(page, params, **HTMX).status_code == 200
            # and just after an answer (with Redis: the ranking instead of the names)
            with django_capture_on_commit_callbacks(execute=True):
                answer_question(viewer, single_choice_question(quiz=quiz))
            with django_assert_num_queries(3 if board == "quiz" else 2):
                response = client.get(page, params, **HTMX)
            mine = re.search(r'"is-viewer".*?"num">(\d+)<', response.content.decode(), re.S)
            assert response.status_code == 200 and mine[1] == "2"


class TestCreateClass:
    def test_a_teacher_creates_a_class_with_a_join_code(self, client, tess):
        response = client_for(client, tess).post(url("create_class"), {"name": "Year 9"})
        classroom = Classroom.objects.get(name="Year 9")
        assert classroom.teacher == tess
        assert response.url == url("manage_class", classroom.pk)
        assert len(classroom.join_code) == JOIN_CODE_LENGTH
        assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)

    def test_a_name_is_required(self, client, tess):
        response = client_for(client, tess).post(url("create_class"), {"name": ""})
        assert response.status_code == 400 and not Classroom.objects.exists()
        response = client.post(url("create_class"))  # no fields at all
        assert response.status_code == 400 and not Classroom.objects.exists()

    def test_students_and_anonymous_cannot(self, client, alice):
        assert client.get(url("create_class")).status_code == 302
        client_for(client, alice)
        assert client.get(url("create_class")).status_code == 403
        assert client.post(url("create_class"), {"name": "Mine"}).status_code == 403
        assert not Classroom.objects.exists()


class TestManageClass:
    def test_the_teacher_sees_the_code_big_the_students_and_the_assignments(
        self, client, tess, classroom
    ):
        AssignmentFactory(classroom=classroom, quiz=QuizFactory(title="The Kirov murder"))
        page = client_for(client, tess).get(url("manage_class", classroom.pk)).content.decode()
        assert '<p class="join-code"' in page and classroom.spaced_join_code in page
        assert "Alice" in page and "The Kirov murder" in page
        assert f"/classes/join/?code={classroom.join_code}" in page

    def test_its_queries_do_not_grow_with_the_class(self, client, tess, django_assert_num_queries):
        client_for(client, tess).get(url("classes"))  # the first request caches the user
        for size in (3, 300):
            classroom = class_of(size, teacher=tess)
            AssignmentFactory(classroom=classroom)
            # class, students, assignments, the quizzes to choose from (twice: Django's Select
            # reads the first choice again to decide on `required`); the user from the cache
            with django_assert_num_queries(5):
                client.get(url("manage_class", classroom.pk))

    def test_only_the_classes_teacher(self, client, classroom, alice, other_teacher):
        page = url("manage_class", classroom.pk)
        assert client.get(page).status_code == 302
        for other in (alice, other_teacher):
            assert client_for(client, other).get(page).status_code == 404


class TestRegenerateCode:
    def test_a_new_code_replaces_the_old_one(self, client, tess, classroom, bob):
        old = classroom.join_code
        response = client_for(client, tess).post(url("regenerate_code", classroom.pk))
        assert response.url == url("manage_class", classroom.pk)
        classroom.refresh_from_db()
        assert classroom.join_code != old
        client_for(client, bob)
        assert client.post(url("join_class"), {"code": old}).status_code == 400

    def test_it_asks_first_and_only_the_teacher_may(self, client, tess, classroom, other_teacher):
        old = classroom.join_code
        confirm = client_for(client, tess).get(url("regenerate_code", classroom.pk))
        page = confirm.content.decode()
        assert "Make a new code for Year 10 History?" in page and classroom.spaced_join_code in page
        assert f'action="{url("regenerate_code", classroom.pk)}"' in page
        classroom.refresh_from_db()
        assert classroom.join_code == old  # asking changes nothing
        assert (
            client_for(client, other_teacher).post(url("regenerate_code", classroom.pk)).status_code
            == 404
        )


class TestRemoveStudent:
    def test_it_asks_then_removes(self, client, tess, classroom, alice):
        page = url("remove_student", classroom.pk, alice.pk)
        client_for(client, tess)
        confirm = client.get(page).content.decode()
        assert "Remove Alice from Year 10 History?" in confirm
        assert Membership.objects.filter(student=alice).exists()
        assert client.post(page).url == url("manage_class", classroom.pk)
        assert not Membership.objects.filter(student=alice).exists()
        # and she no longer sees the class
        assert client_for(client, alice).get(url("classroom", classroom.pk)).status_code == 404

    def test_not_a_member_or_not_the_teacher_is_404(
        self, client, tess, classroom, alice, bob, other_teacher
    ):
        assert (
            client_for(client, tess).post(url("remove_student", classroom.pk, bob.pk)).status_code
            == 404
        )
        for other in (alice, other_teacher):
            response = client_for(client, other).post(url("remove_student", classroom.pk, alice.pk))
            assert response.status_code == 404
        assert Membership.objects.filter(student=alice).exists()


class TestAssignments:
    def test_the_teacher_assigns_a_quiz_with_a_due_date_and_can_change_it(
        self, client, tess, classroom
    ):
        quiz = QuizFactory()
        client_for(client, tess)
        client.post(
            url("assign_quiz", classroom.pk),
            {**RULES, "quiz": quiz.pk, "due_at": "2030-05-17T15:30"},
        )
        assignment = Assignment.objects.get()
        local = timezone.localtime(assignment.due_at)
        assert (local.date().isoformat(), local.hour, local.minute) == ("2030-05-17", 15, 30)
        client.post(url("assign_quiz", classroom.pk), {**RULES, "quiz": quiz.pk, "due_at": ""})
        assert Assignment.objects.get().due_at is None

    def test_a_draft_quiz_cannot_be_assigned(self, client, tess, classroom):
        draft = QuizFactory(status=Status.DRAFT)
        response = client_for(client, tess).post(
            url("assign_quiz", classroom.pk), {"quiz": draft.pk}
        )
        assert response.status_code == 400 and not Assignment.objects.exists()

    def test_the_teacher_unassigns(self, client, tess, classroom):
        assignment = AssignmentFactory(classroom=classroom)
        client_for(client, tess).post(url("unassign_quiz", classroom.pk, assignment.pk))
        assert not Assignment.objects.exists()

    def test_only_the_teacher_and_only_their_classes_assignments(
        self, client, tess, classroom, alice, other_teacher
    ):
        quiz = QuizFactory()
        for other in (alice, other_teacher):
            client_for(client, other)
            assert (
                client.post(url("assign_quiz", classroom.pk), {"quiz": quiz.pk}).status_code == 404
            )
        elsewhere = AssignmentFactory()
        response = client_for(client, tess).post(url("unassign_quiz", classroom.pk, elsewhere.pk))
        assert response.status_code == 404
        assert client.get(url("assign_quiz", classroom.pk)).status_code == 405


class TestHomeAssignments:
    def test_a_student_sees_assigned_quizzes_with_due_dates_and_status(
        self, client, classroom, alice
    ):
        due = timezone.now() + timedelta(days=2)
        todo = AssignmentFactory(
            classroom=classroom, quiz=QuizFactory(title="Show trials"), due_at=due
        )
        done = AssignmentFactory(classroom=classroom, quiz=single_choice_question().quiz)
        # One question: the attempt is finished.
        answer_question(alice, done.quiz.questions.get(), assignment=done)
        page = client_for(client, alice).get("/").content.decode()
        assert "Assigned to you" in page and "Show trials" in page
        assert f"Due {timezone.localtime(due):%A %-d %B}" in page
        assert "To do" in page and "Done: 100%" in page
        assert todo.classroom.name in page

    def test_what_is_done_is_folded_away_below_what_is_left(self, client, classroom, alice):
        AssignmentFactory(classroom=classroom, quiz=QuizFactory(title="Show trials"))
        for title in ("Kirov", "Bukharin"):
            done = AssignmentFactory(
                classroom=classroom, quiz=single_choice_question(quiz=QuizFactory(title=title)).quiz
            )
            answer_question(alice, done.quiz.questions.get(), assignment=done)
        page = client_for(client, alice).get("/").content.decode()
        left, folded = page.split('<details class="assignments-done">')
        assert "Show trials" in left and "To do" in left
        assert "<summary>Done (2)</summary>" in folded
        assert "Kirov" in folded and "Bukharin" in folded and "Kirov" not in left

    def test_with_everything_done_it_says_so(self, client, classroom, alice):
        done = AssignmentFactory(classroom=classroom, quiz=single_choice_question().quiz)
        answer_question(alice, done.quiz.questions.get(), assignment=done)
        page = client_for(client, alice).get("/").content.decode()
        assert "All done: every quiz your teachers have set is finished." in page
        assert "<summary>Done (1)</summary>" in page

    def test_a_student_outside_the_class_sees_none(self, client, classroom, bob):
        AssignmentFactory(classroom=classroom, quiz=QuizFactory(title="Show trials"))
        assert "Assigned to you" not in client_for(client, bob).get("/").content.decode()


class TestGradebook:
    @pytest.fixture
    def marked(self, classroom, alice, bob):
        MembershipFactory(classroom=classroom, student=bob)
        first = single_choice_question(quiz=QuizFactory(title="Kirov")).quiz
        second = QuizFactory(title="=Trials")
        kirov = AssignmentFactory(classroom=classroom, quiz=first)
        AssignmentFactory(
            classroom=classroom, quiz=second, due_at=timezone.now() - timedelta(days=1)
        )
        answer_question(alice, first.questions.get(), right=True, assignment=kirov)
        answer_question(bob, first.questions.get(), right=False, assignment=kirov)
        return classroom

    def test_the_teacher_sees_best_scores_and_completion(self, client, tess, marked):
        page = client_for(client, tess).get(url("gradebook", marked.pk)).content.decode()
        assert "100%" in page and "0%" in page and "completed" in page
        assert "overdue" in page
        assert "Class average" in page and "50%" in page
        assert url("gradebook_csv", marked.pk) in page

    def test_the_csv_has_a_row_per_student_and_cannot_run_formulas(self, client, tess, marked):
        response = client_for(client, tess).get(url("gradebook_csv", marked.pk))
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="gradebook-year-10-history.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        # Soonest due first: "=Trials" was due yesterday, Kirov has no due date.
        assert rows[0] == [
            "Student",
            "Username",
            "'=Trials: %",
            "'=Trials: completed",
            "'=Trials: completed on",
            "'=Trials: late",
            "Kirov: %",
            "Kirov: completed",
            "Kirov: completed on",
            "Kirov: late",
        ]
        today = timezone.localdate().isoformat()
        assert [row[:8] + row[9:] for row in rows[1:]] == [
            ["Alice", "alice", "", "no", "", "no", "100", "yes", "no"],
            ["Bob", "bob", "", "no", "", "no", "0", "yes", "no"],
            ["Class average", "", "", "", "", "", "50", "", ""],
        ]
        assert rows[1][8].startswith(today) and rows[3][8] == ""

    def test_only_the_teacher(self, client, marked, alice, other_teacher):
        for name in ("gradebook", "gradebook_csv"):
            client.logout()
            assert client.get(url(name, marked.pk)).status_code == 302
            for other in (alice, other_teacher):
                assert client_for(client, other).get(url(name, marked.pk)).status_code == 404

    def test_its_queries_do_not_grow_with_the_class(self, client, tess, django_assert_num_queries):
        client_for(client, tess).get(url("classes"))  # the first request caches the user
        for size in (3, 300):
            classroom = class_of(size, teacher=tess)
            quiz = single_choice_question().quiz
            assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
            for member in classroom.students.all()[:3]:
                answer_question(member, quiz.questions.get(), assignment=assignment)
            # class, assignments, students, attempts (the user comes from the cache)
            with django_assert_num_queries(4):
                client.get(url("gradebook", classroom.pk))
            with django_assert_num_queries(4):
                client.get(url("gradebook_csv", classroom.pk))
