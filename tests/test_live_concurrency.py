"""The live game under real concurrency (issue 22), on PostgreSQL: a class of 100 answering one
question at the same instant records 100 responses, each once, and the reveal that the last
answers set off (several at once) happens once. The answers are recorded as a server records
them, after the reveal's response by the process's recorder (quizzes/live/recording.py)."""

from django.utils import timezone

from quizzes.live import game as rules
from quizzes.models import LiveAnswer, LiveGame, LivePlayer, QuestionProgress, Response, User
from quizzes.models.live import join, move, record_revealed
from tests.answers import answer_data
from tests.concurrency import CONCURRENT, THREADS, run_at_once
from tests.factories import QuizFactory, class_of, single_choice_question
from tests.live import background_recording, live_url, new_game

background_recording = background_recording
pytestmark = CONCURRENT


def test_a_hundred_simultaneous_answers_record_a_hundred_responses_each_once(
    background_recording,
):
    quiz = QuizFactory()
    for position in range(2):
        single_choice_question(quiz=quiz, position=position)
    classroom = class_of(THREADS)
    game = new_game(classroom, quiz)
    for membership in classroom.memberships.all():
        join(game, membership)
    move(game.pk, "start", at=None, now=timezone.now())
    game.refresh_from_db()
    question = quiz.questions.get(pk=game.question_ids[0])
    students = list(User.objects.filter(memberships__classroom=classroom))
    url = live_url(game, "live_answer")

    def answer(client):
        right = client.session["_auth_user_id"] != str(students[0].pk)
        data = answer_data(game, question, right=right) | {"number": "1"}
        return client.post(url, data, HTTP_HX_REQUEST="true").status_code

    statuses = run_at_once(students, answer)
    background_recording.wait()

    assert statuses == [200] * THREADS
    game = LiveGame.objects.get()
    assert (game.state, game.number) == (rules.REVEALED, 1)  # everyone answered: revealed once
    assert Response.objects.count() == THREADS
    assert set(Response.objects.values_list("user", flat=True)) == {s.pk for s in students}
    assert LiveAnswer.objects.filter(response__isnull=True).count() == 0
    assert QuestionProgress.objects.count() == THREADS
    assert list(LivePlayer.objects.values_list("answered", flat=True).distinct()) == [1]
    assert LivePlayer.objects.filter(correct=1).count() == THREADS - 1

    # The teacher's "Reveal" arriving late, twice at once, changes nothing.
    teacher = classroom.teacher
    reveal = live_url(game, "live_move", "reveal")
    statuses = run_at_once(teacher, lambda c: c.post(reveal, {"at": "question-1"}).status_code)
    background_recording.wait()
    assert statuses == [302] * THREADS
    assert Response.objects.count() == THREADS
    assert list(LivePlayer.objects.values_list("answered", flat=True).distinct()) == [1]


def test_recorders_in_many_processes_record_each_revealed_answer_once():
    """Every process that saw a move records the game's pending answers: they share them,
    each answer recorded once (the row lock, SKIP LOCKED, the unique link to the response)."""
    quiz = QuizFactory()
    single_choice_question(quiz=quiz, position=0)
    classroom = class_of(THREADS)
    game = new_game(classroom, quiz)
    players = [join(game, membership)[0] for membership in classroom.memberships.all()]
    move(game.pk, "start", at=None, now=timezone.now())
    game.refresh_from_db()
    for player in players:
        LiveAnswer.objects.create(
            game=game, player=player, question_id=game.question_ids[0], number=1,
            answer={"choice": 1},
        )  # fmt: skip
    move(game.pk, "reveal", at=None, now=timezone.now())

    counts = run_at_once(classroom.teacher, lambda client: record_revealed(game.pk))

    assert sum(counts) == THREADS
    assert Response.objects.count() == THREADS
    assert LiveAnswer.objects.filter(response__isnull=True).count() == 0
    assert QuestionProgress.objects.count() == THREADS
