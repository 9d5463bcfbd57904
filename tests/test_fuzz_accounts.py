"""Fuzzing the account forms, logged out: sign-up (with fields it must ignore, such as
is_staff), log-in (wrong passwords, hostile `next` addresses) and log-out.

django-axes stays on, as in production: each example is undone, so its counts of failed logins
never build up to a lockout, and usernames are mostly random.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlencode, urljoin, urlsplit

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quizzes.models import User
from tests.factories import UserFactory
from tests.fuzzing import (
    PASSWORD,
    Body,
    World,
    as_persona,
    bodies,
    fuzz_settings,
    fuzz_world,
    hostile_text,
    htmx_headers,
    queries,
    rolled_back,
    send,
    unchanged_for_others,
)

pytestmark = pytest.mark.django_db

USERNAMES = st.one_of(
    st.sampled_from(["alice", "tess", "ALICE", "alice ", "newcomer"]),
    st.from_regex(r"[\w.@+-]{1,30}", fullmatch=True),
)
PASSWORDS = st.one_of(
    st.sampled_from(["a long new password 42", "password", "alice", "12345678"]),
    st.text(min_size=8, max_size=30),
)
NEXT = st.one_of(
    st.sampled_from(
        [
            "/",
            "/progress/",
            "//evil.example/",
            "http://evil.example/",
            "https:evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/%0d%0aSet-Cookie:x=1",
            "\x00//evil.example",
            " //evil.example",
            "http:///evil.example",
            "/\t/evil.example",
            "data:text/html,<script>alert(1)</script>",
            "http://testserver@evil.example/",
        ]
    ),
    hostile_text,
)


@pytest.fixture
def world(request, settings, personas) -> World:
    return fuzz_world(request, settings, personas)


@fuzz_settings(fast_examples=25)
@given(data=st.data())
def test_hostile_signups(world: World, data: st.DataObject):
    fields = {
        "username": USERNAMES,
        "display_name": st.text(max_size=70),
        "password1": PASSWORDS,
        "password2": PASSWORDS,
        "is_staff": st.just("1"),
        "is_superuser": st.just("on"),
        "anonymous_on_leaderboards": st.just("on"),
    }
    with as_persona(world, "anonymous") as client:
        for _ in range(data.draw(st.integers(1, 3), label="requests")):
            body = data.draw(bodies(fields), label="body")
            path = reverse("signup")
            send(client, "POST", path, {200, 302, 400}, body=body, headers=data.draw(htmx_headers))
        # Nobody became a teacher or an administrator on the way in.
        assert set(User.objects.teachers()) == {world.teacher, world.other_teacher}
        assert not User.objects.filter(is_superuser=True).exists()


@fuzz_settings(fast_examples=25)
@given(data=st.data())
def test_hostile_logins(world: World, data: st.DataObject):
    """Never the right password: nobody gets in, and the form comes back (200)."""
    fields = {"username": USERNAMES, "password": hostile_text, "next": NEXT}
    with as_persona(world, "anonymous") as client:
        for _ in range(data.draw(st.integers(1, 4), label="requests")):
            body = data.draw(bodies(fields), label="body")
            query = data.draw(queries({"next": NEXT}), label="query")
            send(
                client,
                "POST",
                reverse("login"),
                {200},
                body=body,
                query=query,
                headers=data.draw(htmx_headers),
            )
            assert "_auth_user_id" not in client.session


@fuzz_settings(fast_examples=25)
@given(next_url=NEXT, in_query=st.booleans(), headers=htmx_headers)
def test_a_login_never_sends_anyone_to_another_site(
    world: World, next_url: str, in_query: bool, headers: dict[str, str]
):
    """The right password with a hostile `next`: in, and sent to a page of this site."""
    with rolled_back():
        guest = UserFactory(username="guest")
        client = world.client("anonymous")
        with unchanged_for_others(guest):
            data = {"username": "guest", "password": PASSWORD}
            query = urlencode({"next": next_url}) if in_query else ""
            if not in_query:
                data["next"] = next_url
            response = send(
                client,
                "POST",
                reverse("login"),
                {302},
                body=Body({"data": data}),
                query=query,
                headers=headers,
            )
            location = response["Location"]
            target = where_a_browser_goes(location, from_url="http://testserver/accounts/login/")
            assert (target.scheme, target.netloc) == ("http", "testserver"), location


def where_a_browser_goes(location: str, *, from_url: str) -> SplitResult:
    """A Location as a browser follows it (the WHATWG URL parser): spaces and control
    characters trimmed at the ends, tabs and newlines dropped, backslashes read as slashes."""
    cleaned = location.strip("".join(map(chr, range(0x21))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    return urlsplit(urljoin(from_url, cleaned))


@fuzz_settings(fast_examples=15)
@given(data=st.data())
def test_hostile_logouts(world: World, data: st.DataObject):
    persona = data.draw(st.sampled_from(["anonymous", "owner", "teacher"]), label="persona")
    with as_persona(world, persona) as client:
        body = data.draw(bodies({"next": NEXT}), label="body")
        query = data.draw(queries({"next": NEXT}), label="query")
        response = send(
            client,
            "POST",
            reverse("logout"),
            {302},
            body=body,
            query=query,
            headers=data.draw(htmx_headers),
        )
        if response.status_code == 302:
            target = where_a_browser_goes(response["Location"], from_url="http://testserver/")
            assert (target.scheme, target.netloc) == ("http", "testserver")
            assert "_auth_user_id" not in client.session
