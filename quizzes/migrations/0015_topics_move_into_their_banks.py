"""Each topic moves into the bank of its questions (their quiz's source, else their quiz); a
topic whose questions lie in several banks gets a copy in each, so no two teachers' banks
share a topic any more. Topics without questions stay the site's."""

import secrets

from django.db import migrations


def move_topics(apps, schema_editor):
    Topic = apps.get_model("quizzes", "Topic")
    Question = apps.get_model("quizzes", "Question")
    ContentStamp = apps.get_model("quizzes", "ContentStamp")
    for topic in Topic.objects.filter(source=None, quiz=None).order_by("id"):
        banks = (
            Question.objects.filter(topic=topic)
            .values_list("quiz__source_id", "quiz_id")
            .order_by("quiz__source_id", "quiz_id")
            .distinct()
        )
        keys = []
        for source_id, quiz_id in banks:
            key = ("source", source_id) if source_id else ("quiz", quiz_id)
            if key not in keys:
                keys.append(key)
        for n, (kind, bank_id) in enumerate(keys):
            home = topic if n == 0 else Topic(name=topic.name, slug=topic.slug)
            home.source_id = bank_id if kind == "source" else None
            home.quiz_id = bank_id if kind == "quiz" else None
            home.save()
            if n:
                questions = Question.objects.filter(topic=topic)
                if kind == "source":
                    questions = questions.filter(quiz__source_id=bank_id)
                else:
                    questions = questions.filter(quiz_id=bank_id, quiz__source_id=None)
                questions.update(topic=home)
    # Cached questions carry their topic: a new stamp, so none is read back stale.
    ContentStamp.objects.update(version=secrets.randbits(63))


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0014_topics_belong_to_their_bank")]

    operations = [migrations.RunPython(move_topics, migrations.RunPython.noop)]
