"""Each topic's counts for one student (quizzes.models.progress.topic_mastery): the latest
answer of each of the topic's published questions, the spaced reviews, and what is due."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.mastery import Level
from quizzes.models import Status
from quizzes.models.progress import topic_mastery
from tests.factories import (
    QuestionProgressFactory,
    QuizFactory,
    TopicFactory,
    single_choice_question,
)

pytestmark = pytest.mark.django_db


class TestTopicCounts:
    @pytest.fixture
    def topics(self):
        quiz = QuizFactory()
        trials = TopicFactory(name="The three trials")
        purge = TopicFactory(name="The purge's reach")
        return {
            "trials": [single_choice_question(quiz=quiz, topic=trials) for _ in range(4)],
            "purge": [single_choice_question(quiz=quiz, topic=purge) for _ in range(2)],
        }

    def _mastery(self, user, now=None):
        return {t.name: t for t in topic_mastery(user, now=now or timezone.now())}

    def test_it_counts_the_latest_answer_of_each_question(self, alice, topics):
        trials = topics["trials"]
        QuestionProgressFactory(user=alice, question=trials[0], last_correct=True)
        QuestionProgressFactory(user=alice, question=trials[1], last_correct=True)
        QuestionProgressFactory(user=alice, question=trials[2], last_correct=False)
        mastery = self._mastery(alice)
        assert (mastery["The three trials"].total, mastery["The three trials"].answered) == (4, 3)
        assert mastery["The three trials"].right == 2
        assert mastery["The three trials"].level is Level.ATTEMPTED
        assert mastery["The purge's reach"].level is Level.NOT_STARTED

    def test_another_students_answers_do_not_count(self, alice, bob, topics):
        for question in topics["purge"]:
            QuestionProgressFactory(user=bob, question=question)
        assert self._mastery(alice)["The purge's reach"].answered == 0
        assert self._mastery(bob)["The purge's reach"].level is Level.PROFICIENT

    def test_draft_questions_and_unpublished_quizzes_are_not_the_topics_questions(
        self, alice, topics
    ):
        purge = topics["purge"][0].topic
        draft = single_choice_question(quiz=topics["purge"][0].quiz, topic=purge)
        draft.status = Status.DRAFT
        draft.save()
        single_choice_question(quiz=QuizFactory(status=Status.DRAFT), topic=purge)
        for question in topics["purge"]:
            QuestionProgressFactory(user=alice, question=question)
        QuestionProgressFactory(user=alice, question=draft, last_correct=False)
        assert self._mastery(alice)["The purge's reach"].total == 2
        assert self._mastery(alice)["The purge's reach"].level is Level.PROFICIENT

    def test_a_topic_is_mastered_once_every_question_is_remembered_in_a_later_review(
        self, alice, topics
    ):
        now = timezone.now()
        first, second = topics["purge"]
        QuestionProgressFactory(user=alice, question=first, spaced_correct_at=now)
        QuestionProgressFactory(user=alice, question=second)
        assert self._mastery(alice)["The purge's reach"].level is Level.PROFICIENT
        assert self._mastery(alice)["The purge's reach"].spaced == 1
        second.progress.update(spaced_correct_at=now)
        assert self._mastery(alice)["The purge's reach"].level is Level.MASTERED

    def test_a_question_remembered_once_but_wrong_now_is_not_spaced(self, alice, topics):
        QuestionProgressFactory(
            user=alice,
            question=topics["purge"][0],
            spaced_correct_at=timezone.now(),
            last_correct=False,
        )
        assert self._mastery(alice)["The purge's reach"].spaced == 0

    def test_it_counts_what_is_due_and_when_the_next_review_comes(self, alice, topics):
        now = timezone.now()
        trials = topics["trials"]
        QuestionProgressFactory(user=alice, question=trials[0], due_at=now - timedelta(hours=1))
        QuestionProgressFactory(user=alice, question=trials[1], due_at=now + timedelta(days=1))
        QuestionProgressFactory(user=alice, question=trials[2], due_at=now + timedelta(days=3))
        topic = self._mastery(alice, now)["The three trials"]
        assert topic.due == 1
        assert topic.next_due_at == now + timedelta(days=1)

    def test_it_is_one_query_however_many_topics(self, alice, topics, django_assert_num_queries):
        for n in range(5):
            single_choice_question(topic=TopicFactory(name=f"Topic {n}"))
        with django_assert_num_queries(1):
            assert len(self._mastery(alice)) == 7
