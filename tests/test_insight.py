"""Class insight (issue 20, point 3): per topic the spread of the class's mastery, per question
the share right and the most common wrong answer, per assignment who is where, the student by
topic grid, and "Set practice on this topic"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from quizzes.insight import PRACTICE_SIZE, class_insight
from quizzes.mastery import Level
from quizzes.models import Assignment, Attempt, Membership, QuestionProgress, Quiz, Status
from quizzes.models.attempts import start_attempt
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    TopicFactory,
    UserFactory,
    answer_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """The counts are cached by the class's id, and a test database gives the same ids
    again."""
    cache.clear()


@pytest.fixture
def topics(db):
    return TopicFactory(name="The power struggle"), TopicFactory(name="The show trials")


@pytest.fixture
def lesson(topics):
    """A published quiz of four questions: two on each topic."""
    quiz = QuizFactory(title="The Moscow Trials")
    power, trials = topics
    questions = [single_choice_question(quiz=quiz, topic=power, position=n) for n in range(2)]
    questions += [single_choice_question(quiz=quiz, topic=trials, position=n) for n in (2, 3)]
    return quiz, questions


@pytest.fixture
def classroom(tess, alice, bob, lesson):
    room = ClassroomFactory(teacher=tess, name="10B")
    Membership.objects.create(classroom=room, student=alice)
    Membership.objects.create(classroom=room, student=bob)
    AssignmentFactory(classroom=room, quiz=lesson[0])
    return room


def insight_url(room) -> str:
    return reverse("quizzes:class_insight", args=[room.pk])


def practice_url(room, topic) -> str:
    return reverse("quizzes:topic_practice", args=[room.pk, topic.pk])


class TestTheSpreadPerTopic:
    def test_it_counts_students_at_each_level(self, classroom, lesson, alice, bob, topics):
        _, (q1, q2, _, _) = lesson
        answer_question(alice, q1, right=True)
        answer_question(alice, q2, right=True)
        answer_question(bob, q1, right=False)
        insight = class_insight(classroom, now=timezone.now())
        power, trials = insight.topics
        assert (power.name, power.questions) == ("The power struggle", 2)
        assert power.counts == {Level.PROFICIENT: 1, Level.ATTEMPTED: 1}
        assert trials.counts == {Level.NOT_STARTED: 2}
        assert power.below_familiar == 1

    def test_the_page_shows_the_counts_and_a_practice_button(self, client, classroom, tess):
        client.force_login(tess)
        page = client.get(insight_url(classroom)).content.decode()
        assert "<h1>Class insight</h1>" in page
        assert "Set practice on this topic" in page
        assert 'method="post"' in page and "csrfmiddlewaretoken" in page

    def test_the_class_page_links_to_it(self, client, classroom, tess):
        client.force_login(tess)
        page = client.get(reverse("quizzes:manage_class", args=[classroom.pk])).content.decode()
        assert f'href="{insight_url(classroom)}">Class insight</a>' in page

    def test_a_class_with_nothing_assigned_says_so(self, client, tess):
        room = ClassroomFactory(teacher=tess)
        client.force_login(tess)
        page = client.get(insight_url(room)).content.decode()
        assert "No questions are set yet" in page


class TestQuestions:
    def test_share_right_and_the_most_common_wrong_answer(self, classroom, lesson, alice, bob):
        _, (q1, *_) = lesson
        carol = UserFactory(username="carol")
        Membership.objects.create(classroom=classroom, student=carol)
        answer_question(alice, q1, right=True)
        answer_question(bob, q1, right=False)  # 1927: the first wrong choice
        answer_question(carol, q1, right=False)
        row = class_insight(classroom, now=timezone.now()).questions[0]
        assert row.question_id == q1.pk
        assert (row.answered, row.right, row.percent_right) == (3, 1, 33)
        assert (row.wrong_answer, row.wrong_answer_count) == ("1927", 2)

    def test_the_latest_answer_counts(self, classroom, lesson, alice):
        _, (q1, *_) = lesson
        answer_question(alice, q1, right=False)
        Attempt.objects.filter(user=alice).update(finished_at=timezone.now())
        answer_question(alice, q1, right=True)
        row = class_insight(classroom, now=timezone.now()).questions
        assert next(r for r in row if r.question_id == q1.pk).right == 1

    def test_answers_outside_the_class_do_not_count(self, classroom, lesson, other_teacher):
        _, (q1, *_) = lesson
        outsider = UserFactory()
        answer_question(outsider, q1, right=False)
        row = next(
            r
            for r in class_insight(classroom, now=timezone.now()).questions
            if r.question_id == q1.pk
        )
        assert row.answered == 0

    def test_the_latest_answer_is_kept_in_words(self, lesson, alice):
        _, (q1, *_) = lesson
        answer_question(alice, q1, right=False)
        assert QuestionProgress.objects.get(user=alice).last_answer_text == "1927"


class TestAssignments:
    def test_who_has_not_started_is_working_finished_and_late(self, classroom, lesson, alice, bob):
        _, questions = lesson
        assignment = classroom.assignments.get()
        assignment.due_at = timezone.now() - timedelta(days=1)
        assignment.save()
        carol, dan = UserFactory(display_name="Carol"), UserFactory(display_name="Dan")
        for student in (carol, dan):
            Membership.objects.create(classroom=classroom, student=student)
        two_days_ago = timezone.now() - timedelta(days=2)
        attempt_for(alice, assignment, questions, finished=True, started_at=two_days_ago)
        attempt_for(bob, assignment, questions, finished=True)  # after the due date
        attempt_for(carol, assignment, questions, position=2)  # open
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert progress.finished == ["Alice", "Bob"]
        assert progress.working == ["Carol"]
        assert progress.not_started == ["Dan"]
        assert progress.late == ["Bob", "Carol", "Dan"]

    def test_a_student_who_started_but_answered_nothing_is_working(self, classroom, lesson, alice):
        """As their own page says "in progress" once they have started."""
        _, questions = lesson
        attempt_for(alice, classroom.assignments.get(), questions)
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert (progress.working, progress.not_started) == (["Alice"], ["Bob"])

    def test_a_start_shows_at_once(self, client, classroom, tess, lesson, alice):
        """Starting answers nothing: the counts' cache is moved by the attempts started too."""
        client.force_login(tess)
        client.get(insight_url(classroom))
        start_attempt(user=alice, quiz=lesson[0], assignment=classroom.assignments.get())
        progress = client.get(insight_url(classroom)).context["insight"].assignments[0]
        assert progress.working == ["Alice"]

    def test_a_student_who_left_the_class_is_in_no_group(self, classroom, lesson, alice, bob):
        _, questions = lesson
        assignment = classroom.assignments.get()
        assignment.due_at = timezone.now() - timedelta(days=1)
        assignment.save()
        attempt_for(alice, assignment, questions, finished=True)
        Membership.objects.filter(student=alice).delete()
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert (progress.finished, progress.working, progress.not_started) == ([], [], ["Bob"])
        assert progress.late == ["Bob"]

    def test_nobody_is_late_for_a_withdrawn_quiz(self, classroom, lesson, alice):
        """Unpublished since it was set, it cannot be finished: not finishing it is not late."""
        quiz, questions = lesson
        assignment = classroom.assignments.get()
        assignment.due_at = timezone.now() - timedelta(days=1)
        assignment.save()
        attempt_for(alice, assignment, questions, position=1)
        Quiz.objects.filter(pk=quiz.pk).update(status=Status.DRAFT)
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert (progress.working, progress.not_started, progress.late) == (["Alice"], ["Bob"], [])

    def test_only_the_assignment_own_attempts_count(self, classroom, lesson, alice, bob):
        """An attempt at the same quiz on one's own, or a practice, is not the assignment's."""
        quiz, questions = lesson
        ids = [q.pk for q in questions]
        AttemptFactory(user=alice, quiz=quiz, question_ids=ids, finished=True)
        AttemptFactory(user=bob, quiz=None, kind=Attempt.Kind.PRACTICE, finished=True)
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert progress.not_started == ["Alice", "Bob"]

    def test_no_due_date_nobody_is_late(self, classroom, lesson, alice):
        _, questions = lesson
        attempt_for(alice, classroom.assignments.get(), questions, finished=True)
        progress = class_insight(classroom, now=timezone.now()).assignments[0]
        assert (progress.finished, progress.late) == (["Alice"], [])


