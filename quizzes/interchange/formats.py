"""Export a quiz to, or import questions from, a file in any of the supported formats."""

from __future__ import annotations

from dataclasses import dataclass

import tablib
from django.conf import settings

from quizzes.interchange import gift, moodle_xml, resources, store
from quizzes.interchange.schema import FormatError, Parsed
from quizzes.models import Quiz, SourceDocument

# What one import takes (and what it is checked against before its body is read:
# quizzes.middleware.limit_request_body).
MAX_FILE_SIZE = settings.UPLOAD_MAX_BYTES
MAX_QUESTIONS = 1_000  # a whole course's bank; each is checked against the source text


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    content_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("gift", "GIFT (Moodle's text format)", ".gift.txt", "text/plain; charset=utf-8"),
        Format("xml", "Moodle XML", ".xml", "application/xml"),
        Format("csv", "CSV (spreadsheet)", ".csv", "text/csv; charset=utf-8"),
    )
}


def guess_format(filename: str) -> str | None:
    name = filename.lower()
    if name.endswith((".gift", ".gift.txt", ".txt")):
        return "gift"
    if name.endswith(".xml"):
        return "xml"
    if name.endswith(".csv"):
        return "csv"
    return None


def export_quiz(quiz: Quiz, name: str) -> tuple[bytes, Format]:
    """The quiz's questions as a file, in their order."""
    fmt = FORMATS[name]
    if name == "csv":
        return resources.export_csv(quiz).encode("utf-8"), fmt
    dicts = store.quiz_dicts(quiz, images=name == "xml")
    if name == "xml":
        return moodle_xml.write_moodle_xml(dicts, category=store.category_of(quiz)), fmt
    text = gift.write_gift(dicts, category=store.category_of(quiz), title=quiz.title)
    return text.encode("utf-8"), fmt


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FormatError.at(
            line, "The file is not UTF-8 text; save it as UTF-8 and try again."
        ) from None


@dataclass(frozen=True)
class Upload:
    """A file's questions, read and checked against the source they quote: the work that writes
    nothing, done before the import's write transaction opens (which, on SQLite, makes every
    other writer wait, students answering included)."""

    items: list[Parsed]
    csv_rows: tablib.Dataset | None = None  # a spreadsheet, saved by django-import-export

    def save(self, quiz: Quiz, *, as_drafts: bool = True) -> store.ImportSummary:
        """Write the questions into the quiz: every one or, on any problem, none."""
        if self.csv_rows is not None:
            return resources.import_csv(quiz, self.csv_rows, as_drafts=as_drafts)
        return store.save_questions(quiz, self.items, as_drafts=as_drafts)


def read_file(name: str, raw: bytes, *, source: SourceDocument | None) -> Upload:
    """Read a file of format `name` for a quiz of this source. Raises FormatError listing the
    problems by line (a spreadsheet's rows are checked as they are saved)."""
    if not raw.strip():
        raise FormatError.at(0, "The file is empty.")
    if len(raw) > MAX_FILE_SIZE:
        raise FormatError.at(0, f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB.")
    if name == "csv":
        rows = resources.read_csv(decode(raw))
        _check_count(rows.height)
        return Upload([], rows)
    if name == "xml":
        _, items = moodle_xml.parse_moodle_xml(raw)
    else:
        items = gift.parse_gift(decode(raw)).questions
    _check_count(len(items))
    return Upload(store.checked(source, items))


def _check_count(count: int) -> None:
    if count > MAX_QUESTIONS:
        raise FormatError.at(
            0,
            f"The file has {count:,} questions; quizsite imports at most {MAX_QUESTIONS:,} at a "
            "time. Split it into several files.",
        )


def import_file(
    quiz: Quiz, name: str, raw: bytes, *, as_drafts: bool = True
) -> store.ImportSummary:
    """Import a file into the quiz: every question or, on any problem, none. Raises
    FormatError listing the problems by line (by row for CSV)."""
    return read_file(name, raw, source=quiz.source).save(quiz, as_drafts=as_drafts)
