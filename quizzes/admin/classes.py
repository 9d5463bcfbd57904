"""Classes and results in the admin. A teacher sees only their own classes, and only the
attempts and responses of the students in them; anything else answers 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from quizzes.admin.access import ScopedAdmin
from quizzes.admin.forms import LabelledRowsFormSet
from quizzes.grading import marks_text
from quizzes.models import Assignment, Attempt, Classroom, Membership, Quiz, Response


def gradebook_url(classroom: Classroom) -> str:
    """The class gradebook as CSV (a teacher page of its own)."""
    return reverse("quizzes:gradebook_csv", args=[classroom.pk])


def _taught_by(user: Any, student_path: str = "user") -> Exists:
    """Rows whose student is in one of this teacher's classes."""
    return Exists(
        Membership.objects.filter(student=OuterRef(student_path), classroom__teacher=user)
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = LabelledRowsFormSet
    fields = ("student_name", "joined_at")
    readonly_fields = ("student_name", "joined_at")
    extra = 0
    verbose_name = "student"
    verbose_name_plural = "students (they join with the class code; tick to remove one)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("student")

    @admin.display(description="student")
    def student_name(self, obj: Membership) -> str:
        # Plain text: teachers have no access to user accounts, so no link to one.
        return f"{obj.student} ({obj.student.username})"


class AssignmentForm(forms.ModelForm):
    """An assignment in the admin: a due date set or changed here must lie ahead (one left as
    it was may have passed)."""

    class Meta:
        model = Assignment
        fields = (
            *("quiz", "due_at", "attempts_allowed", "score_counts"),
            *("late_work_accepted", "answers_shown"),
        )

    def clean_due_at(self) -> Any:
        due_at = self.cleaned_data["due_at"]
        if due_at and "due_at" in self.changed_data and due_at <= timezone.now():
            raise forms.ValidationError("Choose a due date that lies ahead: this one has passed.")
        return due_at


class AssignmentInline(admin.TabularInline):
    model = Assignment
    form = AssignmentForm
    formset = LabelledRowsFormSet
    fields = (
        *("quiz", "due_at", "attempts_allowed", "score_counts"),
        *("late_work_accepted", "answers_shown", "assigned_at"),
    )
    readonly_fields = ("assigned_at",)
    extra = 0
    verbose_name_plural = "assigned quizzes"

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "quiz":
            kwargs["queryset"] = Quiz.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Classroom)
class ClassroomAdmin(ScopedAdmin):
    list_display = (
        *("name", "join_code", "student_count", "quizzes_assigned"),
        *("class_page", "gradebook"),
    )
    search_fields = ("name",)
    inlines = [AssignmentInline, MembershipInline]
    change_form_template = "admin/quizzes/classroom/change_form.html"
    actions = ["download_gradebook"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                n_students=Count("memberships", distinct=True),
                n_quizzes=Count("assignments", distinct=True),
            )
        )
        if request.user.is_superuser:
            return queryset
        return queryset.filter(teacher=request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if request.user.is_superuser:
            return ("name", "teacher", "join_code")
        return ("name", "join_code")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        return ("join_code",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and not request.user.is_superuser:
            obj.teacher = request.user
        super().save_model(request, obj, form, change)

    # Not "students": the model's own students field would be shown instead (its manager).
    @admin.display(description="students", ordering="n_students")
    def student_count(self, obj: Classroom) -> int:
        return obj.n_students

    @admin.display(description="class page")
    def class_page(self, obj: Classroom) -> str:
        url = reverse("quizzes:manage_class", args=[obj.pk])
        return format_html('<a href="{}">Code, students and quizzes</a>', url)

    @admin.display(description="quizzes assigned", ordering="n_quizzes")
    def quizzes_assigned(self, obj: Classroom) -> int:
        return obj.n_quizzes

    @admin.display(description="gradebook")
    def gradebook(self, obj: Classroom) -> str:
        return format_html('<a href="{}">Download (CSV)</a>', gradebook_url(obj))

    @admin.action(description="Download the gradebook (CSV) of the selected class")
    def download_gradebook(self, request: HttpRequest, queryset: QuerySet) -> Any:
        if queryset.count() != 1:
            messages.warning(request, "Choose one class: each gradebook is its own file.")
            return None
        return redirect(gradebook_url(queryset.get()))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> Any:
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "gradebook_url": gradebook_url(obj)}
        return super().change_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(ScopedAdmin):
    """Recorded results: students make them by answering; nobody edits them here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class ResponseInline(admin.TabularInline):
    model = Response
    fields = ("question", "answer_text", "is_correct", "points", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "answers"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("question")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ("user", "title", "kind", "score_label", "started_at", "finished_at")
    list_filter = ("kind", ("finished_at", admin.EmptyFieldListFilter), "quiz")
    list_select_related = ("user", "quiz")
    search_fields = ("user__username", "user__display_name", "quiz__title")
    date_hierarchy = "started_at"
    inlines = [ResponseInline]
    fields = (
        "user",
        "quiz",
        "kind",
        "assignment",
        "number",
        "position",
        "score",
        "max_score",
        "correct_count",
        "started_at",
        "finished_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(_taught_by(request.user))

    @admin.display(description="score")
    def score_label(self, obj: Attempt) -> str:
        return f"{marks_text(obj.score)} of {marks_text(obj.max_score)}"


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "question",
        "quiz",
        "answer_text",
        "is_correct",
        "points",
        "answered_at",
    )
    list_filter = ("is_correct", "question__quiz")
    list_select_related = ("user", "question__quiz")
    search_fields = ("user__username", "user__display_name", "question__prompt", "answer_text")
    date_hierarchy = "answered_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(_taught_by(request.user))

    @admin.display(description="quiz", ordering="question__quiz__title")
    def quiz(self, obj: Response) -> Quiz:
        return obj.question.quiz
