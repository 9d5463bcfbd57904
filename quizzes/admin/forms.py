"""The admin's forms: a question and its answer (checked with the same rules as every import),
a source document, deriving questions from a text, and importing a file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MinValueValidator
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat, pluralize

from quizzes.grading import QuestionType
from quizzes.images import MAX_IMAGE_BYTES, ImageProblem, clean_image
from quizzes.interchange.formats import FORMATS, MAX_FILE_SIZE, MAX_QUESTIONS
from quizzes.interchange.schema import (
    Row,
    answer_problems,
    locate_passage,
    passage_mismatch,
    slug_key,
)
from quizzes.models import (
    Assignment,
    Choice,
    Question,
    Quiz,
    SourceDocument,
    Status,
    Thinking,
    Topic,
)

# Types whose rows are all "right" (accepted answers, items in order) or none (matching pairs).
ALL_RIGHT = {QuestionType.SHORT_ANSWER, QuestionType.ORDERING}
NONE_RIGHT = {QuestionType.MATCHING}
MAX_DERIVE_SIZE = 1024 * 1024  # 1 MB of text is a long book chapter: plenty for one quiz


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = (
            "quiz",
            "type",
            "prompt",
            "numeric_answer",
            "tolerance",
            "explanation",
            "passage",
            "topic",
            "thinking",
            "difficulty",
            "points",
            "status",
            "key",
            "image",
            "image_alt",
        )
        labels = {
            "quiz": "Quiz",
            "key": "Key",
            "numeric_answer": "Right number",
            "tolerance": "Tolerance (±)",
            "passage": "Source passage",
            "image": "Picture",
        }
        help_texts = {
            "key": "A short name for the question, unique in its quiz. Leave it empty to make "
            "one from the prompt.",
            "type": "Choose the type first: the answer section below changes with it.",
            "prompt": "Ask a question a student can answer before seeing the options. "
            "Write **word** to show a word in bold, like an unavoidable **not**.",
            "explanation": "One or two sentences in plain words: why the right answer is right. "
            "Students read it after answering, right or wrong.",
            "passage": "The exact words of the quiz's source text that the question rests on, "
            "copied word for word. Students see it quoted under the explanation. Leave it "
            "empty for a question with no source: students then see the explanation alone.",
            "numeric_answer": "The number a student must type. Put the unit in the prompt.",
            "tolerance": "How far off an answer may be and still count as right. 0 for years "
            "and exact counts.",
            "points": "What the question is worth in the quiz's score.",
            "status": "Students only ever see published questions of published quizzes.",
            "thinking": "What the question asks a student to do. A pool quiz draws at least a "
            "third of its questions beyond recall; let the difficulty follow the thinking.",
        }
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "passage": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
        if "thinking" in self.fields:  # left out (an older form, an import): recall
            self.fields["thinking"].required = False
        if "image" in self.fields:  # Pillow checks the type; the browser's picker suggests it
            self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        if "tolerance" in self.fields:
            self.fields["tolerance"].validators.append(
                MinValueValidator(0, "The tolerance cannot be negative.")
            )
        if "topic" in self.fields and self.instance.quiz_id:
            topics = self.fields["topic"].queryset
            self.fields["topic"].queryset = topics.for_quiz(self.instance.quiz)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "thinking" in self.fields and not data.get("thinking"):
            data["thinking"] = Thinking.RECALL
        qtype, quiz = data.get("type"), data.get("quiz")
        if qtype == QuestionType.NUMERIC and data.get("numeric_answer") is None:
            self.add_error("numeric_answer", "Give the right number.")
        elif qtype and qtype != QuestionType.NUMERIC:
            data["numeric_answer"] = None
        if quiz and not data.get("key") and data.get("prompt"):
            data["key"] = self._free_key(quiz, slug_key(data["prompt"]))
        passage = data.get("passage")
        if quiz and passage:
            self._check_passage(quiz, passage)
        topic = data.get("topic")
        if quiz and topic and not Topic.objects.for_quiz(quiz).filter(pk=topic.pk).exists():
            self.add_error("topic", f"That topic belongs to another bank: choose one of {quiz}'s.")
        if data.get("image") and not data.get("image_alt", "").strip():
            self.add_error("image_alt", "Describe the picture for a student who cannot see it.")
        return data

    def clean_image(self) -> Any:
        """A new upload, checked with Pillow and re-encoded (quizzes.images); a kept or
        cleared picture as it is."""
        image = self.cleaned_data.get("image")
        if not isinstance(image, UploadedFile):
            return image
        try:
            clean = clean_image(image.read(MAX_IMAGE_BYTES + 1))
        except ImageProblem as problem:
            raise ValidationError(str(problem)) from None
        return ContentFile(clean.data, name=f"picture.{clean.extension}")

    def _free_key(self, quiz: Any, base: str) -> str:
        taken = set(quiz.questions.exclude(pk=self.instance.pk).values_list("key", flat=True))
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        return key

    def _check_passage(self, quiz: Any, passage: str) -> None:
        source = quiz.source
        if source is None:
            self.add_error(
                "passage",
                f"The quiz “{quiz}” has no source text to quote from: choose its source on the "
                "quiz first.",
            )
            return
        start = locate_passage(source.text, passage, self.instance.passage_start)
        if start < 0:
            self.add_error(
                "passage",
                f"This passage is not in the source text “{source.title}”. "
                + passage_mismatch(source.text, passage),
            )
        else:
            self.instance.passage_start = start


class ChoiceForm(forms.ModelForm):
    position = forms.IntegerField(
        required=False,
        min_value=0,
        label="Order",
        widget=forms.NumberInput(attrs={"class": "order-input"}),
        help_text="Rows are saved in this order (empty: where the row is). For an ordering "
        "question it is the right order.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # shown counting from 1, as a teacher counts
            self.initial["position"] = self.instance.position + 1

    class Meta:
        model = Choice
        fields = ("position", "text", "is_correct", "match_text")
        labels = {"text": "Option", "is_correct": "Right", "match_text": "Its match"}
        help_texts = {
            "text": "An option; an accepted answer; an event to order; or the left-hand item "
            "of a matching pair (empty for a spare match).",
            "is_correct": "Tick the right option(s) of a choice or true/false question.",
            "match_text": "Matching questions only: the right-hand partner.",
        }


class LabelledRowsFormSet(BaseInlineFormSet):
    """A tabular inline's rows name each of their fields: the admin writes a field's label once,
    as the column's heading, and leaves the field itself without a name for a screen reader (axe:
    "Form elements must have labels"). The name is the column's, not the row's: the admin's
    "Add another" copies a row's attributes but renumbers only its ids and names."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)  # the DELETE box comes here, after the form's own
        for name, field in form.fields.items():
            # A foreign key's select is inside the admin's "add another" wrapper, whose own
            # attrs are, once copied for a form, another dict than its select's.
            widget = getattr(field.widget, "widget", field.widget)
            label = str(field.label or name)
            if isinstance(widget, forms.SplitDateTimeWidget):
                for part, words in zip(widget.widgets, ("date", "time"), strict=True):
                    part.attrs.setdefault("aria-label", f"{label}: {words}")
            elif not widget.is_hidden:
                widget.attrs.setdefault("aria-label", label)


