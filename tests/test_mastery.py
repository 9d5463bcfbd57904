"""The mastery rule at each boundary. Pure: `pytest -p no:django tests/test_mastery.py` runs it.

tests/test_mastery_counts.py checks the counts that the rule is fed.
"""

from quizzes.mastery import FAMILIAR_FROM, RULES, Level, TopicMastery, mastery_level


def level(total, right, *, answered=None, spaced=0):
    return mastery_level(
        total=total, answered=right if answered is None else answered, right=right, spaced=spaced
    )


class TestTheRule:
    def test_it_is_not_started_until_a_question_is_answered(self):
        assert level(10, 0, answered=0) is Level.NOT_STARTED

    def test_a_topic_without_questions_is_not_started(self):
        assert level(0, 0, answered=0) is Level.NOT_STARTED

    def test_answered_but_none_right_is_attempted(self):
        assert level(10, 0, answered=3) is Level.ATTEMPTED

    def test_just_under_70_percent_is_attempted(self):
        assert level(1000, 699) is Level.ATTEMPTED  # 69.9%
        assert level(10, 6) is Level.ATTEMPTED
        assert level(3, 2) is Level.ATTEMPTED  # 66.7%

    def test_70_percent_exactly_is_familiar(self):
        assert level(10, 7) is Level.FAMILIAR
        assert level(1000, 700) is Level.FAMILIAR

    def test_99_percent_is_still_familiar(self):
        assert level(100, 99) is Level.FAMILIAR
        assert level(1000, 999) is Level.FAMILIAR  # 99.9%: not every question

    def test_every_question_right_is_proficient(self):
        assert level(10, 10) is Level.PROFICIENT
        assert level(1, 1) is Level.PROFICIENT

    def test_proficient_with_every_question_remembered_later_is_mastered(self):
        assert level(10, 10, spaced=10) is Level.MASTERED

    def test_one_question_not_yet_remembered_later_keeps_it_proficient(self):
        assert level(10, 10, spaced=9) is Level.PROFICIENT

    def test_spaced_reviews_do_not_lift_a_topic_that_is_not_all_right(self):
        assert level(10, 9, spaced=9) is Level.FAMILIAR

    def test_the_threshold_is_70(self):
        assert FAMILIAR_FROM == 70

    def test_every_level_is_stated_in_words_in_order(self):
        assert [lvl for lvl, _ in RULES] == list(Level)
        assert all(words for _, words in RULES)
        assert [lvl.label for lvl in Level] == [
            "Not started",
            "Attempted",
            "Familiar",
            "Proficient",
            "Mastered",
        ]


class TestTopicMastery:
    def test_percent_rounds_down_so_a_topic_never_reads_100_before_it_is(self):
        topic = TopicMastery(topic_id=1, name="T", total=200, answered=200, right=199, spaced=0)
        assert topic.percent_right == 99
        assert topic.level is Level.FAMILIAR
        assert topic.wrong == 1

    def test_an_empty_topic_is_zero_percent(self):
        assert TopicMastery(1, "T", 0, 0, 0, 0).percent_right == 0
