# The content stamp that keys cached questions (quizzes.models.content.ContentStamp): one row,
# created here so that the first request already finds it.

from django.db import migrations, models


def create_stamp(apps, schema_editor):
    apps.get_model("quizzes", "ContentStamp").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_teachers_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_stamp, migrations.RunPython.noop),
    ]
