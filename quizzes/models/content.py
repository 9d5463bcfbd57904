"""Content: source documents, topics, quizzes (question banks), questions and their choices."""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.text import slugify

from quizzes import grading
from quizzes.grading import Grade, QuestionType


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Difficulty(models.IntegerChoices):
    EASY = 1, "Easy"
    MEDIUM = 2, "Medium"
    HARD = 3, "Hard"


class ContentQuerySet(models.QuerySet):
    """Queries of the content that cached questions carry (sources, topics, quizzes, questions,
    choices): their bulk writes move the content stamp, as saves and deletes do through their
    signals (quizzes/apps.py), so no caller has to remember to."""

    def update(self, **kwargs: Any) -> int:
        updated = super().update(**kwargs)
        if updated:
            ContentStamp.bump()
        return updated

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            ContentStamp.bump()
        return created

    def bulk_update(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> int:
        updated = super().bulk_update(objs, *args, **kwargs)
        if updated:
            ContentStamp.bump()
        return updated


class SourceDocument(models.Model):
    """A text that questions are derived from; every question quotes a passage of it."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:source", args=[self.slug])


class Topic(models.Model):
    """What a question is about; progress and mastery are counted per topic."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def named(cls, name: str) -> Topic:
        """The topic called `name`, else the one whose slug it makes: two teachers' files that
        say "sx-cold-war" and "SX Cold War" share one topic rather than clash on its slug."""
        if topic := cls.objects.filter(name=name).first():
            return topic
        # A name of no ASCII letters (Cyrillic, say) makes no slug of its own: one of its hash.
        slug = slugify(name)[:100] or f"topic-{hashlib.sha256(name.encode()).hexdigest()[:16]}"
        topic, _ = cls.objects.get_or_create(slug=slug, defaults={"name": name})
        return topic


class QuizQuerySet(ContentQuerySet):
    def published(self) -> QuizQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def with_question_counts(self) -> QuizQuerySet:
        return self.annotate(
            published_questions=Count("questions", filter=Q(questions__status=Status.PUBLISHED))
        )


class Quiz(models.Model):
    """A question bank drawn from one source, or a review quiz drawing from other banks."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quizzes",
        help_text="The text this bank's questions quote. Empty for a quiz drawn from other banks.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_quizzes",
    )
    draws_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="drawn_into",
        help_text="Other banks whose published questions this quiz also draws on.",
    )
    question_count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Draw this many questions at random for each attempt. Empty: all, in order.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def question_pool(self) -> QuestionQuerySet:
        """Published questions this quiz may ask: its own and those of the banks it draws from."""
        return Question.objects.published().filter(
            Q(quiz=self) | Q(quiz__in=self.draws_from.published())
        )

    def draw_question_ids(self, rng: random.Random) -> list[int]:
        ids = list(
            self.question_pool().order_by("quiz_id", "position", "id").values_list("id", flat=True)
        )
        if self.question_count:
            return rng.sample(ids, min(self.question_count, len(ids)))
        return ids

    def number_of_questions(self, published_questions: int) -> int:
        """What a student will be asked, given the annotated count of its own questions."""
        return self.question_count or published_questions


class QuestionQuerySet(ContentQuerySet):
    def published(self) -> QuestionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def with_content(self) -> QuestionQuerySet:
        """With all that a question card, its feedback and its grading read: the quiz, its
        source (whose long text only the source page needs) and the choices."""
        return (
            self.select_related("quiz__source")
            .defer("quiz__source__text")
            .prefetch_related("choices")
        )


# Bump when what Question.cached stores changes shape (fields, prefetches): the cache may be
# Redis, shared with processes still running the previous release.
QUESTION_CACHE_FORMAT = 1
# Writes change the key (see ContentStamp), so this only bounds what an unreachable entry costs.
QUESTION_CACHE_SECONDS = 600


def _question_key(pk: int, stamp: int) -> str:
    return f"question:{QUESTION_CACHE_FORMAT}:{pk}:{stamp}"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=100, help_text="A stable name for this question, unique within its quiz."
    )
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(
        max_length=20,
        choices=[(t.value, t.name.replace("_", " ").capitalize()) for t in QuestionType],
    )
    prompt = models.TextField()
    explanation = models.TextField(blank=True)
    passage = models.TextField(help_text="The exact words of the source this question rests on.")
    passage_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the passage starts in the source text."
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    points = models.PositiveSmallIntegerField(default=1)
    numeric_answer = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=20, decimal_places=6, default=Decimal(0))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.FloatField(
        null=True,
        blank=True,
        help_text="For derived drafts: how sure the engine is that this question is good (0-1).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_in_quiz"),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    @classmethod
    def cached(cls, pk: int, *, stamp: int | None) -> Question:
        """The question `with_content`, from the cache when it holds it at this content stamp;
        raises Question.DoesNotExist like `get()`.

        `stamp` must be read from the database by the caller's own query (an attempt carries it,
        see ContentStamp.current): any write to content changes it, so every process, whatever
        its cache, asks for a new key at once and nothing needs invalidating.
        """
        question = cls.cached_many([pk], stamp=stamp).get(pk)
        if question is None:
            raise cls.DoesNotExist(f"No question {pk}")
        return question

    @classmethod
    def cached_many(cls, pks: Iterable[int], *, stamp: int | None) -> dict[int, Question]:
        """`cached` for many questions, in one round trip to the cache and at most one query
        (and one for their choices) for those it misses. Questions that no longer exist are
        left out. Each is pickled with its quiz, source and prefetched choices: a hit makes no
        query."""
        pks = set(pks)
        found: dict[int, Question] = {}
        if stamp is not None:  # no stamp row (a flushed database): no key can be trusted
            keys = {_question_key(pk, stamp): pk for pk in pks}
            found = {keys[key]: q for key, q in cache.get_many(list(keys)).items()}
        missing = pks - found.keys()
        if missing:
            fetched = cls.objects.with_content().in_bulk(missing)
            if stamp is not None:
                entries = {_question_key(pk, stamp): q for pk, q in fetched.items()}
                cache.set_many(entries, QUESTION_CACHE_SECONDS)
            found |= fetched
        return found

    # Choices are read through `.choices.all()` so that a prefetch serves every method below.
    def sorted_choices(self) -> list[Choice]:
        return sorted(self.choices.all(), key=lambda c: (c.position, c.id))

    def left_items(self) -> list[Choice]:
        """Matching: the choices that carry a left-hand item (the others are spare partners)."""
        return [c for c in self.sorted_choices() if c.text]

    def shuffled(self, seed: int, items: Sequence[Choice], salt: str = "") -> list[Choice]:
        """The order one attempt shows these items in: random, but stable for that attempt."""
        shuffled = list(items)
        if self.type != QuestionType.TRUE_FALSE:
            random.Random(f"{seed}:{self.pk}:{salt}").shuffle(shuffled)
        return shuffled

    def grade(self, answer: dict[str, Any]) -> Grade:
        """Grade an answer as stored on a Response (see quizzes.forms for its shape)."""
        choices = self.sorted_choices()
        match self.type:
            case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
                right = next((c.id for c in choices if c.is_correct), None)
                return grading.grade_single(right, answer.get("choice"))
            case QuestionType.MULTIPLE_CHOICE:
                right_ids = {c.id for c in choices if c.is_correct}
                return grading.grade_multiple(right_ids, set(answer.get("choices", [])))
            case QuestionType.SHORT_ANSWER:
                return grading.grade_short([c.text for c in choices], answer.get("text", ""))
            case QuestionType.NUMERIC:
                if self.numeric_answer is None or "value" not in answer:
                    return grading.NONE
                value = Decimal(answer["value"])
                return grading.grade_numeric(self.numeric_answer, self.tolerance, value)
            case QuestionType.ORDERING:
                return grading.grade_ordering([c.id for c in choices], answer.get("order", []))
            case QuestionType.MATCHING:
                right_pairs = {str(c.id): c.id for c in self.left_items()}
                return grading.grade_matching(right_pairs, answer.get("pairs", {}))
        raise ValueError(f"unknown question type {self.type!r}")

    def right_answer_lines(self) -> list[str]:
        """The right answer in words, one line per item, for feedback and review."""
        choices = self.sorted_choices()
        match self.type:
            case (
                QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE | QuestionType.MULTIPLE_CHOICE
            ):
                return [c.text for c in choices if c.is_correct]
            case QuestionType.SHORT_ANSWER:
                return [choices[0].text] if choices else []
            case QuestionType.NUMERIC:
                return (
                    [format_number(self.numeric_answer)] if self.numeric_answer is not None else []
                )
            case QuestionType.ORDERING:
                return [c.text for c in choices]
            case QuestionType.MATCHING:
                return [f"{c.text} → {c.match_text}" for c in self.left_items()]
        return []

    def describe_answer(self, answer: dict[str, Any]) -> list[str]:
        """A student's answer in words, one line per item, stored with their response."""
        by_id = {c.id: c for c in self.choices.all()}
        match self.type:
            case QuestionType.SINGLE_CHOICE | QuestionType.TRUE_FALSE:
                chosen = by_id.get(answer.get("choice"))
                return [chosen.text] if chosen else []
            case QuestionType.MULTIPLE_CHOICE:
                return [by_id[i].text for i in answer.get("choices", []) if i in by_id]
            case QuestionType.SHORT_ANSWER | QuestionType.NUMERIC:
                return [answer.get("text", "")]
            case QuestionType.ORDERING:
                return [by_id[i].text for i in answer.get("order", []) if i in by_id]
            case QuestionType.MATCHING:
                pairs = answer.get("pairs", {})
                return [
                    f"{by_id[int(left)].text} → {by_id[right].match_text}"
                    for left, right in pairs.items()
                    if int(left) in by_id and right in by_id
                ]
        return []

    @property
    def has_partial_credit(self) -> bool:
        return self.type in {
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.ORDERING,
            QuestionType.MATCHING,
        }


