"""Accounts as schools have them (issue 20, point 4): a teacher adds students from a list of
names and prints their login cards; a card's one-time password leads to choosing a password;
a card's sign-in link signs in its own student, through the login form's throttling, and never a
teacher; a teacher resets a password, prints a new card or turns a link off."""

import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import signin
from quizzes.models import LoginCard, Membership, User
from quizzes.models.cards import print_new_card
from quizzes.roster import link_digest
from tests.conftest import HTMX
from tests.factories import ClassroomFactory, MembershipFactory, TeacherFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a long new password 42"


@pytest.fixture
def classroom(tess):
    return ClassroomFactory(teacher=tess, name="Year 7 History")


def add(client, classroom, names="", **data):
    url = reverse("quizzes:add_students", args=[classroom.pk])
    return client.post(url, {"names": names, "links": "on", **data})


def cards_of(response) -> list[tuple[str, str, str]]:
    """(username, one-time password, sign-in path) of each card on the page, in order."""
    page = response.content.decode()
    cards = re.findall(r'<li class="login-card.*?</li>', page, re.S)
    found = []
    for card in cards:
        username = re.search(r"<dt>Username</dt><dd><code>([^<]+)</code>", card).group(1)
        password = re.search(r"<dt>Password</dt><dd>(?:<code>([^<]+)</code>)?", card).group(1)
        link = re.search(r'href="http://testserver(/accounts/card/[^"]+/)"', card)
        found.append((username, password or "", link.group(1) if link else ""))
    return found


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def signed_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


# ---- Adding students from a list -------------------------------------------------------------


def test_a_teacher_pastes_names_and_gets_accounts_and_cards_to_print(logged_in, classroom):
    response = add(logged_in, classroom, "Alice Smith\nBob Jones\nAlice Smith\n")
    assert response.status_code == 200
    cards = cards_of(response)
    assert [c[0] for c in cards] == ["alice.s", "bob.j", "alice.s2"]
    assert all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", c[1]) for c in cards)
    page = response.content.decode()
    assert page.count('<svg width="') == 3  # a QR code on each card
    assert "/static/css/login-cards.css" in page and "Print these cards now" in page
    students = User.objects.filter(memberships__classroom=classroom).order_by("pk")
    assert [s.display_name for s in students] == ["Alice Smith", "Bob Jones", "Alice Smith"]
    for student, (username, password, path) in zip(students, cards, strict=True):
        assert student.username == username and student.must_change_password
        assert not student.has_usable_password() and student.email == ""
        stored = LoginCard.objects.get(user=student)
        assert stored.link_digest == link_digest(token_of(path))  # the digest, never the token
        assert password not in stored.password_digest and stored.accepts_password(password)


def test_a_csv_class_list_works_and_cards_can_go_without_links(logged_in, classroom):
    url = reverse("quizzes:add_students", args=[classroom.pk])
    with open_csv(b"First name,Last name,Form\nAlice,Smith,7A\nBob,Jones,7B\n") as upload:
        response = logged_in.post(url, {"file": upload})
    assert [c[0] for c in cards_of(response)] == ["alice.s", "bob.j"]
    assert all(c[2] == "" for c in cards_of(response)) and "<svg" not in response.content.decode()
    assert not LoginCard.objects.filter(link_digest__isnull=False).exists()


