"""A school for the load benchmark: students in classes, each class with a quiz assigned
(one of the three shipped quizzes in turn, or with --lesson N the same N-question lesson quiz).

    .venv/bin/python bench/populate.py --students 1000 --classes 40 --sessions --out users.json

Run with the app's environment (DATABASE_URL, SECRET_KEY, ...) after `migrate` and
`load_banks`; bench/load.py does that. Writes a JSON list of the students: id, username,
class id, the quiz their class is assigned and, with --sessions, a session key: a student who
logged in earlier (sessions last two weeks), so a thousand students need not all compute
their password hashes in the same few minutes. The password of every student is PASSWORD.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from quizzes import auth  # noqa: E402
from quizzes.models import Assignment, Classroom, Membership, Quiz, Status, User  # noqa: E402

PASSWORD = "bench-pass-123"
QUIZZES = ["moscow-trials", "moscow-trials-legacy", "moscow-trials-mixed-review"]


def lesson_quiz(questions: int) -> Quiz:
    """A short quiz drawn at random from both banks, as a teacher sets for one lesson."""
    quiz = Quiz.objects.create(
        slug="lesson-check",
        title="Lesson check: the Moscow Trials",
        status=Status.PUBLISHED,
        question_count=questions,
    )
    quiz.draws_from.set(Quiz.objects.filter(slug__in=QUIZZES[:2]))
    return quiz


@transaction.atomic
def make_school(students: int, classes: int, lesson: int) -> list[dict]:
    teacher = User.objects.create_user("bench-teacher", password=PASSWORD, is_staff=True)
    quizzes = {q.slug: q for q in Quiz.objects.filter(slug__in=QUIZZES, status=Status.PUBLISHED)}
    rooms = Classroom.objects.bulk_create(
        Classroom(name=f"Class {n + 1}", teacher=teacher) for n in range(classes)
    )
    # Each class its own quiz of the three, in turn; or all the same lesson quiz.
    set_for = [quizzes[QUIZZES[n % len(QUIZZES)]] for n in range(classes)]
    if lesson:
        set_for = [lesson_quiz(lesson)] * classes
    for room, quiz in zip(rooms, set_for, strict=True):
        Assignment.objects.create(classroom=room, quiz=quiz)
    # One hash for all: hashing a thousand passwords would take ten minutes and prove nothing.
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"student{i:04d}", display_name=f"Student {i}", password=password)
        for i in range(students)
    )
    Membership.objects.bulk_create(
        Membership(classroom=rooms[i % classes], student=user) for i, user in enumerate(users)
    )
    return [
        {
            "id": user.pk,
            "username": user.username,
            "class_id": rooms[i % classes].pk,
            "quiz": set_for[i % classes].slug,
        }
        for i, user in enumerate(users)
    ]


def log_in(user_id: int, session_hash: str) -> str:
    """A session as `login()` leaves it (what a student who logged in earlier still has)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user_id)
    session[BACKEND_SESSION_KEY] = auth.BACKEND
    session[HASH_SESSION_KEY] = session_hash
    session.create()
    return session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--sessions", action="store_true")
    parser.add_argument("--lesson", type=int, default=0, help="set every class this long a quiz")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = make_school(args.students, args.classes, args.lesson)
    if args.sessions:
        # The same password hash for all, so the same session hash too.
        session_hash = User.objects.get(pk=rows[0]["id"]).get_session_auth_hash()
        for row in rows:
            row["session"] = log_in(row["id"], session_hash)
    args.out.write_text(json.dumps({"password": PASSWORD, "students": rows}))


if __name__ == "__main__":
    main()
