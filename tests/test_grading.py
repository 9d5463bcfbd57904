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


class TestForgivingShortAnswer:
    """The forgiving rules of grade_short, each with the refusal that keeps it honest."""

    SOURCE = "Stalin allied with Nikolai Bukharin; the German revolutions; Lev Kamenev; Rykov"

    def known(self) -> set[str]:
        return set(grading.normalise_text(self.SOURCE).split())

    def grade(self, accepted: list[str], typed: str, *, person: bool = False) -> grading.Grade:
        return grading.grade_short(accepted, typed, person=person, known_words=self.known)

    def test_a_leading_article_is_optional_on_either_side(self):
        assert self.grade(["the Great Purge"], "Great Purge") == grading.FULL
        assert self.grade(["Great Purge"], "The great purge") == grading.FULL
        assert self.grade(["Pravda"], "a Pravda") == grading.FULL

    def test_an_article_inside_the_answer_still_counts(self):
        assert not self.grade(["the Great Purge"], "Great the Purge").correct

    def test_a_possessive_is_accepted(self):
        assert self.grade(["Stalin"], "Stalin's") == grading.FULL
        assert self.grade(["Stalin's Great Purge"], "STALIN'S GREAT PURGE") == grading.FULL
        assert self.grade(["Kamenev"], "Kamenev’s") == grading.FULL
        assert self.grade(["the Bolsheviks"], "the Bolsheviks'") == grading.FULL

    def test_the_surname_alone_names_a_person(self):
        assert self.grade(["Joseph Stalin"], "Stalin", person=True) == grading.FULL
        assert self.grade(["Joseph Stalin"], "stalin's", person=True) == grading.FULL

    def test_the_surname_alone_is_not_enough_for_a_thing(self):
        assert not self.grade(["Great Depression"], "Depression").correct

    def test_a_first_name_alone_or_another_surname_is_wrong(self):
        assert not self.grade(["Joseph Stalin"], "Joseph", person=True).correct
        assert not self.grade(["Lev Kamenev"], "Rykov", person=True).correct

    def test_one_typo_in_a_long_word_is_accepted_with_a_note(self):
        grade = self.grade(["Stalin"], "Stalni")  # two letters swapped, as on a phone
        assert grade.correct
        assert grade.note == "Accepted - check the spelling: Stalin"
        assert self.grade(["Joseph Stalin"], "Joseph Stalni").note == (
            "Accepted - check the spelling: Joseph Stalin"
        )
        assert self.grade(["Zinoviev"], "Zinovev").correct  # a letter missing

    def test_a_typo_in_the_surname_alone_names_the_surname(self):
        grade = self.grade(["Joseph Stalin"], "Staln", person=True)
        assert grade.correct and grade.note == "Accepted - check the spelling: Stalin"

    def test_the_note_names_the_first_variant_of_its_form(self):
        grade = self.grade(["Kamenev", "Kamenev's", "Lev Kamenev"], "Kamenv")
        assert grade.note == "Accepted - check the spelling: Kamenev"

    def test_an_exact_answer_has_no_note(self):
        assert self.grade(["Stalin"], "stalin").note == ""

    def test_no_typo_is_forgiven_in_a_short_word(self):
        assert not self.grade(["Leon Trotsky"], "Lean Trotsky").correct
        assert not self.grade(["Lev Kamenev"], "Leo Kamenev").correct

    def test_two_typos_are_wrong(self):
        assert not self.grade(["Stalin"], "Stanli").correct
        assert not self.grade(["Grigory Zinoviev"], "Grigori Zinovev").correct

    def test_a_word_the_source_contains_is_never_read_as_a_typo(self):
        # "German" is one letter from "Germany", but it is a word of the text in its own right.
        assert not self.grade(["Germany"], "German").correct
        assert self.grade(["Germany"], "Germny").correct

    def test_the_known_words_are_read_only_when_a_typo_is_in_question(self):
        def fail() -> set[str]:
            raise AssertionError("read for an exact answer")

        assert grading.grade_short(["Stalin"], "Stalin", known_words=fail).correct

    @pytest.mark.parametrize(
        "prompt", ["Who was expelled?", "Whose son was arrested?", "With whom did he ally?"]
    )
    def test_it_knows_a_prompt_asking_for_a_person(self, prompt):
        assert grading.asks_for_person(prompt)

    def test_a_prompt_about_a_thing_is_not_about_a_person(self):
        assert not grading.asks_for_person("Which newspaper reported it?")


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
