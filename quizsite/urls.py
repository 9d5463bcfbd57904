from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from quizzes.views import accounts, media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/password/done/", accounts.password_change_done, name="password_change_done"),
    # Login cards' sign-in links: the page that asks, then the post that signs in.
    path("accounts/card/", accounts.signin_with_link, name="signin_with_link"),
    path("accounts/card/<str:token>/", accounts.signin_link, name="signin_link"),
    path("", include("quizzes.urls")),
]
if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # The pictures on the local storage, when no proxy serves them first (README, "Pictures").
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.lstrip('/')}questions/<str:name>", media.media, name="media")
    )

handler400 = "quizzes.views.errors.bad_request"
handler500 = "quizzes.views.errors.server_error"
