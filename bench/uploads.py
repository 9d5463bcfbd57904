"""The three pathological teacher uploads of issue 17, timed through the whole Django stack.

Run from the project root: .venv/bin/python bench/uploads.py [--scale N]
It builds a throwaway SQLite database in a temporary folder (migrated, one teacher, one quiz),
then POSTs, as that teacher, with Django's test client (every middleware, the admin view, the
parser, the database):

- GIFT: `Order these?{>` + 40,000 spaces + `!\\nA\\nB\\nC\\n}` to the quiz's import;
- Moodle XML: `<questiontext format="html"><text>a` + 20,000 spaces + `b</text>` to the import;
- "Derive questions" with ". " x 20,000 pasted.

and prints each one's status and seconds, and the same at twice the size: a linear parser takes
about twice as long, a quadratic one four times. --scale multiplies every size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def gift(size: int) -> bytes:
    return ("Order these?{>" + " " * size + "!\nA\nB\nC\n}").encode()


def moodle_xml(size: int) -> bytes:
    return (
        '<quiz><question type="shortanswer"><name><text>q</text></name>'
        '<questiontext format="html"><text>a' + " " * size + "b</text></questiontext>"
        '<answer fraction="100"><text>x</text></answer></question></quiz>'
    ).encode()


def derive_text(size: int) -> str:
    return ". " * size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="quizsite-bench-uploads-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        CACHE_DIR=f"{folder}/cache",
        DEBUG="1",
        AXES_ENABLED="0",
        DJANGO_SETTINGS_MODULE="quizsite.settings",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from quizzes.models import Quiz, User

    call_command("migrate", verbosity=0)
    teacher = User.objects.create_superuser("bench-teacher", password="bench-password-1234")
    quiz = Quiz.objects.create(slug="bench", title="Bench", owner=teacher)
    client = Client()
    client.force_login(teacher)
    import_url = reverse("admin:quizzes_quiz_import", args=[quiz.pk])
    derive_url = reverse("admin:quizzes_derive")

    def upload(name: str, content: bytes) -> int:
        file = SimpleUploadedFile(name, content)
        return client.post(import_url, {"file": file, "format": ""}).status_code

    cases = [
        ("GIFT ordering head", 40_000, lambda n: upload("q.gift", gift(n))),
        ("Moodle XML htmltext", 20_000, lambda n: upload("q.xml", moodle_xml(n))),
        (
            "Derive '. ' x N",
            20_000,
            lambda n: (
                client.post(derive_url, {"title": f"Bench {n}", "text": derive_text(n)}).status_code
            ),
        ),
    ]
    upload("warm-up.gift", gift(10))  # templates compiled, imports done: not timed
    print(f"{'upload':<22} {'N':>8} {'status':>6} {'seconds':>8}")
    for label, size, send in cases:
        for n in (int(size * args.scale), int(2 * size * args.scale)):
            started = time.perf_counter()
            status = send(n)
            print(f"{label:<22} {n:>8} {status:>6} {time.perf_counter() - started:>8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
