"""Accounts: superusers only (teachers have no permission on users)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from quizzes.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Quizsite", {"fields": ("display_name", "anonymous_on_leaderboards")}),
    )
    list_display = ("username", "display_name", "is_staff", "last_login")
    search_fields = ("username", "display_name", "email")
