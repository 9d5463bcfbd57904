"""Signing up, logging in (with "Keep me signed in on this device") and changing a password.

Throttling and session limits are in quizzes/signin.py."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage, is_ratelimited

from quizzes import auth, signin
from quizzes.forms import LoginForm, SignupForm, posted

# Accounts made from one address: a class signing up in one lesson, and not a script making
# hundreds (each with its own budget of wrong join codes).
SIGNUPS = {"group": "signup", "key": "ip", "rate": signin.hourly("SIGNUPS_PER_ADDRESS")}


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quizzes:home")
    form = SignupForm(posted(request))
    if request.method == "POST":
        usage = get_usage(request, **SIGNUPS)  # None when limits are off
        if usage is not None and usage["count"] >= usage["limit"]:
            context = {"form": SignupForm(), "too_many_signups": True}
            return render(request, "registration/signup.html", context, status=429)
        if form.is_valid():
            user = form.save()
            is_ratelimited(request, **SIGNUPS, increment=True)  # count the new account
            login(request, user, backend=auth.BACKEND)
            return redirect("quizzes:home")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.cleaned_data["keep_signed_in"]:
            signin.keep_signed_in(self.request)
        return response


# Django's own views with our templates (registration/password_change_*.html). A password
# change at first sign-in can later send a user here (with ?next=) before anything else.
password_change = auth_views.PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view()