def open_csv(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    class Upload:
        def __enter__(self):
            return SimpleUploadedFile("class.csv", data, content_type="text/csv")

        def __exit__(self, *args):
            return False

    return Upload()


def test_a_malformed_list_imports_nothing_and_says_which_line(logged_in, classroom):
    response = add(logged_in, classroom, "Alice Smith\nBob Jones\nEve (teacher)\nDan\n")
    assert response.status_code == 400
    assert "Nothing was added. Line 3:" in response.content.decode()
    url = reverse("quizzes:add_students", args=[classroom.pk])
    with open_csv(b"name,year\nAlice,7\nBob\n") as upload:
        response = logged_in.post(url, {"file": upload})
    assert response.status_code == 400 and "Line 3:" in response.content.decode()
    assert User.objects.count() == 1 and not Membership.objects.exists()  # the teacher alone


def test_names_or_a_file_one_of_the_two(logged_in, classroom):
    assert "one of the two" in add(logged_in, classroom, "").content.decode()
    url = reverse("quizzes:add_students", args=[classroom.pk])
    with open_csv(b"name\nAlice\n") as upload:
        response = logged_in.post(url, {"file": upload, "names": "Bob"})
    assert response.status_code == 400 and "one of the two" in response.content.decode()


def test_names_already_in_the_class_need_a_tick(logged_in, classroom):
    add(logged_in, classroom, "Alice Smith")
    response = add(logged_in, classroom, "Alice Smith\nBob Jones")
    assert response.status_code == 400
    assert "Already in this class: Alice Smith." in response.content.decode()
    response = add(logged_in, classroom, "Alice Smith\nBob Jones", same_names="on")
    assert [c[0] for c in cards_of(response)] == ["alice.s2", "bob.j"]


def test_usernames_never_look_like_existing_ones(logged_in, classroom):
    User.objects.create_user("Alice.S", display_name="Someone")  # a skeleton of "alice.s"
    assert [c[0] for c in cards_of(add(logged_in, classroom, "Alice Smith"))] == ["alice.s2"]


def test_a_roster_of_1000_names_is_a_few_bulk_statements(logged_in, classroom):
    names = "\n".join(f"Pupil {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}" for n in range(1000))
    with CaptureQueriesContext(connection) as queries:
        response = add(logged_in, classroom, names, links="")
    assert response.status_code == 200 and len(cards_of(response)) == 1000
    assert classroom.memberships.count() == 1000 and LoginCard.objects.count() == 1000
    # Inserts in batches (SQLite takes 999 parameters a statement; PostgreSQL one statement
    # a table), and the reads do not grow with the list.
    reads = [q["sql"] for q in queries if not q["sql"].startswith("INSERT")]
    assert len(reads) < 15, reads
    assert len(queries) < 60


def test_the_roster_page_takes_a_class_list_file_up_to_its_limit(logged_in, classroom):
    from quizzes.middleware import body_limit

    class Request:
        path_info = reverse("quizzes:add_students", args=[classroom.pk])

    assert body_limit(Request()) >= 1024 * 1024


# ---- One-time passwords ----------------------------------------------------------------------


def made(client, classroom, names="Alice Smith") -> list[tuple[str, str, str]]:
    cards = cards_of(add(client, classroom, names))
    client.logout()
    return cards


def test_a_one_time_password_leads_to_choosing_a_password_first(logged_in, classroom):
    [(username, password, _)] = made(logged_in, classroom)
    assert logged_in.post(reverse("login"), {"username": username, "password": password}).url == "/"
    response = logged_in.get(reverse("quizzes:progress"))
    assert response.status_code == 302
    assert response.url == f"{reverse('password_change')}?next=%2Fprogress%2F"
    htmx = logged_in.get(reverse("quizzes:classes"), **HTMX)
    assert htmx["HX-Redirect"].startswith(reverse("password_change"))
    page = logged_in.get(response.url).content.decode()
    assert "Choose your password" in page and "old_password" not in page
    response = logged_in.post(
        reverse("password_change"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "next": "/progress/"},
    )
    assert response.url == "/progress/"
    assert logged_in.get("/progress/").status_code == 200
    student = User.objects.get(username=username)
    assert not student.must_change_password and student.check_password(NEW_PASSWORD)
    logged_in.logout()
    dead = logged_in.post(reverse("login"), {"username": username, "password": password})
    assert dead.status_code == 200  # the one-time password is dead
    ok = logged_in.post(reverse("login"), {"username": username, "password": NEW_PASSWORD})
    assert ok.status_code == 302


def test_a_one_time_password_is_typed_in_any_case_and_spacing(logged_in, classroom):
    [(username, password, _)] = made(logged_in, classroom)
    typed = f" {password.upper().replace('-', ' ')} "
    assert logged_in.post(reverse("login"), {"username": username, "password": typed}).url == "/"


def test_the_next_address_must_be_on_this_site(logged_in, classroom):
    [(username, password, _)] = made(logged_in, classroom)
    logged_in.post(reverse("login"), {"username": username, "password": password})
    response = logged_in.post(
        reverse("password_change"),
        {
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("password_change_done")


# ---- Sign-in links ---------------------------------------------------------------------------


def test_opening_a_link_asks_and_only_the_button_signs_in_its_own_student(logged_in, classroom):
    cards = made(logged_in, classroom, "Alice Smith\nBob Jones")
    alice = User.objects.get(username="alice.s")
    client = Client()
    page = client.get(cards[0][2])
    assert page.status_code == 200 and "Sign in as Alice Smith?" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert signed_in_as(client) is None  # a GET signs nobody in
    response = client.post(reverse("signin_with_link"), {"token": token_of(cards[0][2])})
    assert response.url == "/" and signed_in_as(client) == alice.pk
    # No password to choose: the card is the student's key (README, "Login cards").
    assert client.get(reverse("quizzes:progress")).status_code == 200
    # The log of sign-ins never holds the token.
    assert AccessLog.objects.get(username="alice.s").path_info == reverse("signin_with_link")


def test_a_link_signs_out_whoever_was_signed_in_on_that_device(logged_in, classroom):
    cards = made(logged_in, classroom, "Alice Smith\nBob Jones")
    client = Client()
    client.post(reverse("signin_with_link"), {"token": token_of(cards[1][2])})
    page = client.get(cards[0][2]).content.decode()
    assert "You are signed in as Bob Jones on this device" in page
    client.post(reverse("signin_with_link"), {"token": token_of(cards[0][2])})
    assert signed_in_as(client) == User.objects.get(username="alice.s").pk


def test_a_wrong_or_dead_link_signs_in_nobody(logged_in, classroom):
    [(_, _, path)] = made(logged_in, classroom)
    client = Client()
    assert client.get(path[:-5] + "xxxx/").status_code == 404
    response = client.post(reverse("signin_with_link"), {"token": token_of(path) + "x"})
    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert client.post(reverse("signin_with_link"), {}).status_code == 404
    assert signed_in_as(client) is None


def test_a_link_never_signs_in_a_teacher(tess, classroom):
    card = print_new_card(tess, teacher=tess)  # however a card came to be made for one
    client = Client()
    assert client.get(reverse("signin_link", args=[card.token])).status_code == 404
    assert client.post(reverse("signin_with_link"), {"token": card.token}).status_code == 404
    assert signed_in_as(client) is None


def test_a_link_waits_while_its_student_is_locked_out_like_the_login_form(logged_in, classroom):
    [(username, _, path)] = made(logged_in, classroom)
    stranger = Client()
    for _ in range(5):
        stranger.post(reverse("login"), {"username": username, "password": "wrong guess"})
    response = stranger.post(reverse("signin_with_link"), {"token": token_of(path)})
    assert response.status_code == 429 and "Too many tries" in response.content.decode()
    assert signed_in_as(stranger) is None
    signin.unlock(username)
    response = stranger.post(reverse("signin_with_link"), {"token": token_of(path)})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(post_data__contains=token_of(path)).exists()


def test_wrong_links_from_one_address_are_limited(join_limit, settings):
    settings.WRONG_SIGNIN_LINKS_PER_ADDRESS = 3
    client = Client()
    statuses = [client.get(f"/accounts/card/wrong{n}/").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.post(reverse("signin_with_link"), {"token": "x"}).status_code == 429


# ---- The teacher's actions -------------------------------------------------------------------


def test_a_teacher_resets_a_forgotten_password(client, tess, alice, classroom):
    MembershipFactory(classroom=classroom, student=alice)
    alices = Client()
    alices.force_login(alice)
    client.force_login(tess)
    page = client.get(reverse("quizzes:student_login", args=[classroom.pk, alice.pk]))
    assert "Reset password" in page.content.decode()
    response = client.post(reverse("quizzes:reset_student_password", args=[classroom.pk, alice.pk]))
    [(username, password, path)] = cards_of(response)
    assert username == "alice" and password and path == ""
    assert alices.get(reverse("quizzes:progress")).status_code == 302  # signed out elsewhere
    fresh = Client()
    assert (
        fresh.post(reverse("login"), {"username": "alice", "password": "quizsite-demo"}).status_code
        == 200
    )
    assert (
        fresh.post(reverse("login"), {"username": "alice", "password": password}).status_code == 302
    )
    assert fresh.get(reverse("quizzes:progress")).url.startswith(reverse("password_change"))


def test_a_new_card_kills_the_old_link_and_a_link_can_be_turned_off(logged_in, classroom):
    [(_, _, old)] = cards_of(add(logged_in, classroom, "Alice Smith"))
    alice = User.objects.get(username="alice.s")
    url = reverse("quizzes:new_login_card", args=[classroom.pk, alice.pk])
    [(_, password, new)] = cards_of(logged_in.post(url))
    assert new and new != old and password  # no password of her own yet: a new one-time one
    assert Client().get(old).status_code == 404 and Client().get(new).status_code == 200
    off = reverse("quizzes:turn_off_signin_link", args=[classroom.pk, alice.pk])
    assert logged_in.post(off).status_code == 302
    assert Client().get(new).status_code == 404
    page = logged_in.get(reverse("quizzes:student_login", args=[classroom.pk, alice.pk]))
    assert "Turn off the sign-in link" not in page.content.decode()


def test_a_new_card_for_a_student_with_their_own_password_carries_no_password(
    logged_in, alice, classroom
):
    MembershipFactory(classroom=classroom, student=alice)
    response = logged_in.post(reverse("quizzes:new_login_card", args=[classroom.pk, alice.pk]))
    [(username, password, path)] = cards_of(response)
    assert (username, password) == ("alice", "") and path
    assert User.objects.get(pk=alice.pk).check_password("quizsite-demo")


def test_removing_a_student_turns_their_link_off(logged_in, classroom):
    [(_, _, path)] = cards_of(add(logged_in, classroom, "Alice Smith"))
    alice = User.objects.get(username="alice.s")
    logged_in.post(reverse("quizzes:remove_student", args=[classroom.pk, alice.pk]))
    assert Client().get(path).status_code == 404


def test_a_teacher_in_the_class_as_a_student_is_no_student_account_to_manage(logged_in, classroom):
    otto = TeacherFactory(username="otto")
    MembershipFactory(classroom=classroom, student=otto)
    for name in ("reset_student_password", "new_login_card", "turn_off_signin_link"):
        assert (
            logged_in.post(reverse(f"quizzes:{name}", args=[classroom.pk, otto.pk])).status_code
            == 404
        )
    assert (
        logged_in.get(reverse("quizzes:student_login", args=[classroom.pk, otto.pk])).status_code
        == 404
    )
    assert User.objects.get(pk=otto.pk).check_password("quizsite-demo")


def test_the_class_page_links_to_adding_students_and_each_students_login(
    logged_in, alice, classroom
):
    MembershipFactory(classroom=classroom, student=alice)
    page = logged_in.get(reverse("quizzes:manage_class", args=[classroom.pk])).content.decode()
    assert reverse("quizzes:add_students", args=[classroom.pk]) in page
    assert reverse("quizzes:student_login", args=[classroom.pk, alice.pk]) in page


def test_every_page_links_to_changing_ones_password(alice_client):
    assert reverse("password_change") in alice_client.get("/").content.decode()
