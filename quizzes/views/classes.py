"""Classes and their leaderboards.

Students join a class with its code and see each class's boards (this week, all time, one per
assigned quiz), which poll for changes while the class takes a quiz. Teachers (staff users)
create classes, show the code, remove students, assign quizzes and read the gradebook.

A class exists only for its members and its teacher: anyone else gets 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.core import is_ratelimited

from quizzes import leaderboards, signin
from quizzes.db import dashboard_db
from quizzes.forms import posted
from quizzes.models import Assignment, Classroom, LiveGame, Quiz, User, cards
from quizzes.ranking import NO_NAME, Board
from quizzes.spreadsheets import csv_download
from quizzes.views import live

# ---- Forms ---------------------------------------------------------------------------------


class JoinForm(forms.Form):
    code = forms.CharField(label="Class code", max_length=20)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        self.classroom = Classroom.objects.with_code(code).select_related("teacher").first()
        if self.classroom is None:
            raise forms.ValidationError(
                "No class has that code. Check it with your teacher: it is 8 letters and digits."
            )
        return code


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": "Class name"}
        help_texts = {"name": "What your students will see, e.g. “Year 10 History, Set 2”."}


class AssignForm(forms.ModelForm):
    """Set a quiz for a class, with its rules. The quizzes on offer are those the teacher
    sees: shared ones and their own."""

    attempts_allowed = forms.TypedChoiceField(
        label="Attempts allowed",
        choices=[("1", "1"), ("2", "2"), ("3", "3"), ("", "Unlimited")],
        coerce=int,
        empty_value=None,
        required=False,
        initial="1",
    )
    due_at = forms.DateTimeField(
        label="Due (optional)",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Assignment
        fields = [
            "quiz",
            "due_at",
            "attempts_allowed",
            "score_counts",
            "late_work_accepted",
            "answers_shown",
        ]
        labels = {
            "score_counts": "Which score counts",
            "late_work_accepted": "Accept late work (marked late)",
            "answers_shown": "While attempts remain, show the right answers",
        }
        help_texts = {
            "answers_shown": "Once no attempt is left, the feedback always shows them; quizzes "
            "taken for practice always do.",
        }

    def __init__(self, *args: Any, teacher: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quiz"].queryset = Quiz.objects.visible_to(teacher).order_by("title")
        self.fields["quiz"].empty_label = None
        # A form that leaves a rule out (an older page, a script) gets the rule's default.
        for name in ("score_counts", "answers_shown"):
            self.fields[name].required = False

    def clean_score_counts(self) -> str:
        return self.cleaned_data["score_counts"] or Assignment.Counts.FIRST

    def clean_answers_shown(self) -> str:
        return self.cleaned_data["answers_shown"] or Assignment.Answers.AFTER_LAST_ATTEMPT

    def clean_due_at(self) -> datetime | None:
        due_at = self.cleaned_data["due_at"]
        if due_at is None:
            return None
        # The database keeps UTC, where the calendar's first and last days may not exist (1
        # January of the year 1, in a time zone east of UTC): refuse rather than fail to save.
        try:
            due_at.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("Choose a due date between the years 2 and 9998.") from None
        if due_at <= timezone.now():
            raise forms.ValidationError("Choose a due date that lies ahead: this one has passed.")
        return due_at

    def validate_unique(self) -> None:
        """Assigning a quiz that is set already changes its rules (Classroom.assign)."""


# ---- Access ----------------------------------------------------------------------------------


def sentence(text: str) -> str:
    """`text` ended with a full stop, unless a name at its end brings its own ("Carl W.")."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _get_classroom_for_user(request: HttpRequest, classroom_id: int) -> Classroom:
    """A class the user belongs to or teaches; any other class does not exist for them."""
    classrooms = Classroom.objects.visible_to(request.user).select_related("teacher")
    return get_object_or_404(classrooms, pk=classroom_id)


