"""Signing up: a new student is signed in at once, and a bad or empty form is a 400 with its
errors, never a blank form."""

import pytest

from quizzes import auth
from quizzes.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SIGNUP = "/accounts/signup/"
NEW = {
    "username": "newcomer",
    "display_name": "New Comer",
    "password1": "a-long-secret-123",
    "password2": "a-long-secret-123",
}


def test_a_new_student_is_signed_in_at_once(client):
    response = client.post(SIGNUP, NEW)
    assert response.status_code == 302 and response.url == "/"
    user = User.objects.get(username="newcomer")
    assert user.display_name == "New Comer" and not user.is_staff
    assert client.session["_auth_user_backend"] == auth.BACKEND
    assert "Signed in as" in client.get("/").content.decode()


def test_an_empty_post_is_a_form_error(client):
    response = client.post(SIGNUP)
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not User.objects.exists()


def test_a_taken_username_is_a_form_error(client):
    UserFactory(username="newcomer")
    response = client.post(SIGNUP, NEW)
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert User.objects.filter(username="newcomer").count() == 1
