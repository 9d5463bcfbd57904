"""The benchmarks' one data builder: every user, class and answer a benchmark needs comes from here.

- `school`: teachers, and students in classes of the sizes given (one password hash for all:
  hashing a thousand passwords would take minutes and prove nothing); `assign` sets each class
  its quizzes, `lesson_quiz` makes the short quiz a teacher sets for one lesson.
- `join` and `give_points`: more classmates, and points for them on the class board.
- `History`: students' attempts, responses and progress rows, folded answer by answer by
  `QuestionProgress.apply`, as recording them would have left them.
- `district`: a district's worth of students and answers, in SQL (100,000 students and
  1,000,000 answers in a few minutes).
- `insight_class`: one class of 300 set a quiz per topic, with 1,000,000 answers, in SQL.
- `sessions`: sessions as `login()` leaves them, for students who logged in on an earlier day.
- `answer_data`: the POST data that answers a question right or wrong.

Importing it sets Django up with the environment the benchmark gave (DJANGO_SETTINGS_MODULE,
DATABASE_URL, ...). The load benchmark runs it in the app's environment, to write its school:

    python -m bench.data --students 1000 --classes 40 --sessions --lesson 10 --out school.json

which writes the students (id, username, class id, the quiz their class is set and, with
--sessions, a session key) and their password as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from fsrs import Card  # noqa: E402

from quizzes import auth, signin  # noqa: E402
from quizzes.forms import AnswerForm  # noqa: E402
from quizzes.grading import QuestionType  # noqa: E402
from quizzes.models import (  # noqa: E402
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Membership,
    Question,
    QuestionProgress,
    Quiz,
    Response,
    SourceDocument,
    Status,
    Topic,
    User,
)
from quizzes.models.cards import LoginCard  # noqa: E402
from quizzes.roster import link_digest, new_link_token  # noqa: E402

PASSWORD = "bench-pass-123"  # every benchmark user's
SHIPPED = ["moscow-trials", "moscow-trials-legacy", "moscow-trials-mixed-review"]
REVIEW_SIZE = 20  # questions in a spaced review, as the app sets one


def as_in_production() -> None:
    """For a benchmark that runs the app through Django's test client on settings meant for
    development: DEBUG off as in production (no query log, no template debugging), the test
    client's host allowed, and passwords hashed fast (a benchmark hashes thousands)."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---- People and classes ----------------------------------------------------------------------


@dataclass
class School:
    teachers: list[User]
    classes: list[Classroom]
    members: list[list[User]]  # each class's students, in the order of `classes`

    @property
    def students(self) -> list[User]:
        return [student for members in self.members for student in members]


def users(
    count: int,
    prefix: str,
    *,
    anonymous: float = 0.0,
    rng: random.Random | None = None,
    **fields: object,
) -> list[User]:
    """`count` users named prefix0, prefix1, ...; a share `anonymous` of them (drawn by `rng`)
    hidden on the boards."""
    rng = rng or random.Random(0)
    password = make_password(PASSWORD)
    return User.objects.bulk_create(
        (
            User(
                username=f"{prefix}{n}",
                display_name=f"{prefix.title()} {n}",
                password=password,
                anonymous_on_leaderboards=rng.random() < anonymous,
                **fields,
            )
            for n in range(count)
        ),
        batch_size=5_000,
    )


@transaction.atomic
def school(
    sizes: Sequence[int], *, prefix: str = "student", teachers: int = 1, **student_fields: object
) -> School:
    """Classes of `sizes` students named prefix0, prefix1, ... under teachers taking the
    classes in turn."""
    staff = users(teachers, f"{prefix}-teacher", is_staff=True)
    rooms = Classroom.objects.bulk_create(
        Classroom(name=f"Class {n + 1}", teacher=staff[n % teachers]) for n in range(len(sizes))
    )
    students = iter(users(sum(sizes), prefix, **student_fields))
    members = [[next(students) for _ in range(size)] for size in sizes]
    for room, students_of_room in zip(rooms, members, strict=True):
        join(room, students_of_room)
    return School(staff, rooms, members)


