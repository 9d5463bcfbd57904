"""Question and quiz statistics, so a teacher can spot a bad question.

Per question:
- responses: how many recorded answers it has;
- facility: the share of them that were right (0 to 1). Very low: too hard, or a wrong key;
  very high: too easy to tell anyone apart;
- discrimination: the share right among the strongest 27% of finished attempts that asked the
  question, minus the share right among the weakest 27% (Kelley's upper and lower groups, by
  the attempt's score in percent). From -1 to 1: a good question is answered right more often
  by the stronger students (0.3 and above is good); near 0 it tells nobody apart, and below 0
  the stronger students got it wrong more often, which usually means a flaw in the question.
  Needs MIN_ATTEMPTS finished attempts;
- the most chosen wrong answer (answers told apart after folding case, accents and spacing).

Per quiz: finished attempts, mean and median score in percent, and how many attempts fall into
each tenth of the score range.

Every function here runs a fixed number of queries, whatever the number of questions, attempts
and responses: the aggregates are done by the database or in one pass over one query. They
only read, so they read the replica when there is one (quizzes/db.py).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from quizzes.db import dashboard_db
from quizzes.grading import normalise_text
from quizzes.models import Attempt, Question, Quiz, Response

GROUP_SHARE = Decimal("0.27")
MIN_ATTEMPTS = 10
HARD, EASY = 0.3, 0.9
WEAK_DISCRIMINATION = 0.2


@dataclass
class QuestionStats:
    responses: int = 0
    right: int = 0
    discrimination: float | None = None
    graded_attempts: int = 0  # finished attempts the discrimination is computed over
    wrong_answer: str = ""
    wrong_answer_count: int = 0

    @property
    def facility(self) -> float | None:
        return self.right / self.responses if self.responses else None

    @property
    def warnings(self) -> list[str]:
        """What a teacher should look at, in plain words."""
        notes = []
        if self.facility is not None and self.responses >= 5:
            if self.facility < HARD:
                notes.append("Few students get this right: is the answer key right?")
            elif self.facility > EASY:
                notes.append("Almost everyone gets this right.")
        if self.discrimination is not None:
            if self.discrimination < 0:
                notes.append(
                    "Stronger students get this wrong more often than weaker ones: check it "
                    "for a flaw."
                )
            elif self.discrimination < WEAK_DISCRIMINATION:
                notes.append("It hardly tells stronger and weaker students apart.")
        return notes


def question_stats(
    question_ids: Iterable[int], *, quiz: Quiz | None = None, classroom: Any = None
) -> dict[int, QuestionStats]:
    """Statistics of these questions, from every response or, given a quiz, from the responses
    in that quiz's attempts; given a class, from its students' alone. Three queries."""
    ids = list(question_ids)
    stats = {qid: QuestionStats() for qid in ids}
    if not ids:
        return stats
    responses = Response.objects.using(dashboard_db()).filter(question_id__in=ids)
    if quiz is not None:
        responses = responses.filter(attempt__quiz=quiz)
    if classroom is not None:
        responses = responses.filter(user__memberships__classroom=classroom)

    counts = responses.values("question_id").annotate(
        n=Count("id"), right=Count("id", filter=Q(is_correct=True))
    )
    for row in counts:
        stats[row["question_id"]].responses = row["n"]
        stats[row["question_id"]].right = row["right"]

    wrong = (
        responses.filter(is_correct=False)
        .values("question_id", "answer_text")
        .annotate(n=Count("id"))
        .order_by()
    )
    tallies: dict[int, Counter[str]] = defaultdict(Counter)
    spelling: dict[tuple[int, str], str] = {}
    for row in wrong:
        text = row["answer_text"].replace("\n", "; ").strip()
        folded = normalise_text(text) or text
        tallies[row["question_id"]][folded] += row["n"]
        spelling.setdefault((row["question_id"], folded), text)
    for qid, tally in tallies.items():
        folded, count = max(tally.items(), key=lambda item: (item[1], item[0]))
        stats[qid].wrong_answer = spelling[(qid, folded)] or "(no answer)"
        stats[qid].wrong_answer_count = count

    graded = responses.filter(
        attempt__kind=Attempt.Kind.QUIZ,
        attempt__finished_at__isnull=False,
        attempt__max_score__gt=0,
    ).values_list("question_id", "is_correct", "attempt_id", "attempt__score", "attempt__max_score")
    by_question: dict[int, list[tuple[Decimal, int, bool]]] = defaultdict(list)
    for qid, correct, attempt_id, score, max_score in graded:
        by_question[qid].append((score / max_score, attempt_id, correct))
    for qid, rows in by_question.items():
        stats[qid].graded_attempts = len(rows)
        stats[qid].discrimination = discrimination([(share, ok) for share, _, ok in sorted(rows)])
    return stats


def discrimination(ranked: list[tuple[Decimal, bool]]) -> float | None:
    """Upper-minus-lower discrimination of one question, from (attempt score, right?) pairs
    sorted by score, weakest first; None with fewer than MIN_ATTEMPTS attempts."""
    n = len(ranked)
    if n < MIN_ATTEMPTS:
        return None
    size = max(1, int((GROUP_SHARE * n).to_integral_value()))
    lower = sum(1 for _, ok in ranked[:size] if ok)
    upper = sum(1 for _, ok in ranked[-size:] if ok)
    return (upper - lower) / size


@dataclass
class Band:
    label: str
    count: int
    share: float  # of all finished attempts, 0 to 1


@dataclass
class QuizStats:
    attempts: int = 0
    in_progress: int = 0
    mean: float | None = None  # percent
    median: float | None = None  # percent
    bands: list[Band] = field(default_factory=list)


def quiz_stats(quiz: Quiz, *, classroom: Any = None) -> QuizStats:
    """Attempts at the quiz (by one class's students, given one) and how they scored. One
    query."""
    attempts = Attempt.objects.using(dashboard_db()).filter(quiz=quiz, kind=Attempt.Kind.QUIZ)
    if classroom is not None:
        attempts = attempts.filter(user__memberships__classroom=classroom)
    rows = list(attempts.values_list("score", "max_score", "finished_at"))
    percents = [
        float(score * 100 / max_score)
        for score, max_score, finished in rows
        if finished and max_score
    ]
    result = QuizStats(attempts=len(percents), in_progress=sum(1 for r in rows if r[2] is None))
    if percents:
        result.mean = statistics.fmean(percents)
        result.median = statistics.median(percents)
    counts = [0] * 10
    for percent in percents:
        counts[min(int(percent // 10), 9)] += 1
    result.bands = [
        Band(
            label=f"{10 * i}–{10 * i + 9}%" if i < 9 else "90–100%",
            count=count,
            share=count / len(percents) if percents else 0.0,
        )
        for i, count in enumerate(counts)
    ]
    return result


def report_questions(quiz: Quiz) -> QuerySet[Question]:
    """The questions a quiz's report covers: its own, and those of the banks it draws from."""
    return (
        Question.objects.using(dashboard_db())
        .filter(Q(quiz=quiz) | Q(quiz__in=quiz.draws_from.all()))
        .select_related("quiz", "topic")
        .order_by("quiz__title", "position", "id")
    )
