from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quizzes.interchange.banks import lint_bank_files


class Command(BaseCommand):
    help = (
        "Check the bank files in fixtures/ for answers given away by earlier questions or the "
        "description, two questions on one clause, brittle short-answer keys, verbatim "
        "true/false statements and ambiguous matching pairs (quizzes/banklint.py). "
        "Exits with an error when it finds anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", default=str(settings.BASE_DIR / "fixtures"))

    def handle(self, *args: Any, folder: str, **options: Any) -> None:
        findings = lint_bank_files(Path(folder))
        for finding in findings:
            self.stdout.write(str(finding))
        if findings:
            raise CommandError(f"{len(findings)} finding(s) in the banks of {folder}")
        self.stdout.write("No findings.")
