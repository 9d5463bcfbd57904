"""The publish flow and the other bulk actions: publish, unpublish, duplicate and discard, for
quizzes and questions; what students see follows; other teachers' rows are left alone."""

from django.urls import reverse

from quizzes.models import Choice, Question, Quiz, Status
from tests.admin_helpers import finished_attempt, make_quiz
from tests.factories import QuestionFactory, QuizFactory, add_choices

QUIZZES = reverse("admin:quizzes_quiz_changelist")
QUESTIONS = reverse("admin:quizzes_question_changelist")


def act(client, url, action, objects):
    return client.post(
        url,
        {"action": action, "_selected_action": [o.pk for o in objects], "index": 0},
        follow=True,
    )


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def draft_quiz(owner):
    quiz = QuizFactory(owner=owner, status=Status.DRAFT)
    question = QuestionFactory(quiz=quiz, status=Status.DRAFT, passage_start=0)
    add_choices(question, [("1927", False), ("1929", True), ("1932", False)])
    return quiz, question


def test_the_publish_flow_decides_what_students_see(logged_in, client, teacher, alice):
    quiz, question = draft_quiz(teacher)
    home = reverse("quizzes:home")
    client.force_login(alice)
    assert quiz.title not in client.get(home).content.decode()
    assert client.get(quiz.get_absolute_url()).status_code == 404

    client.force_login(teacher)
    response = act(client, QUESTIONS, "publish", [question])
    assert "Published 1 question." in messages_of(response)
    assert f"The quiz “{quiz}” is still a draft" in messages_of(response)
    response = act(client, QUIZZES, "publish", [quiz])
    assert "Published 1 quiz: students can take it now." in messages_of(response)

    client.force_login(alice)
    assert quiz.title in client.get(home).content.decode()
    assert list(quiz.question_pool()) == [question]

    client.force_login(teacher)
    act(client, QUIZZES, "unpublish", [quiz])
    client.force_login(alice)
    assert client.get(quiz.get_absolute_url()).status_code == 404


def test_publishing_a_quiz_without_published_questions_warns(logged_in, teacher):
    quiz, _ = draft_quiz(teacher)
    response = act(logged_in, QUIZZES, "publish", [quiz])
    assert "has no published questions yet" in messages_of(response)


def test_a_question_is_published_only_when_it_keeps_the_rules(logged_in, teacher):
    quiz, good = draft_quiz(teacher)
    not_in_source = QuestionFactory(quiz=quiz, status=Status.DRAFT, passage="Not in the text.")
    add_choices(not_in_source, [("1929", True), ("1927", False)])
    no_right_answer = QuestionFactory(quiz=quiz, status=Status.DRAFT)
    add_choices(no_right_answer, [("1929", False), ("1927", False)])
    response = act(logged_in, QUESTIONS, "publish", [good, not_in_source, no_right_answer])
    text = messages_of(response)
    assert "Published 1 question." in text
    assert "Its passage is not in the quiz's source text." in text
    assert "exactly one right answer" in text
    statuses = dict(Question.objects.values_list("pk", "status"))
    assert statuses == {
        good.pk: Status.PUBLISHED,
        not_in_source.pk: Status.DRAFT,
        no_right_answer.pk: Status.DRAFT,
    }


def test_unpublishing_questions_takes_them_out_of_the_quiz(logged_in, teacher):
    quiz = make_quiz(teacher)
    questions = list(quiz.questions.all()[:2])
    act(logged_in, QUESTIONS, "unpublish", questions)
    assert quiz.question_pool().count() == 5


def test_duplicating_a_quiz_makes_a_draft_copy_of_yours(logged_in, teacher, other_teacher):
    theirs = make_quiz(other_teacher, title="Otto's bank")
    response = act(logged_in, QUIZZES, "duplicate", [theirs])
    assert "Duplicated 1 quiz as drafts of yours." in messages_of(response)
    copy = Quiz.objects.get(title="Otto's bank (copy)")
    assert (copy.owner, copy.status, copy.source) == (teacher, Status.DRAFT, theirs.source)
    assert copy.questions.count() == 7
    assert (
        Choice.objects.filter(question__quiz=copy).count()
        == Choice.objects.filter(question__quiz=theirs).count()
    )
    assert theirs.questions.count() == 7


def test_duplicating_a_question_adds_a_draft_copy_to_its_quiz(logged_in, teacher):
    quiz = make_quiz(teacher)
    question = quiz.questions.get(type="matching")
    act(logged_in, QUESTIONS, "duplicate", [question])
    copy = quiz.questions.get(key=f"{question.key}-copy")
    assert copy.status == Status.DRAFT
    assert copy.right_answer_lines() == question.right_answer_lines()
    assert copy.position > max(q.position for q in quiz.questions.exclude(pk=copy.pk))
    act(logged_in, QUESTIONS, "duplicate", [question])
    assert quiz.questions.filter(key=f"{question.key}-copy-2").exists()


def test_discarding_deletes_only_drafts_nobody_answered(logged_in, teacher, alice):
    quiz, unanswered = draft_quiz(teacher)
    answered = QuestionFactory(quiz=quiz, status=Status.DRAFT)
    published = QuestionFactory(quiz=quiz, status=Status.PUBLISHED)
    finished_attempt(alice, quiz, [answered], [False])
    response = act(logged_in, QUESTIONS, "discard", [unanswered, answered, published])
    text = messages_of(response)
    assert "Discarded 1 draft." in text
    assert "1 draft has recorded answers and was kept" in text
    assert "1 published question was left alone" in text
    assert set(quiz.questions.all()) == {answered, published}


def test_actions_leave_other_teachers_rows_alone(logged_in, other_teacher):
    theirs, question = draft_quiz(other_teacher)
    for url, action, rows in (
        (QUIZZES, "publish", [theirs]),
        (QUESTIONS, "publish", [question]),
        (QUESTIONS, "discard", [question]),
        (QUESTIONS, "duplicate", [question]),
    ):
        response = act(logged_in, url, action, rows)
        assert "belong to another teacher and were left alone" in messages_of(response)
    theirs.refresh_from_db()
    question.refresh_from_db()
    assert theirs.status == question.status == Status.DRAFT
    assert theirs.questions.count() == 1


def test_teachers_have_no_unchecked_bulk_delete(logged_in, teacher):
    make_quiz(teacher)
    page = logged_in.get(QUESTIONS).content.decode()
    assert 'value="delete_selected"' not in page
    assert 'value="discard"' in page


def test_reviewing_drafts_lists_them_best_first(logged_in, teacher):
    quiz = QuizFactory(owner=teacher, status=Status.DRAFT)
    for confidence in (0.4, 0.9, None, 0.7):
        QuestionFactory(quiz=quiz, status=Status.DRAFT, confidence=confidence)
    response = logged_in.get(f"{QUESTIONS}?quiz__id__exact={quiz.pk}&status__exact=draft")
    shown = [q.confidence for q in response.context["cl"].result_list]
    assert shown == [0.9, 0.7, 0.4, None]
    assert "confidence" in response.content.decode()
