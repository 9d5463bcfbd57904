from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.interchange.banks import BankError, bank_files, load_bank
from quizzes.models import User


class Command(BaseCommand):
    help = "Load the question banks in fixtures/ (idempotent: safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=str(settings.BASE_DIR / "fixtures"))
        parser.add_argument("--owner", help="Username of the teacher who owns new banks.")

    def handle(self, *args: Any, folder: str, owner: str | None, **options: Any) -> None:
        owner_user = User.objects.filter(username=owner).first() if owner else None
        if owner and owner_user is None:
            raise CommandError(f"No user called {owner!r}")
        files = bank_files(Path(folder))
        if not files:
            raise CommandError(f"No *.yaml bank files in {folder}")
        for path in files:
            try:
                quiz = load_bank(path, owner=owner_user)
            except BankError as exc:
                raise CommandError(str(exc)) from exc
            if options["verbosity"]:
                count = quiz.question_pool().count()
                self.stdout.write(f"Loaded {quiz.title}: {count} questions ({path.name})")
