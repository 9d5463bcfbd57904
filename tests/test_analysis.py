"""Question and quiz statistics: the numbers are right, they reach the admin, and they cost a
fixed number of queries however many students answered."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import analysis
from quizzes.grading import normalise_text
from quizzes.models import Attempt
from tests.admin_helpers import finished_attempt, students
from tests.factories import QuestionFactory, QuizFactory


def build_class(quiz, size: int, fillers: int = 9):
    """`size` students ranked by how many filler questions they got right (student i: the
    first i % fillers), then question B, right for the stronger half, and question C, right for
    the weaker half. Returns (B, C)."""
    fill = [QuestionFactory(quiz=quiz, prompt=f"Filler {n}") for n in range(fillers)]
    strong = QuestionFactory(quiz=quiz, prompt="Discriminating")
    weak = QuestionFactory(quiz=quiz, prompt="Backwards")
    for i, student in enumerate(students(size)):
        rank = i * fillers // size
        right = [n < rank for n in range(fillers)] + [i >= size // 2, i < size // 2]
        wrong = "Kirov" if i % 3 else " kirov."
        finished_attempt(student, quiz, [*fill, strong, weak], right, wrong=wrong)
    return strong, weak


def test_facility_discrimination_and_the_most_chosen_wrong_answer(db):
    quiz = QuizFactory()
    strong, weak = build_class(quiz, 10)
    stats = analysis.question_stats([strong.pk, weak.pk])
    good, bad = stats[strong.pk], stats[weak.pk]
    assert (good.responses, good.right, good.facility) == (10, 5, 0.5)
    assert good.discrimination == 1.0  # the strongest 3 right, the weakest 3 wrong
    assert bad.discrimination == -1.0
    assert "Stronger students get this wrong more often" in " ".join(bad.warnings)
    assert good.warnings == []
    assert bad.wrong_answer_count == 5  # "Kirov" and " kirov." are one answer
    assert normalise_text(bad.wrong_answer) == "kirov"


def test_answers_are_told_apart_after_folding_case_and_punctuation(db):
    quiz = QuizFactory()
    question = QuestionFactory(quiz=quiz)
    wrongs = ["Kirov", "kirov", "KIROV.", "Stalin", "Stalin"]
    for student, wrong in zip(students(5), wrongs, strict=True):
        finished_attempt(student, quiz, [question], [False], wrong=wrong)
    stats = analysis.question_stats([question.pk])[question.pk]
    assert stats.wrong_answer_count == 3
    assert stats.wrong_answer.strip(".").lower() == "kirov"


def test_discrimination_needs_enough_attempts(db):
    quiz = QuizFactory()
    strong, _ = build_class(quiz, analysis.MIN_ATTEMPTS - 1)
    stats = analysis.question_stats([strong.pk])[strong.pk]
    assert stats.discrimination is None
    assert stats.graded_attempts == analysis.MIN_ATTEMPTS - 1


def test_discrimination_compares_the_upper_and_lower_27_percent():
    ranked = [(Decimal(n), ok) for n, ok in enumerate([False] * 4 + [True, False] * 3 + [True] * 5)]
    # 15 attempts: groups of 4; the weakest 4 all wrong, the strongest 4 all right.
    assert analysis.discrimination(ranked) == 1.0
    assert analysis.discrimination(ranked[:5]) is None


def test_unfinished_attempts_and_reviews_do_not_count_towards_discrimination(db):
    quiz = QuizFactory()
    strong, _ = build_class(quiz, 10)
    Attempt.objects.update(finished_at=None)
    stats = analysis.question_stats([strong.pk])[strong.pk]
    assert stats.responses == 10 and stats.discrimination is None


def test_a_quiz_report_is_scoped_to_that_quizs_attempts(db):
    bank, review = QuizFactory(), QuizFactory()
    review.draws_from.add(bank)
    question = QuestionFactory(quiz=bank)
    first, second = students(2)
    finished_attempt(first, bank, [question], [True])
    finished_attempt(second, review, [question], [False])
    assert analysis.question_stats([question.pk])[question.pk].responses == 2
    scoped = analysis.question_stats([question.pk], quiz=review)[question.pk]
    assert (scoped.responses, scoped.right) == (1, 0)
    assert question in analysis.report_questions(review)


def test_quiz_statistics(db):
    quiz = QuizFactory()
    questions = [QuestionFactory(quiz=quiz) for _ in range(4)]
    for student, rights in zip(students(4), [0, 2, 3, 4], strict=True):
        finished_attempt(student, quiz, questions, [n < rights for n in range(4)])
    Attempt.objects.create(user=students(1, "late")[0], quiz=quiz, max_score=Decimal(4))
    stats = analysis.quiz_stats(quiz)
    assert (stats.attempts, stats.in_progress) == (4, 1)
    assert stats.mean == pytest.approx(56.25)
    assert stats.median == pytest.approx(62.5)
    counts = {band.label: band.count for band in stats.bands}
    assert counts == {
        "0–9%": 1,
        "10–19%": 0,
        "20–29%": 0,
        "30–39%": 0,
        "40–49%": 0,
        "50–59%": 1,
        "60–69%": 0,
        "70–79%": 1,
        "80–89%": 0,
        "90–100%": 1,
    }
    assert stats.bands[-1].share == 0.25


def test_an_unattempted_quiz_has_empty_statistics(db):
    stats = analysis.quiz_stats(QuizFactory())
    assert (stats.attempts, stats.mean, stats.median) == (0, None, None)


@pytest.mark.parametrize("size", [3, 30])
def test_question_statistics_take_three_queries_at_any_size(db, django_assert_num_queries, size):
    quiz = QuizFactory()
    build_class(quiz, size)
    ids = list(quiz.questions.values_list("pk", flat=True))
    with django_assert_num_queries(3):
        analysis.question_stats(ids)
    with django_assert_num_queries(1):
        analysis.quiz_stats(quiz)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        "admin:quizzes_quiz_report",
        "admin:quizzes_question_changelist",
        "admin:quizzes_quiz_changelist",
    ],
)
def test_the_admin_pages_with_statistics_cost_the_same_queries_at_two_sizes(client, teacher, page):
    client.force_login(teacher)
    small, large = QuizFactory(owner=teacher), QuizFactory(owner=teacher)
    build_class(small, 3, fillers=2)
    build_class(large, 40, fillers=9)
    args = {"admin:quizzes_quiz_report": lambda q: [q.pk]}.get(page, lambda q: [])
    counts = []
    for quiz in (small, large):
        url = reverse(page, args=args(quiz))
        if not args(quiz):
            url += f"?quiz__id__exact={quiz.pk}" if "question" in page else f"?q={quiz.title}"
        client.get(url)  # the first request caches the user
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_the_lists_show_responses_facility_attempts_and_mean_score(client, teacher):
    client.force_login(teacher)
    quiz = QuizFactory(owner=teacher, title="Measured")
    strong, _ = build_class(quiz, 10)
    page = client.get(reverse("admin:quizzes_question_changelist") + f"?quiz__id__exact={quiz.pk}")
    row = next(r for r in page.context["cl"].result_list if r.pk == strong.pk)
    assert (row.n_responses, row.n_right) == (10, 5)
    assert "50%" in page.content.decode()
    page = client.get(reverse("admin:quizzes_quiz_changelist"))
    row = page.context["cl"].result_list[0]
    assert row.n_attempts == 10 and row.mean_percent > 0


def test_the_report_page_shows_the_numbers_and_flags_bad_questions(client, teacher):
    client.force_login(teacher)
    quiz = QuizFactory(owner=teacher)
    build_class(quiz, 12)
    page = client.get(reverse("admin:quizzes_quiz_report", args=[quiz.pk])).content.decode()
    assert "Finished attempts" in page and "Median score" in page
    assert "Stronger students get this wrong more often" in page
    assert "1.00" in page and "-1.00" in page
    assert "<meter" in page