def attempt_for(student, assignment, questions, **kwargs):
    """The student's attempt number 1 of an assignment, at all its questions."""
    return AttemptFactory(
        user=student,
        quiz=assignment.quiz,
        assignment=assignment,
        number=1,
        question_ids=[q.pk for q in questions],
        **kwargs,
    )


class TestTheGrid:
    def test_each_cell_has_a_letter_and_a_label_not_colour_alone(
        self, client, classroom, tess, lesson, alice
    ):
        _, (q1, q2, *_) = lesson
        answer_question(alice, q1, right=True)
        answer_question(alice, q2, right=True)
        client.force_login(tess)
        page = client.get(insight_url(classroom)).content.decode()
        assert 'class="insight-table mastery-grid"' in page
        assert '<td class="level-proficient">P</td>' in page
        assert '<td class="level-not-started">–</td>' in page
        assert "Levels" in page and "every question right on the latest answer" in page.lower()

    def test_the_table_alternative_says_it_in_words(self, client, classroom, tess, lesson, alice):
        _, (q1, *_) = lesson
        answer_question(alice, q1, right=True)
        client.force_login(tess)
        page = client.get(insight_url(classroom) + "?grid=table").content.decode()
        assert 'class="insight-table grid-words"' in page
        # 1 of the topic's 2 questions right: under the familiar mark.
        assert '<td>Attempted <span class="meta">(1/2)</span></td>' in page
        assert 'href="?#grid"' in page


