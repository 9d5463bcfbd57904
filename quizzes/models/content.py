"""Content: source documents, topics, quizzes (question banks), questions and their choices."""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils.text import slugify

from quizzes import grading
from quizzes.banklint import Finding, LintQuestion, LintQuiz, lint_quiz
from quizzes.grading import Grade, QuestionType
from quizzes.interchange.schema import Row, answer_problems, locate_passage


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Difficulty(models.IntegerChoices):
    EASY = 1, "Easy"
    MEDIUM = 2, "Medium"
    HARD = 3, "Hard"


class Thinking(models.TextChoices):
    """The kind of thinking a question asks for; its difficulty follows from it."""

    RECALL = "recall", "Recall"
    UNDERSTANDING = "understanding", "Understanding"
    CAUSE = "cause", "Cause and consequence"
    SIGNIFICANCE = "significance", "Significance"
    EVIDENCE = "how-we-know", "How we know"


class ContentQuerySet(models.QuerySet):
    """Queries of content (ContentModel): their bulk writes move the content stamp, as saves
    and deletes do through their signals, so no caller has to remember to."""

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

    def free_slug(self, title: str) -> str:
        """A slug from the title that no row has yet: "Moscow Trials" -> "moscow-trials-2"."""
        base = slugify(title)[:80] or "untitled"
        slug, n = base, 1
        while self.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug


class OwnedQuerySet(ContentQuerySet):
    """Bank content a teacher owns: a source or a quiz, and a question through its quiz. Every
    teacher reads all of it; only its owner, or a superuser, changes it. The model names the
    path to its owner in OWNER_PATH."""

    def editable_by(self, user: Any) -> Any:
        if user.is_superuser:
            return self
        return self.filter(**{self.model.OWNER_PATH: user})


def may_edit(user: Any, owner_id: int | None) -> bool:
    """The one ownership rule, for one object whose owner's id is known: see OwnedQuerySet."""
    return user.is_superuser or (owner_id is not None and owner_id == user.pk)


class ContentModel(models.Model):
    """Content: what cached questions carry (Question.cached), so every write to it moves the
    content stamp (ContentStamp). Saves and deletes do through signals, which quizzes/apps.py
    connects for every subclass it finds; bulk writes through ContentQuerySet, which a
    subclass's own QuerySet extends. Every model of this module but ContentStamp is one
    (tests/test_content_cache.py holds it to that)."""

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True


class SourceDocumentQuerySet(OwnedQuerySet):
    def visible_to(self, user: Any) -> SourceDocumentQuerySet:
        """Sources of the quizzes a user sees (Quiz.objects.visible_to) and of the published
        banks those draw from: the sources of every question they may be asked, which its
        feedback links to. Another teacher's class's own quiz keeps its source to itself."""
        visible = Quiz.objects.visible_to(user)
        banks = Quiz.objects.published().filter(drawn_into__in=visible)
        return self.filter(Q(quizzes__in=visible) | Q(quizzes__in=banks)).distinct()


class SourceDocument(ContentModel):
    """A text that questions are derived from; every question quotes a passage of it."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceDocumentQuerySet.as_manager()
    OWNER_PATH = "owner"

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:source", args=[self.slug])

    def is_editable_by(self, user: Any) -> bool:
        return may_edit(user, self.owner_id)


class TopicQuerySet(ContentQuerySet):
    def for_quiz(self, quiz: Any) -> TopicQuerySet:
        """The topics a question of `quiz` may have: its bank's (Topic.bank_of) and the
        site's own, never another bank's."""
        return self.filter(Q(source=None, quiz=None) | Q(**Topic.bank_of(quiz)))

    def for_quizzes(self, quizzes: Any) -> TopicQuerySet:
        """The topics of the banks of any of `quizzes` (a QuerySet), and the site's own."""
        return self.filter(
            Q(source=None, quiz=None)
            | Q(source__in=quizzes.values("source_id"))
            | Q(quiz__in=quizzes.filter(source=None))
        )


