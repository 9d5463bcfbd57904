from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from quizzes.models import Attempt, Choice, Question, Quiz, Response, SourceDocument, Topic, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Quizsite", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_staff", "last_login")


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("position", "key", "type", "prompt", "topic", "difficulty", "status")
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "status", "owner")
    list_filter = ("status",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("prompt", "quiz", "type", "topic", "difficulty", "status")
    list_filter = ("quiz", "type", "topic", "difficulty", "status")
    search_fields = ("prompt", "passage")
    inlines = [ChoiceInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "quiz",
        "kind",
        "position",
        "score",
        "max_score",
        "started_at",
        "finished_at",
    )
    list_select_related = ("user", "quiz")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "is_correct", "points", "answered_at")
    list_select_related = ("user", "question")