def _class_of_size(tess, lesson, size: int):
    quiz, questions = lesson
    room = ClassroomFactory(teacher=tess)
    AssignmentFactory(classroom=room, quiz=quiz, due_at=timezone.now() + timedelta(days=2))
    for n in range(size):
        student = UserFactory()
        Membership.objects.create(classroom=room, student=student)
        answer_question(student, questions[n % 4], right=n % 3 == 0)
    return room


@pytest.mark.parametrize("size", [3, 12])
def test_its_queries_do_not_grow_with_the_class(
    size, client, tess, lesson, django_assert_num_queries
):
    """Seven queries with the progress counted, four once the counts are in the cache, seven
    again to recount a student who answered since (in a class of 12; in one of 3, a third of
    the class, it counts everyone afresh)."""
    room = _class_of_size(tess, lesson, size)
    client.force_login(tess)
    client.get(reverse("quizzes:classes"))  # the session and the signed-in user, cached
    with django_assert_num_queries(7):
        response = client.get(insight_url(room))
    assert response.status_code == 200
    assert response.context["insight"].students == size
    with django_assert_num_queries(4):
        assert client.get(insight_url(room)).context["insight"].students == size
    answer_question(room.students.first(), lesson[1][3], right=True)
    with django_assert_num_queries(7):
        found = client.get(insight_url(room)).context["insight"]
    assert sum(row.answered for row in found.questions) == size + 1


