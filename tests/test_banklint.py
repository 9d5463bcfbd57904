"""The bank linter (quizzes/banklint.py): each rule fires on a bad example and stays quiet on
the repaired one; the shipped banks pass it with no finding."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from quizzes.banklint import LintQuestion, LintQuiz, lint_quiz
from quizzes.interchange.banks import lint_bank_files

SOURCE = (
    "Stalin's hasty industrialisation during the period of the First Five Year Plan had led to "
    "an acute economic and political crisis in 1928-33. Trotsky was expelled from the Soviet "
    "Union in 1929. Zinoviev and Kamenev, in 1932, were found to be complicit in the Ryutin "
    "Affair. For example, Kamenev's teenage son was arrested and charged with terrorism. "
    "The key defendant, Leon Trotsky, was living in exile abroad. Nikolai Bukharin and 19 "
    "other co-defendants were officially completely rehabilitated in February 1988. Yagoda, "
    "who was deeply involved in the great purge as the head of NKVD, was not included. In May "
    "1988, rehabilitation of Zinoviev, Kamenev, Radek, and co-defendants was announced."
)


def passage(text: str) -> dict:
    assert text in SOURCE
    return {"passage": text, "passage_start": SOURCE.index(text), "source": "s"}


def short(key: str, prompt: str, answers: list[str], text: str, **kwargs) -> LintQuestion:
    rows = tuple({"text": a, "is_correct": True} for a in answers)
    return LintQuestion(
        key=key, type="short_answer", prompt=prompt, rows=rows, **passage(text), **kwargs
    )


def numeric(key: str, prompt: str, value: int, text: str, **kwargs) -> LintQuestion:
    return LintQuestion(
        key=key, type="numeric", prompt=prompt, number=Decimal(value), **passage(text), **kwargs
    )


def true_false(key: str, statement: str, answer: bool, text: str) -> LintQuestion:
    rows = ({"text": "True", "is_correct": answer}, {"text": "False", "is_correct": not answer})
    return LintQuestion(
        key=key, type="true_false", prompt=f"True or false: {statement}", rows=rows, **passage(text)
    )


def quiz(*questions: LintQuestion, description: str = "", **kwargs) -> LintQuiz:
    return LintQuiz(
        slug="q", description=description, questions=questions, sources={"s": SOURCE}, **kwargs
    )


def rules(findings) -> list[tuple[str, str]]:
    return [(f.key, f.rule) for f in findings]


EXPELLED = numeric(
    "expelled", "In what year was Trotsky expelled?", 1929, "Trotsky was expelled from the Soviet"
)
CRISIS = short(
    "plan",
    "During which plan was industry pushed forward in haste?",
    ["the First Five Year Plan", "First Five Year Plan", "Five Year Plan"],
    "Stalin's hasty industrialisation during the period of the First Five Year Plan",
    explanation="Trotsky was expelled from the Soviet Union in 1929, a year into the crisis.",
)


class TestGiveaway:
    def test_an_earlier_explanation_naming_the_answer_by_its_prompt_fires(self):
        assert rules(lint_quiz(quiz(CRISIS, EXPELLED))) == [("expelled", "giveaway")]

    def test_after_the_question_it_is_no_giveaway(self):
        assert lint_quiz(quiz(EXPELLED, CRISIS)) == []

    def test_in_a_pool_anywhere_in_the_draw_counts(self):
        assert rules(lint_quiz(quiz(EXPELLED, CRISIS, drawn=True))) == [("expelled", "giveaway")]

    def test_a_pool_drawing_one_per_topic_never_pairs_one_topics_questions(self):
        one_topic = quiz(EXPELLED, CRISIS, drawn=True, per_topic=1)
        assert lint_quiz(one_topic) == []

    def test_the_description_fires(self):
        described = quiz(EXPELLED, description="Why Trotsky was expelled in 1929.")
        assert rules(lint_quiz(described)) == [("expelled", "giveaway")]

    def test_the_answer_in_another_context_is_no_giveaway(self):
        # 1929 beside nothing of "In what year was Trotsky expelled?"
        assert lint_quiz(quiz(EXPELLED, description="From 1929 to 1940.")) == []

    def test_a_word_for_the_same_thing_is_a_cue(self):
        killed = short("who", "Who was assassinated in December 1934?", ["Sergei Kirov", "Kirov"],
                       "Trotsky was expelled from the Soviet")  # fmt: skip
        hint = LintQuestion(
            key="hint", type="numeric", prompt="How many were shot for Kirov's murder?"
        )
        assert rules(lint_quiz(quiz(hint, killed))) == [("who", "giveaway")]

    def test_a_number_written_as_a_word_fires(self):
        count = numeric("co", "How many co-defendants were rehabilitated with Bukharin?", 19,
                        "Nikolai Bukharin and 19 other co-defendants")  # fmt: skip
        assert rules(lint_quiz(quiz(count, description="Bukharin's 19 co-defendants."))) == [
            ("co", "giveaway")
        ]


class TestSameClause:
    def test_two_questions_on_overlapping_passages_fire(self):
        year = numeric("year", "In what year did the crisis begin?", 1928,
                       "an acute economic and political crisis in 1928-33")  # fmt: skip
        found = lint_quiz(quiz(CRISIS, year))
        assert ("year", "same-clause") not in rules(found)
        overlapping = numeric("year", "In what year did the crisis begin?", 1928,
                              "the First Five Year Plan had led to an acute")  # fmt: skip
        assert ("year", "same-clause") in rules(lint_quiz(quiz(CRISIS, overlapping)))


class TestOrderingItems:
    def test_an_item_naming_another_answer_fires(self):
        where = short("where", "Which affair were Zinoviev and Kamenev complicit in in 1932?",
                      ["the Ryutin Affair", "Ryutin Affair"], "complicit in the Ryutin Affair")  # fmt: skip
        items = ("Trotsky is expelled", "Zinoviev and Kamenev are complicit in the Ryutin Affair")
        ordering = LintQuestion(
            key="order", type="ordering", prompt="Put these in order.",
            rows=tuple({"text": t, "is_correct": True} for t in items),
        )  # fmt: skip
        assert ("order", "ordering-item") in rules(lint_quiz(quiz(where, ordering)))
        vague = LintQuestion(
            key="order", type="ordering", prompt="Put these in order.",
            rows=({"text": "Trotsky is expelled", "is_correct": True},
                  {"text": "Two old allies are expelled from the party again", "is_correct": True}),
        )  # fmt: skip
        assert lint_quiz(quiz(where, vague)) == []


class TestShortAnswerVariants:
    @pytest.mark.parametrize(
        ("prompt", "answers", "missing"),
        [
            ("Whose teenage son was arrested?", ["Kamenev", "Lev Kamenev"], "possessive"),
            ("Who was the key defendant?", ["Leon Trotsky"], "surname alone"),
            ("Which affair?", ["the Ryutin Affair"], "without the article"),
            ("Who was the key defendant?", ["Trotsky", "Lev Trotsky"], "'Leon Trotsky'"),
        ],
    )
    def test_a_missing_variant_fires(self, prompt, answers, missing):
        found = lint_quiz(quiz(short("k", prompt, answers, "Trotsky was expelled")))
        assert [f.rule for f in found] == ["short-answer-variants"]
        assert missing in found[0].message

    def test_a_full_key_is_quiet(self):
        answers = ["Kamenev's", "Kamenev", "Lev Kamenev", "Lev Kamenev's"]
        question = short("k", "Whose teenage son was arrested?", answers, "Kamenev's teenage son")
        assert lint_quiz(quiz(question)) == []


class TestTrueFalse:
    def test_a_true_statement_copying_the_source_fires(self):
        copied = true_false("tf", "Yagoda was deeply involved in the great purge as the head of "
                            "NKVD.", True, "Yagoda, who was deeply involved")  # fmt: skip
        assert rules(lint_quiz(quiz(copied))) == [("tf", "true-false-verbatim")]

    def test_a_paraphrase_or_a_false_copy_is_quiet(self):
        own_words = true_false("tf", "The man who ran the NKVD during the purge was left out "
                               "of the 1988 rehabilitation.", True, "Yagoda, who was deeply involved")  # fmt: skip
        assert lint_quiz(quiz(own_words)) == []


class TestMatching:
    def matching(self, pairs: list[tuple[str, str]]) -> LintQuestion:
        rows = tuple({"text": left, "match_text": right} for left, right in pairs)
        text = "Nikolai Bukharin and 19 other co-defendants were officially completely rehabilitated in February 1988. Yagoda, who was deeply involved in the great purge as the head of NKVD, was not included. In May 1988, rehabilitation of Zinoviev, Kamenev, Radek, and co-defendants was announced."
        return LintQuestion(key="m", type="matching", prompt="Match.", rows=rows, **passage(text))

    def test_a_partner_said_as_an_absence_fires(self):
        bad = self.matching([("Bukharin", "Rehabilitated in February 1988"),
                             ("Yagoda", "Left out of the rehabilitation of February 1988"),
                             ("Radek", "Rehabilitation announced in May 1988")])  # fmt: skip
        assert rules(lint_quiz(quiz(bad))) == [("m", "matching-ambiguous")]

    def test_a_partner_the_passage_says_of_another_item_fires(self):
        bad = self.matching(
            [("Bukharin", "Head of the NKVD"), ("Yagoda", "Deeply involved in the purge")]
        )
        assert ("m", "matching-ambiguous") in rules(lint_quiz(quiz(bad)))

    def test_partners_each_true_of_one_item_are_quiet(self):
        good = self.matching([("Bukharin", "Rehabilitated in February 1988"),
                              ("Yagoda", "Head of the NKVD during the purge"),
                              ("Radek", "Rehabilitation announced in May 1988")])  # fmt: skip
        assert lint_quiz(quiz(good)) == []


def test_the_shipped_banks_have_no_finding():
    findings = lint_bank_files(settings.BASE_DIR / "fixtures")
    assert [str(f) for f in findings] == []


def test_the_command_fails_on_findings_and_names_them(tmp_path, capsys):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "s.txt").write_text(SOURCE)
    (tmp_path / "bank.yaml").write_text(
        "source: {slug: s, title: S, file: sources/s.txt}\n"
        "quiz: {slug: q, title: Q, description: 'Why Trotsky was expelled in 1929.'}\n"
        "questions:\n"
        "  - {key: expelled, type: numeric, topic: T, prompt: 'In what year was Trotsky "
        "expelled?', answer: 1929, passage: 'Trotsky was expelled from the Soviet'}\n"
    )
    with pytest.raises(CommandError, match="1 finding"):
        call_command("lint_banks", str(tmp_path))
    assert "q:expelled: [giveaway]" in capsys.readouterr().out