def _get_classroom_for_teacher(
    request: HttpRequest, classroom_id: int, *, using: str = "default"
) -> Classroom:
    """A class the user teaches; another teacher's class does not exist for them. `using`:
    the database it and its related rows are read from (dashboard_db() for a dashboard)."""
    classrooms = Classroom.objects.using(using).taught_by(request.user)
    return get_object_or_404(classrooms, pk=classroom_id)


def _require_teacher(request: HttpRequest) -> None:
    if not request.user.is_teacher:
        raise PermissionDenied("Only teachers can create classes.")


# ---- Students (and teachers) -----------------------------------------------------------------


@require_GET
@login_required
def my_classes(request: HttpRequest) -> HttpResponse:
    taught = Classroom.objects.none()
    if request.user.is_teacher:
        taught = Classroom.objects.taught_by(request.user).with_student_counts()
    joined = Classroom.objects.with_member(request.user).select_related("teacher")
    return render(request, "quizzes/class_list.html", {"taught": taught, "joined": joined})


# Codes are 8 of 23 characters: guessing one of a school's classes takes billions of tries,
# so a pause once a student has typed more than 10 wrong codes in an hour keeps a script from
# trying them all, and never stops a student who mistypes a few. The address has a budget too,
# or each new account would bring 10 more tries: past WRONG_JOIN_CODES_PER_ADDRESS an hour,
# everyone there waits.
WRONG_JOIN_CODES = [
    {"group": "join-class", "key": "user", "rate": "10/h"},
    {
        "group": "join-class-address",
        "key": "ip",
        "rate": signin.hourly("WRONG_JOIN_CODES_PER_ADDRESS"),
    },
]


def _wrong_join_codes(request: HttpRequest, *, increment: bool) -> bool:
    """Whether this student, or their address, has used up its wrong codes (and count one)."""
    limited = [is_ratelimited(request, **limit, increment=increment) for limit in WRONG_JOIN_CODES]
    return any(limited)


@require_http_methods(["GET", "POST"])
@login_required
def join_class(request: HttpRequest) -> HttpResponse:
    form = JoinForm(posted(request), initial={"code": request.GET.get("code", "")})
    if request.method == "POST":
        if _wrong_join_codes(request, increment=False):
            context = {"form": JoinForm(), "too_many_tries": True}
            return render(request, "quizzes/class_join.html", context, status=429)
        if form.is_valid():
            return _join(request, form.classroom)
        _wrong_join_codes(request, increment=True)  # count the wrong code
    status = 400 if form.errors else 200
    return render(request, "quizzes/class_join.html", {"form": form}, status=status)


def _join(request: HttpRequest, classroom: Classroom) -> HttpResponse:
    if classroom.is_taught_by(request.user):
        messages.info(request, sentence(f"You teach {classroom.name}"))
    elif classroom.add_student(request.user):
        messages.success(request, sentence(f"You joined {classroom.name}"))
    else:
        messages.info(request, sentence(f"You are already in {classroom.name}"))
    return redirect(classroom)


@require_POST
@login_required
def leaderboard_privacy(request: HttpRequest) -> HttpResponse:
    """Appear to classmates by display name, or as "Anonymous student"."""
    request.user.anonymous_on_leaderboards = request.POST.get("anonymous") == "1"
    request.user.save(update_fields=["anonymous_on_leaderboards"])
    if request.user.anonymous_on_leaderboards:
        messages.success(request, "Classmates now see you as “Anonymous student”.")
    else:
        name = request.user.display_name or NO_NAME
        messages.success(request, sentence(f"Classmates now see you as {name}"))
    return redirect("quizzes:classes")


def _board(key: str, assignments: list[Assignment]) -> Board:
    if key == "week":
        return Board.this_week(timezone.now(), timezone.get_default_timezone())
    if key == "all":
        return Board.all_time()
    for assignment in assignments:
        if key == f"quiz-{assignment.quiz_id}":
            quiz = assignment.quiz
            return Board.for_quiz(quiz.pk, quiz.title, assignment.bank_ids)
    raise Http404("No such leaderboard")


