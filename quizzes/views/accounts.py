from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from quizzes import auth
from quizzes.forms import SignupForm, posted


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quizzes:home")
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=auth.BACKEND)
        return redirect("quizzes:home")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)
