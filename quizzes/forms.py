"""Forms: a student's answer to one question, and sign-up.

An answer form shows the options in the attempt's shuffled order and names them by their place
in that order (0, 1, 2, ...), never by database id, so the markup gives nothing away about
which option is right. `AnswerForm.answer()` turns the posted places back into the stored shape:

    single choice, true/false  {"choice": choice_id}
    multiple choice            {"choices": [choice_id, ...]}
    short answer               {"text": "..."}
    numeric                    {"text": "1,108", "value": "1108"}
    ordering                   {"order": [choice_id, ...]}  (the student's order)
    matching                   {"pairs": {"left_choice_id": partner_choice_id}}
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.http import HttpRequest, QueryDict

from quizzes import grading
from quizzes.grading import QuestionType
from quizzes.models import Choice, Question, User
from quizzes.names import pretends_role

MAX_TEXT_ANSWER = 200
# Digits before the point: far beyond any answer a question stores (20 digits), and small
# enough that grading's arithmetic stays inside Decimal's range ("1e999999999" overflowed).
MAX_NUMBER_DIGITS = 100


class AnswerForm(forms.Form):
    def __init__(self, question: Question, seed: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.type = QuestionType(question.type)
        if self.type == QuestionType.MATCHING:
            self.items: list[Choice] = question.shuffled(seed, question.left_items(), "left")
            self.partners: list[Choice] = question.shuffled(
                seed, question.sorted_choices(), "right"
            )
        else:
            self.items = question.shuffled(seed, question.sorted_choices())
            self.partners = []
        self._add_fields()

    def _add_fields(self) -> None:
        options = [(str(i), c.text) for i, c in enumerate(self.items)]
        match self.type:
            case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
                self.fields["choice"] = forms.ChoiceField(
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose an answer.",
                        "invalid_choice": "Choose one of the answers shown.",
                    },
                )
            case QuestionType.MULTIPLE_CHOICE:
                self.fields["choice"] = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={
                        "required": "Choose at least one answer.",
                        "invalid_choice": "Choose among the answers shown.",
                    },
                )
            case QuestionType.SHORT_ANSWER | QuestionType.NUMERIC:
                self.fields["answer"] = forms.CharField(
                    label="Your answer",
                    max_length=MAX_TEXT_ANSWER,
                    error_messages={
                        "required": "Type your answer.",
                        "max_length": "That answer is too long.",
                    },
                )
            case QuestionType.ORDERING:
                places = [(str(n), str(n)) for n in range(1, len(self.items) + 1)]
                self._add_selects(
                    "position_",
                    places,
                    required="Give every event a position.",
                    invalid="Choose a position from the list.",
                )
            case QuestionType.MATCHING:
                partners = [(str(j), c.match_text) for j, c in enumerate(self.partners)]
                self._add_selects(
                    "match_",
                    partners,
                    required="Choose a match for every item.",
                    invalid="Choose a match from the list.",
                )

    def _add_selects(
        self, prefix: str, choices: list[tuple[str, str]], *, required: str, invalid: str
    ) -> None:
        """Ordering and matching: a select beside each item, named by its place on screen."""
        choices = [("", "Choose…"), *choices]
        for i, item in enumerate(self.items):
            self.fields[f"{prefix}{i}"] = forms.ChoiceField(
                label=item.text,
                choices=choices,
                error_messages={"required": required, "invalid_choice": invalid},
            )

    def clean_answer(self) -> str:
        text = self.cleaned_data["answer"].strip()
        if not text:
            raise forms.ValidationError("Type your answer.")
        if self.type == QuestionType.NUMERIC:
            try:
                value = grading.parse_number(text)
            except ValueError:
                raise forms.ValidationError("Enter a number, such as 1,108.") from None
            if value.adjusted() >= MAX_NUMBER_DIGITS:
                raise forms.ValidationError("That number is too large.")
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.type == QuestionType.ORDERING and not self.errors:
            places = [cleaned[f"position_{i}"] for i in range(len(self.items))]
            if len(set(places)) != len(places):
                raise forms.ValidationError("Give each event a different position.")
        return cleaned

    def answer(self) -> dict[str, Any]:
        """The validated answer in the shape stored on a Response."""
        data = self.cleaned_data
        match self.type:
            case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
                return {"choice": self.items[int(data["choice"])].id}
            case QuestionType.MULTIPLE_CHOICE:
                return {"choices": sorted(self.items[int(i)].id for i in data["choice"])}
            case QuestionType.SHORT_ANSWER:
                return {"text": data["answer"]}
            case QuestionType.NUMERIC:
                return {"text": data["answer"], "value": str(grading.parse_number(data["answer"]))}
            case QuestionType.ORDERING:
                placed = sorted(range(len(self.items)), key=lambda i: int(data[f"position_{i}"]))
                return {"order": [self.items[i].id for i in placed]}
            case QuestionType.MATCHING:
                return {
                    "pairs": {
                        str(item.id): self.partners[int(data[f"match_{i}"])].id
                        for i, item in enumerate(self.items)
                    }
                }
        raise ValueError(self.type)

    @property
    def card_template(self) -> str:
        """This type's part of the question card: its inputs and their hint, side by side with
        the other types' in templates/quizzes/types/."""
        return f"quizzes/types/{self.type.value}.html#card"

    @property
    def messages(self) -> list[str]:
        """Every error once, in a form's order: one "Give every event a position" is enough."""
        seen: dict[str, None] = {}
        for errors in self.errors.values():
            seen.update(dict.fromkeys(errors))
        return list(seen)

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        """Single and multiple choice, true/false: (value, label, checked) for each option in
        the attempt's order. The card writes these inputs itself: rendering them through
        Django's widget templates took a third of the question page's time."""
        chosen = self["choice"].value() if self.is_bound else None
        chosen = {chosen} if isinstance(chosen, str) else set(chosen or ())
        return [(str(i), c.text, str(i) in chosen) for i, c in enumerate(self.items)]

    @property
    def option_fields(self) -> list[forms.BoundField]:
        """The per-item select fields of ordering and matching questions, in display order."""
        prefix = "position_" if self.type == QuestionType.ORDERING else "match_"
        return [self[name] for name in self.fields if name.startswith(prefix)]


class FocusFirstError:
    """A form sent back with errors puts the cursor in its first field in error, not in the
    field Django's form focuses (the username, the old password), which may well be right."""

    def full_clean(self) -> None:
        super().full_clean()
        wrong = next((name for name in self.fields if name in self.errors), None)
        if wrong:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[wrong].widget.attrs["autofocus"] = True


class SignupForm(FocusFirstError, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name")
        help_texts = {"username": "Letters, digits and @/./+/-/_ only. You log in with it."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if pretends_role(name):
            raise forms.ValidationError("Use your own name, without a role in brackets.")
        return name


class PasswordChangeForm(FocusFirstError, auth_forms.PasswordChangeForm):
    """Django's: the old password, and the new one twice."""


class SetPasswordForm(FocusFirstError, auth_forms.SetPasswordForm):
    """A first password of one's own, for an account a teacher made (no old one to type)."""


class LoginForm(AuthenticationForm):
    keep_signed_in = forms.BooleanField(
        label="Keep me signed in on this device",
        required=False,
        help_text="For 14 days. Leave it unticked on a computer others use.",
    )


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: the POST's, even when empty (an empty post is a form with errors, 400;
    `request.POST or None` would show it the blank form, as to a GET)."""
    return request.POST if request.method == "POST" else None
