"""Export a quiz to, or import questions from, a file in any of the supported formats."""

from __future__ import annotations

from dataclasses import dataclass

from quizzes.interchange import gift, moodle_xml, resources, store
from quizzes.interchange.schema import FormatError
from quizzes.models import Quiz

MAX_FILE_SIZE = 2 * 1024 * 1024


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
    dicts = store.quiz_dicts(quiz)
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


def import_file(
    quiz: Quiz, name: str, raw: bytes, *, as_drafts: bool = True
) -> store.ImportSummary:
    """Import a file into the quiz: every question or, on any problem, none. Raises
    FormatError listing the problems by line (by row for CSV)."""
    if not raw.strip():
        raise FormatError.at(0, "The file is empty.")
    if len(raw) > MAX_FILE_SIZE:
        raise FormatError.at(0, f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB.")
    if name == "csv":
        return resources.import_csv(quiz, decode(raw), as_drafts=as_drafts)
    if name == "xml":
        _, items = moodle_xml.parse_moodle_xml(raw)
    else:
        items = gift.parse_gift(decode(raw)).questions
    return store.import_questions(quiz, items, as_drafts=as_drafts)
