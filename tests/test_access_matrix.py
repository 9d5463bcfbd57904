"""Who may ask for what: every URL of the site (the admin has its own matrix in
test_admin_access.py), by every method it answers and the one it refuses, as the HTMX fragment
where the view sends one, for five personas (see tests/fuzzing.py for the world they live in):

    anonymous      logged out
    owner          a student: the attempts, the class membership and the progress in the URLs
    other          another student, in another class, with an attempt of their own
    teacher        teaches the owner's class
    other_teacher  teaches the other student's class

Something that is not yours does not exist for you (404); a page for teachers only is 403 to
students; a method a view does not take is 405, whoever asks. The table must name every URL
pattern: a new URL without its rows fails `test_the_table_covers_every_url`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import HTMX
from tests.fuzzing import PASSWORD, PERSONAS, World, build_world, rolled_back, url_patterns

pytestmark = pytest.mark.django_db

OK, NO_CHANGE, INVALID, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 204, 400, 403, 404, 405
LOGIN = "302 to log in"  # or, for HTMX, the page sent to log in (HX-Redirect)
REDIRECT = "302"
GET, POST = "GET", "POST"

# How a row asks, besides its method: the data it posts or the query it sends, and whether it
# is an HTMX request ("htmx"). The data are built from the world (w).
# An assignment's rules as the class page's form posts them.
RULES = {"attempts_allowed": "2", "score_counts": "best", "answers_shown": "last-attempt"}
SEND = {
    "": lambda w: {},
    "htmx": lambda w: {"htmx": True},
    "answer": lambda w: {"data": _answer(w, right=True)},
    "answer, htmx": lambda w: {"data": _answer(w, right=True), "htmx": True},
    "bad answer": lambda w: {"data": {"choice": "99"}},
    "bad answer, htmx": lambda w: {"data": {"choice": "99"}, "htmx": True},
    "owner's password": lambda w: {"data": {"username": w.owner.username, "password": PASSWORD}},
    "wrong password": lambda w: {"data": {"username": w.owner.username, "password": "not-it"}},
    "new account": lambda w: {"data": _signup()},
    "new password": lambda w: {"data": _new_password()},
    "class code": lambda w: {"data": {"code": w.classroom.join_code}},
    "wrong code": lambda w: {"data": {"code": "NOPE"}},
    "class name": lambda w: {"data": {"name": "Year 11 History"}},
    "roster": lambda w: {"data": {"names": "New Pupil\nAnother Pupil", "links": "on"}},
    "card token": lambda w: {"data": {"token": w.card_token}},
    "wrong token": lambda w: {"data": {"token": "not-a-token"}},
    "anonymous": lambda w: {"data": {"anonymous": "1"}},
    "quiz": lambda w: {"data": {**RULES, "quiz": w.quiz.pk, "due_at": "2030-01-31T09:00"}},
    "past due date": lambda w: {"data": {**RULES, "quiz": w.quiz.pk, "due_at": "2020-01-01T09:00"}},
    "no attempts": lambda w: {"data": {**RULES, "quiz": w.quiz.pk, "attempts_allowed": "0"}},
    "draft quiz": lambda w: {"data": {"quiz": w.draft.pk}},
    "live quiz": lambda w: {"data": {"quiz": w.quiz.pk}},
    "extra time": lambda w: {"data": {"extra_time_percent": "50"}},
    "live answer": lambda w: {"data": _live_answer(w)},
    "live answer, htmx": lambda w: {"data": _live_answer(w), "htmx": True},
    "bad live answer": lambda w: {"data": {"number": "1", "choice": "99"}},
    "live move, htmx": lambda w: {"data": {"at": "question-1"}, "htmx": True},
    "board=all, htmx": lambda w: {"query": "board=all", "htmx": True},
    "board=quiz, htmx": lambda w: {"query": f"board=quiz-{w.quiz.pk}", "htmx": True},
    "board=nope": lambda w: {"query": "board=nope"},
    # The board's own fingerprint: the poll that finds nothing changed.
    "since, htmx": lambda w: {"query": "board=week&since=<fingerprint>", "htmx": True},
}


def _answer(world: World, *, right: bool) -> dict[str, Any]:
    """The open attempt's question 2 answered (from the attempt's own shuffle)."""
    from quizzes.models import Question
    from tests.answers import answer_data

    attempt = world.open_attempt
    question = Question.objects.get(pk=attempt.question_ids[1])
    return answer_data(attempt, question, right=right)


def _live_answer(world: World) -> dict[str, Any]:
    """The live game's open question (its first) answered right, through the game's shuffle."""
    from quizzes.models import Question
    from tests.answers import answer_data

    game = world.live_game
    question = Question.objects.get(pk=game.question_ids[0])
    return answer_data(game, question, right=True) | {"number": "1"}


def _signup() -> dict[str, str]:
    password = "a long new password 42"
    return {"username": "newcomer", "display_name": "Newcomer", "password1": password,
            "password2": password}  # fmt: skip


def _new_password() -> dict[str, str]:
    password = "a long new password 42"
    return {"old_password": PASSWORD, "new_password1": password, "new_password2": password}


# fmt: off
TABLE = [
    # method  URL name                   objects (attributes of the world, or numbers)  send   anonymous  owner  other  teacher  other_teacher
    (GET,  "login",                      (),                                  "",                 OK,        REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "login",                      (),                                  "owner's password", REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "login",                      (),                                  "wrong password",   OK,        REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "logout",                     (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "logout",                     (),                                  "",                 REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "signup",                     (),                                  "",                 OK,        REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "signup",                     (),                                  "new account",      REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "password_change",            (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "password_change",            (),                                  "new password",     LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "password_change",            (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (GET,  "password_change_done",       (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "password_change_done",       (),                                  "",                 LOGIN,     NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # A login card's link (issue 20): opening it asks; only the post signs in, as its student.
    (GET,  "signin_link",                ("card_token",),                     "",                 OK,        REDIRECT,  OK,        OK,        OK),
    (GET,  "signin_link",                (12345,),                            "",                 NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "signin_link",                ("card_token",),                     "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "signin_with_link",           (),                                  "card token",       REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "signin_with_link",           (),                                  "wrong token",      NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "signin_with_link",           (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    (GET,  "media",                      ("picture",),                        "",                 NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "media",                      ("picture",),                        "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    (GET,  "quizzes:home",               (),                                  "",                 OK,        OK,        OK,        OK,        OK),
    (POST, "quizzes:home",               (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:quiz",               ("quiz.slug",),                      "",                 OK,        OK,        OK,        OK,        OK),
    (GET,  "quizzes:quiz",               ("draft.slug",),                     "",                 NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:quiz",               ("quiz.slug",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:start",              ("quiz.slug",),                      "",                 LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "quizzes:start",              ("draft.slug",),                     "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:start",              ("quiz.slug",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:source",             ("source.slug",),                    "",                 OK,        OK,        OK,        OK,        OK),
    (GET,  "quizzes:source",             ("draft.source.slug",),              "",                 NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # A class's own quiz: its source is read by those who see the quiz (issue 20).
    (GET,  "quizzes:source",             ("class_quiz.source.slug",),         "",                 NOT_FOUND, OK,        NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:source",             ("source.slug",),                    "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # Taking a quiz: an attempt is its student's alone; a teacher sees it only in the gradebook.
    (GET,  "quizzes:attempt",            ("open_attempt",),                   "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:attempt",            ("open_attempt",),                   "htmx",             LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:attempt",            ("finished_attempt",),               "",                 LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:attempt",            ("finished_attempt",),               "htmx",             LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:attempt",            ("other_attempt",),                  "",                 LOGIN,     NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:attempt",            ("open_attempt",),                   "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:answer",             ("open_attempt", 2),                 "answer",           LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 2),                 "answer, htmx",     LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 2),                 "bad answer",       LOGIN,     INVALID,   NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 2),                 "bad answer, htmx", LOGIN,     INVALID,   NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 1),                 "answer, htmx",     LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 3),                 "answer",           LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("open_attempt", 99),                "answer",           LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer",             ("other_attempt", 2),                "bad answer",       LOGIN,     NOT_FOUND, INVALID,   NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:answer",             ("open_attempt", 2),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:feedback",           ("open_attempt", 1),                 "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("open_attempt", 1),                 "htmx",             LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    # A question's own address (issue 21): its card while due, a question further on sends to it.
    (GET,  "quizzes:feedback",           ("open_attempt", 2),                 "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("open_attempt", 2),                 "htmx",             LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("open_attempt", 3),                 "",                 LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("finished_attempt", 1),             "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("other_attempt", 1),                "",                 LOGIN,     NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:feedback",           ("open_attempt", 99),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:feedback",           ("open_attempt", 1),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:results",            ("finished_attempt",),               "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:results",            ("finished_attempt",),               "htmx",             LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:results",            ("open_attempt",),                   "",                 LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:results",            ("finished_attempt",),               "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # Progress: your own; a teacher's view of the students they teach.
    (GET,  "quizzes:progress",           (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "quizzes:progress",           (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:mistakes",           (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "quizzes:mistakes",           (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:practise",           (),                                  "",                 LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "quizzes:practise",           (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:review",             (),                                  "",                 LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "quizzes:review",             (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:my_data",            (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "quizzes:my_data",            (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:student_progress",   ("owner.pk",),                       "",                 LOGIN,     OK,        NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:student_progress",   ("other.pk",),                       "",                 LOGIN,     NOT_FOUND, OK,        NOT_FOUND, OK),
    (GET,  "quizzes:student_progress",   ("teacher.pk",),                     "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:student_progress",   (999_999,),                          "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:student_progress",   ("owner.pk",),                       "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # Classes: a class exists for its teacher and its students only.
    (GET,  "quizzes:classes",            (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "quizzes:classes",            (),                                  "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:join_class",         (),                                  "",                 LOGIN,     OK,        OK,        OK,        OK),
    (POST, "quizzes:join_class",         (),                                  "class code",       LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (POST, "quizzes:join_class",         (),                                  "wrong code",       LOGIN,     INVALID,   INVALID,   INVALID,   INVALID),
    (POST, "quizzes:leaderboard_privacy", (),                                 "anonymous",        LOGIN,     REDIRECT,  REDIRECT,  REDIRECT,  REDIRECT),
    (GET,  "quizzes:leaderboard_privacy", (),                                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:classroom",          ("classroom",),                      "",                 LOGIN,     OK,        NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:classroom",          ("classroom",),                      "htmx",             LOGIN,     OK,        NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:classroom",          ("classroom",),                      "board=all, htmx",  LOGIN,     OK,        NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:classroom",          ("classroom",),                      "board=quiz, htmx", LOGIN,     OK,        NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:classroom",          ("classroom",),                      "since, htmx",      LOGIN,     NO_CHANGE, NOT_FOUND, NO_CHANGE, NOT_FOUND),
    (GET,  "quizzes:classroom",          ("classroom",),                      "board=nope",       LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:classroom",          ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, OK,        NOT_FOUND, OK),
    (POST, "quizzes:classroom",          ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # Teaching: creating a class needs a teacher; the rest needs the class's own teacher.
    (GET,  "quizzes:create_class",       (),                                  "",                 LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK),
    (POST, "quizzes:create_class",       (),                                  "class name",       LOGIN,     FORBIDDEN, FORBIDDEN, REDIRECT,  REDIRECT),
    (GET,  "quizzes:manage_class",       ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:manage_class",       ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (POST, "quizzes:manage_class",       ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:regenerate_code",    ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (GET,  "quizzes:regenerate_code",    ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:regenerate_code",    ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (GET,  "quizzes:remove_student",     ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:remove_student",     ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:remove_student",     ("classroom", "other.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:remove_student",     ("other_classroom", "other.pk"),     "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT),
    (GET,  "quizzes:unlock_student",     ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:unlock_student",     ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:unlock_student",     ("classroom", "other.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:unlock_student",     ("other_classroom", "other.pk"),     "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT),
    # Accounts for a class and their login cards (issue 20): the class's own teacher only.
    (GET,  "quizzes:add_students",       ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:add_students",       ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (POST, "quizzes:add_students",       ("classroom",),                      "roster",           LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:add_students",       ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, INVALID,   NOT_FOUND),
    (GET,  "quizzes:student_login",      ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:student_login",      ("classroom", "other.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:student_login",      ("other_classroom", "other.pk"),     "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (POST, "quizzes:student_login",      ("classroom", "owner.pk"),           "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:reset_student_password", ("classroom", "owner.pk"),       "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:reset_student_password", ("classroom", "other.pk"),       "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:reset_student_password", ("other_classroom", "other.pk"), "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (GET,  "quizzes:reset_student_password", ("classroom", "owner.pk"),       "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:new_login_card",     ("classroom", "owner.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:new_login_card",     ("classroom", "other.pk"),           "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:new_login_card",     ("classroom", "owner.pk"),           "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:turn_off_signin_link", ("classroom", "owner.pk"),         "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:turn_off_signin_link", ("classroom", "other.pk"),         "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:turn_off_signin_link", ("classroom", "owner.pk"),         "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:assign_quiz",        ("classroom",),                      "quiz",             LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:assign_quiz",        ("classroom",),                      "draft quiz",       LOGIN,     NOT_FOUND, NOT_FOUND, INVALID,   NOT_FOUND),
    (POST, "quizzes:assign_quiz",        ("classroom",),                      "past due date",    LOGIN,     NOT_FOUND, NOT_FOUND, INVALID,   NOT_FOUND),
    (POST, "quizzes:assign_quiz",        ("classroom",),                      "no attempts",      LOGIN,     NOT_FOUND, NOT_FOUND, INVALID,   NOT_FOUND),
    (GET,  "quizzes:assign_quiz",        ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:unassign_quiz",      ("classroom", "assignment"),         "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:unassign_quiz",      ("classroom", "other_assignment"),   "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:unassign_quiz",      ("classroom", "assignment"),         "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:unassign_quiz",      ("classroom", "other_assignment"),   "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:gradebook",          ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:gradebook",          ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (POST, "quizzes:gradebook",          ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:gradebook_csv",      ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:gradebook_csv",      ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:class_insight",      ("classroom",),                      "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (GET,  "quizzes:class_insight",      ("other_classroom",),                "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, OK),
    (POST, "quizzes:class_insight",      ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:topic_practice",     ("classroom", "topic"),              "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:topic_practice",     ("classroom", 999999),               "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:topic_practice",     ("classroom", "topic"),              "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # Printing a quiz: for teachers, of the published quizzes and their own.
    (GET,  "quizzes:quiz_sheet",         ("quiz",),                           "",                 LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK),
    (GET,  "quizzes:quiz_sheet",         ("draft",),                          "",                 LOGIN,     FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:quiz_sheet",         ("quiz",),                           "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:answer_key",         ("quiz",),                           "",                 LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK),
    (GET,  "quizzes:answer_key",         ("draft",),                          "",                 LOGIN,     FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:answer_key",         ("quiz",),                           "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),

    # The live game (issue 22): its class's teacher hosts it, its students play it.
    (POST, "quizzes:live_start",         ("classroom",),                      "live quiz",        LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:live_start",         ("other_classroom",),                "live quiz",        LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT),
    (GET,  "quizzes:live_start",         ("classroom",),                      "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:live_extra_time",    ("classroom", "owner.pk"),           "extra time",       LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:live_extra_time",    ("classroom", "other.pk"),           "extra time",       LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:live_extra_time",    ("classroom", "owner.pk"),           "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:live_phone",         ("live_game.code",),                 "",                 LOGIN,     OK,        NOT_FOUND, REDIRECT,  NOT_FOUND),
    (GET,  "quizzes:live_phone",         ("NOGAME",),                         "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:live_phone",         ("live_game.code",),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:live_answer",        ("live_game.code",),                 "live answer",      LOGIN,     REDIRECT,  NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:live_answer",        ("live_game.code",),                 "live answer, htmx", LOGIN,    OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:live_answer",        ("live_game.code",),                 "bad live answer",  LOGIN,     INVALID,   NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:live_answer",        ("live_game.code",),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:live_events",        ("live_game.code",),                 "",                 LOGIN,     OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (POST, "quizzes:live_events",        ("live_game.code",),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:live_host",          ("live_game.code",),                 "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:live_host",          ("live_game.code",),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (GET,  "quizzes:live_host_events",   ("live_game.code",),                 "",                 LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:live_host_events",   ("live_game.code",),                 "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    (POST, "quizzes:live_move",          ("live_game.code", "reveal"),        "",                 LOGIN,     NOT_FOUND, NOT_FOUND, REDIRECT,  NOT_FOUND),
    (POST, "quizzes:live_move",          ("live_game.code", "reveal"),        "live move, htmx",  LOGIN,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND),
    (POST, "quizzes:live_move",          ("live_game.code", "nope"),          "",                 LOGIN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (GET,  "quizzes:live_move",          ("live_game.code", "reveal"),        "",                 NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
]
# fmt: on


@dataclass(frozen=True)
class Case:
    method: str
    name: str
    objects: tuple[str | int, ...]
    send: str
    expected: dict[str, int | str]

    @classmethod
    def of(cls, row: tuple) -> Case:
        method, name, objects, send, *statuses = row
        return cls(method, name, objects, send, dict(zip(PERSONAS, statuses, strict=True)))

    @property
    def id(self) -> str:
        objects = ",".join(str(o) for o in self.objects)
        return " ".join(filter(None, [self.method, self.name, objects, self.send]))

    def url(self, world: World) -> str:
        return reverse(self.name, args=[_resolve(world, o) for o in self.objects])


def _resolve(world: World, path: str | int) -> Any:
    if isinstance(path, int) or not hasattr(world, path.split(".")[0]):
        return path  # a number, or a word as it is ("reveal", a code no game has)
    value: Any = world
    for attribute in path.split("."):
        value = getattr(value, attribute)
    return getattr(value, "pk", value) if "." not in path else value


CASES = [Case.of(row) for row in TABLE]


def test_the_table_covers_every_url():
    assert set(url_patterns()) == {case.name for case in CASES}


def test_every_url_is_asked_by_get_and_by_post():
    """So every view's wrong method is in the table too."""
    for name in url_patterns():
        assert {case.method for case in CASES if case.name == name} == {GET, POST}, name


