from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from quizzes.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("", include("quizzes.urls")),
]

if settings.BENCHMARK_ENDPOINTS:  # bench/load.py's bare endpoints; off unless asked for
    urlpatterns.insert(0, path("bench/", include("quizzes.urls_bench")))

handler400 = "quizzes.views.errors.bad_request"
handler500 = "quizzes.views.errors.server_error"
