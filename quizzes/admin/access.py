"""Who may see and change what in the teacher's admin.

A teacher is a staff user (`User.is_teacher`, the one rule); in the admin, the "Teachers"
group gives teachers the model permissions below (the data migration
quizzes/migrations/0004_teachers_group.py created it, and `load_demo` and the tests' personas put
every teacher in it). On top of those, each
ModelAdmin scopes rows:
- question banks (sources, quizzes, questions) are shared: every teacher reads all of them,
  and changes or deletes only what they own (a question belongs to its quiz's owner);
- classes, and the attempts and responses of the students in them, are private: a teacher sees
  only their own classes and their own students' results. Another teacher's are not there at
  all, so their URLs answer 404.
Superusers keep full access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.http import Http404, HttpRequest

TEACHERS = "Teachers"
# The living copy of the group's permissions (the migration keeps its own, as history).
TEACHER_PERMISSIONS = {
    "sourcedocument": ("view", "add", "change", "delete"),
    "topic": ("view", "add"),
    "quiz": ("view", "add", "change", "delete"),
    "question": ("view", "add", "change", "delete"),
    "choice": ("view", "add", "change", "delete"),
    "classroom": ("view", "add", "change", "delete"),
    "membership": ("view", "delete"),  # students join with the class code; a teacher removes
    "assignment": ("view", "add", "change", "delete"),
    "attempt": ("view",),  # results are recorded by students answering, never edited
    "response": ("view",),
}


def teacher_codenames() -> set[str]:
    return {
        f"{action}_{model}" for model, actions in TEACHER_PERMISSIONS.items() for action in actions
    }


def teachers_group() -> Group:
    """The Teachers group with exactly its permissions (the migration makes it; tests that
    empty the database make it again with this)."""
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="quizzes", codename__in=teacher_codenames()
        )
    )
    return group


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows outside `get_queryset` do not exist for the user: their change,
    delete and history pages answer 404 rather than a redirect that admits they exist."""

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        # "Questions" rather than Django's "Select question to change".
        title = str(self.opts.verbose_name_plural).capitalize()
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with this id.")
        return obj


class EditableByOwner:
    """Shared bank content (a ModelAdmin, or an inline whose `obj` is the parent): everyone
    with the view permission reads every row; only the owner, or a superuser, changes or
    deletes one (the model's `is_editable_by`). Others see the read-only view."""

    @staticmethod
    def may_edit(request: HttpRequest, obj: Model | None) -> bool:
        return obj is None or obj.is_editable_by(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)


class OwnedAdmin(EditableByOwner, ScopedAdmin):
    """A ModelAdmin of shared bank content: see EditableByOwner."""