@require_GET
@login_required
@vary_on_headers("HX-Request")
def classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """A class and one of its boards. Polled by HTMX for the board's table alone, which is
    answered 204 (nothing to swap) while what the viewer would see is unchanged."""
    try:
        classroom = _get_classroom_for_user(request, classroom_id)
    except Http404:
        if not request.htmx:
            raise
        # A board left open after its student left or was removed: still 404, but the page
        # reloads (into the 404 page) rather than polling, and failing, every few seconds.
        return HttpResponseNotFound(headers={"HX-Refresh": "true"})
    key = request.GET.get("board", "week")
    # The tabs and a quiz's board need the assignments; the polled week or all-time table not.
    needs_assignments = not request.htmx or key.startswith("quiz-")
    assignments = classroom.assignments_with_banks() if needs_assignments else []
    board = _board(key, assignments)
    view = leaderboards.class_board(classroom, board, viewer=request.user)
    if request.htmx and request.GET.get("since") == view.fingerprint:
        return HttpResponse(status=204)
    context = {
        **_live_game(request, classroom),
        "classroom": classroom,
        "board": board,
        "view": view,
        "assignments": assignments,
        "teaches_it": classroom.is_taught_by(request.user),
        "poll_url": f"{classroom.get_absolute_url()}?board={board.key}&since={view.fingerprint}",
        "poll_seconds": settings.LEADERBOARD_POLL_SECONDS,
    }
    template = "quizzes/classroom.html"
    if request.htmx:
        template += "#leaderboard-table"
    return render(request, template, context)


def _live_game(request: HttpRequest, classroom: Classroom) -> dict[str, Any]:
    """The class's live game while it plays (issue 22): its students join it, its teacher
    opens its host screen or starts one. Not for the board's polls."""
    if request.htmx:
        return {}
    game = LiveGame.objects.unfinished().filter(classroom=classroom).select_related("quiz")
    context: dict[str, Any] = {"live_games": list(game[:1])}
    if classroom.is_taught_by(request.user) and not context["live_games"]:
        context["live_form"] = live.StartForm(request.user)
    return context


# ---- Teachers --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def create_class(request: HttpRequest) -> HttpResponse:
    _require_teacher(request)
    form = ClassroomForm(posted(request))
    if request.method == "POST" and form.is_valid():
        classroom = form.save(commit=False)
        classroom.teacher = request.user
        classroom.save()
        messages.success(request, f"Class created. Its code is {classroom.spaced_join_code}.")
        return redirect("quizzes:manage_class", classroom.pk)
    status = 400 if form.errors else 200
    return render(request, "quizzes/teacher_class_form.html", {"form": form}, status=status)


def _render_manage(
    request: HttpRequest, classroom: Classroom, form: AssignForm, status: int = 200
) -> HttpResponse:
    context = {
        "classroom": classroom,
        "memberships": classroom.memberships.select_related("student").order_by(
            "student__display_name", "student__username"
        ),
        "assignments": classroom.assignments.soonest_first().select_related("quiz"),
        "form": form,
        "join_url": request.build_absolute_uri(
            f"{reverse('quizzes:join_class')}?code={classroom.join_code}"
        ),
    }
    return render(request, "quizzes/teacher_class.html", context, status=status)


@require_GET
@login_required
def manage_class(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, classroom_id)
    return _render_manage(request, classroom, AssignForm(teacher=request.user))


