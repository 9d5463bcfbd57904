"""The grading rules of every question type, without a database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import grading


class TestNormaliseText:
    @pytest.mark.parametrize(
        "typed", ["Zinoviev", "zinoviev ", "  ZINOVIEV", "Zinóviev", "zinoviev.", "“Zinoviev!”"]
    )
    def test_it_folds_case_spacing_punctuation_and_accents(self, typed):
        assert grading.normalise_text(typed) == "zinoviev"

    def test_it_collapses_inner_spacing_and_hyphens(self):
        assert grading.normalise_text("Grigory   Zinoviev") == "grigory zinoviev"
        assert grading.normalise_text("Pyatakov-Radek") == "pyatakov radek"

    @given(st.text())
    def test_it_is_idempotent(self, text):
        once = grading.normalise_text(text)
        assert grading.normalise_text(once) == once

    @given(st.text())
    def test_it_ignores_surrounding_space(self, text):
        assert grading.normalise_text(f"  {text}\t ") == grading.normalise_text(text)

    @given(st.text(alphabet=st.characters(max_codepoint=127)))
    def test_it_ignores_case(self, text):
        assert grading.normalise_text(text.upper()) == grading.normalise_text(text.lower())


class TestParseNumber:
    @pytest.mark.parametrize(
        ("typed", "value"),
        [
            ("1108", 1108),
            ("1,108", 1108),
            (" 1 108 ", 1108),
            ("25,000", 25000),
            ("-3.5", Decimal("-3.5")),
            ("1,966", 1966),
            ("1108.0", 1108),
            ("\u22122", -2),
        ],
    )
    def test_it_reads_what_students_type(self, typed, value):
        assert grading.parse_number(typed) == Decimal(value)

    @pytest.mark.parametrize(
        "typed", ["", "  ", "eleven", "1,10", "12a", "NaN", "Infinity", "1..2"]
    )
    def test_it_rejects_what_is_not_a_number(self, typed):
        with pytest.raises(ValueError):
            grading.parse_number(typed)

    @given(st.integers(min_value=-(10**12), max_value=10**12))
    def test_it_reads_any_integer_with_or_without_thousands_separators(self, n):
        assert grading.parse_number(str(n)) == n
        assert grading.parse_number(f"{n:,}") == n


class TestSingleChoice:
    def test_it_gives_full_marks_only_for_the_right_choice(self):
        assert grading.grade_single(2, 2).correct
        assert grading.grade_single(2, 3).fraction == 0
        assert not grading.grade_single(2, None).correct


class TestMultipleChoice:
    def test_all_right_and_nothing_wrong_is_full_marks(self):
        assert grading.grade_multiple({1, 2, 3}, {1, 2, 3}).correct

    def test_each_right_pick_earns_a_share(self):
        assert grading.grade_multiple({1, 2, 3}, {1, 2}).fraction == Decimal("0.6667")

    def test_each_wrong_pick_takes_a_share_away(self):
        assert grading.grade_multiple({1, 2, 3}, {1, 2, 9}).fraction == Decimal("0.3333")

    def test_it_never_goes_below_zero(self):
        assert grading.grade_multiple({1, 2}, {7, 8, 9}).fraction == 0

    def test_ticking_everything_is_not_full_marks(self):
        grade = grading.grade_multiple({1, 2}, {1, 2, 3, 4})
        assert grade.fraction == 0
        assert not grade.correct

    @given(st.sets(st.integers(0, 9), min_size=1), st.sets(st.integers(0, 9)))
    def test_the_fraction_is_between_zero_and_one_and_full_only_when_exact(self, right, chosen):
        grade = grading.grade_multiple(right, chosen)
        assert 0 <= grade.fraction <= 1
        assert grade.correct == (chosen == right)


class TestShortAnswer:
    def test_any_accepted_variant_in_any_case_is_right(self):
        accepted = ["Zinoviev", "Grigory Zinoviev"]
        assert grading.grade_short(accepted, "zinoviev ").correct
        assert grading.grade_short(accepted, "GRIGORY ZINOVIEV").correct

    def test_another_name_or_nothing_is_wrong(self):
        assert not grading.grade_short(["Zinoviev"], "Kamenev").correct
        assert not grading.grade_short(["Zinoviev"], "").correct
        assert not grading.grade_short(["Zinoviev"], "  ...  ").correct


class TestNumeric:
    def test_it_accepts_within_the_tolerance(self):
        assert grading.grade_numeric(Decimal(1108), Decimal(0), Decimal(1108)).correct
        assert not grading.grade_numeric(Decimal(1108), Decimal(0), Decimal(1107)).correct
        assert grading.grade_numeric(Decimal(100), Decimal(5), Decimal(95)).correct
        assert not grading.grade_numeric(Decimal(100), Decimal(5), Decimal("94.9")).correct


class TestOrdering:
    def test_the_right_order_is_full_marks(self):
        assert grading.grade_ordering([1, 2, 3, 4], [1, 2, 3, 4]).correct

    def test_the_reverse_order_is_nothing(self):
        assert grading.grade_ordering([1, 2, 3, 4], [4, 3, 2, 1]).fraction == 0

    def test_credit_is_the_share_of_pairs_in_the_right_order(self):
        # 1-2 swapped: 5 of 6 pairs still in order.
        assert grading.grade_ordering([1, 2, 3, 4], [2, 1, 3, 4]).fraction == Decimal("0.8333")

    def test_a_different_set_of_items_is_nothing(self):
        assert grading.grade_ordering([1, 2, 3], [1, 2, 9]).fraction == 0
        assert grading.grade_ordering([1, 2, 3], [1, 2]).fraction == 0

    @given(st.permutations(list(range(6))))
    def test_credit_is_between_zero_and_one_and_full_only_when_sorted(self, order):
        grade = grading.grade_ordering(list(range(6)), order)
        assert 0 <= grade.fraction <= 1
        assert grade.correct == (list(order) == list(range(6)))


class TestMatching:
    def test_credit_is_the_share_of_right_pairs(self):
        right = {"a": 1, "b": 2, "c": 3}
        assert grading.grade_matching(right, {"a": 1, "b": 2, "c": 3}).correct
        assert grading.grade_matching(right, {"a": 1, "b": 3, "c": 2}).fraction == Decimal("0.3333")
        assert grading.grade_matching(right, {}).fraction == 0


class TestGradePoints:
    def test_points_are_the_share_of_the_question_worth(self):
        assert grading.Grade(Decimal("0.5")).points(3) == Decimal("1.50")
        assert grading.FULL.points(2) == Decimal("2.00")