class TestTheCache:
    def test_an_answer_shows_at_once(self, client, classroom, tess, lesson, alice):
        _, (q1, *_) = lesson
        client.force_login(tess)
        client.get(insight_url(classroom))
        answer_question(alice, q1, right=False)
        row = client.get(insight_url(classroom)).context["insight"].questions[0]
        assert (row.question_id, row.answered, row.wrong_answer) == (q1.pk, 1, "1927")

    def test_a_student_who_joins_shows_at_once(self, client, classroom, tess):
        client.force_login(tess)
        client.get(insight_url(classroom))
        Membership.objects.create(classroom=classroom, student=UserFactory())
        assert client.get(insight_url(classroom)).context["insight"].students == 3
        assert len(client.get(insight_url(classroom)).context["insight"].grid) == 3

    def test_after_some_answers_it_recounts_their_students_as_a_count_afresh_would(
        self, classroom, lesson, alice, bob, monkeypatch
    ):
        """Counts brought up to date for the students who answered since (RECOUNT_SHARE at 1:
        any share of the class) equal the same counts made from nothing."""
        _, (q1, *others) = lesson
        assignment = classroom.assignments.get()
        carol = UserFactory(display_name="Carol")
        Membership.objects.create(classroom=classroom, student=carol)
        for student, right in ((alice, True), (bob, False), (carol, False)):
            answer_question(student, q1, right=right, assignment=assignment)
        counted = class_insight(classroom, now=timezone.now())  # into the cache
        for question in others:  # questions anew, and Alice finishes the quiz
            answer_question(alice, question, right=False, assignment=assignment)
        answer_question(bob, q1, right=True)  # one answered before (on his own)
        answer_question(bob, others[1], right=True, assignment=assignment)
        monkeypatch.setattr("quizzes.insight.RECOUNT_SHARE", 1.0)
        monkeypatch.setattr("quizzes.insight._count_all", None)  # no count from nothing
        recounted = class_insight(classroom, now=timezone.now())
        monkeypatch.undo()
        cache.clear()
        afresh = class_insight(classroom, now=timezone.now())
        assert _shown(recounted) == _shown(afresh) != _shown(counted)

    def test_a_student_who_leaves_is_counted_out(self, client, classroom, tess, lesson, bob):
        _, (q1, *_) = lesson
        answer_question(bob, q1, right=False)
        client.force_login(tess)
        assert client.get(insight_url(classroom)).context["insight"].questions[0].answered == 1
        Membership.objects.filter(student=bob).delete()
        found = client.get(insight_url(classroom)).context["insight"]
        assert (found.students, found.questions[0].answered) == (1, 0)

    def test_a_question_moved_to_another_topic_counts_there(
        self, client, classroom, tess, lesson, alice, topics
    ):
        _, (q1, q2, _, _) = lesson
        for question in (q1, q2):
            answer_question(alice, question, right=True)
        client.force_login(tess)
        client.get(insight_url(classroom))
        q1.topic = topics[1]
        q1.save()
        power, trials = client.get(insight_url(classroom)).context["insight"].topics
        assert (power.questions, trials.questions) == (1, 3)
        assert power.counts[Level.PROFICIENT] == 1  # alice: q2, the topic's one question
        assert trials.counts[Level.ATTEMPTED] == 1  # alice: q1 of three


class TestSetPractice:
    def test_it_assigns_a_pool_of_the_most_missed_questions_of_the_topic(
        self, client, classroom, tess, lesson, alice, bob, topics
    ):
        _, (q1, q2, q3, _) = lesson
        answer_question(alice, q1, right=False)
        answer_question(bob, q1, right=False)
        answer_question(alice, q2, right=True)
        answer_question(bob, q3, right=False)  # another topic
        client.force_login(tess)
        response = client.post(practice_url(classroom, topics[0]))
        assert response.status_code == 302 and response.url == insight_url(classroom)
        practice = Quiz.objects.get(slug__startswith=f"practice-{classroom.pk}-")
        assert list(practice.picked_questions.all()) == [q1]
        assert practice.status == Status.PUBLISHED and practice.owner == tess
        assignment = Assignment.objects.get(classroom=classroom, quiz=practice)
        assert (assignment.attempts_allowed, assignment.score_counts) == (None, "best")
        assert list(practice.question_pool()) == [q1]
        # A student's attempt asks those questions, so their answers move their mastery.
        attempt = start_attempt(user=alice, quiz=practice)
        assert attempt.question_ids == [q1.pk]

    def test_it_takes_at_most_a_practice_size(self, client, tess, topics, alice):
        quiz = QuizFactory()
        questions = [
            single_choice_question(quiz=quiz, topic=topics[0]) for _ in range(PRACTICE_SIZE + 2)
        ]
        room = ClassroomFactory(teacher=tess)
        Membership.objects.create(classroom=room, student=alice)
        AssignmentFactory(classroom=room, quiz=quiz)
        for question in questions:
            answer_question(alice, question, right=False)
        client.force_login(tess)
        client.post(practice_url(room, topics[0]))
        practice = Quiz.objects.get(slug__startswith=f"practice-{room.pk}-")
        assert practice.picked_questions.count() == PRACTICE_SIZE
        assert practice.question_count == PRACTICE_SIZE

    def test_a_second_click_the_same_day_updates_the_same_quiz(
        self, client, classroom, tess, lesson, alice, topics
    ):
        _, (q1, q2, *_) = lesson
        answer_question(alice, q1, right=False)
        client.force_login(tess)
        client.post(practice_url(classroom, topics[0]))
        answer_question(alice, q2, right=False)
        response = client.post(practice_url(classroom, topics[0]), follow=True)
        practice = Quiz.objects.get(slug__startswith=f"practice-{classroom.pk}-")
        assert set(practice.picked_questions.all()) == {q1, q2}
        assert classroom.assignments.filter(quiz=practice).count() == 1
        assert "is brought up to date" in response.content.decode()

    def test_nothing_missed_sets_nothing(self, client, classroom, tess, lesson, alice, topics):
        _, (q1, *_) = lesson
        answer_question(alice, q1, right=True)
        client.force_login(tess)
        response = client.post(practice_url(classroom, topics[0]), follow=True)
        assert "Nobody in the class has missed a question on The power struggle yet" in (
            response.content.decode()
        )
        assert not Quiz.objects.filter(slug__startswith="practice-").exists()

    def test_a_topic_the_class_is_not_set_is_404(self, client, classroom, tess):
        elsewhere = TopicFactory(name="Collectivisation")
        client.force_login(tess)
        assert client.post(practice_url(classroom, elsewhere)).status_code == 404
        assert (
            client.post(reverse("quizzes:topic_practice", args=[classroom.pk, 999999])).status_code
            == 404
        )

    def test_only_the_class_teacher(self, client, classroom, other_teacher, alice, topics):
        for user in (other_teacher, alice):
            client.force_login(user)
            assert client.post(practice_url(classroom, topics[0])).status_code == 404
            assert client.get(insight_url(classroom)).status_code == 404
        assert not Quiz.objects.filter(slug__startswith="practice-").exists()

    def test_get_is_not_allowed(self, client, classroom, tess, topics):
        client.force_login(tess)
        assert client.get(practice_url(classroom, topics[0])).status_code == 405


