"""What serving the site through ASGI (quizsite.asgi: `make run`, `make serve`) must keep as
WSGI had it: pages, their headers and sessions, and request bodies refused before they are
read (Django's ASGI handler reads a whole body before any middleware sees it)."""

import threading
from urllib.parse import urlencode

import pytest

from tests.asgi import Exchange, asgi, log_in, login_form, run  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("asgi")]


def test_a_page_comes_with_its_security_headers():
    async def main():
        page = Exchange("/accounts/login/")
        await page.send()
        status = await page.status()
        await page.read_until("</html>")
        return status, page.headers

    status, headers = run(main())
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


def test_a_student_logs_in(alice):
    post = run(log_in("alice", "quizsite-demo"))
    assert post.status_code == 302 and "sessionid=" in post.headers["set-cookie"]


def test_a_body_too_large_for_any_page_is_refused_before_it_is_sent():
    async def main():
        post = Exchange("/", method="POST", headers={"content-length": str(50 * 1024 * 1024)})
        # Nothing of the body sent: the answer comes from the length alone.
        return await post.status()

    assert run(main()) == 413


def test_a_body_that_runs_past_the_largest_limit_is_refused_as_it_comes():
    async def main():
        post = Exchange("/", method="POST")  # no Content-Length: a chunked upload
        for _ in range(40):
            await post.send(b"x" * 100_000, more=True)
            if not post.communicator.output_queue.empty():
                break
        return await post.status()

    assert run(main()) == 413


def test_a_form_too_large_for_its_page_gets_the_page_that_says_so():
    async def main():
        body = b"x=" + b"y" * 100_000
        post = Exchange(
            "/",
            method="POST",
            headers={
                "content-length": str(len(body)),
                "content-type": "application/x-www-form-urlencoded",
            },
        )
        await post.send(body)
        status = await post.status()
        return status, await post.read_until("</html>")

    status, page = run(main())
    assert status == 413 and "Too large to send" in page


def test_a_page_is_served_in_one_call_on_one_thread(alice, monkeypatch):
    """A page's sync code (request_started, the middleware and view, request_finished) runs in
    one call on one of the worker's threads, not in three crossings of Django's ASGI handler;
    its query string and a header sent twice reach the view as a WSGI server gives them."""
    from django.core.signals import request_finished, request_started

    from quizzes.urls import urlpatterns

    seen = []

    def remember(what):
        return lambda *args, **kwargs: seen.append((what, threading.current_thread().name))

    started, finished = remember("started"), remember("finished")
    request_started.connect(started)
    request_finished.connect(finished)
    pattern = next(p for p in urlpatterns if p.name == "home")
    home = pattern.callback

    def watched_home(request):
        seen.append(("view", threading.current_thread().name))
        seen.append((request.GET.get("q"), request.headers["Accept"]))
        return home(request)

    monkeypatch.setattr(pattern, "callback", watched_home)

    async def main():
        page = Exchange("/", headers={"accept": "text/html"})
        page.communicator.scope["query_string"] = b"q=caf%C3%A9"
        page.communicator.scope["headers"].append((b"accept", b"*/*"))
        await page.send()
        status = await page.status()
        await page.read_until("</html>")
        return status

    try:
        assert run(main()) == 200
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    threads = {name for what, name in seen if what in {"started", "view", "finished"}}
    assert [what for what, _ in seen] == ["started", "view", "café", "finished"]
    assert seen[2] == ("café", "text/html,*/*")
    assert len(threads) == 1 and threads.pop().startswith("sync-")


def test_a_chunked_body_without_its_length_reaches_the_view_whole(alice):
    """A post sent in chunks, with no Content-Length: the form reads all of it (a login with
    a wrong password gets the form back, not a refusal for a missing token)."""

    async def main():
        token, headers = await login_form()
        body = urlencode({"csrfmiddlewaretoken": token, "username": "alice", "password": "no"})
        post = Exchange("/accounts/login/", method="POST", headers=headers)
        half = len(body) // 2
        await post.send(body[:half].encode(), more=True)
        await post.send(body[half:].encode())
        return await post.status(), await post.read_until("</html>")

    status, page = run(main())
    assert status == 200 and "csrfmiddlewaretoken" in page
