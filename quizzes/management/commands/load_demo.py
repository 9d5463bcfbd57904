from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from quizzes.models import Classroom, Quiz, Status, User

PASSWORD = "quizsite-demo"
DEMO_USERS = [
    # username, display name, is a teacher
    ("alice", "Alice", False),
    ("bob", "Bob", False),
    ("tess", "Tess (teacher)", True),
]
# A class of Tess's with both students, set the first quiz (a shipped bank, shared with
# everyone by load_banks) with two attempts: its board and gradebook have someone on them
# from the first answer.
DEMO_CLASS = "Year 10 History (demo)"
DEMO_QUIZ = "moscow-trials"


class Command(BaseCommand):
    help = "Create the demo accounts (idempotent). For development and demos only."

    def handle(self, *args: Any, **options: Any) -> None:
        for username, display_name, teacher in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            changed = user.display_name != display_name or user.is_staff != teacher
            user.display_name, user.is_staff = display_name, teacher
            if not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                changed = True
            if changed:
                user.save()
            # Teachers work in the admin through the "Teachers" group (its migration makes it).
            teachers = Group.objects.filter(name="Teachers").first()
            if teacher and teachers and not user.groups.filter(pk=teachers.pk).exists():
                user.groups.add(teachers)
        self._demo_class()
        if not options["verbosity"]:
            return
        self.stdout.write("Demo logins (password for all: quizsite-demo):")
        self.stdout.write("  students: alice, bob")
        self.stdout.write("  teacher:  tess  (admin at http://127.0.0.1:8000/admin/)")
        self.stdout.write(f"  class:    {DEMO_CLASS}, taught by tess, with alice and bob")

    def _demo_class(self) -> None:
        teacher = User.objects.get(username="tess")
        classroom = Classroom.objects.filter(teacher=teacher, name=DEMO_CLASS).first()
        if classroom is None:
            classroom = Classroom.objects.create(teacher=teacher, name=DEMO_CLASS)
        for username in ("alice", "bob"):
            classroom.add_student(User.objects.get(username=username))
        quiz = Quiz.objects.filter(slug=DEMO_QUIZ, status=Status.PUBLISHED).first()
        if quiz is not None and not classroom.assignments.filter(quiz=quiz).exists():
            # Two attempts, the best counting: the demo shows a retake that counts.
            classroom.assign(quiz, attempts_allowed=2, score_counts="best")
