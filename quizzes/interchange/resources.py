"""CSV export and import of a quiz's questions, with django-import-export.

One row a question (the columns are in quizzes/interchange/csvrows.py). The resource is bound
to one quiz: rows are matched to its questions by key, so a spreadsheet exported, edited and
imported again updates those questions in place. Each row is turned into the same question dict
as GIFT and Moodle XML, checked with the same rules, and saved by store.save_question;
any invalid row rolls the whole import back.
"""

from __future__ import annotations

import csv
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export import fields, resources

from quizzes.interchange import csvrows
from quizzes.interchange.schema import FormatError, Parsed
from quizzes.interchange.store import ImportSummary, check, question_dict, save_question
from quizzes.models import Question, Quiz, Status


class QuestionResource(resources.ModelResource):
    # Every column is written from, and read into, the question's plain dict (see export_field
    # and import_instance); only the key maps straight onto the model, to find the question.
    key = fields.Field(attribute="key", column_name="key")
    type = fields.Field(column_name="type")
    prompt = fields.Field(column_name="prompt")
    options = fields.Field(column_name="options")
    answer = fields.Field(column_name="answer")
    tolerance = fields.Field(column_name="tolerance")
    explanation = fields.Field(column_name="explanation")
    passage = fields.Field(column_name="passage")
    passage_start = fields.Field(column_name="passage_start")
    topic = fields.Field(column_name="topic")
    difficulty = fields.Field(column_name="difficulty")
    points = fields.Field(column_name="points")
    status = fields.Field(column_name="status")

    class Meta:
        model = Question
        fields = csvrows.COLUMNS
        export_order = csvrows.COLUMNS
        import_id_fields = ("key",)
        clean_model_instances = False
        skip_diff = True
        use_transactions = True

    def __init__(self, quiz: Quiz, *, as_drafts: bool = True) -> None:
        super().__init__()
        self.quiz = quiz
        self.as_drafts = as_drafts
        self.summary = ImportSummary()
        self._rows: dict[int, dict[str, str]] = {}
        self._positions: dict[str, int] = {}

    # Export

    def get_queryset(self) -> Any:
        return self.quiz.questions.select_related("topic").prefetch_related("choices")

    def export_field(self, field: fields.Field, instance: Question, **kwargs: Any) -> str:
        if instance.pk not in self._rows:
            text = self.quiz.source.text if self.quiz.source else None
            self._rows[instance.pk] = csvrows.to_row(question_dict(instance, text))
        return self._rows[instance.pk][field.column_name]

    # Import

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        missing = [c for c in csvrows.REQUIRED if c not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                f"The first row must name the columns; missing: {', '.join(missing)}. "
                f"All columns: {', '.join(csvrows.COLUMNS)}."
            )
        self._positions = dict(self.quiz.questions.values_list("key", "position"))
        self._next = max(self._positions.values(), default=0) + 1

    def init_instance(self, row: Any = None) -> Question:
        return Question(quiz=self.quiz)

    def import_instance(self, instance: Question, row: dict[str, Any], **kwargs: Any) -> None:
        try:
            data = csvrows.from_row(row)
        except ValueError as error:
            raise ValidationError({NON_FIELD_ERRORS: [str(error)]}) from None
        problems = [p for _, p in check(self.quiz.source, [Parsed(0, data)])]
        if problems:
            raise ValidationError({NON_FIELD_ERRORS: problems})
        instance._import_data = data  # saved in do_instance_save

    def do_instance_save(self, instance: Question, is_create: bool) -> None:
        data = instance._import_data
        key = data["key"]
        status = Status.DRAFT if self.as_drafts else data.get("status", Status.DRAFT)
        if key in self._positions:
            position = self._positions[key]
            self.summary.updated.append(key)
        else:
            position, self._next = self._next, self._next + 1
            self._positions[key] = position
            self.summary.created.append(key)
        saved = save_question(self.quiz, data, position, status)
        if not data.get("passage"):
            self.summary.without_passage.append(key)
        instance.pk = saved.pk


def export_csv(quiz: Quiz) -> str:
    """Every cell quoted, as every CSV download of the site is (quizzes.spreadsheets), so that
    a spreadsheet splitting on ";" reads each cell whole. No formula guard: the file must
    import back as it was, and holds only the teacher's own questions."""
    resource = QuestionResource(quiz)
    dataset = resource.export(resource.get_queryset().order_by("position", "id"))
    return dataset.export("csv", quoting=csv.QUOTE_ALL)


def read_csv(text: str) -> tablib.Dataset:
    """The rows of a CSV file, read before the import's transaction opens."""
    try:
        return tablib.Dataset().load(text.lstrip("\ufeff"), format="csv")
    except Exception as error:  # tablib raises several kinds for a file that is not CSV
        raise FormatError.at(0, f"This file cannot be read as CSV ({error}).") from None


def import_csv(quiz: Quiz, dataset: tablib.Dataset, *, as_drafts: bool = True) -> ImportSummary:
    """Import the rows of a CSV file into the quiz, all or none. Raises FormatError naming each
    row."""
    resource = QuestionResource(quiz, as_drafts=as_drafts)
    # Spreadsheets number the header row 1, so data row n is the sheet's row n + 1.
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
        problems = [(0, str(error.error)) for error in result.base_errors]
        for number, errors in result.row_errors():
            problems += [(number + 1, str(e.error)) for e in errors]
        for invalid in result.invalid_rows:
            for messages in invalid.error_dict.values():
                problems += [(invalid.number + 1, m) for m in messages]
        if problems:
            raise FormatError(problems, unit="Row")
    if not resource.summary.created and not resource.summary.updated:
        raise FormatError.at(0, "The file has no questions in it.")
    return resource.summary
