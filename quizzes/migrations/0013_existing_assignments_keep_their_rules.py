"""Assignments set before assignments had rules keep the rules they had (unlimited attempts,
the best score counts), and the attempts their students made since they were set become
theirs, numbered in the order they were started."""

from django.db import migrations


def adopt_attempts(apps, schema_editor):
    Assignment = apps.get_model("quizzes", "Assignment")
    Attempt = apps.get_model("quizzes", "Attempt")
    Assignment.objects.update(attempts_allowed=None, score_counts="best")
    taken: set[int] = set()
    for assignment in Assignment.objects.order_by("assigned_at", "id"):
        attempts = (
            Attempt.objects.filter(
                kind="quiz",
                quiz_id=assignment.quiz_id,
                started_at__gte=assignment.assigned_at,
                user__memberships__classroom_id=assignment.classroom_id,
            )
            .exclude(pk__in=taken)
            .order_by("user_id", "started_at", "id")
        )
        numbers: dict[int, int] = {}
        for attempt in attempts:
            numbers[attempt.user_id] = numbers.get(attempt.user_id, 0) + 1
            attempt.assignment_id = assignment.pk
            attempt.number = numbers[attempt.user_id]
            attempt.save(update_fields=["assignment", "number"])
            taken.add(attempt.pk)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0012_assignment_attempts_and_shared_quizzes")]

    operations = [migrations.RunPython(adopt_attempts, migrations.RunPython.noop)]
