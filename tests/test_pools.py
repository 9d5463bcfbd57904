"""Pool quizzes: each attempt draws N questions of each topic at its start (Moodle's random
questions), at least a third of them beyond recall, an ordering question last and alone, and
keeps what it drew: the card, the progress bar, the results and the scores follow the draw."""

import random

import pytest
from django.urls import reverse

from quizzes.models import Question, Thinking, Topic
from quizzes.models.attempts import start_attempt
from quizzes.models.content import draw_per_topic
from tests.answers import answer_data
from tests.factories import (
    QuestionFactory,
    QuizFactory,
    ordering_question,
    single_choice_question,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def pool_quiz(per_topic: int = 3, topics: int = 3, recall: int = 4, deeper: int = 2):
    bank = QuizFactory(title="The bank")
    for t in range(topics):
        topic = Topic.named(f"Topic {t}")
        for i in range(recall + deeper):
            thinking = Thinking.RECALL if i < recall else Thinking.CAUSE
            single_choice_question(quiz=bank, topic=topic, thinking=thinking, points=1 + i % 2)
    pool = QuizFactory(title="A pool", source=None, per_topic=per_topic)
    pool.draws_from.add(bank)
    return pool, bank


def drawn(attempt) -> list[Question]:
    by_id = Question.objects.in_bulk(attempt.question_ids)
    return [by_id[pk] for pk in attempt.question_ids]


@pytest.mark.parametrize("seed", range(20))
def test_every_draw_is_balanced_across_topics_and_a_third_beyond_recall(seed):
    pool, _ = pool_quiz()
    questions = [Question.objects.get(pk=pk) for pk in pool.draw_question_ids(random.Random(seed))]
    topics = [q.topic.name for q in questions]
    assert {topics.count(name) for name in set(topics)} == {3}
    assert len(set(topics)) == 3
    beyond = sum(q.thinking != Thinking.RECALL for q in questions)
    assert 3 * beyond >= len(questions)


def test_draws_differ_between_attempts():
    pool, _ = pool_quiz()
    draws = {tuple(pool.draw_question_ids(random.Random(seed))) for seed in range(10)}
    assert len(draws) > 1


def test_a_topic_with_too_few_questions_gives_what_it_has():
    rows = [(1, "a", Thinking.RECALL, "numeric"), (2, "b", Thinking.CAUSE, "numeric")]
    assert sorted(draw_per_topic(rows, 3, random.Random(1))) == sorted(rows)


def test_an_ordering_question_comes_last_and_alone():
    pool, bank = pool_quiz(per_topic=6, topics=1, recall=2, deeper=1)
    topic = Topic.named("Topic 0")
    first, second = (
        ordering_question(quiz=bank, topic=topic),
        ordering_question(quiz=bank, topic=topic),
    )
    for seed in range(10):
        ids = pool.draw_question_ids(random.Random(seed))
        orderings = [pk for pk in ids if pk in (first.pk, second.pk)]
        assert len(orderings) == 1 and ids[-1] == orderings[0]


def test_the_attempt_keeps_its_draw_and_scores_out_of_it(alice):
    pool, bank = pool_quiz(per_topic=2)
    attempt = start_attempt(user=alice, quiz=pool)
    questions = drawn(attempt)
    assert attempt.total == 6
    assert attempt.max_score == sum(q.points for q in questions)
    # The bank grows and is reordered: the attempt asks what it drew, in its order.
    QuestionFactory(quiz=bank, topic=questions[0].topic, thinking=Thinking.CAUSE)
    bank.questions.update(position=0)
    attempt.refresh_from_db()
    assert drawn(attempt) == questions
    assert start_attempt(user=alice, quiz=pool) == attempt  # resumed, not drawn again


def test_the_quiz_list_and_page_say_how_a_pool_draws(client):
    pool, _ = pool_quiz(per_topic=2)
    assert "2 questions on each topic, new for every attempt" in client.get("/").content.decode()
    page = client.get(reverse("quizzes:quiz", args=[pool.slug])).content.decode()
    assert "2 questions on each topic, drawn for you when you start" in page


def test_the_quiz_list_puts_fixed_quizzes_before_pools(client):
    pool, bank = pool_quiz()
    page = client.get("/").content.decode()
    assert page.index(bank.title) < page.index(pool.title)


def test_taking_a_pool_quiz_serves_the_drawn_questions_everywhere(alice_client, alice):
    pool, _ = pool_quiz(per_topic=1)
    alice_client.post(reverse("quizzes:start", args=[pool.slug]))
    attempt = alice.attempts.get()
    questions = drawn(attempt)
    for number, question in enumerate(questions, start=1):
        card = alice_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
        assert question.prompt in card
        assert f"Question {number} of 3" in card
        attempt.refresh_from_db()
        alice_client.post(
            reverse("quizzes:answer", args=[attempt.pk, number]),
            answer_data(attempt, question, right=number != 2),
            **HTMX,
        )
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.correct_count == 2
    results = alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
    assert "2 of 3 questions right" in results
    for question in questions:
        assert question.prompt in results
