from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.derive import derive, format_report, why_nothing
from quizzes.interchange.store import create_draft_quiz
from quizzes.models import User


class Command(BaseCommand):
    help = (
        "Derive draft questions from a plain-text document: creates its source document and a "
        "draft quiz for a teacher to review in the admin. --report prints what it would derive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A UTF-8 plain-text file.")
        parser.add_argument("--title", help="The source's title (default: the file name).")
        parser.add_argument("--owner", help="Username of the teacher who owns the drafts.")
        parser.add_argument(
            "--report",
            action="store_true",
            help="Print counts by type and confidence; save nothing.",
        )

    def handle(
        self,
        *args: Any,
        path: str,
        title: str | None,
        owner: str | None,
        report: bool,
        **options: Any,
    ) -> None:
        file = Path(path)
        try:
            raw = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if report:
            self.stdout.write(format_report(derive(raw)))
            return
        owner_user = None
        if owner and (owner_user := User.objects.filter(username=owner).first()) is None:
            raise CommandError(f"No user called {owner!r}")
        title = title or file.stem.replace("-", " ").replace("_", " ").title()
        quiz = create_draft_quiz(title=title, raw_text=raw, owner=owner_user)
        if quiz is None:
            raise CommandError(f"No questions could be derived from {path}. {why_nothing(raw)}")
        count = quiz.questions.count()
        self.stdout.write(
            f"Created the draft quiz “{quiz.title}” with {count} draft questions. "
            "Review them in the admin, best first, then publish."
        )
