"""Signing up, logging in (with "Keep me signed in on this device"), signing in with a login
card's link, and changing a password.

Throttling and session limits are in quizzes/signin.py; login cards in quizzes/models/cards.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage, is_ratelimited

from quizzes import auth, signin
from quizzes.forms import LoginForm, PasswordChangeForm, SetPasswordForm, SignupForm, posted
from quizzes.models.cards import LoginCard, chose_own_password

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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, with two additions for login cards: an account without a password of its own
    (made by a teacher, signed in with a one-time password or a card's link) sets one without
    an old one to type; and after a one-time password, the student comes here first
    (quizzes.signin.password_choice_required) and goes on to the page they asked for."""

    def get_form_class(self) -> type:
        return PasswordChangeForm if self.request.user.has_usable_password() else SetPasswordForm

    def get_success_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()})
        return target if target and safe else super().get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["first_password"] = self.request.session.get(signin.MUST_CHOOSE_PASSWORD, False)
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves, keeps this session signed in
        chose_own_password(self.request.user)
        if self.request.session.pop(signin.MUST_CHOOSE_PASSWORD, False):
            messages.success(self.request, "Your password is set. Use it from now on.")
        return response


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view()


# ---- Sign-in links (login cards) ---------------------------------------------------------------

# Links that match no card, from one address: a whole school shares one, so the limit is loose;
# a link scanned from a card always matches, and nobody guesses 256 bits (README, "Login cards").
WRONG_LINKS = {
    "group": "signin-link",
    "key": "ip",
    "rate": signin.hourly("WRONG_SIGNIN_LINKS_PER_ADDRESS"),
}


def _too_many_wrong_links(request: HttpRequest) -> bool:
    usage = get_usage(request, **WRONG_LINKS)  # None when limits are off
    return usage is not None and usage["count"] >= usage["limit"]


def _card_of(request: HttpRequest, token: str) -> LoginCard | None:
    """The card of a link's token; a wrong token counts against the address."""
    card = LoginCard.objects.with_link(token)
    if card is None:
        is_ratelimited(request, **WRONG_LINKS, increment=True)
    return card


def _dead_link(request: HttpRequest, status: int = 404) -> HttpResponse:
    return render(request, "registration/signin_link.html", {"card": None}, status=status)


@require_GET
@never_cache
def signin_link(request: HttpRequest, token: str) -> HttpResponse:
    """A login card's link (its QR code): "Sign in as Alice?" and a button. Opening it signs
    nobody in: a link preview, a prefetch or another site's <img> must not switch the session
    (a GET is not a sign-in); the button posts the token to `signin_with_link`."""
    if _too_many_wrong_links(request):
        return _dead_link(request, status=429)
    card = _card_of(request, token)
    if card is None:
        return _dead_link(request)
    if request.user.is_authenticated and request.user.pk == card.user_id:
        return redirect("quizzes:home")
    # The token is in this page's address: the site's Referrer-Policy (same-origin) keeps it
    # from other sites ("no-referrer" would make the button's post Origin: null, refused).
    return render(request, "registration/signin_link.html", {"card": card, "token": token})


@require_POST
@sensitive_post_parameters("token")
def signin_with_link(request: HttpRequest) -> HttpResponse:
    """Signs in the card's student, through the same machinery as the login form: django-axes
    checks that username's lockout, the session gets its limits and the browser its device
    cookie (quizzes.signin). No password hashing: the token is found by its SHA-256. The token
    comes in the form's body, so that no log (axes', the server's) records it in an address."""
    if _too_many_wrong_links(request):
        return _dead_link(request, status=429)
    token = request.POST.get("token", "")
    card = _card_of(request, token) if token else None
    if card is None:
        return _dead_link(request)
    user = authenticate(request, username=card.user.username, card_token=token)
    if user is None:  # locked out (AxesMiddleware shows why), or turned off meanwhile
        return _dead_link(request, status=403)
    login(request, user)
    request.session.pop(signin.MUST_CHOOSE_PASSWORD, None)  # the card is the student's key
    if request.POST.get("keep_signed_in"):
        signin.keep_signed_in(request)
    messages.success(request, f"Hello, {user}.")
    return redirect("quizzes:home")
