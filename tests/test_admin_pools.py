"""The teacher's side of pools and the bank linter: a pool quiz made in the admin, and the
linter's warnings on the change page of the teacher's own quiz."""

from django.urls import reverse

from quizzes.grading import QuestionType
from quizzes.models import Quiz
from tests.factories import QuestionFactory, QuizFactory, add_choices


def giveaway_quiz(owner) -> Quiz:
    """The first question's explanation answers the second ("In what year ... expelled?")."""
    quiz = QuizFactory(owner=owner)
    first = QuestionFactory(
        quiz=quiz,
        position=1,
        prompt="Who formed the troika with Stalin?",
        explanation="Trotsky was expelled from the Soviet Union in 1929.",
        passage="Stalin, Grigory Zinoviev, and Lev Kamenev formed a ruling triumvirate",
        passage_start=quiz.source.text.index("Stalin, Grigory"),
        type=QuestionType.SHORT_ANSWER,
    )
    add_choices(first, [("Grigory Zinoviev", True), ("Zinoviev", True)])
    QuestionFactory(
        quiz=quiz,
        key="expelled",
        position=2,
        type=QuestionType.NUMERIC,
        prompt="In what year was Trotsky expelled?",
        numeric_answer=1929,
        passage_start=0,
    )
    return quiz


def change_page(client, quiz) -> str:
    response = client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_sees_the_linters_warnings(logged_in, teacher):
    page = change_page(logged_in, giveaway_quiz(teacher))
    assert "Checks before a lesson" in page
    assert "<strong>expelled</strong>" in page and "(giveaway)" in page


def test_a_clean_quiz_says_it_has_no_warnings(logged_in, teacher):
    quiz = giveaway_quiz(teacher)
    quiz.questions.filter(key="expelled").delete()
    assert "No warnings" in change_page(logged_in, quiz)


def test_another_teachers_quiz_shows_no_warnings(logged_in, other_teacher):
    page = change_page(logged_in, giveaway_quiz(other_teacher))
    assert "Checks before a lesson" not in page


def test_a_pool_is_linted_as_any_draw(logged_in, teacher):
    quiz = giveaway_quiz(teacher)
    quiz.questions.filter(key="expelled").update(position=0)  # asked first: no giveaway
    assert "(giveaway)" not in change_page(logged_in, quiz)
    quiz.per_topic = 2
    quiz.save()
    assert "(giveaway)" in change_page(logged_in, quiz)


def test_a_teacher_makes_a_pool_quiz_in_the_admin(logged_in, teacher):
    bank = giveaway_quiz(teacher)
    add = reverse("admin:quizzes_quiz_add")
    form = logged_in.get(add)
    assert 'name="per_topic"' in form.content.decode()
    prefix = form.context["inline_admin_formsets"][0].formset.prefix
    response = logged_in.post(
        add,
        {
            "title": "Revision pool",
            "slug": "revision-pool",
            "description": "Two questions of each topic, new for every attempt.",
            "status": "published",
            "draws_from": [bank.pk],
            "per_topic": 2,
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pool = Quiz.objects.get(slug="revision-pool")
    assert (pool.owner, pool.per_topic, pool.is_pool) == (teacher, 2, True)
    assert set(pool.question_pool()) == set(bank.questions.all())
