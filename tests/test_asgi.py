"""What serving the site through ASGI (quizsite.asgi: `make run`, `make serve`) must keep as
WSGI had it: pages, their headers and sessions, and request bodies refused before they are
read (Django's ASGI handler reads a whole body before any middleware sees it)."""

import pytest

from tests.asgi import Exchange, asgi, log_in, run  # noqa: F401  (the fixture)

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