def test_an_unpublished_bank_of_a_practice_quiz_asks_nothing(tess, lesson, topics):
    """A pool of picked questions asks only published ones of published banks."""
    quiz, (q1, *_) = lesson
    practice = QuizFactory(question_count=1)
    practice.draws_from.set([quiz])
    practice.picked_questions.set([q1])
    assert list(practice.question_pool()) == [q1]
    Quiz.objects.filter(pk=quiz.pk).update(status=Status.DRAFT)
    assert list(practice.question_pool()) == []


def test_it_lists_the_most_missed_questions_then_all_on_request(client, tess, alice, topics):
    quiz = QuizFactory()
    questions = [single_choice_question(quiz=quiz, topic=topics[0]) for _ in range(27)]
    room = ClassroomFactory(teacher=tess)
    Membership.objects.create(classroom=room, student=alice)
    AssignmentFactory(classroom=room, quiz=quiz)
    answer_question(alice, questions[26], right=False)
    client.force_login(tess)
    response = client.get(insight_url(room))
    assert response.context["questions"][0].question_id == questions[26].pk
    assert len(response.context["questions"]) == 25
    assert "Show all 27 questions" in response.content.decode()
    assert len(client.get(insight_url(room) + "?questions=all").context["questions"]) == 27


def test_percentages_round_as_every_page_does():
    """grading.percent: half up, so 2 of 3 is 67% as on the gradebook, not 66%."""
    from quizzes.insight import QuestionRow, TopicSpread

    assert QuestionRow(1, "?", 1, "T", "Q", answered=3, right=2).percent_right == 67
    spread = TopicSpread(1, "T", 4, {Level.FAMILIAR: 2, Level.ATTEMPTED: 1})
    assert [p for level, n, p in spread.bands if n] == [33, 67]


def test_names_are_escaped(client, classroom, tess, lesson):
    """The grid's rows and the assignments' lists are joined in Python: each name escaped."""
    Membership.objects.create(
        classroom=classroom, student=UserFactory(display_name="<b>Mallory</b>")
    )
    client.force_login(tess)
    page = client.get(insight_url(classroom)).content.decode()
    assert "<b>Mallory" not in page
    assert page.count("&lt;b&gt;Mallory&lt;/b&gt;") == 2  # the grid, not started


def _shown(found) -> tuple:
    """What the insight page shows, to compare two counts of it."""
    return (
        [(t.name, t.questions, t.counts) for t in found.topics],
        [(q.question_id, q.answered, q.right, q.wrong_answer, q.wrong_answer_count)
         for q in found.questions],
        [p.groups for p in found.assignments],
        [(row.name, row.cells) for row in found.grid],
    )  # fmt: skip
