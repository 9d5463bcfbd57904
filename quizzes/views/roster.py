"""A teacher's accounts for a class: students added from a list of names, their login cards
(printed once: the database keeps only digests of what a card carries), a new card, a password
reset and a sign-in link turned off. Login cards themselves: quizzes/models/cards.py.

Only the class's own teacher, only its students, and never a staff account: anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes import signin
from quizzes.forms import posted
from quizzes.models import Classroom, LoginCard, User
from quizzes.models.cards import enrol, print_new_card, reset_password, turn_off_link
from quizzes.roster import MAX_ROSTER_BYTES, Card, RosterError, names_from_csv, names_from_text
from quizzes.views.classes import (
    _get_classroom_for_teacher,
    _get_student_for_teacher,
    sentence,
)


class RosterForm(forms.Form):
    names = forms.CharField(
        label="Names, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "autocapitalize": "words", "spellcheck": "false"}),
        help_text="Paste them from a spreadsheet or a class list: “Alice Smith” or “Smith, Alice”.",
    )
    file = forms.FileField(
        label="Or a CSV file",
        required=False,
        help_text="Its first line names the columns: one called “name”, or “first name” and "
        "“last name”. Other columns are left alone.",
    )
    links = forms.BooleanField(
        label="Put a sign-in link and its QR code on each card",
        required=False,
        initial=True,
        help_text="A student scans it (or opens it) and presses one button to sign in, with "
        "no password to type. It works until you turn it off or print a new card.",
    )
    same_names = forms.BooleanField(
        label="Yes, add them: they are other students with the same names",
        required=False,
    )

    def __init__(self, classroom: Classroom, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        self.names_read: list[str] = []
        self.already_in: list[str] = []
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text, upload = data.get("names", "").strip(), data.get("file")
        if bool(text) == bool(upload):
            raise forms.ValidationError("Paste the names, or choose a CSV file: one of the two.")
        try:
            if upload:
                raw = upload.read(MAX_ROSTER_BYTES + 1)
                if len(raw) > MAX_ROSTER_BYTES:
                    raise RosterError(0, "The file is larger than 1 MB: is it the class list?")
                self.names_read = names_from_csv(raw)
            else:
                self.names_read = names_from_text(text)
        except RosterError as error:
            raise forms.ValidationError(f"Nothing was added. {error}") from None
        members = self.classroom.students.values_list("display_name", flat=True)
        present = {name.casefold() for name in members}
        self.already_in = sorted({n for n in self.names_read if n.casefold() in present})
        if self.already_in and not data.get("same_names"):
            self.add_error(
                "same_names",
                "Already in this class: "
                + ", ".join(self.already_in[:10])
                + (" and more" if len(self.already_in) > 10 else "")
                + ". Tick the box to add them as well, or take them out of the list.",
            )
        return data


def _render_cards(
    request: HttpRequest, classroom: Classroom, cards: list[Card], heading: str
) -> HttpResponse:
    """The login cards, shown this once (nothing here can be shown again): one page of cards
    to print and cut out (static/css/login-cards.css)."""
    printed = [
        (card, request.build_absolute_uri(reverse("signin_link", args=[card.token])))
        if card.token
        else (card, "")
        for card in cards
    ]
    context = {
        "classroom": classroom,
        "cards": printed,
        "heading": heading,
        "site": request.get_host(),  # "quiz.example.org": its home page has "Log in"
    }
    return render(request, "quizzes/login_cards.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def add_students(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """GET: the form; POST: the accounts, all or none, and their cards to print at once."""
    classroom = _get_classroom_for_teacher(request, classroom_id)
    form = RosterForm(classroom, posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cards = enrol(
            classroom, form.names_read, teacher=request.user, link=form.cleaned_data["links"]
        )
        count = f"{len(cards)} student{'s' if len(cards) != 1 else ''}"
        return _render_cards(request, classroom, cards, f"Login cards: {count} added")
    context = {"classroom": classroom, "form": form}
    return render(
        request, "quizzes/teacher_add_students.html", context, status=400 if form.errors else 200
    )


def _get_account_for_teacher(
    request: HttpRequest, classroom_id: int, student_id: int
) -> tuple[Classroom, User]:
    """A student of a class the user teaches, whose account a teacher may manage: never a staff
    account (a teacher who joined the class), which no card may sign in."""
    classroom, student = _get_student_for_teacher(request, classroom_id, student_id)
    if student.is_staff or student.is_superuser:
        raise Http404("No such student")
    return classroom, student


@require_GET
@login_required
def student_login(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """How a student signs in, and the teacher's three actions on it, each a confirmed POST."""
    classroom, student = _get_account_for_teacher(request, classroom_id, student_id)
    card = LoginCard.objects.filter(user=student).first()
    context = {
        "classroom": classroom,
        "student": student,
        "card": card,
        "has_link": card is not None and card.link_digest is not None,
        "own_password": student.has_usable_password(),
    }
    return render(request, "quizzes/teacher_student_login.html", context)


@require_POST
@login_required
def reset_student_password(
    request: HttpRequest, classroom_id: int, student_id: int
) -> HttpResponse:
    """A new one-time password, shown once on a card; the old password stops working, and any
    lockout of the account is lifted."""
    classroom, student = _get_account_for_teacher(request, classroom_id, student_id)
    card = reset_password(student, teacher=request.user)
    signin.unlock(student.username)
    return _render_cards(request, classroom, [card], f"New password for {student}")


@require_POST
@login_required
def new_login_card(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """A new card: a new sign-in link (the old card's stops working) and, while the student has
    no password of their own, a new one-time password."""
    classroom, student = _get_account_for_teacher(request, classroom_id, student_id)
    card = print_new_card(student, teacher=request.user)
    return _render_cards(request, classroom, [card], f"New login card for {student}")


@require_POST
@login_required
def turn_off_signin_link(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    classroom, student = _get_account_for_teacher(request, classroom_id, student_id)
    if turn_off_link(student):
        messages.success(request, sentence(f"The sign-in link of {student} no longer works"))
    else:
        messages.info(request, sentence(f"{student} has no sign-in link"))
    return redirect("quizzes:student_login", classroom.pk, student.pk)