class ChoiceFormSet(LabelledRowsFormSet):
    """The answer rows of one question, checked against its type as a whole."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        qtype = self.instance.type
        kept: list[tuple[int, int, forms.Form]] = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            text, match = data.get("text", "").strip(), data.get("match_text", "").strip()
            if qtype == QuestionType.NUMERIC or not (text or match):
                # A numeric question has no rows; an emptied row is a removed one.
                data["DELETE"] = True
                continue
            data["text"], data["match_text"] = text, match
            if qtype in ALL_RIGHT:
                data["is_correct"] = True
            elif qtype in NONE_RIGHT:
                data["is_correct"] = False
            position = data.get("position")
            kept.append((index + 1 if position is None else position, index, form))
        # The formset may have listed the forms to delete already: list them again.
        self.__dict__.pop("_deleted_form_indexes", None)
        kept.sort(key=lambda entry: (entry[0], entry[1]))
        for rank, (_, _, form) in enumerate(kept):
            form.cleaned_data["position"] = rank
        if qtype and qtype != QuestionType.NUMERIC:
            rows = [
                Row(
                    f.cleaned_data["text"],
                    f.cleaned_data["is_correct"],
                    f.cleaned_data["match_text"],
                )
                for _, _, f in kept
            ]
            problems = answer_problems(qtype, rows)
            if problems:
                raise ValidationError(problems)

    def save(self, commit: bool = True) -> Any:
        saved = super().save(commit)
        if commit:
            # Rows the teacher did not touch are not saved by the formset; renumber them too.
            for form in self.forms:
                rank = getattr(form, "cleaned_data", {}).get("position")
                obj = form.instance
                if (
                    obj.pk
                    and rank is not None
                    and obj.position != rank
                    and not form.cleaned_data.get("DELETE")
                ):
                    Choice.objects.filter(pk=obj.pk).update(position=rank)
        return saved

    def save_new(self, form: forms.Form, commit: bool = True) -> Any:
        self._apply(form)
        return super().save_new(form, commit)

    def save_existing(self, form: forms.Form, obj: Any, commit: bool = True) -> Any:
        self._apply(form)
        return super().save_existing(form, obj, commit)

    @staticmethod
    def _apply(form: forms.Form) -> None:
        for name in ("position", "text", "match_text", "is_correct"):
            setattr(form.instance, name, form.cleaned_data[name])


class QuizForm(forms.ModelForm):
    """A quiz in the admin: unpublishing one that is set for classes asks to confirm first,
    naming the classes (the students there see it as withdrawn)."""

    confirm_withdraw = forms.BooleanField(
        required=False,
        label="Yes, unpublish it though it is set for classes",
        help_text="Only asked when this quiz is assigned: its students then see it as withdrawn "
        "(their attempts are kept).",
    )

    class Meta:
        model = Quiz
        fields = (  # the admin narrows them to its fieldsets
            *("title", "slug", "description", "source", "status", "shared", "owner"),
            *("draws_from", "per_topic", "question_count"),
        )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        withdrawing = (
            self.instance.pk
            and self.initial.get("status") == Status.PUBLISHED
            and data.get("status") == Status.DRAFT
        )
        if withdrawing and not data.get("confirm_withdraw"):
            where = Assignment.objects.filter(quiz=self.instance).where_set(self.user)
            if where:
                self.add_error(
                    "status",
                    f"This quiz is set for {'; '.join(where)}. Unpublishing withdraws it from "
                    "their students. Tick “Yes, unpublish it” below to confirm.",
                )
        return data


class SourceDocumentForm(forms.ModelForm):
    class Meta:
        model = SourceDocument
        fields = ("title", "slug", "text")
        help_texts = {
            "text": "The text exactly as given. Every question quotes a passage of it, so an "
            "edit that changes a quoted passage is refused.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 24})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not self.instance.pk or text == self.instance.text:
            return text
        broken = [
            q
            for q in Question.objects.filter(quiz__source=self.instance).select_related("quiz")
            if q.passage and q.passage not in text
        ]
        if broken:
            names = "; ".join(f"“{q.quiz}: {q}”" for q in broken[:5])
            more = f" and {len(broken) - 5} more" if len(broken) > 5 else ""
            raise ValidationError(
                f"This edit changes words that {len(broken)} "
                f"question{pluralize(len(broken))} quote: {names}{more}. "
                "Fix those questions' passages first, or keep those words."
            )
        return text


class DeriveForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="The text's title, e.g. “The Berlin Wall”. The draft quiz gets it too.",
    )
    text = forms.CharField(
        required=False,
        label="Paste the text",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Plain text: paragraphs separated by blank lines. Leftovers of a web page "
        "(menus, “read more”, references) are dropped.",
    )
    file = forms.FileField(
        required=False,
        label="…or upload a .txt file",
        help_text="A UTF-8 plain-text file of at most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_DERIVE_SIZE:
            raise ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is 1 MB. Upload a "
                "shorter part of it."
            )
        raw = upload.read()
        if b"\x00" in raw:
            raise ValidationError(
                "This is not a plain-text file (a Word document or a PDF?). Save it as plain "
                "text (.txt) and upload that."
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "This file is not UTF-8 text. Save it again choosing the UTF-8 encoding."
            ) from None
        if not text.strip():
            raise ValidationError("The file is empty.")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, file_text = data.get("text", "").strip(), data.get("file", "")
        if self.errors:
            return data
        if text and file_text:
            raise ValidationError("Paste the text or upload a file, not both.")
        if not text and not file_text:
            raise ValidationError("Paste the text, or upload a .txt file.")
        raw = file_text or data["text"]
        if len(raw.encode("utf-8")) > MAX_DERIVE_SIZE:
            raise ValidationError("The text is longer than 1 MB. Use a shorter part of it.")
        data["raw_text"] = raw
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A GIFT file (.gift or .txt), a Moodle XML file (.xml) or a CSV file "
        f"(.csv), as quizsite or Moodle exports them: at most {filesizeformat(MAX_FILE_SIZE)} "
        f"and {MAX_QUESTIONS:,} questions.",
    )
    format = forms.ChoiceField(
        choices=[("", "Tell from the file name")] + [(f.name, f.label) for f in FORMATS.values()],
        required=False,
    )
    as_drafts = forms.BooleanField(
        required=False,
        initial=True,
        label="Import as drafts",
        help_text="Students see nothing until you publish. Untick to keep the status the file "
        "gives (a file exported from quizsite keeps each question's own).",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB.")
        return upload


class NewQuizImportForm(ImportForm):
    title = forms.CharField(max_length=200, help_text="The new quiz's title.")
    source = forms.ModelChoiceField(
        SourceDocument.objects.all(),
        required=False,
        help_text="The text the questions quote. Questions exported from quizsite carry "
        "their passage, which must be in this text; questions from elsewhere quote none "
        "and are marked “No source”.",
    )
    field_order = ("title", "source", "file", "format", "as_drafts")