@pytest.fixture
def world(settings, personas) -> World:
    settings.REDIS_URL = ""  # boards from the database; no cache shared with other tests
    return build_world(personas)


URL_NAMES = sorted({case.name for case in CASES})


@pytest.mark.parametrize("name", URL_NAMES)
def test_access(name: str, world: World):
    """Every row of the table for one URL, each request undone before the next."""
    cases = [case for case in CASES if case.name == name]
    actual = {
        case.id: {persona: ask(case, world, world.client(persona)) for persona in PERSONAS}
        for case in cases
    }
    assert actual == {case.id: case.expected for case in cases}


def ask(case: Case, world: World, client: Client) -> int | str:
    """The status the persona gets, as the table writes it; undone afterwards."""
    send = SEND[case.send](world)
    headers = HTMX if send.get("htmx") else {}
    with rolled_back():
        url = case.url(world)
        query = send.get("query", "")
        if "<fingerprint>" in query:
            query = query.replace("<fingerprint>", _fingerprint(client, url) or "none")
        if query:
            url = f"{url}?{query}"
        if case.method == GET:
            response = client.get(url, **headers)
        else:
            response = client.post(url, send.get("data", {}), **headers)
    if response.status_code == 302:
        return LOGIN if response.url.startswith(reverse("login") + "?") else REDIRECT
    if response.get("HX-Redirect", "").startswith(reverse("login") + "?"):
        return LOGIN  # the whole page to the login form (quizzes.middleware.htmx_login_redirect)
    if response.status_code in (OK, INVALID) and response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        # A full page for a plain request; for HTMX, the fragment that the view swaps in.
        if send.get("htmx"):
            assert "<html" not in page, f"{case.id}: HTMX got a whole page"
        else:
            assert "<html" in page, f"{case.id}: a plain request got a fragment"
    return response.status_code


def _fingerprint(client: Client, url: str) -> str | None:
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    start = page.find("since=")
    return page[start + len("since=") :].split('"')[0] if start >= 0 else None


def test_a_finished_attempt_sends_htmx_to_its_results(world: World):
    response = world.client("owner").get(
        reverse("quizzes:attempt", args=[world.finished_attempt.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == reverse("quizzes:results", args=[world.finished_attempt.pk])


POSTS = list({case.name: case for case in CASES if case.method == POST}.values())


@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.name)
def test_every_post_needs_the_csrf_token(case: Case, world: World):
    """A form posted from another site (no token) is refused, logged in or not."""
    for persona in ("anonymous", "teacher"):
        client = world.client(persona, enforce_csrf_checks=True)
        with rolled_back():
            response = client.post(case.url(world), SEND[case.send](world).get("data", {}))
        assert response.status_code == FORBIDDEN, (persona, case.id)
