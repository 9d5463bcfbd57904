"""Attempts and responses: starting, recording once, finishing, and grading through the model."""

from decimal import Decimal

import pytest

from quizzes.forms import AnswerForm
from quizzes.grading import QuestionType
from quizzes.models import Attempt, Question, Response, Status
from quizzes.models.attempts import record_answer, start_attempt
from tests.answers import answer_data
from tests.factories import QUESTION_MAKERS, QuizFactory, record, single_choice_question

pytestmark = pytest.mark.django_db


def _answer(attempt, question, right):
    form = AnswerForm(question, attempt.seed, data=answer_data(attempt, question, right=right))
    assert form.is_valid(), form.errors
    return form.answer()


class TestStartAttempt:
    def test_it_fixes_the_questions_in_bank_order(self, quiz, alice):
        attempt = start_attempt(user=alice, quiz=quiz)
        assert attempt.question_ids == list(quiz.questions.values_list("id", flat=True))
        assert attempt.max_score == 7

    def test_starting_again_resumes_the_open_attempt(self, quiz, alice):
        first = start_attempt(user=alice, quiz=quiz)
        assert start_attempt(user=alice, quiz=quiz) == first
        assert Attempt.objects.count() == 1

    def test_draft_questions_are_left_out(self, alice):
        quiz = QuizFactory()
        shown = single_choice_question(quiz=quiz)
        single_choice_question(quiz=quiz, status=Status.DRAFT)
        assert start_attempt(user=alice, quiz=quiz).question_ids == [shown.id]

    def test_a_quiz_drawing_from_banks_samples_their_published_questions(self, alice):
        banks = [QuizFactory(), QuizFactory()]
        pool = {single_choice_question(quiz=bank).id for bank in banks for _ in range(5)}
        review = QuizFactory(source=None, question_count=4)
        review.draws_from.set(banks)
        ids = start_attempt(user=alice, quiz=review).question_ids
        assert len(ids) == 4
        assert set(ids) <= pool


class TestRecordAnswer:
    def test_it_grades_stores_and_moves_on(self, quiz, alice):
        attempt = start_attempt(user=alice, quiz=quiz)
        question = Question.objects.get(pk=attempt.question_ids[0])
        response = record(attempt, question, _answer(attempt, question, right=True))
        attempt.refresh_from_db()
        assert response.is_correct and response.points == 1
        assert (attempt.position, attempt.score, attempt.correct_count) == (1, 1, 1)
        assert response.user == alice
        assert not attempt.is_finished

    def test_the_last_answer_finishes_the_attempt(self, alice):
        quiz = QuizFactory()
        question = single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        record(attempt, question, _answer(attempt, question, right=False))
        attempt.refresh_from_db()
        assert attempt.is_finished
        assert attempt.score == 0

    def test_a_second_response_to_the_same_question_is_refused_by_the_database(self, quiz, alice):
        from django.db import IntegrityError, transaction

        attempt = start_attempt(user=alice, quiz=quiz)
        question = Question.objects.get(pk=attempt.question_ids[0])
        record(attempt, question, _answer(attempt, question, right=True))
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(
                attempt=attempt,
                question=question,
                user=alice,
                answer={},
                score=0,
                points=0,
                is_correct=False,
            )

    def test_editing_a_question_later_keeps_the_recorded_answer(self, alice):
        quiz = QuizFactory()
        question = single_choice_question(quiz=quiz)
        attempt = start_attempt(user=alice, quiz=quiz)
        response = record(attempt, question, _answer(attempt, question, right=True))
        question.choices.update(text="Changed")
        response.refresh_from_db()
        assert response.is_correct
        assert response.answer_text == "1929"


class TestRecordAnswerIsTheOneWayToAnswer:
    """record_answer(attempts, attempt_id, number, answer): the view, the tests' factory and a
    live game give it an attempt's id and a question's number, and it does the rest."""

    @pytest.fixture
    def attempt(self, alice):
        quiz = QuizFactory()
        for _ in range(2):
            single_choice_question(quiz=quiz)
        return start_attempt(user=alice, quiz=quiz)

    def right(self, attempt, number):
        question = Question.objects.get(pk=attempt.question_id_at(number))
        return {"choice": question.choices.get(is_correct=True).pk}

    @pytest.mark.django_db(transaction=True)
    def test_it_opens_its_own_transaction_to_lock_the_attempt(self, attempt):
        turn = record_answer(Attempt.objects.all(), attempt.pk, 1, self.right(attempt, 1))
        assert turn.response.is_correct and turn.attempt.position == 1
        assert Attempt.objects.get(pk=attempt.pk).position == 1

    def test_answering_again_gets_the_recorded_response_back(self, attempt):
        first = record_answer(Attempt.objects.all(), attempt.pk, 1, self.right(attempt, 1))
        again = record_answer(Attempt.objects.all(), attempt.pk, 1, {"choice": -1})
        assert again.response == first.response and again.response.is_correct
        assert Response.objects.count() == 1

    def test_a_question_not_reached_yet_records_nothing(self, attempt):
        turn = record_answer(Attempt.objects.all(), attempt.pk, 2, self.right(attempt, 2))
        assert turn.response is None and turn.refused is None
        assert not Response.objects.exists()

    def test_a_refused_answer_records_nothing_and_comes_back(self, attempt):
        def read(attempt, question):
            return AnswerForm(question, attempt.seed, data={})

        turn = record_answer(Attempt.objects.all(), attempt.pk, 1, read)
        assert turn.response is None and turn.refused.errors
        assert not Response.objects.exists()

    def test_an_attempt_outside_the_scope_does_not_exist(self, attempt, bob):
        with pytest.raises(Attempt.DoesNotExist):
            record_answer(Attempt.objects.filter(user=bob), attempt.pk, 1, {})

    def test_a_number_past_the_end_is_no_question(self, attempt):
        with pytest.raises(Question.DoesNotExist):
            record_answer(Attempt.objects.all(), attempt.pk, 3, {})


@pytest.mark.parametrize("kind", list(QuestionType))
class TestGradingEveryTypeThroughTheModel:
    def test_the_right_answer_scores_full_marks(self, kind, alice):
        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        grade = question.grade(_answer(attempt, question, right=True))
        assert grade.correct and grade.fraction == 1

    def test_a_wrong_answer_is_not_full_marks(self, kind, alice):
        question = QUESTION_MAKERS[kind]()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        grade = question.grade(_answer(attempt, question, right=False))
        assert not grade.correct
        assert grade.fraction < 1

    def test_the_right_answer_is_described_in_words(self, kind):
        question = QUESTION_MAKERS[kind]()
        assert question.right_answer_lines()
        assert all(line.strip() for line in question.right_answer_lines())


def test_numbers_are_shown_as_students_write_them():
    from quizzes.models.content import format_number

    assert (
        format_number(Decimal("1108.000000"), as_in="Of 1,966 delegates, 1,108 were arrested")
        == "1,108"
    )
    assert format_number(Decimal("1928.000000"), as_in="a crisis in 1928-33") == "1928"
    assert format_number(Decimal("1940")) == "1940"
    assert format_number(Decimal("25000")) == "25,000"
    assert format_number(Decimal("2.500000")) == "2.5"


def test_the_best_score_is_a_true_percentage_not_a_whole_number_division(alice):
    from django.utils import timezone

    quiz = QuizFactory()
    Attempt.objects.create(user=alice, quiz=quiz, score=4, max_score=6, finished_at=timezone.now())
    summary = Attempt.objects.for_user(alice).summary_by_quiz()[quiz.pk]
    assert round(summary["best_percent"]) == 67
