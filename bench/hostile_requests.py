"""Issue 17's reproduction steps (findings 1, 6, 7 and "Also") against a running server.

Run from the project root, against a server of the demo data (`make run`, or `make serve` after
`load_demo` and `load_banks --owner tess`) with a second teacher `tom` (staff, in the Teachers
group, password quizsite-demo):

    .venv/bin/python bench/hostile_requests.py [http://127.0.0.1:8000] [--derive]

It signs in as tess, tom and alice and prints what the server answered: the time of the
pathological GIFT and Moodle XML imports (with --derive, of "Derive questions" with ". " x
20,000 too), the status of a 40 MB upload to the login page and how much of it the server took
before answering, two teachers' imports of one topic spelt two ways, and the Cache-Control of
private pages and CSV downloads. Standard library only; it writes to the server's database
(three small quizzes).
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uploads import gift, moodle_xml

BASE = next((a for a in sys.argv[1:] if a.startswith("http")), "http://127.0.0.1:8000")
MB = 1024 * 1024


class Browser:
    """A signed-in user's cookies, CSRF token and forms; redirects are not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def __init__(self, username: str | None = None) -> None:
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies, self._NoRedirect())
        self.get("/accounts/login/")
        if username:
            self.post("/accounts/login/", {"username": username, "password": "quizsite-demo"})

    @property
    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url: str) -> tuple[int, dict[str, str], bytes]:
        return self._open(urllib.request.Request(BASE + url))

    def post(
        self, url: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, float, bytes]:
        """A form posted as a browser does (multipart), and the seconds the answer took."""
        self.get(url)
        boundary = uuid.uuid4().hex
        fields = {**fields, "csrfmiddlewaretoken": self.csrf}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts = [part.encode() for part in parts]
        for name, (filename, content) in (files or {}).items():
            disposition = f'form-data; name="{name}"; filename="{filename}"'
            head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n"
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": BASE + url,
        }
        started = time.perf_counter()
        status, _, content = self._open(urllib.request.Request(BASE + url, body, headers))
        return status, time.perf_counter() - started, content

    def _open(self, request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def huge_login(browser: Browser) -> str:
    """A 40 MB file posted to the login page, a megabyte at a time, listening for an answer
    between megabytes: what the server answered, after how much."""
    host = urlsplit(BASE)
    head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
    tail = b"\r\n--x--\r\n"
    chunks = [head, *([b"\0" * MB] * 40), tail]
    request = (
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {host.hostname}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {sum(map(len, chunks))}\r\n"
        f"Cookie: csrftoken={browser.csrf}\r\n\r\n"  # so that Django reads the body for a token
    )
    sent, started = 0, time.perf_counter()
    with socket.create_connection((host.hostname, host.port), timeout=60) as sock:
        sock.sendall(request.encode())
        sock.settimeout(0.05)
        answer = b""
        try:
            for chunk in chunks:
                try:
                    answer = sock.recv(65536)
                    break
                except TimeoutError:
                    sock.sendall(chunk)
                    sent += len(chunk)
            else:
                sock.settimeout(60)
                answer = sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError) as error:
            answer = str(error).encode()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    return f"{status!r} after {sent / MB:.0f} MB of 40 sent, {time.perf_counter() - started:.2f} s"


def main() -> None:
    tess = Browser("tess")
    _, _, page = tess.get("/admin/quizzes/quiz/")
    quiz_id = re.search(rb"/admin/quizzes/quiz/(\d+)/change/", page).group(1).decode()
    into_quiz = f"/admin/quizzes/quiz/{quiz_id}/import/"

    print("Finding 1: pathological uploads, as tess")
    status, seconds, _ = tess.post(into_quiz, {}, {"file": ("q.gift", gift(40_000))})
    print(f"  GIFT ordering head, 40,000 spaces: {status} in {seconds:.2f} s")
    status, seconds, _ = tess.post(into_quiz, {}, {"file": ("q.xml", moodle_xml(20_000))})
    print(f"  Moodle XML htmltext, 20,000 spaces: {status} in {seconds:.2f} s")
    if "--derive" in sys.argv:
        fields = {"title": f"Dots {uuid.uuid4().hex[:6]}", "text": ". " * 20_000}
        status, seconds, _ = tess.post("/admin/quizzes/sourcedocument/derive/", fields)
        print(f"  Derive '. ' x 20,000: {status} in {seconds:.2f} s")

    print("Finding 6: request bodies")
    print(f"  40 MB to the login page, logged out: {huge_login(Browser())}")
    status, seconds, _ = tess.post(into_quiz, {}, {"file": ("big.gift", b"x" * 3 * MB)})
    print(f"  a 3 MB import: {status} in {seconds:.2f} s")

    print("Finding 7: two teachers' topics, 'sx-cold-war' and 'SX Cold War'")
    for who, topic in (("tess", "sx-cold-war"), ("tom", "SX Cold War")):
        file = f"// quizsite-topic: {topic}\nWho led the USSR in 1953?{{=Malenkov ~Kirov}}"
        fields = {"title": f"Cold war {who} {uuid.uuid4().hex[:6]}", "format": "gift"}
        browser = tess if who == "tess" else Browser("tom")
        status, _, _ = browser.post(
            "/admin/quizzes/quiz/import/", fields, {"file": ("q.gift", file.encode())}
        )
        print(f"  {who} imports a question on {topic!r}: {status}")

    print("Also: Cache-Control and CSV")
    alice = Browser("alice")
    _, _, page = tess.get("/classes/")
    classroom = re.search(rb"/classes/(\d+)/", page).group(1).decode()
    pages = [(alice, "alice", u) for u in ("/progress/", "/classes/", "/progress/my-data.csv")]
    pages += [
        (tess, "tess", f"/classes/{classroom}/gradebook/"),
        (tess, "tess", f"/classes/{classroom}/gradebook.csv"),
    ]
    for browser, who, url in pages:
        status, headers, content = browser.get(url)
        print(f"  {who} GET {url}: {status}, Cache-Control: {headers.get('Cache-Control')}")
    print(f"  the gradebook CSV's first line: {content.decode().splitlines()[0][:70]}")


if __name__ == "__main__":
    main()