@require_http_methods(["GET", "POST"])
@login_required
def regenerate_code(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """GET asks to confirm (the code on the board stops working); POST makes the new one."""
    classroom = _get_classroom_for_teacher(request, classroom_id)
    if request.method == "GET":
        return render(request, "quizzes/teacher_confirm_code.html", {"classroom": classroom})
    code = classroom.regenerate_join_code()
    messages.success(
        request, f"The new code is {code[:4]} {code[4:]}. The old one no longer works."
    )
    return redirect("quizzes:manage_class", classroom.pk)


def _get_student_for_teacher(
    request: HttpRequest, classroom_id: int, student_id: int
) -> tuple[Classroom, User]:
    """A class the user teaches and one of its students; anyone else's does not exist."""
    classroom = _get_classroom_for_teacher(request, classroom_id)
    student = get_object_or_404(
        User.objects.filter(memberships__classroom=classroom), pk=student_id
    )
    return classroom, student


@require_http_methods(["GET", "POST"])
@login_required
def remove_student(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes. Their answers and points stay theirs."""
    classroom, student = _get_student_for_teacher(request, classroom_id, student_id)
    if request.method == "POST":
        classroom.remove_student(student.pk)
        cards.turn_off_link(student)  # its teacher could no longer turn it off

        messages.success(request, sentence(f"{student} is no longer in {classroom.name}"))
        return redirect("quizzes:manage_class", classroom.pk)
    context = {"classroom": classroom, "student": student}
    return render(request, "quizzes/teacher_remove_student.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unlock_student(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """GET asks to confirm; POST forgets the student's wrong passwords, from every address,
    so a lockout (theirs, or one a classmate caused) ends at once."""
    classroom, student = _get_student_for_teacher(request, classroom_id, student_id)
    if request.method == "POST":
        signin.unlock(student.username)
        messages.success(request, f"{student} can log in again now.")
        return redirect("quizzes:manage_class", classroom.pk)
    context = {"classroom": classroom, "student": student}
    return render(request, "quizzes/teacher_unlock_student.html", context)


@require_POST
@login_required
def assign_quiz(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, classroom_id)
    form = AssignForm(request.POST, teacher=request.user)
    if not form.is_valid():
        return _render_manage(request, classroom, form, status=400)
    rules = dict(form.cleaned_data)
    quiz = rules.pop("quiz")
    classroom.assign(quiz, **rules)
    messages.success(request, sentence(f"{quiz.title} is assigned to {classroom.name}"))
    return redirect("quizzes:manage_class", classroom.pk)


@require_http_methods(["GET", "POST"])
@login_required
def unassign_quiz(request: HttpRequest, classroom_id: int, assignment_id: int) -> HttpResponse:
    """GET asks to confirm, saying how many attempts it had; POST unassigns. The attempts
    stay the students' own."""
    classroom = _get_classroom_for_teacher(request, classroom_id)
    assignment = get_object_or_404(classroom.assignments.select_related("quiz"), pk=assignment_id)
    if request.method == "GET":
        context = {
            "classroom": classroom,
            "assignment": assignment,
            "attempt_count": assignment.attempts.count(),
        }
        return render(request, "quizzes/teacher_confirm_unassign.html", context)
    assignment.delete()
    messages.success(request, f"{assignment.quiz.title} is no longer assigned.")
    return redirect("quizzes:manage_class", classroom.pk)


@require_GET
@login_required
def gradebook(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, classroom_id, using=dashboard_db())
    book = classroom.gradebook(timezone.now())
    return render(
        request, "quizzes/teacher_gradebook.html", {"classroom": classroom, "gradebook": book}
    )


@require_GET
@login_required
def gradebook_csv(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The gradebook as a spreadsheet: one row per student, four columns per assigned quiz
    (the score that counts, completed, when, late), and the class average last."""
    classroom = _get_classroom_for_teacher(request, classroom_id, using=dashboard_db())
    book = classroom.gradebook(timezone.now())
    filename = f"gradebook-{slugify(classroom.name) or classroom.pk}.csv"
    header = ["Student", "Username"]
    for assignment in book.assignments:
        title = assignment.quiz.title
        header += [f"{title}: %", f"{title}: completed", f"{title}: completed on", f"{title}: late"]
    rows = [header]
    for student, _name, cells in book.rows:
        row = [student.display_name, student.username]
        for cell in cells:
            when = timezone.localtime(cell.completed_at) if cell.completed_at else None
            row += [
                "" if cell.percent is None else str(cell.percent),
                "yes" if cell.completed else "no",
                when.strftime("%Y-%m-%d %H:%M") if when else "",
                "yes" if cell.is_late else "no",
            ]
        rows.append(row)
    average = ["Class average", ""]
    for percent in book.averages():
        average += ["" if percent is None else str(percent), "", "", ""]
    rows.append(average)
    return csv_download(filename, rows)