def join(classroom: Classroom, students: Iterable[User]) -> None:
    Membership.objects.bulk_create(Membership(classroom=classroom, student=s) for s in students)


def assign(
    quizzes: dict[Classroom, Sequence[Quiz]], due: Callable[[], datetime | None] = lambda: None
) -> None:
    Assignment.objects.bulk_create(
        Assignment(classroom=room, quiz=quiz, due_at=due())
        for room, set_for in quizzes.items()
        for quiz in set_for
    )


def lesson_quiz(questions: int) -> Quiz:
    """A short quiz drawn at random from both Moscow Trials banks, as a teacher sets for one
    lesson."""
    quiz = Quiz.objects.create(
        slug="lesson-check",
        title="Lesson check: the Moscow Trials",
        status=Status.PUBLISHED,
        question_count=questions,
    )
    quiz.draws_from.set(Quiz.objects.filter(slug__in=SHIPPED[:2]))
    return quiz


def choice_quiz(questions: int) -> Quiz:
    """A quiz of `questions` single-choice questions (one right option among several) copied
    from the Moscow Trials banks, in bank order: what the peer benchmark sets in both apps."""
    quiz = Quiz.objects.create(
        slug="choice-check", title="Choice check: the Moscow Trials", status=Status.PUBLISHED
    )
    picked = (
        Question.objects.published()
        .filter(quiz__slug__in=SHIPPED[:2], type=QuestionType.SINGLE_CHOICE)
        .order_by("quiz__slug", "position", "id")[:questions]
    )
    for position, question in enumerate(picked, start=1):
        question.copy(quiz=quiz, key=f"q{position}", position=position)
    return quiz


def quiz_content(quiz: Quiz) -> list[dict]:
    """The quiz's questions as plain data (prompt, explanation, options with the right one
    marked), to set the same quiz in another app."""
    return [
        {
            "prompt": q.prompt,
            "explanation": q.explanation,
            "options": [(c.text, c.is_correct) for c in q.sorted_choices()],
        }
        for q in quiz.questions.prefetch_related("choices").order_by("position")
    ]


def give_points(students: Sequence[User], questions: int = 20) -> None:
    """Points on the boards: each student a progress row, right, on 1 to `questions` of the
    published questions."""
    ids = list(Question.objects.published().values_list("pk", flat=True)[:questions])
    now = timezone.now()
    QuestionProgress.objects.bulk_create(
        QuestionProgress(
            user=student, question_id=question_id, answered_count=1, correct_count=1,
            last_correct=True, last_answered_at=now, first_correct_at=now, points=1, due_at=now,
        )
        for n, student in enumerate(students)
        for question_id in ids[: 1 + n % len(ids)]
    )  # fmt: skip


def login_cards(students: Sequence[User]) -> dict[int, str]:
    """Each student's login card with a sign-in link, as a teacher prints them (only the
    token's digest is kept, quizzes/models/cards.py): the tokens, by student id."""
    tokens = {student.pk: new_link_token() for student in students}
    LoginCard.objects.bulk_create(
        LoginCard(user_id=pk, link_digest=link_digest(token)) for pk, token in tokens.items()
    )
    return tokens


def sessions(students: Sequence[User]) -> list[str]:
    """A session key for each student, as `login()` leaves it: a student who logged in on an
    earlier day and ticked "Keep me signed in" (sessions last two weeks). One password hash
    for all, so one session hash."""
    session_hash = students[0].get_session_auth_hash() if students else ""
    ends_at = time.time() + signin.KEEP_SIGNED_IN.total_seconds()
    keys = []
    for student in students:
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = auth.BACKEND
        session[HASH_SESSION_KEY] = session_hash
        session[signin.SESSION_ENDS_AT] = ends_at  # as quizzes.signin.signed_in sets it
        session.create()
        keys.append(session.session_key)
    return keys


# ---- What students did -----------------------------------------------------------------------


