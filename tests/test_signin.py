"""Signing in where a class shares one address (issue 17): a classmate cannot lock someone out
of a browser they have used before, lockouts grow with each wrong password and never with the
locked person's own tries, a teacher can lift a student's; sign-ups and wrong class codes are
limited per address; sessions end with the browser or after 12 hours; passwords change."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes import signin
from quizzes.models import User
from tests.factories import ClassroomFactory, MembershipFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db
SITE, ADMIN = "/accounts/login/", "/admin/login/"
PASSWORD = "quizsite-demo"  # the factories'


def _log_in(client, url, username, password=PASSWORD, **extra):
    return client.post(url, {"username": username, "password": password, **extra})


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _fail(client, url, username, times=1):
    for _ in range(times):
        response = _log_in(client, url, username, "wrong-password")
    return response


# ---- A classmate cannot lock someone out of their own browser --------------------------------


@pytest.mark.parametrize("url", [SITE, ADMIN])
def test_a_browser_that_signed_in_before_keeps_its_way_in_when_a_classmate_locks_the_account(
    url,
):
    TeacherFactory(username="tess")
    teachers_browser, pupils_browser = Client(), Client()  # one school address (127.0.0.1)
    assert _log_in(teachers_browser, url, "tess").status_code == 302
    teachers_browser.post(reverse("logout"))

    assert _fail(pupils_browser, url, "tess", 5).status_code == 429
    assert _log_in(pupils_browser, url, "tess").status_code == 429  # locked for strangers
    assert _log_in(teachers_browser, url, "tess").status_code == 302
    # The teacher's sign-in gives the pupil no fresh guesses.
    assert _log_in(pupils_browser, url, "tess").status_code == 429


def test_a_new_browser_is_locked_out_like_any_stranger():
    UserFactory(username="carol")
    _fail(Client(), SITE, "carol", 5)
    assert _log_in(Client(), SITE, "carol").status_code == 429


def test_the_device_cookie_is_for_one_account_and_cannot_be_forged():
    UserFactory(username="carol")
    UserFactory(username="dave")
    browser = Client()
    _log_in(browser, SITE, "dave")
    browser.post(reverse("logout"))
    _fail(Client(), SITE, "carol", 5)
    assert _log_in(browser, SITE, "carol").status_code == 429  # trusted for dave, not carol

    forged = Client()
    forged.cookies[signin.DEVICE_COOKIE] = "abc:carol"
    assert _log_in(forged, SITE, "carol").status_code == 429


def test_a_trusted_browser_has_its_own_limit_of_wrong_passwords():
    UserFactory(username="carol")
    browser = Client()
    _log_in(browser, SITE, "carol")
    browser.post(reverse("logout"))
    _fail(Client(), SITE, "carol", 5)  # strangers are locked out
    assert _fail(browser, SITE, "carol", 5).status_code == 200  # the browser's own 5 tries
    # Then it is a stranger too: someone who took the cookie gets no more than 5 guesses.
    assert _log_in(browser, SITE, "carol").status_code == 429


def test_a_shared_computer_stays_trusted_for_each_account_signed_in_on_it():
    for name in ("carol", "dave"):
        UserFactory(username=name)
    computer = Client()
    for name in ("carol", "dave"):
        _log_in(computer, SITE, name)
        computer.post(reverse("logout"))
    for name in ("carol", "dave"):
        _fail(Client(), SITE, name, 5)
        assert _log_in(computer, SITE, name).status_code == 302
        computer.post(reverse("logout"))


# ---- Lockouts grow, and only with tries made after them --------------------------------------


def test_lockouts_start_short_and_double_with_each_wrong_password_after_one():
    UserFactory(username="carol")
    browser = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        locked = _fail(browser, SITE, "carol", 5)
    assert locked.status_code == 429 and "up to 1 minute." in _text(locked)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert _log_in(browser, SITE, "carol").status_code == 429
    later = start + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        locked = _fail(browser, SITE, "carol")  # the 6th: 2 minutes
    assert locked.status_code == 429 and "up to 2 minutes." in _text(locked)
    with time_machine.travel(later + timedelta(seconds=119), tick=False):
        assert _log_in(browser, SITE, "carol").status_code == 429
    with time_machine.travel(later + timedelta(seconds=121), tick=False):
        assert _log_in(browser, SITE, "carol").status_code == 302


def test_lockouts_stop_growing_at_15_minutes():
    UserFactory(username="carol")
    browser = Client()
    moment = timezone.now()
    for lockout in (1, 2, 4, 8, 15, 15):
        with time_machine.travel(moment, tick=False):
            locked = _fail(browser, SITE, "carol", 5 if lockout == 1 else 1)
        minutes = f"{lockout} minute{'s' if lockout > 1 else ''}."
        assert locked.status_code == 429 and f"up to {minutes}" in _text(locked)
        moment += timedelta(minutes=lockout, seconds=1)


def test_tries_during_a_lockout_never_extend_it():
    UserFactory(username="carol")
    browser = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(browser, SITE, "carol", 5)
    for seconds in (10, 30, 50):  # the locked person (or the classmate) keeps trying
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            assert _fail(browser, SITE, "carol").status_code == 429
            assert _log_in(browser, ADMIN, "carol").status_code == 429
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert _log_in(browser, SITE, "carol").status_code == 302


def test_an_hour_without_a_wrong_password_forgets_them():
    UserFactory(username="carol")
    browser = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(browser, SITE, "carol", 5)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert _fail(browser, SITE, "carol").status_code == 429  # the 6th: locked again
    with time_machine.travel(start + timedelta(minutes=59 + 61), tick=False):
        assert _fail(browser, SITE, "carol", 4).status_code == 200  # counting from 1


# ---- A teacher unlocks a student of their class ----------------------------------------------


@pytest.fixture
def locked_student(tess, alice):
    classroom = ClassroomFactory(teacher=tess)
    MembershipFactory(classroom=classroom, student=alice)
    _fail(Client(), SITE, "alice", 5)
    assert _log_in(Client(), SITE, "alice").status_code == 429
    return classroom, alice


def _unlock_url(classroom, student):
    return reverse("quizzes:unlock_student", args=[classroom.pk, student.pk])


def test_a_teacher_unlocks_a_student_of_their_class(client, tess, locked_student):
    classroom, alice = locked_student
    client.force_login(tess)
    manage = client.get(reverse("quizzes:manage_class", args=[classroom.pk])).content.decode()
    assert _unlock_url(classroom, alice) in manage
    confirm = client.get(_unlock_url(classroom, alice))
    assert confirm.status_code == 200 and "Unlock login</button>" in confirm.content.decode()
    assert _log_in(Client(), SITE, "alice").status_code == 429  # asking is not unlocking
    response = client.post(_unlock_url(classroom, alice), follow=True)
    assert "Alice can log in again now." in response.content.decode()
    assert _log_in(Client(), SITE, "alice").status_code == 302


def test_only_the_students_own_teacher_can_unlock_them(client, alice, bob, locked_student):
    classroom, alice = locked_student
    other_teacher = TeacherFactory()
    ClassroomFactory(teacher=other_teacher)
    stranger_class = ClassroomFactory(teacher=other_teacher)
    for user, url in [
        (other_teacher, _unlock_url(classroom, alice)),  # not their class
        (other_teacher, _unlock_url(stranger_class, alice)),  # not their student
        (bob, _unlock_url(classroom, alice)),  # a classmate
    ]:
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert _log_in(Client(), SITE, "alice").status_code == 429


# ---- Sign-ups and wrong class codes per address ----------------------------------------------


def _sign_up(client, n):
    password = "a long new password 42"
    data = {"username": f"pupil{n}", "display_name": f"Pupil {n}"}
    return client.post(reverse("signup"), {**data, "password1": password, "password2": password})


def test_a_class_of_30_signs_up_from_one_address_and_a_script_stops_at_40(join_limit):
    for n in range(40):
        assert _sign_up(Client(), n).status_code == 302
    refused = _sign_up(Client(), 40)
    assert refused.status_code == 429
    assert "Too many accounts have been made from this network" in refused.content.decode()
    assert User.objects.count() == 40
    assert _sign_up(Client(REMOTE_ADDR="10.1.2.3"), 41).status_code == 302  # another school


def test_a_failed_sign_up_does_not_count(join_limit):
    for _ in range(45):
        Client().post(reverse("signup"), {"username": "pupil"})
    assert _sign_up(Client(), 1).status_code == 302


def test_new_accounts_bring_no_new_wrong_code_budget(join_limit):
    join = reverse("quizzes:join_class")
    for _ in range(6):  # 6 accounts x 10 wrong codes: the address's 60
        client = Client()
        client.force_login(UserFactory())
        for _ in range(10):
            assert client.post(join, {"code": "NOPE1234"}).status_code == 400
    fresh = Client()
    fresh.force_login(UserFactory())
    # Like a student's 10, the address's 60 stop the try after the one that goes over.
    assert fresh.post(join, {"code": "NOPE1234"}).status_code == 400
    assert fresh.post(join, {"code": "NOPE1234"}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    elsewhere.force_login(UserFactory())
    assert elsewhere.post(join, {"code": "NOPE1234"}).status_code == 400


# ---- Sessions --------------------------------------------------------------------------------


def _signed_in(client) -> bool:
    return client.get(reverse("quizzes:progress")).status_code == 200


def test_a_session_ends_when_the_browser_closes_unless_kept(alice):
    client = Client()
    response = _log_in(client, SITE, "alice")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie

    kept = _log_in(Client(), SITE, "alice", keep_signed_in="on").cookies["sessionid"]
    assert int(kept["max-age"]) == 14 * 24 * 60 * 60


def test_a_session_ends_12_hours_after_signing_in_however_active(alice):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _log_in(client, SITE, "alice")
    for hours in range(1, 12):  # busy all day
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert _signed_in(client)
    with time_machine.travel(start + timedelta(hours=12, seconds=1), tick=False):
        assert not _signed_in(client)
        assert SESSION_KEY not in client.session


def test_a_kept_session_lasts_14_days_and_no_longer(alice):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _log_in(client, SITE, "alice", keep_signed_in="on")
    with time_machine.travel(start + timedelta(days=13), tick=False):
        assert _signed_in(client)
    with time_machine.travel(start + timedelta(days=14, seconds=1), tick=False):
        assert not _signed_in(client)


def test_a_session_from_before_sessions_had_an_end_is_signed_out(alice):
    client = Client()
    client.force_login(alice)
    session = client.session
    del session[signin.SESSION_ENDS_AT]
    session.save()
    assert not _signed_in(client)


# ---- Passwords -------------------------------------------------------------------------------

CHANGE = "/accounts/password/"


def _change(client, new, old=PASSWORD):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_student_changes_their_password_and_their_other_sessions_end(alice):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        _log_in(client, SITE, "alice")
    assert CHANGE in here.get(reverse("quizzes:progress")).content.decode()
    assert here.get(CHANGE).status_code == 200
    response = _change(here, "a much longer secret 7")
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert "Password changed" in here.get(response.url).content.decode()
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert _log_in(Client(), SITE, "alice", "a much longer secret 7").status_code == 302


def test_a_wrong_old_password_changes_nothing(alice):
    client = Client()
    client.force_login(alice)
    response = _change(client, "a much longer secret 7", old="not-it")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_teacher_changes_their_password_too(tess):
    client = Client()
    client.force_login(tess)
    assert _change(client, "a much longer secret 7").status_code == 302


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short1234", "at least 10 characters"),  # 9
        ("password123", "too common"),
    ],
)
def test_passwords_are_10_characters_and_not_common(alice, password, error):
    client = Client()
    client.force_login(alice)
    assert error in _change(client, password).content.decode()
    data = {"username": "newcomer", "display_name": "New", "password1": password}
    response = Client().post(reverse("signup"), {**data, "password2": password})
    assert response.status_code == 400 and error in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()
