"""The question banks in the admin: sources (and deriving drafts from a text), topics, quizzes
and questions, with preview, analysis, import and export."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from quizzes import analysis
from quizzes.admin import preview
from quizzes.admin.access import EditableByOwner, OwnedAdmin, ScopedAdmin
from quizzes.admin.forms import (
    ChoiceForm,
    ChoiceFormSet,
    DeriveForm,
    ImportForm,
    LabelledRowsFormSet,
    NewQuizImportForm,
    QuestionForm,
    QuizForm,
    SourceDocumentForm,
)
from quizzes.derive import why_nothing
from quizzes.grading import QuestionType, percent
from quizzes.interchange.formats import FORMATS, export_quiz, guess_format, read_file
from quizzes.interchange.schema import FormatError, passage_context
from quizzes.interchange.store import create_draft_quiz, new_quiz
from quizzes.models import (
    Assignment,
    Choice,
    Classroom,
    Question,
    Quiz,
    Response,
    SourceDocument,
    Status,
    Topic,
)

MAX_PROBLEMS_SHOWN = 30


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _confidence(question: Question) -> str:
    label = _percent(question.confidence)
    return f"{label} · {question.confidence_reason}" if question.confidence_reason else label


def _editable(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """What of the selected rows this user may change; the others are left alone, and said so."""
    mine = queryset.editable_by(request.user)
    skipped = queryset.count() - mine.count()
    if skipped:
        messages.warning(
            request,
            f"{skipped} of the selected belong to another teacher and were left alone: "
            "you can duplicate them to make your own copy.",
        )
    return mine


def _count(n: int, one: str, many: str) -> str:
    """A count and its noun, "1 quiz" or "2 quizzes": a teacher reads no "quiz(zes)"."""
    return f"{n} {one if n == 1 else many}"


class OwnerFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "owner"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("me", "Yours"), ("others", "Other teachers'")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        mine = Q(**{queryset.model.OWNER_PATH: request.user})
        if self.value() == "me":
            return queryset.filter(mine)
        if self.value() == "others":
            return queryset.exclude(mine)
        return queryset


# Sources, and deriving draft questions from a text


@admin.register(SourceDocument)
class SourceDocumentAdmin(OwnedAdmin):
    form = SourceDocumentForm
    list_display = ("title", "owner", "quiz_count", "length", "updated_at")
    list_filter = (OwnerFilter,)
    search_fields = ("title", "text")
    prepopulated_fields = {"slug": ("title",)}
    change_list_template = "admin/quizzes/sourcedocument/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("owner")
            .annotate(n_quizzes=Count("quizzes"))
        )

    @admin.display(description="quizzes", ordering="n_quizzes")
    def quiz_count(self, obj: SourceDocument) -> int:
        return obj.n_quizzes

    @admin.display(description="length")
    def length(self, obj: SourceDocument) -> str:
        return f"{len(obj.text.split()):,} words"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list:
        return [
            path("derive/", self.admin_site.admin_view(self.derive_view), name="quizzes_derive"),
            *super().get_urls(),
        ]

    def derive_view(self, request: HttpRequest) -> HttpResponse:
        """Paste a text or upload a .txt file; get a draft quiz of derived questions to review."""
        quiz_admin = self.admin_site.get_model_admin(Quiz)
        if not (self.has_add_permission(request) and quiz_admin.has_add_permission(request)):
            raise PermissionDenied
        form = DeriveForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["raw_text"]
            quiz = create_draft_quiz(
                title=form.cleaned_data["title"], raw_text=raw, owner=request.user
            )
            if quiz is not None:
                count = quiz.questions.count()
                messages.success(
                    request,
                    f"{count} draft questions derived from “{quiz.title}”, best first. Review "
                    "each: publish the good ones, edit the nearly good, discard the rest; then "
                    "publish the quiz.",
                )
                return redirect("admin:quizzes_quiz_change", quiz.pk)
            form.add_error(
                None, f"No questions could be derived from this text. {why_nothing(raw)}"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Derive questions from a text",
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/quizzes/sourcedocument/derive.html", context)


@admin.register(Topic)
class TopicAdmin(ScopedAdmin):
    """Topics belong to their bank (a source, or a quiz without one): teachers read and add
    them; renaming is for superusers."""

    list_display = ("name", "bank", "question_count")
    list_select_related = ("source", "quiz")
    search_fields = ("name",)
    fields = ("name", "slug", "source", "quiz")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description="bank")
    def bank(self, obj: Topic) -> str:
        return str(obj.source or obj.quiz or "the whole site")

    @admin.display(description="questions", ordering="n_questions")
    def question_count(self, obj: Topic) -> int:
        return obj.n_questions


# Quizzes


class QuestionInline(EditableByOwner, admin.TabularInline):
    """The quiz's questions in order: renumber them, publish or unpublish them here; edit one
    on its own page (answers and their checks live there)."""

    model = Question
    formset = LabelledRowsFormSet
    fields = ("position", "question_link", "type", "status", "confidence_label", "responses")
    readonly_fields = ("question_link", "type", "confidence_label", "responses")
    ordering = ("position", "id")
    extra = 0
    verbose_name_plural = "questions, in the order students get them"
    classes = ("questions-inline",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_responses=Count("responses"))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # questions are added on their own form, which checks their answer

    @admin.display(description="question")
    def question_link(self, obj: Question) -> str:
        url = reverse("admin:quizzes_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, Truncator(obj.prompt).chars(90))

    @admin.display(description="confidence")
    def confidence_label(self, obj: Question) -> str:
        """For derived drafts: how sure the engine was, and why in a word ("70% · pronoun")."""
        return _confidence(obj)

    @admin.display(description="responses")
    def responses(self, obj: Question) -> int:
        return obj.n_responses


@admin.register(Quiz)
class QuizAdmin(OwnedAdmin):
    list_display = (
        "title",
        "status",
        "shared",
        "owner",
        "source",
        "questions",
        "attempts",
        "mean_score",
        "report",
    )
    list_filter = ("status", "shared", OwnerFilter, "source")
    list_select_related = ("owner", "source")
    search_fields = ("title", "description")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("draws_from",)
    inlines = [QuestionInline]
    actions = ["publish", "unpublish", "duplicate"]
    form = QuizForm
    change_form_template = "admin/quizzes/quiz/change_form.html"
    delete_confirmation_template = "admin/quizzes/quiz/delete_confirmation.html"
    change_list_template = "admin/quizzes/quiz/change_list.html"
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "description", "source", "status", "shared", "owner")},
        ),
        (
            "A pool: questions drawn for each attempt",
            {
                "classes": ("collapse",),
                "fields": ("draws_from", "per_topic", "question_count"),
                "description": "A quiz can also ask the published questions of other banks. "
                "With a number per topic (or in all), each attempt draws its own questions "
                "at the start and keeps them; empty, every student gets the same list in order.",
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        return () if request.user.is_superuser else ("owner",)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """With the box that confirms unpublishing when the quiz is set for classes."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.assignments.exists():
            return fieldsets
        (name, options), *rest = fieldsets
        fields = (*options["fields"], "confirm_withdraw")
        return ((name, {**options, "fields": fields}), *rest)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)

        class WithUser(form):  # the form names the classes this user may know of
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, user=request.user, **kwargs)

        return WithUser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_statistics()

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        """Django's confirmation page, saying first which classes the quiz is set for."""
        quiz = self.get_object(request, object_id)
        where = Assignment.objects.filter(quiz=quiz).where_set(request.user)
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "where_set": where}
        )

    @admin.display(description="questions", ordering="n_questions")
    def questions(self, obj: Quiz) -> str:
        if obj.n_published == obj.n_questions:
            return str(obj.n_questions)
        return f"{obj.n_published} published of {obj.n_questions}"

    @admin.display(description="attempts", ordering="n_attempts")
    def attempts(self, obj: Quiz) -> int:
        return obj.n_attempts

    @admin.display(description="mean score", ordering="mean_percent")
    def mean_score(self, obj: Quiz) -> str:
        return "–" if obj.mean_percent is None else f"{percent(obj.mean_percent, 100)}%"

    @admin.display(description="report")
    def report(self, obj: Quiz) -> str:
        return format_html(
            '<a href="{}">Report</a>', reverse("admin:quizzes_quiz_report", args=[obj.pk])
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and not request.user.is_superuser:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # it does not ask who owns each row
        return actions

    @admin.action(description="Publish the selected quizzes", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        updated, empty = _editable(request, queryset).publish()
        take = f"students can take {pluralize(updated, 'it,them')} now"
        messages.success(request, f"Published {_count(updated, 'quiz', 'quizzes')}: {take}.")
        if empty:
            messages.warning(
                request,
                f"{', '.join(q.title for q in empty)} has no published questions yet: students "
                "will be told it has no questions. Publish some of its questions.",
            )

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Asks first, on a page of its own, when any of the quizzes is set for a class."""
        mine = _editable(request, queryset)
        where = Assignment.objects.filter(quiz__in=mine.published()).where_set(request.user)
        if where and request.POST.get("confirmed") != "yes":
            context = self._context(
                request,
                title="Unpublish quizzes that are set for classes?",
                quizzes=list(mine),
                where_set=where,
                action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
            )
            return TemplateResponse(
                request, "admin/quizzes/quiz/unpublish_confirmation.html", context
            )
        updated = mine.update(status=Status.DRAFT)
        messages.success(
            request,
            f"{_count(updated, 'quiz', 'quizzes')} back to draft: students no longer see "
            f"{pluralize(updated, 'it,them')}. {pluralize(updated, 'Its,Their')} recorded answers "
            "are kept.",
        )

    @admin.action(description="Duplicate as your own draft", permissions=["add"])
    @transaction.atomic
    def duplicate(self, request: HttpRequest, queryset: QuerySet) -> None:
        for quiz in queryset.prefetch_related("questions__choices", "draws_from"):
            quiz.duplicate(owner=request.user)
        messages.success(
            request, f"Duplicated {_count(queryset.count(), 'quiz', 'quizzes')} as drafts of yours."
        )

    # Pages of one quiz: preview, report, export, import

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="quizzes_quiz_import_new"),
            path("<int:pk>/import/", view(self.import_view), name="quizzes_quiz_import"),
            path("<int:pk>/export/<str:fmt>/", view(self.export_view), name="quizzes_quiz_export"),
            path("<int:pk>/report/", view(self.report_view), name="quizzes_quiz_report"),
            path("<int:pk>/preview/", view(self.preview_view), name="quizzes_quiz_preview"),
            path(
                "<int:pk>/preview/<int:number>/",
                view(self.preview_view),
                name="quizzes_quiz_preview_question",
            ),
            path(
                "<int:pk>/preview/end/",
                view(self.preview_end_view),
                name="quizzes_quiz_preview_end",
            ),
            *super().get_urls(),
        ]

    def _get_quiz(self, request: HttpRequest, pk: int, *, change: bool = False) -> Quiz:
        """A quiz this user may see (404 otherwise), and change if asked (403 otherwise)."""
        quiz = get_object_or_404(self.get_queryset(request).select_related("source"), pk=pk)
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request, quiz):
            raise PermissionDenied
        return quiz

    def _context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def _preview(self, request: HttpRequest, quiz: Quiz) -> preview.Preview:
        def url(page: str, number: int | None) -> str:
            if page == "end":
                return reverse("admin:quizzes_quiz_preview_end", args=[quiz.pk])
            return reverse("admin:quizzes_quiz_preview_question", args=[quiz.pk, number])

        return preview.Preview(
            quiz=quiz,
            question_ids=preview.quiz_question_ids(quiz),
            url=url,
            back_url=reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
            back_label="Back to the quiz in the admin",
        )

    def preview_view(self, request: HttpRequest, pk: int, number: int = 1) -> HttpResponse:
        quiz = self._get_quiz(request, pk)
        plan = self._preview(request, quiz)
        if not plan.question_ids:
            messages.warning(request, "This quiz has no questions to preview yet.")
            return redirect("admin:quizzes_quiz_change", quiz.pk)
        return preview.show(request, plan, number)

    def preview_end_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return preview.end(request, self._preview(request, self._get_quiz(request, pk)))

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The quiz's report, from everyone's attempts or (?classroom=<id>) from one of the
        teacher's classes alone; another teacher's class does not exist here (404)."""
        quiz = self._get_quiz(request, pk)
        classes = (
            Classroom.objects.all()
            if request.user.is_superuser
            else Classroom.objects.taught_by(request.user)
        )
        classroom = None
        if request.GET.get("classroom"):
            wanted = request.GET["classroom"]
            classroom = get_object_or_404(classes, pk=wanted) if wanted.isdigit() else None
            if classroom is None:
                raise Http404("No such class")
        questions = list(analysis.report_questions(quiz))
        stats = analysis.question_stats([q.pk for q in questions], quiz=quiz, classroom=classroom)
        rows = [(q, stats[q.pk]) for q in questions]
        context = self._context(
            request,
            title=f"Report: {quiz.title}" + (f" · {classroom.name}" if classroom else ""),
            quiz=quiz,
            classes=classes.filter(assignments__quiz=quiz).order_by("name"),
            classroom=classroom,
            summary=analysis.quiz_stats(quiz, classroom=classroom),
            rows=rows,
            flagged=sum(1 for _, s in rows if s.warnings),
            min_attempts=analysis.MIN_ATTEMPTS,
        )
        return TemplateResponse(request, "admin/quizzes/quiz/report.html", context)

    def export_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        quiz = self._get_quiz(request, pk)
        if fmt not in FORMATS:
            raise Http404("No such format.")
        content, file_format = export_quiz(quiz, fmt)
        response = HttpResponse(content, content_type=file_format.content_type)
        filename = f"{quiz.slug}{file_format.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        """Import a GIFT, Moodle XML or CSV file into this quiz, or into a new one."""
        quiz = self._get_quiz(request, pk, change=True) if pk else None
        if quiz is None and not self.has_add_permission(request):
            raise PermissionDenied
        form_class = ImportForm if quiz else NewQuizImportForm
        form = form_class(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = form.cleaned_data["format"] or guess_format(upload.name)
            if fmt is None:
                form.add_error(
                    "format", "The file name does not say which format it is: choose one."
                )
            else:
                source = quiz.source if quiz else form.cleaned_data["source"]
                try:
                    # Read and checked first: the transaction only writes.
                    questions = read_file(fmt, upload.read(), source=source)
                    with transaction.atomic():
                        target = quiz or new_quiz(
                            title=form.cleaned_data["title"], owner=request.user, source=source
                        )
                        summary = questions.save(target, as_drafts=form.cleaned_data["as_drafts"])
                except FormatError as error:
                    problems = error.messages
                else:
                    messages.success(request, str(summary))
                    return redirect("admin:quizzes_quiz_change", target.pk)
        context = self._context(
            request,
            title=f"Import questions into “{quiz}”" if quiz else "Import a quiz",
            quiz=quiz,
            form=form,
            problems=problems[:MAX_PROBLEMS_SHOWN],
            more_problems=max(0, len(problems) - MAX_PROBLEMS_SHOWN),
            formats=FORMATS.values(),
        )
        return TemplateResponse(request, "admin/quizzes/quiz/import.html", context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "formats": FORMATS.values()}
        quiz = self.get_object(request, object_id)
        # The linter's warnings are for the quiz's owner, who can act on them.
        if quiz is not None and self.has_change_permission(request, quiz):
            extra_context["lint_findings"] = quiz.lint_findings()
        return super().change_view(request, object_id, form_url, extra_context)


# Questions


class ChoiceInline(EditableByOwner, admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    ordering = ("position", "id")
    verbose_name = "answer row"
    verbose_name_plural = "answer"
    classes = ("choices-inline",)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 4 if obj is None else 1

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self.may_edit(request, obj)


class SourceFilter(admin.SimpleListFilter):
    """Questions that quote their source, and those from elsewhere ("No source")."""

    title = "source passage"
    parameter_name = "source"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("quoted", "Quotes its source"), ("none", "No source")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "none":
            return queryset.filter(passage="")
        if self.value() == "quoted":
            return queryset.exclude(passage="")
        return queryset


@admin.register(Question)
class QuestionAdmin(OwnedAdmin):
    form = QuestionForm
    list_display = (
        "short_prompt",
        "quiz_and_topic",
        "type",
        "difficulty",
        "status",
        "responses",
        "facility",
    )
    list_filter = ("quiz", "topic", "type", "status", "difficulty", SourceFilter, OwnerFilter)
    list_select_related = ("quiz", "topic")
    search_fields = ("prompt", "passage", "key")
    ordering = ("quiz__title", "position", "id")
    inlines = [ChoiceInline]
    actions = ["publish", "unpublish", "duplicate", "discard"]
    change_form_template = "admin/quizzes/question/change_form.html"
    readonly_fields = ("passage_location", "confidence_label", "how_students_did")
    fieldsets = (
        (None, {"fields": ("quiz", "type", "prompt", "image", "image_alt")}),
        ("The number", {"classes": ("numeric-answer",), "fields": ("numeric_answer", "tolerance")}),
        ("Feedback after an answer", {"fields": ("explanation", "passage", "passage_location")}),
        (
            "About the question",
            {
                "fields": (
                    "topic",
                    "thinking",
                    "difficulty",
                    "points",
                    "status",
                    "key",
                    "confidence_label",
                )
            },
        ),
        ("How students did", {"fields": ("how_students_did",)}),
    )

    class Media:
        js = ("js/admin-question.js",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_answer_counts()

    @staticmethod
    def _reviewing_drafts(request: HttpRequest) -> bool:
        return request.GET.get("status__exact") == Status.DRAFT

    def get_list_display(self, request: HttpRequest) -> tuple:
        # Reviewing drafts: the engine's confidence, and the best first (get_ordering).
        if self._reviewing_drafts(request):
            return (*self.list_display, "confidence_label")
        return self.list_display

    def get_ordering(self, request: HttpRequest) -> Any:
        if self._reviewing_drafts(request):
            return (F("confidence").desc(nulls_last=True), "quiz__title", "position", "id")
        return self.ordering

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        about = ("topic", "thinking", "difficulty", "points", "status", "key")
        if obj is None:  # a question being written: no answers yet, no engine's confidence
            return (*self.fieldsets[:3], ("About the question", {"fields": about}))
        if obj.confidence is None:  # written by a teacher, not derived
            return (
                *self.fieldsets[:3],
                ("About the question", {"fields": about}),
                self.fieldsets[4],
            )
        return self.fieldsets

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "quiz" and not request.user.is_superuser:
            kwargs["queryset"] = Quiz.objects.editable_by(request.user)
        if db_field.name == "topic":
            # The topics of the banks the teacher writes in (QuestionForm narrows them to the
            # question's own bank, and checks the one chosen against the quiz).
            topics = Topic.objects.select_related("source", "quiz")
            if not request.user.is_superuser:
                topics = topics.for_quizzes(Quiz.objects.editable_by(request.user))
            kwargs["queryset"] = topics
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda topic: topic.bank_label  # two banks' alike names
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="question", ordering="prompt")
    def short_prompt(self, obj: Question) -> str:
        prompt = Truncator(obj.prompt).chars(80)
        if obj.has_source:
            return prompt
        return format_html('{}<span class="badge no-source">No source</span>', prompt)

    @admin.display(description="quiz / topic", ordering="quiz__title")
    def quiz_and_topic(self, obj: Question) -> str:
        return format_html('{}<span class="meta-line">{}</span>', obj.quiz, obj.topic)

    @admin.display(description="responses", ordering="n_responses")
    def responses(self, obj: Question) -> int:
        return obj.n_responses

    @admin.display(description="facility", ordering="share_right")
    def facility(self, obj: Question) -> str:
        """The share of answers that were right."""
        return _percent(obj.n_right / obj.n_responses if obj.n_responses else None)

    @admin.display(description="confidence", ordering="confidence")
    def confidence_label(self, obj: Question) -> str:
        """For derived drafts: how sure the engine was, and why in a word ("70% · pronoun")."""
        return _confidence(obj)

    @admin.display(description="where the passage is")
    def passage_location(self, obj: Question) -> str:
        source = obj.quiz.source if obj.quiz_id else None
        if not obj.pk:
            return "Shown here once the question is saved with a passage."
        if not obj.has_source:
            return format_html(
                '<span class="badge no-source">No source</span> {}',
                "This question quotes no passage: students see its explanation alone.",
            )
        if source is None:
            return "This quiz has no source text."
        start = obj.locate_passage(source.text)
        if start < 0:
            return format_html(
                '<span class="passage-missing">Not found in “{}”: students would see a '
                "quotation that is not in the text.</span>",
                source.title,
            )
        before, passage, after = passage_context(source.text, start, len(obj.passage))
        return format_html(
            '<span class="passage-found">Found in “{}” at character {}:</span>'
            '<blockquote class="passage-context">{}<mark>{}</mark>{}</blockquote>',
            source.title,
            f"{start:,}",
            before,
            passage,
            after,
        )

    @admin.display(description="answers so far")
    def how_students_did(self, obj: Question) -> str:
        stats = analysis.question_stats([obj.pk])[obj.pk]
        if not stats.responses:
            return "Nobody has answered it yet."
        parts = [
            ("Responses", str(stats.responses)),
            ("Facility (share right)", _percent(stats.facility)),
            (
                "Discrimination",
                f"{stats.discrimination:+.2f}"
                if stats.discrimination is not None
                else f"needs {analysis.MIN_ATTEMPTS} finished attempts",
            ),
            (
                "Most chosen wrong answer",
                f"{stats.wrong_answer} ({stats.wrong_answer_count})" if stats.wrong_answer else "–",
            ),
        ]
        table = format_html_join("", "<dt>{}</dt><dd>{}</dd>", parts)
        notes = format_html_join(
            "", '<p class="stat-warning">{}</p>', ((w,) for w in stats.warnings)
        )
        return format_html('<dl class="question-stats">{}</dl>{}', table, notes)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        count = Response.objects.filter(question_id=object_id).count() if object_id.isdigit() else 0
        extra_context = {**(extra_context or {}), "response_count": count}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change or "quiz" in form.changed_data:  # a new question goes last
            obj.position = obj.quiz.next_position()
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.type == QuestionType.NUMERIC:
            form.instance.choices.all().delete()

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # "Discard drafts" checks owner and responses
        return actions

    @admin.action(description="Publish (accept) the selected questions", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        ready, refused = _editable(request, queryset).publish()
        if ready:
            messages.success(request, f"Published {_count(len(ready), 'question', 'questions')}.")
        for question, problems in refused:
            messages.error(
                request,
                f"Not published: “{Truncator(question.prompt).chars(60)}”: {' '.join(problems)}",
            )
        drafts = {q.quiz for q in ready if q.quiz.status == Status.DRAFT}
        for quiz in drafts:
            messages.info(
                request,
                f"The quiz “{quiz}” is still a draft: publish it too for students to see it.",
            )

    @admin.action(description="Unpublish (back to draft)", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        mine = _editable(request, queryset)
        updated = mine.update(status=Status.DRAFT)
        messages.success(
            request,
            f"{_count(updated, 'question', 'questions')} back to draft: students no longer "
            f"get {pluralize(updated, 'it,them')}.",
        )

    @admin.action(description="Duplicate (as drafts in the same quiz)", permissions=["change"])
    @transaction.atomic
    def duplicate(self, request: HttpRequest, queryset: QuerySet) -> None:
        mine = _editable(request, queryset)
        for question in mine.select_related("quiz"):
            question.duplicate()
        messages.success(
            request, f"Duplicated {_count(mine.count(), 'question', 'questions')} as drafts."
        )

    @admin.action(description="Discard the selected drafts", permissions=["delete"])
    def discard(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Delete drafts that nobody has answered; anything else is kept, and said so."""
        count, published, answered = _editable(request, queryset).discard_drafts()
        messages.success(request, f"Discarded {_count(count, 'draft', 'drafts')}.")
        if published:
            messages.warning(
                request,
                f"{_count(published, 'published question', 'published questions')} "
                f"{pluralize(published, 'was,were')} left alone: unpublish first.",
            )
        if answered:
            messages.warning(
                request,
                f"{_count(answered, 'draft', 'drafts')} {pluralize(answered, 'has,have')} "
                f"recorded answers and {pluralize(answered, 'was,were')} kept, so those "
                "results stay intact.",
            )

    # Preview

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="quizzes_question_preview"),
            path(
                "<int:pk>/preview/end/",
                view(self.preview_end_view),
                name="quizzes_question_preview_end",
            ),
            *super().get_urls(),
        ]

    def _preview(self, request: HttpRequest, pk: int) -> preview.Preview:
        question = get_object_or_404(self.get_queryset(request).select_related("quiz"), pk=pk)
        if not self.has_view_permission(request, question):
            raise PermissionDenied

        def url(page: str, number: int | None) -> str:
            name = (
                "quizzes_question_preview_end"
                if page == "end" or number != 1
                else "quizzes_question_preview"
            )
            return reverse(f"admin:{name}", args=[pk])

        return preview.Preview(
            quiz=question.quiz,
            question_ids=[question.pk],
            url=url,
            back_url=reverse("admin:quizzes_question_change", args=[pk]),
            back_label="Back to the question in the admin",
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return preview.show(request, self._preview(request, pk), 1)

    def preview_end_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return preview.end(request, self._preview(request, pk))
