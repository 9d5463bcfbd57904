"""Issue 21, point 3: partial credit made clear. A partly right answer has its own verdict
(icon and words), every option, position or pair is marked beside the student's own, in the
right answer's order, and marks read the same everywhere (whole, or to one decimal)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.forms import AnswerForm
from quizzes.grading import marks_text
from quizzes.models.attempts import start_attempt
from tests.conftest import HTMX
from tests.factories import matching_question, multiple_choice_question, ordering_question


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("23.00"), "23"),
        (Decimal("23.50"), "23.5"),
        (Decimal("23.33"), "23.3"),
        (Decimal("0.67"), "0.7"),
        (Decimal("0.97"), "0.9"),  # partial never reads as whole
        (Decimal("44"), "44"),
        (0, "0"),
        (None, "0"),
    ],
)
def test_marks_are_whole_or_to_one_decimal(value, shown):
    assert marks_text(value) == shown


def answered(client, attempt, data):
    url = reverse("quizzes:answer", args=[attempt.pk, 1])
    fragment = client.post(url, data, **HTMX).content.decode()
    page = client.get(reverse("quizzes:feedback", args=[attempt.pk, 1])).content.decode()
    return [re.sub(r"\s+", " ", html) for html in (fragment, page)]


def rows(html):
    """Each marked row: (item, mark, yours, right)."""
    found = re.findall(
        r'<tr class="is-(right|wrong)"> <th scope="row">(.*?)</th> <td[^>]*><span class="mark"'
        r' aria-hidden="true">(.)</span> (.*?)<span class="visually-hidden">.*?</span></td>'
        r" <td[^>]*>(.*?)</td>",
        html,
    )
    return [(item, mark, yours, right) for _, item, mark, yours, right in found]


@pytest.mark.django_db
class TestAPartlyRightAnswer:
    def test_matching_says_partly_right_and_marks_each_pair_in_the_right_order(
        self, alice_client, alice
    ):
        question = matching_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        form = AnswerForm(question, attempt.seed)
        spare = next(p for p in form.partners if not p.text)
        # Trotsky's right partner, and Kirov given the spare: one of two pairs right.
        data = {
            f"match_{i}": str(form.partners.index(item if item.text == "Trotsky" else spare))
            for i, item in enumerate(form.items)
        }
        pages = answered(alice_client, attempt, data)
        for html in pages:
            assert '<span aria-hidden="true">◐</span> Partly right' in html
            assert "Incorrect" not in html
            assert "is-partial" in html
            assert "You earned 0.5 of 1 point." in html
            assert rows(html) == [
                ("Trotsky", "✓", "Expelled in 1929", "Expelled in 1929"),
                ("Kirov", "✗", "Head of the NKVD", "Killed in 1934"),
            ]
        assert 'hx-swap-oob="innerHTML">Partly right: 0.5 of 1 point.</p>' in pages[0]

    def test_multiple_choice_marks_every_option_chosen_or_not(self, alice_client, alice):
        question = multiple_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        form = AnswerForm(question, attempt.seed)
        picks = [str(i) for i, c in enumerate(form.items) if c.text in ("Stalin", "Kamenev")]
        pages = answered(alice_client, attempt, {"choice": picks})
        for html in pages:
            assert "Partly right" in html and "You earned 0.7 of 1 point." in html
            assert rows(html) == [
                ("Kamenev", "✓", "Chosen", "Chosen"),
                ("Kirov", "✓", "Not chosen", "Not chosen"),
                ("Stalin", "✓", "Chosen", "Chosen"),
                ("Trotsky", "✓", "Not chosen", "Not chosen"),
                ("Zinoviev", "✗", "Not chosen", "Chosen"),
            ]

    def test_ordering_marks_each_position_against_the_right_one(self, alice_client, alice):
        question = ordering_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        form = AnswerForm(question, attempt.seed)
        # The student's order: troika, Kirov, Trotsky (two of three pairs in order).
        mine = {"The troika forms": "1", "Kirov is killed": "2", "Trotsky is expelled": "3"}
        data = {f"position_{i}": mine[c.text] for i, c in enumerate(form.items)}
        pages = answered(alice_client, attempt, data)
        for html in pages:
            assert "Partly right" in html and "You earned 0.7 of 1 point." in html
            assert '<th scope="col">Your position</th>' in html
            assert rows(html) == [
                ("The troika forms", "✓", "1", "1"),
                ("Trotsky is expelled", "✗", "3", "2"),
                ("Kirov is killed", "✗", "2", "3"),
            ]

    def test_results_give_the_partial_verdict_and_the_score_to_one_decimal(
        self, alice_client, alice
    ):
        question = multiple_choice_question()
        attempt = start_attempt(user=alice, quiz=question.quiz)
        form = AnswerForm(question, attempt.seed)
        picks = [str(i) for i, c in enumerate(form.items) if c.text == "Stalin"]
        alice_client.post(reverse("quizzes:answer", args=[attempt.pk, 1]), {"choice": picks})
        page = alice_client.get(reverse("quizzes:results", args=[attempt.pk])).content.decode()
        assert "You scored 0.3 of 1" in page
        assert '<span aria-hidden="true">◐</span> Partly right' in page
