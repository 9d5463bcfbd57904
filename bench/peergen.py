"""The peer benchmark's load generator: students answering a quiz in quizsite or in
django_quiz, driven by locust in a process of their own (bench/peer.py starts it).

Each student comes with a session (signed in on an earlier day) and takes the app's quiz the way
the app asks, as fast as it answers, over and over:

- quizsite, with JavaScript on (HTMX): start the quiz, its question page, then for each question
  the answer post, whose response brings the feedback and the next question's card together
  (the card in a <template> that "Next question" shows without a request: static/js/site.js),
  and the results at the end;
- django_quiz: its quiz page, then for each question the answer post, which returns the
  feedback on that answer and the next question's form together, and the results at the end.

- bare: the yardstick, quizsite's bare signed-in one-row update (bench/endpoints.py, under
  bench.settings), posted over and over: what the machine does with a request that makes one
  write behind the session, in the same run.

An answer is acknowledged when its post answered 200 with the feedback. At the end of the run
no new request starts and those under way finish, so that every answer the server recorded was
acknowledged or refused, never cut off half-way. Writes the counts and latencies to --out.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

from bench.harness import answer_for, percentile

HX = {"HX-Request": "true"}
RUN = {"on": True, "students": [], "quiz": "", "n": 0, "acknowledged": 0, "samples": []}
ANSWER_ACTION = re.compile(r'action="(/attempts/\d+/questions/\d+/answer/)"')
NEXT_STEP = re.compile(r'hx-get="(/attempts/\d+/(?:questions/\d+|results)/)"')
NEXT_CARD = re.compile(r'<template id="next-step".*?</template>', re.S)
PEER_CHOICE = re.compile(r'name="answers" value="(\d+)"')
SETTLE_SECONDS = 15  # for the requests under way when the run ends to finish


class Student(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.me = RUN["students"][RUN["n"] % len(RUN["students"])]
        RUN["n"] += 1
        host = self.host.split("//", 1)[1].split(":")[0]
        cookie = http.cookiejar.Cookie(
            0, "sessionid", self.me["session"], None, False, host, False, False, "/", True,
            False, None, False, None, None, {},
        )  # fmt: skip
        self.client.cookiejar.set_cookie(cookie)

    def csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def answered(self, response, marker: str) -> bool:
        """Counts the answer as acknowledged if the post showed its feedback."""
        if response.status_code == 200 and marker in (response.text or ""):
            RUN["acknowledged"] += 1
            return True
        response.failure(f"answer post: {response.status_code}, no feedback")
        return False


class Quizsite(Student):
    def on_start(self) -> None:
        super().on_start()
        # The quiz's page, with its Start button (and a CSRF cookie): where a student starts,
        # as django_quiz's start at its quiz's address.
        self.client.get(f"/quizzes/{RUN['quiz']}/", name="quiz page")

    @task
    def take_quiz(self) -> None:
        if not RUN["on"]:
            gevent.sleep(1)
            return
        with self.client.post(
            f"/quizzes/{RUN['quiz']}/start/",
            headers={"X-CSRFToken": self.csrf()},
            name="start",
            allow_redirects=False,
            catch_response=True,
        ) as start:
            if start.status_code != 302:
                start.failure(f"start: {start.status_code}")
                return
        card = self.client.get(start.headers["Location"], name="question page").text or ""
        while RUN["on"] and (action := ANSWER_ACTION.search(card)):
            headers = {"X-CSRFToken": self.csrf(), **HX}
            with self.client.post(
                action[1], answer_for(card), headers=headers, name="answer", catch_response=True
            ) as feedback:
                if not self.answered(feedback, 'class="card feedback'):
                    return
                text = feedback.text or ""
            if not RUN["on"]:
                return
            if upcoming := NEXT_CARD.search(text):  # "Next question" shows it: no request
                card = upcoming[0]
                continue
            if (step := NEXT_STEP.search(text)) is None:
                return
            if step[1].endswith("/results/"):
                self.client.get(step[1], headers=HX, name="results")
                return
            card = self.client.get(step[1], headers=HX, name="next question").text or ""


class DjangoQuiz(Student):
    @task
    def take_quiz(self) -> None:
        if not RUN["on"]:
            gevent.sleep(1)
            return
        url = f"/quiz/{RUN['quiz']}/take/"
        page = self.client.get(url, name="question page").text or ""
        while RUN["on"] and (choices := PEER_CHOICE.findall(page)):
            question = re.search(r'name="question_id" value="(\d+)"', page)
            form = {
                "answers": random.choice(choices),
                "question_id": question[1] if question else "",
                "csrfmiddlewaretoken": self.csrf(),
            }
            with self.client.post(url, form, name="answer", catch_response=True) as response:
                if not self.answered(response, "Your answer was"):
                    return
                page = response.text or ""  # the next question's form, or the results


class Bare(Student):
    def on_start(self) -> None:
        super().on_start()
        self.client.get(f"/quizzes/{RUN['quiz']}/", name="quiz page")  # for a CSRF cookie

    @task
    def update(self) -> None:
        if not RUN["on"]:
            gevent.sleep(1)
            return
        headers = {"X-CSRFToken": self.csrf()}
        with self.client.post(
            "/bench/update/me/", headers=headers, name="answer", catch_response=True
        ) as response:
            if response.status_code == 204:
                RUN["acknowledged"] += 1
            else:
                response.failure(f"update: {response.status_code}")


@events.request.add_listener
def record(request_type, name, response_time, response, exception, **kwargs) -> None:
    RUN["samples"].append((name, response_time, exception is None, str(exception or "")[:80]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", choices=["quizsite", "django_quiz", "bare"], required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--students", type=Path, required=True, help="JSON: sessions, quiz")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    data = json.loads(args.students.read_text())
    RUN["students"], RUN["quiz"] = data["students"], data["quiz"]
    user = {"quizsite": Quizsite, "django_quiz": DjangoQuiz, "bare": Bare}[args.app]
    env = Environment(user_classes=[user], host=args.host, events=events)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)  # all at once
    began = time.time()
    gevent.sleep(args.seconds)
    RUN["on"] = False  # no new answer; the ones under way finish
    took = time.time() - began
    gevent.sleep(SETTLE_SECONDS)
    runner.quit()
    answers = [s for s in RUN["samples"] if s[0] == "answer"]
    every = RUN["samples"]
    result = {
        "seconds": took,
        "acknowledged": RUN["acknowledged"],
        "requests": len(every),
        "errors": sum(1 for s in every if not s[2]),
        "why": dict(Counter(f"{s[0]}: {s[3]}" for s in every if not s[2])),
        "answer_p50": percentile([s[1] for s in answers], 50),
        "answer_p95": percentile([s[1] for s in answers], 95),
        "p50": percentile([s[1] for s in every], 50),
        "p95": percentile([s[1] for s in every], 95),
        "requests_per_answer": len(every) / max(1, len(answers)),
    }
    args.out.write_text(json.dumps(result))
    print(json.dumps(result), file=sys.stderr)


if __name__ == "__main__":
    main()