class Topic(ContentModel):
    """What a question is about; progress and mastery are counted per topic.

    A topic belongs to its bank: the source its quiz quotes (so a source's class quiz and its
    practice pool share their topics), or the quiz itself when it has no source. Two teachers'
    banks that both name a topic "Paragraph 1" have a topic each, never one between them. A
    topic of no bank (made in the admin) is the site's own, unique by name."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="topics"
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz", null=True, blank=True, on_delete=models.CASCADE, related_name="topics"
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=[*bank, field],
                    condition=condition,
                    name=f"topic_{field}_unique_in_{label}",
                )
                for field in ("name", "slug")
                for bank, condition, label in (
                    (["source"], Q(source__isnull=False), "source"),
                    (["quiz"], Q(quiz__isnull=False), "quiz"),
                    ([], Q(source__isnull=True, quiz__isnull=True), "site"),
                )
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | Q(quiz__isnull=True),
                name="topic_in_one_bank_at_most",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bank_label(self) -> str:
        """The name with its bank, where two banks may name topics alike (the admin)."""
        bank = self.source or self.quiz
        return f"{self.name} ({bank})" if bank else self.name

    @classmethod
    def bank_of(cls, quiz: Any) -> dict[str, Any]:
        """The lookup of a quiz's bank: its source, else the quiz; the site's with no quiz."""
        if quiz is None:
            return {"source": None, "quiz": None}
        if quiz.source_id:
            return {"source_id": quiz.source_id, "quiz": None}
        return {"source": None, "quiz": quiz}

    @classmethod
    def named(cls, name: str, *, quiz: Any = None) -> Topic:
        """The topic called `name` in the quiz's bank, else the one there whose slug it makes:
        two files that say "sx-cold-war" and "SX Cold War" share one topic rather than clash
        on its slug. Other banks' topics of the name are theirs."""
        bank = cls.bank_of(quiz)
        if topic := cls.objects.filter(name=name, **bank).first():
            return topic
        # A name of no ASCII letters (Cyrillic, say) makes no slug of its own: one of its hash.
        slug = slugify(name)[:100] or f"topic-{hashlib.sha256(name.encode()).hexdigest()[:16]}"
        topic, _ = cls.objects.get_or_create(slug=slug, **bank, defaults={"name": name})
        return topic


def _count(queryset: models.QuerySet) -> Coalesce:
    """A per-quiz count as a subquery, so that several counts never multiply each other."""
    counted = queryset.values("quiz").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class QuizQuerySet(OwnedQuerySet):
    def published(self) -> QuizQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> QuizQuerySet:
        """Published quizzes a user may see and take: those shared with everyone, those set
        for a class they are in or teach, and their own. The one rule of who sees what, for
        every page that lists, opens or counts quizzes."""
        published = self.published()
        if not user.is_authenticated:
            return published.filter(shared=True)
        assignments = self.model.assignments.rel.related_model.objects.filter(quiz=OuterRef("pk"))
        for_me = assignments.filter(
            Q(classroom__memberships__student=user) | Q(classroom__teacher=user)
        )
        return published.filter(Q(shared=True) | Q(owner=user) | Exists(for_me))

    def in_list_order(self) -> QuizQuerySet:
        """Fixed quizzes (a lesson's) first, then pools, each by title: Meta.ordering is lost
        in a grouped query such as with_question_counts()."""
        return self.order_by(models.F("per_topic").desc(nulls_first=True), "title")

    def publish(self) -> tuple[int, list[Quiz]]:
        """Publish these quizzes: how many, and those with nothing to ask yet (no published
        question of their own and no bank to draw from), which students would find empty."""
        empty = list(self.exclude(questions__status=Status.PUBLISHED).filter(draws_from=None))
        return self.update(status=Status.PUBLISHED), empty

    def with_question_counts(self) -> QuizQuerySet:
        return self.annotate(
            published_questions=Count("questions", filter=Q(questions__status=Status.PUBLISHED))
        )

    def with_statistics(self) -> QuizQuerySet:
        """With `n_questions`, `n_published`, `n_attempts` (finished, scored quiz attempts) and
        `mean_percent` (their mean score, None before any), in one query at any size."""
        attempts = self.model.attempts.rel.related_model  # content comes before attempts
        questions = Question.objects.filter(quiz=OuterRef("pk"))
        finished = attempts.objects.filter(
            quiz=OuterRef("pk"),
            kind=attempts.Kind.QUIZ,
            finished_at__isnull=False,
            max_score__gt=0,
        )
        percent = Cast(F("score"), FloatField()) * 100 / Cast(F("max_score"), FloatField())
        mean = (
            finished.values("quiz").annotate(m=Avg(percent, output_field=FloatField())).values("m")
        )
        return self.annotate(
            n_questions=_count(questions),
            n_published=_count(questions.filter(status=Status.PUBLISHED)),
            n_attempts=_count(finished),
            mean_percent=Subquery(mean, output_field=FloatField()),
        )