class Choice(models.Model):
    """One option, accepted variant, ordering item or matching pair of a question.

    - single/multiple choice, true/false: `text` and whether it `is_correct`;
    - short answer: each accepted variant in `text` (the first is shown as the answer);
    - ordering: the items, `position` giving the right order;
    - matching: `text` is the left item, `match_text` its partner; a spare partner has no text.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500, blank=True)
    is_correct = models.BooleanField(default=False)
    match_text = models.CharField(max_length=500, blank=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        # By the column, not the relation: "question" would join questions and quizzes to
        # sort by their own ordering, on every prefetch of choices.
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text or self.match_text


class ContentStamp(models.Model):
    """One row whose `version` changes with every write to content: sources, topics, quizzes,
    questions and choices. Question.cached keys its entries by it.

    Saves and deletes bump it through signals (quizzes/apps.py), bulk writes through
    ContentQuerySet; only raw SQL must call `bump()` itself.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)

    @classmethod
    def current(cls) -> RawSQL:
        """The version, to annotate onto the query a request makes anyway (its attempt's).
        Written as SQL: compiling the same as a Subquery cost more than the query itself
        (0.55 ms of 2 on PostgreSQL, bench/profile_hot_paths.py), on every question."""
        return RawSQL(f"SELECT version FROM {cls._meta.db_table} LIMIT 1", ())

    @classmethod
    def bump(cls) -> None:
        # A random value rather than version + 1: a rolled-back transaction, a restored backup
        # or a flushed test database would bring an old number back, and with it whatever the
        # cache still holds under that number.
        version = secrets.randbits(63)
        if not cls.objects.update(version=version):
            cls.objects.get_or_create(pk=1, defaults={"version": version})


def bump_content_stamp(sender: type[models.Model], **kwargs: Any) -> None:
    """Receiver for post_save and post_delete of the content models."""
    ContentStamp.bump()


def format_number(value: Decimal | None, as_in: str = "") -> str:
    """A number as a reader expects it: 1108.000000 -> "1,108" if the text `as_in` writes it so,
    and years or other four-digit numbers plain ("1928"); 25000 -> "25,000"; 2.500000 -> "2.5"."""
    if value is None:
        return ""
    normal = value.normalize()
    if normal != normal.to_integral_value():
        return f"{normal:,f}"
    whole = int(normal)
    grouped, plain = f"{whole:,}", str(whole)
    if grouped in as_in:
        return grouped
    if plain in as_in or abs(whole) < 10000:
        return plain
    return grouped