class History:
    """Students' attempts, responses and progress rows: the rows `record_answer` would
    have written. Collected in memory, then inserted (`save`) in the order they would have
    been: a student's rows lie scattered among everyone else's, as they do in a real table."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.points = dict(Question.objects.values_list("id", "points"))
        self.attempts: list[Attempt] = []
        self.answers: list[tuple[datetime, Attempt, int, bool]] = []  # at, attempt, question, right
        self.progress: list[tuple[datetime, QuestionProgress]] = []  # first answered at, row
        self.cards = 0

    def draw(self, quiz: Quiz) -> list[int]:
        """An attempt's questions, drawn as the app draws them."""
        return quiz.draw_question_ids(self.rng)

    def quiz_or_review(
        self, n: int, quiz: Quiz, progress: dict[int, QuestionProgress]
    ) -> tuple[str, Quiz | None, list[int]]:
        """The `n`th attempt of a student: every fourth a spaced review of what is most due,
        once there is something to review; else `quiz`, drawn."""
        if n % 4 == 3 and progress:
            due = sorted(progress.values(), key=lambda p: p.due_at)
            return Attempt.Kind.REVIEW, None, [p.question_id for p in due[:REVIEW_SIZE]]
        return Attempt.Kind.QUIZ, quiz, self.draw(quiz)

    def attempt(
        self,
        student: User,
        quiz: Quiz | None,
        kind: str,
        question_ids: list[int],
        started_at: datetime,
        skill: float,
        progress: dict[int, QuestionProgress],
        answered: int | None = None,
    ) -> datetime:
        """Add an attempt, finished unless `answered` says how many of its questions were;
        `progress` holds the student's rows so far. Returns the time of its last answer."""
        attempt = Attempt(
            user=student,
            quiz=quiz,
            kind=kind,
            question_ids=question_ids,
            seed=self.rng.randrange(2**31),
            started_at=started_at,
            max_score=sum(self.points[q] for q in question_ids),
        )
        at = started_at
        for question_id in question_ids[:answered]:
            at += timedelta(seconds=self.rng.randint(15, 60))
            right = self.rng.random() < skill
            points = Decimal(self.points[question_id]) if right else Decimal(0)
            row = progress.get(question_id)
            if row is None:
                row = QuestionProgress(
                    user=student, question_id=question_id, last_answered_at=at, due_at=at
                )
                # A new card with its id given: fsrs.Card() sleeps 1 ms to make one up.
                self.cards += 1
                row.card = Card(card_id=self.cards).to_dict()
                self.progress.append((at, row))
            row.apply(correct=right, points=points, at=at, in_review=kind == Attempt.Kind.REVIEW)
            progress[question_id] = row
            self.answers.append((at, attempt, question_id, right))
            attempt.position += 1
            attempt.score += points
            attempt.correct_count += int(right)
        if answered is None:
            attempt.finished_at = at
        self.attempts.append(attempt)
        return at

    def save(self) -> None:
        self.attempts.sort(key=lambda attempt: attempt.started_at)
        Attempt.objects.bulk_create(self.attempts, batch_size=1000)
        self.answers.sort(key=lambda answer: answer[0])
        Response.objects.bulk_create(
            (
                Response(
                    attempt=attempt,
                    question_id=question_id,
                    user_id=attempt.user_id,
                    answer={},
                    answer_text="An answer",
                    score=Decimal(int(right)),
                    points=Decimal(self.points[question_id]) if right else Decimal(0),
                    is_correct=right,
                    answered_at=at,
                )
                for at, attempt, question_id, right in self.answers
            ),
            batch_size=2000,
        )
        self.progress.sort(key=lambda first: first[0])
        QuestionProgress.objects.bulk_create((row for _, row in self.progress), batch_size=2000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


# ---- A district, in SQL ----------------------------------------------------------------------


def district(students: int, answers: int) -> None:
    """100,000 students (say) in classes of 30 and one large class of 300, 20 banks of 50
    questions, and `answers` answers over the last eight weeks, 70% right, with their progress
    rows: users and questions through the ORM, the rest by INSERT ... SELECT over
    generate_series (PostgreSQL only)."""
    started = time.perf_counter()
    topic = Topic.named("The Moscow Trials")
    source = SourceDocument.objects.create(slug="bench", title="Bench source", text="Bench.")
    banks = Quiz.objects.bulk_create(
        Quiz(slug=f"bank-{b}", title=f"Bank {b}", source=source, status=Status.PUBLISHED)
        for b in range(20)
    )
    questions = Question.objects.bulk_create(
        Question(
            quiz=bank,
            key=f"q{n}",
            position=n,
            type="single_choice",
            prompt=f"Question {n} of {bank.title}?",
            passage="Bench.",
            topic=topic,
            status=Status.PUBLISHED,
        )
        for bank in banks
        for n in range(50)
    )
    Choice.objects.bulk_create(
        Choice(question=q, position=i, text=t, is_correct=i == 0)
        for q in questions
        for i, t in enumerate(["Right", "Wrong"])
    )
    teacher = users(1, "bench_teacher", is_staff=True)[0]
    first_user = users(students, "bench", anonymous=0.1, rng=random.Random(3))[0].pk
    print(f"  users and questions: {time.perf_counter() - started:.1f} s")
    per_attempt = 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM quizzes_classroom")
        before = cursor.fetchone()[0]
        # Classes of 30, and one large class of 300 (whose students are in a small one too).
        cursor.execute(
            """
            INSERT INTO quizzes_classroom (name, teacher_id, join_code, created_at)
            SELECT 'Class ' || c, %s, upper(substr(md5(c::text), 1, 8)), now()
            FROM generate_series(0, %s) c
            """,
            [teacher.pk, students // 30],
        )
        cursor.execute("SELECT min(id) FROM quizzes_classroom WHERE id > %s", [before])
        first_class = cursor.fetchone()[0]
        big_class = first_class + students // 30
        cursor.execute(
            "UPDATE quizzes_classroom SET name = 'Large class' WHERE id = %s", [big_class]
        )
        cursor.execute(
            """
            INSERT INTO quizzes_membership (classroom_id, student_id, joined_at)
            SELECT %s + (s / 30), %s + s, now() FROM generate_series(0, %s) s
            WHERE %s + (s / 30) < %s
            """,
            [first_class, first_user, students - 1, first_class, big_class],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_membership (classroom_id, student_id, joined_at)
            SELECT %s, %s + (s * 97) %% %s, now() FROM generate_series(0, %s) s
            """,
            [big_class, first_user, students, min(300, students) - 1],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_assignment (classroom_id, quiz_id, due_at, assigned_at)
            SELECT id, %s, NULL, now() FROM quizzes_classroom WHERE id >= %s
            """,
            [banks[0].pk, first_class],
        )
        # One attempt of ten answers per student, over the last eight weeks; 70% right.
        attempts = answers // per_attempt
        cursor.execute(
            """
            INSERT INTO quizzes_attempt (user_id, quiz_id, kind, question_ids, seed, position,
                                         score, max_score, correct_count, started_at, finished_at)
            SELECT %s + (a %% %s), %s + (a %% 20), 'quiz', '[]', 0, %s, 0, %s, 0, t, t
            FROM (SELECT a, now() - random() * interval '56 days' AS t
                  FROM generate_series(0, %s) a) x
            """,
            [first_user, students, banks[0].pk, per_attempt, per_attempt, attempts - 1],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_response (attempt_id, question_id, user_id, answer, answer_text,
                                          score, points, is_correct, answered_at)
            SELECT id, %s + (quiz_id - %s) * 50 + ((id * 7 + k * 3) %% 50), user_id, '{}', '',
                   ok::int, ok::int, ok, started_at + k * interval '40 seconds'
            FROM (SELECT a.id, a.quiz_id, a.user_id, a.started_at, k, random() < 0.7 AS ok
                  FROM quizzes_attempt a CROSS JOIN generate_series(0, %s) k
                  WHERE a.quiz_id BETWEEN %s AND %s) x
            """,
            [questions[0].pk, banks[0].pk, per_attempt - 1, banks[0].pk, banks[-1].pk],
        )
        print(f"  answers: {time.perf_counter() - started:.1f} s")
        cursor.execute(
            """
            INSERT INTO quizzes_questionprogress (user_id, question_id, answered_count,
                correct_count, last_correct, last_answered_at, first_correct_at, points,
                spaced_correct_at, card, due_at)
            SELECT user_id, question_id, count(*), count(*) FILTER (WHERE is_correct),
                   (array_agg(is_correct ORDER BY answered_at DESC))[1], max(answered_at),
                   min(answered_at) FILTER (WHERE is_correct),
                   CASE WHEN bool_or(is_correct) THEN 1 ELSE 0 END,
                   NULL, '{}', max(answered_at) + interval '1 day'
            FROM quizzes_response GROUP BY user_id, question_id
            """
        )
        cursor.execute("ANALYZE")
    print(f"  progress rows, analyze: {time.perf_counter() - started:.1f} s")


# ---- A class of 300 with a year of answers, in SQL -------------------------------------------

WRONG_ANSWERS = ["Wrong A", "Wrong B", "Wrong C"]


def insight_class(
    students: int = 300, answers: int = 1_000_000, topics: int = 8, per_topic: int = 25
) -> Classroom:
    """A class of `students` set one quiz per topic (`topics` banks of `per_topic` questions,
    half of them past due) and `answers` answers over the last year, with their progress rows:
    people and questions through the ORM, the rest by INSERT ... SELECT over generate_series
    (PostgreSQL only; 1,000,000 answers in about a minute). Each student answers about as well
    as their skill and each question's ease say, the wrong ones mostly "Wrong A"; one student in
    seven has not started the last topic's quiz, and one in ten is halfway through a quiz."""
    started = time.perf_counter()
    built = school([students], prefix="insight")
    room = built.classes[0]
    room.name = "Insight class"
    room.save(update_fields=["name"])
    source = SourceDocument.objects.create(slug="insight-bench", title="Bench", text="Bench.")
    banks = Quiz.objects.bulk_create(
        Quiz(slug=f"insight-{t}", title=f"Topic {t} check", source=source, status=Status.PUBLISHED)
        for t in range(topics)
    )
    named = [Topic.named(f"Insight topic {t}") for t in range(topics)]
    questions = Question.objects.bulk_create(
        Question(
            quiz=bank, key=f"q{n}", position=n, type="single_choice", topic=named[t],
            prompt=f"Question {n} on topic {t}?", passage="Bench.", status=Status.PUBLISHED,
        )
        for t, bank in enumerate(banks)
        for n in range(per_topic)
    )  # fmt: skip
    Choice.objects.bulk_create(
        Choice(question=q, position=i, text=text, is_correct=i == 0)
        for q in questions
        for i, text in enumerate(["Right", *WRONG_ANSWERS])
    )
    now = timezone.now()
    assign(
        {room: banks},
        due=iter([now - timedelta(days=7), now + timedelta(days=7)] * topics).__next__,
    )
    print(f"  class, banks and questions: {time.perf_counter() - started:.1f} s")
    first_user = built.members[0][0].pk
    attempts = answers // per_topic
    with connection.cursor() as cursor:
        # Attempt a: student a % students at the quiz of round a / students, over the last year;
        # one student in seven never starts the last topic.
        cursor.execute(
            """
            INSERT INTO quizzes_attempt (user_id, quiz_id, assignment_id, number, kind,
                                         question_ids, seed, position, score, max_score,
                                         correct_count, started_at, finished_at)
            SELECT u, q, s.id, row_number() OVER (PARTITION BY u, q ORDER BY t), 'quiz', '[]',
                   0, %(per)s, 0, %(per)s, 0, t, t + interval '20 minutes'
            FROM (SELECT * FROM
                    (SELECT %(user)s + a %% %(students)s AS u,
                            %(bank)s + (a / %(students)s) %% %(topics)s AS q,
                            now() - interval '365 days' * (1 - a::float / %(span)s)
                                - random() * interval '2 days' AS t
                     FROM generate_series(0, %(span)s) a) x
                  WHERE NOT (q = %(last)s AND (u - %(user)s) %% 7 = 0)
                  LIMIT %(attempts)s) y
            JOIN quizzes_assignment s ON s.quiz_id = y.q AND s.classroom_id = %(room)s
            """,
            {"per": per_topic, "user": first_user, "students": students, "bank": banks[0].pk,
             "topics": topics, "last": banks[-1].pk, "attempts": attempts, "room": room.pk,
             "span": attempts * 8 // 7 + students * topics},
        )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO quizzes_response (attempt_id, question_id, user_id, answer, answer_text,
                                          score, points, is_correct, answered_at)
            SELECT id, q, user_id, '{}',
                   CASE WHEN ok THEN 'Right'
                        ELSE (%(wrong)s::text[])[1 + floor(random() * random() * 3)::int] END,
                   ok::int, ok::int, ok, started_at + k * interval '40 seconds'
            FROM (SELECT a.id, a.user_id, a.started_at, k,
                         %(question)s + (a.quiz_id - %(bank)s) * %(per)s + k AS q,
                         random() < 0.1 + (0.35 + 0.6 * ((a.user_id * 37) %% 100) / 100.0)
                                    * (0.6 + 0.4 * (((a.quiz_id * 7 + k) * 13) %% 10) / 10.0)
                             AS ok
                  FROM quizzes_attempt a CROSS JOIN generate_series(0, %(last_k)s) k
                  WHERE a.quiz_id BETWEEN %(bank)s AND %(last)s) x
            """,
            {"wrong": WRONG_ANSWERS, "question": questions[0].pk, "bank": banks[0].pk,
             "per": per_topic, "last_k": per_topic - 1, "last": banks[-1].pk},
        )  # fmt: skip
        print(f"  answers: {time.perf_counter() - started:.1f} s")
        cursor.execute(
            """
            UPDATE quizzes_attempt a SET score = r.right, correct_count = r.right
            FROM (SELECT attempt_id, count(*) FILTER (WHERE is_correct) AS right
                  FROM quizzes_response GROUP BY attempt_id) r
            WHERE a.id = r.attempt_id AND a.quiz_id BETWEEN %s AND %s
            """,
            [banks[0].pk, banks[-1].pk],
        )
        # One student in ten is halfway through their latest quiz.
        cursor.execute(
            """
            UPDATE quizzes_attempt SET finished_at = NULL, position = %s
            WHERE id IN (SELECT max(id) FROM quizzes_attempt
                         WHERE quiz_id BETWEEN %s AND %s AND (user_id - %s) %% 10 = 3
                         GROUP BY user_id)
            """,
            [per_topic // 2, banks[0].pk, banks[-1].pk, first_user],
        )
        cursor.execute(
            """
            INSERT INTO quizzes_questionprogress (user_id, question_id, answered_count,
                correct_count, last_correct, last_answer_text, last_answered_at,
                first_correct_at, points, spaced_correct_at, card, due_at)
            SELECT user_id, question_id, count(*), count(*) FILTER (WHERE is_correct),
                   (array_agg(is_correct ORDER BY id DESC))[1],
                   (array_agg(answer_text ORDER BY id DESC))[1], max(answered_at),
                   min(answered_at) FILTER (WHERE is_correct),
                   CASE WHEN bool_or(is_correct) THEN 1 ELSE 0 END,
                   CASE WHEN (array_agg(is_correct ORDER BY id DESC))[1] AND random() < 0.5
                        THEN max(answered_at) END,
                   '{}', max(answered_at) + interval '3 days'
            FROM quizzes_response WHERE question_id BETWEEN %s AND %s
            GROUP BY user_id, question_id
            """,
            [questions[0].pk, questions[-1].pk],
        )
        print(f"  progress rows: {time.perf_counter() - started:.1f} s")
        # Every table's statistics (the users, questions and assignments were written through
        # the ORM a moment ago: unanalysed, the planner takes a class for 30 rows and sorts
        # 40,000 attempts rather than hash them), and the visibility maps of the big ones.
        for table in ("attempt", "response", "questionprogress"):
            cursor.execute(f"VACUUM quizzes_{table}")
        cursor.execute("ANALYZE")
    print(f"  vacuum, analyze: {time.perf_counter() - started:.1f} s")
    return room


# ---- Answers ---------------------------------------------------------------------------------


def answer_data(attempt: Attempt, question: Question, *, right: bool) -> dict[str, object]:
    """POST data that answers `question` right or wrong, through the attempt's own shuffle."""
    form = AnswerForm(question, attempt.seed)
    items = form.items
    match QuestionType(question.type):
        case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
            return {"choice": str(next(i for i, c in enumerate(items) if c.is_correct == right))}
        case QuestionType.MULTIPLE_CHOICE:
            return {"choice": [str(i) for i, c in enumerate(items) if c.is_correct == right]}
        case QuestionType.SHORT_ANSWER:
            return {"answer": items[0].text if right else "Nobody in particular"}
        case QuestionType.NUMERIC:
            value = int(question.numeric_answer)
            return {"answer": str(value if right else value + 1)}
        case QuestionType.ORDERING:
            ranked = sorted(items, key=lambda c: (c.position, c.id))
            if not right:
                ranked.reverse()
            return {f"position_{i}": str(ranked.index(c) + 1) for i, c in enumerate(items)}
        case QuestionType.MATCHING:
            partners = form.partners
            wrong = {item.id: next(p for p in partners if p.id != item.id) for item in items}
            return {
                f"match_{i}": str(partners.index(item if right else wrong[item.id]))
                for i, item in enumerate(items)
            }
    raise ValueError(question.type)


# ---- The load benchmark's school -------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="The load benchmark's school, as JSON.")
    parser.add_argument("--students", type=int)
    parser.add_argument("--classes", type=int)
    parser.add_argument("--sizes", help="classes of these sizes instead, e.g. 30,300,33")
    parser.add_argument("--teachers", type=int, default=1, help="teachers taking the classes")
    parser.add_argument("--sessions", action="store_true", help="and the teachers' too")
    parser.add_argument("--lesson", type=int, default=0, help="set every class this long a quiz")
    parser.add_argument(
        "--choice", type=int, default=0, help="set every class a quiz of this many single choices"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",")]
    elif args.students is not None and args.classes:
        sizes = [len(range(n, args.students, args.classes)) for n in range(args.classes)]
    else:
        parser.error("give --students and --classes, or --sizes")
    built = school(sizes, teachers=args.teachers)
    # Every class the same lesson quiz, or each one of the three shipped quizzes in turn.
    if args.choice:
        set_for = dict.fromkeys(built.classes, choice_quiz(args.choice))
    elif args.lesson:
        set_for = dict.fromkeys(built.classes, lesson_quiz(args.lesson))
    else:
        shipped = Quiz.objects.in_bulk(SHIPPED, field_name="slug")
        set_for = {room: shipped[SHIPPED[n % 3]] for n, room in enumerate(built.classes)}
    assign({room: [quiz] for room, quiz in set_for.items()})
    keys = sessions(built.students) if args.sessions else []
    rows = [
        {"id": s.pk, "username": s.username, "class_id": room.pk, "quiz": set_for[room].slug}
        for room, members in zip(built.classes, built.members, strict=True)
        for s in members
    ]
    for row, key in zip(rows, keys, strict=False):
        row["session"] = key
    teacher_keys = sessions(built.teachers) if args.sessions else []
    teachers = [
        {"id": t.pk, "class_ids": [room.pk for room in built.classes if room.teacher_id == t.pk]}
        for t in built.teachers
    ]
    for row, key in zip(teachers, teacher_keys, strict=False):
        row["session"] = key
    # Each student's login card with its sign-in link: the link's page is
    # `card_prefix`<token>/, and a post of the token to `card_prefix` signs in.
    tokens = login_cards(built.students)
    for row in rows:
        row["card"] = tokens[row["id"]]
    out = {"password": PASSWORD, "students": rows, "teachers": teachers}
    out["card_prefix"] = "/accounts/card/"
    if args.choice:
        out["quiz"] = quiz_content(next(iter(set_for.values())))
    args.out.write_text(json.dumps(out))


if __name__ == "__main__":
    main()