class Quiz(ContentModel):
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
    shared = models.BooleanField(
        default=False,
        help_text="Every student of the site sees it once published. Unticked: only the "
        "students of the classes it is assigned to.",
    )
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
    per_topic = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Draw this many questions of each topic for each attempt, at least a third "
        "of them beyond recall (Moodle's random questions). Empty: a fixed list.",
    )
    # A practice set on a class's weak spots (Class insight) asks chosen questions of its banks,
    # not all of them: the same questions, so answering them moves the students' mastery.
    picked_questions = models.ManyToManyField(
        "quizzes.Question",
        blank=True,
        related_name="picked_into",
        help_text="Only these published questions of the banks it draws from. Empty: all.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuizQuerySet.as_manager()
    OWNER_PATH = "owner"

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz", args=[self.slug])

    def is_editable_by(self, user: Any) -> bool:
        return may_edit(user, self.owner_id)

    def next_position(self) -> int:
        """Where a question added to this quiz goes: after its last."""
        return max(self.questions.values_list("position", flat=True), default=0) + 1

    def free_key(self, key: str) -> str:
        """A key for a copy of the question `key` that no question of this quiz has yet:
        "purges-copy", then "purges-copy-2"..."""
        taken = set(self.questions.values_list("key", flat=True))
        free, n = f"{key[:90]}-copy", 1
        while free in taken:
            n += 1
            free = f"{key[:88]}-copy-{n}"
        return free

    def duplicate(self, *, owner: Any) -> Quiz:
        """A draft copy of this quiz and its questions, owned by `owner`, with the same keys
        and order. Prefetch `questions__choices` and `draws_from` to copy many at once."""
        copy = Quiz.objects.create(
            slug=Quiz.objects.free_slug(f"{self.title} copy"),
            title=f"{self.title} (copy)",
            description=self.description,
            source=self.source,
            status=Status.DRAFT,
            owner=owner,
            question_count=self.question_count,
            per_topic=self.per_topic,
        )
        copy.draws_from.set(self.draws_from.all())
        copy.picked_questions.set(self.picked_questions.all())
        for question in self.questions.all():
            question.copy(quiz=copy, key=question.key, position=question.position)
        return copy

    def question_pool(self) -> QuestionQuerySet:
        """Published questions this quiz may ask: its own and those of the banks it draws from
        (of those, only the picked ones if it has any)."""
        picks = Quiz.picked_questions.through.objects.filter(quiz_id=self.pk)
        picked = Q(pk__in=picks.values("question_id")) | ~Exists(picks)
        return Question.objects.published().filter(
            Q(quiz=self) | Q(quiz__in=self.draws_from.published()) & picked
        )

    @property
    def is_pool(self) -> bool:
        """Whether each attempt draws its own questions, in an order of its own."""
        return bool(self.per_topic or self.question_count)

    def draw_question_ids(self, rng: random.Random) -> list[int]:
        rows = list(
            self.question_pool()
            .order_by("quiz_id", "position", "id")
            .values_list("id", "topic_id", "thinking", "type")
        )
        if self.per_topic:
            rows = draw_per_topic(rows, self.per_topic, rng)
        elif self.question_count:
            rows = _one_ordering_at_most(rng.sample(rows, len(rows)))[: self.question_count]
        else:
            return [row[0] for row in rows]
        # An ordering question's items and passage name dates: it comes last.
        last = [row for row in rows if row[3] == QuestionType.ORDERING]
        return [row[0] for row in rows if row[3] != QuestionType.ORDERING] + [r[0] for r in last]

    def lint_findings(self) -> list[Finding]:
        """What the bank linter finds in this quiz as its students meet it (quizzes.banklint)."""
        questions = list(
            self.question_pool()
            .with_content()
            .select_related("topic")
            .order_by("quiz_id", "position", "id")
        )
        texts = SourceDocument.objects.filter(quizzes__questions__in=questions).distinct()
        quiz = LintQuiz(
            slug=self.slug,
            description=self.description,
            questions=[q.as_lint() for q in questions],
            drawn=self.is_pool,
            per_topic=self.per_topic,
            sources=dict(texts.values_list("slug", "text")),
        )
        return lint_quiz(quiz)


def draw_per_topic(rows: list[tuple], per_topic: int, rng: random.Random) -> list[tuple]:
    """`per_topic` rows (id, topic_id, thinking, type) of each topic, at random, and of them
    at least a third beyond recall wherever the topic has them; one ordering question at most
    (its dates would answer another's); shuffled across topics."""
    by_topic: dict[int, list[tuple]] = {}
    for row in rows:
        by_topic.setdefault(row[1], []).append(row)
    topics = list(by_topic.values())
    rng.shuffle(topics)
    drawn: list[tuple] = []
    for topic_rows in topics:
        if any(row[3] == QuestionType.ORDERING for row in drawn):
            topic_rows = [row for row in topic_rows if row[3] != QuestionType.ORDERING]
        deeper = [row for row in topic_rows if row[2] != Thinking.RECALL]
        take = _one_ordering_at_most(rng.sample(deeper, len(deeper)))[: -(-per_topic // 3)]
        rest = [row for row in topic_rows if row not in take]
        if any(row[3] == QuestionType.ORDERING for row in take):
            rest = [row for row in rest if row[3] != QuestionType.ORDERING]
        drawn += take + _one_ordering_at_most(rng.sample(rest, len(rest)))[: per_topic - len(take)]
    rng.shuffle(drawn)
    return drawn


def _one_ordering_at_most(rows: list[tuple]) -> list[tuple]:
    """The rows in their order without any ordering question after the first."""
    orderings = [row for row in rows if row[3] == QuestionType.ORDERING]
    return [row for row in rows if row[3] != QuestionType.ORDERING or row is orderings[0]]


class QuestionQuerySet(OwnedQuerySet):
    def published(self) -> QuestionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> QuestionQuerySet:
        """Published questions of the quizzes a user sees (Quiz.objects.visible_to), and of
        the published banks those quizzes draw from."""
        visible = Quiz.objects.visible_to(user)
        drawn = Quiz.objects.published().filter(drawn_into__in=visible)
        return self.published().filter(Q(quiz__in=visible) | Q(quiz__in=drawn))

    def answered_by(self, user: Any) -> QuestionQuerySet:
        """Questions `user` has answered at least once (none for a visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=user.responses.values("question_id"))

    def with_answer_counts(self) -> QuestionQuerySet:
        """With `n_responses`, `n_right` and `share_right` (the facility: None before any)."""
        return self.annotate(
            n_responses=Count("responses"),
            n_right=Count("responses", filter=Q(responses__is_correct=True)),
            share_right=Cast(F("n_right"), FloatField())
            / NullIf(Cast(F("n_responses"), FloatField()), Value(0.0)),
        )

    def publish(self) -> tuple[list[Question], list[tuple[Question, list[str]]]]:
        """Publish those that may be (see `publish_problems`): the published, and the refused
        with their problems."""
        ready, refused = [], []
        for question in self.select_related("quiz__source").prefetch_related("choices"):
            problems = question.publish_problems()
            if problems:
                refused.append((question, problems))
            else:
                ready.append(question)
        Question.objects.filter(pk__in=[q.pk for q in ready]).update(status=Status.PUBLISHED)
        return ready, refused

    def discard_drafts(self) -> tuple[int, int, int]:
        """Delete the drafts nobody has answered; published questions, and drafts with recorded
        answers, are kept so that results stay intact. Returns how many were deleted, left
        alone as published, and kept as answered."""
        drafts = set(self.filter(status=Status.DRAFT).values_list("pk", flat=True))
        published = self.count() - len(drafts)
        answered = set(
            Question.objects.filter(pk__in=drafts, responses__isnull=False).values_list(
                "pk", flat=True
            )
        )
        deleted = Question.objects.filter(pk__in=drafts - answered)
        count = deleted.count()
        deleted.delete()
        return count, published, len(answered)

    def with_content(self) -> QuestionQuerySet:
        """With all that a question card, its feedback and its grading read: the quiz, its
        source (whose long text only the source page needs) and the choices; and the topic,
        that results count by."""
        return (
            self.select_related("quiz__source", "topic")
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


@dataclass(frozen=True)
class ReviewRow:
    """One option, position or pair of an answer, beside the right one: what feedback marks
    right or wrong, in the right answer's order."""

    item: str
    yours: str
    right: str
    is_right: bool


# The columns of the rows, per type (the item, the student's, the right one).
REVIEW_COLUMNS = {
    QuestionType.MULTIPLE_CHOICE: ("Option", "Your answer", "Right answer"),
    QuestionType.ORDERING: ("Event", "Your position", "Right position"),
    QuestionType.MATCHING: ("Item", "Your match", "Right match"),
}


def question_image_path(question: Question, filename: str) -> str:
    """A random name (the teacher's file name may say more than the picture should)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"questions/{secrets.token_hex(16)}.{extension}"


class Question(ContentModel):
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
    # Empty for a question from elsewhere (imported from Moodle, Kahoot or Quizlet, or written by
    # hand without a source): it may be published all the same, and students see its
    # explanation alone. A passage that is given must be in the quiz's source (publish_problems).
    passage = models.TextField(
        blank=True,
        help_text="The exact words of the source this question rests on; empty for a question "
        "with no source.",
    )
    passage_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Where the passage starts in the source text."
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    thinking = models.CharField(
        max_length=20,
        choices=Thinking.choices,
        default=Thinking.RECALL,
        help_text="What the question asks a student to do: recall a fact, or explain it.",
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
    confidence_reason = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text="For derived drafts: why the engine is as sure as it is, in a word or two.",
    )
    # One picture (issue 21), stored through STORAGES["default"] under a random name; its size
    # is kept for the <img>'s width and height, so the page does not shift as it loads.
    image = models.ImageField(
        upload_to=question_image_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="A JPEG, PNG or WebP picture up to 2 MB. Only its pixels are kept: no "
        "camera details or location.",
    )
    image_alt = models.CharField(
        "picture's description",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for a student who cannot see it.",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()
    OWNER_PATH = "quiz__owner"

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_in_quiz"),
            models.CheckConstraint(condition=Q(tolerance__gte=0), name="tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]

    def is_editable_by(self, user: Any) -> bool:
        return may_edit(user, self.quiz.owner_id)

    def copy(self, *, quiz: Quiz, key: str, position: int) -> Question:
        """A copy of this question and its choices in `quiz`, with this key and position; a
        draft when it stays in its own quiz (a duplicate to edit), its status otherwise."""
        choices = list(self.choices.all())
        copy = Question.objects.get(pk=self.pk)
        copy.pk = None
        copy._state.adding = True
        copy.quiz, copy.key, copy.position = quiz, key, position
        if quiz == self.quiz:
            copy.status = Status.DRAFT
        copy.save()
        Choice.objects.bulk_create(
            Choice(
                question=copy,
                position=c.position,
                text=c.text,
                is_correct=c.is_correct,
                match_text=c.match_text,
            )
            for c in choices
        )
        return copy

    def duplicate(self) -> Question:
        """A draft copy at the end of its own quiz, under a free key."""
        quiz = self.quiz
        return self.copy(quiz=quiz, key=quiz.free_key(self.key), position=quiz.next_position())

    def locate_passage(self, text: str) -> int:
        """Where the passage starts in the source `text`, or -1 (see schema.locate_passage)."""
        return locate_passage(text, self.passage, self.passage_start)

    @property
    def has_source(self) -> bool:
        """Whether the question quotes a passage of its quiz's source; one without ("No
        source": imported, or written by hand) shows its explanation alone."""
        return bool(self.passage)

    def publish_problems(self) -> list[str]:
        """Why this question may not be published yet ([] if it may): a passage it quotes must
        be in its quiz's source (it may quote none), and its answer must keep the rules of its
        type."""
        problems = []
        source = self.quiz.source
        if self.passage and (source is None or self.passage not in source.text):
            problems.append("Its passage is not in the quiz's source text.")
        rows = [Row(c.text, c.is_correct, c.match_text) for c in self.sorted_choices()]
        return problems + answer_problems(self.type, rows, self.numeric_answer, self.tolerance)

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
                return grading.grade_short(
                    [c.text for c in choices],
                    answer.get("text", ""),
                    person=grading.asks_for_person(self.prompt),
                    known_words=self.source_words,
                )
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

    def as_lint(self) -> LintQuestion:
        """This question as the bank linter reads it (the same rows as a bank file's)."""
        return LintQuestion(
            key=self.key,
            type=self.type,
            prompt=self.prompt,
            explanation=self.explanation,
            passage=self.passage,
            passage_start=self.passage_start,
            source=self.quiz.source.slug if self.quiz.source else "",
            topic=self.topic.name,
            number=self.numeric_answer,
            rows=tuple(
                {"text": c.text, "is_correct": c.is_correct, "match_text": c.match_text}
                for c in self.sorted_choices()
            ),
        )

    def source_words(self) -> set[str]:
        """The words of this question's source, normalised: forgiving a typo never turns what
        a student typed from one of them into another (read only when a typo is in question)."""
        source = self.quiz.source
        return set(grading.normalise_text(source.text).split()) if source else set()

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
                    # Written as the passage writes it: "1,108" where it says so.
                    [format_number(self.numeric_answer, self.passage)]
                    if self.numeric_answer is not None
                    else []
                )
            case QuestionType.ORDERING:
                return [c.text for c in choices]
            case QuestionType.MATCHING:
                return [f"{c.text} → {c.match_text}" for c in self.left_items()]
        return []

    def review_rows(self, answer: dict[str, Any]) -> list[ReviewRow]:
        """The answer item by item, in the right answer's order, each marked right or wrong;
        none for the types whose answer is one thing (single choice, short answer ...)."""
        choices = self.sorted_choices()
        match self.type:
            case QuestionType.MULTIPLE_CHOICE:
                chosen = set(answer.get("choices", []))
                said = {True: "Chosen", False: "Not chosen"}
                return [
                    ReviewRow(
                        c.text,
                        said[c.id in chosen],
                        said[c.is_correct],
                        (c.id in chosen) == c.is_correct,
                    )
                    for c in choices
                ]
            case QuestionType.ORDERING:
                placed = {item: n for n, item in enumerate(answer.get("order", []), start=1)}
                return [
                    ReviewRow(c.text, str(placed.get(c.id, "-")), str(n), placed.get(c.id) == n)
                    for n, c in enumerate(choices, start=1)
                ]
            case QuestionType.MATCHING:
                by_id = {c.id: c for c in choices}
                pairs = answer.get("pairs", {})
                rows = []
                for c in self.left_items():
                    partner = by_id.get(pairs.get(str(c.id)))
                    yours = partner.match_text if partner else "(none)"
                    rows.append(ReviewRow(c.text, yours, c.match_text, partner == c))
                return rows
        return []

    @property
    def review_columns(self) -> tuple[str, str, str] | None:
        return REVIEW_COLUMNS.get(QuestionType(self.type))

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


class Choice(ContentModel):
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

    class Meta:
        # By the column, not the relation: "question" would join questions and quizzes to
        # sort by their own ordering, on every prefetch of choices.
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text or self.match_text


class ContentStamp(models.Model):
    """One row whose `version` changes with every write to content (every ContentModel:
    sources, topics, quizzes, questions and choices). Question.cached keys its entries by it.

    Saves and deletes bump it through signals (quizzes/apps.py), bulk writes through
    ContentQuerySet; only raw SQL must call `bump()` itself (the app has none).
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
    """Receiver for post_save and post_delete of every ContentModel."""
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
