# The "Teachers" group: what a teacher may do in the admin. Teacher accounts are staff users in
# this group, never superusers; which rows they may touch (their own banks and classes) is
# enforced by each ModelAdmin on top of these model permissions (quizzes/admin/).

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEACHERS = "Teachers"
# model -> actions. Frozen here as history: quizzes/admin/access.py holds the living copy, and
# a test checks that the two agree.
PERMISSIONS = {
    "sourcedocument": ("view", "add", "change", "delete"),
    "topic": ("view", "add"),
    "quiz": ("view", "add", "change", "delete"),
    "question": ("view", "add", "change", "delete"),
    "choice": ("view", "add", "change", "delete"),
    "classroom": ("view", "add", "change", "delete"),
    "membership": ("view", "delete"),
    "assignment": ("view", "add", "change", "delete"),
    "attempt": ("view",),
    "response": ("view",),
}


def create_teachers_group(apps, schema_editor):
    # Permissions are normally created after the last migration (post_migrate); create them now
    # so that the group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True  # historical app configs have none: pretend they do
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [
        f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="quizzes", codename__in=codenames
    )
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    group.permissions.set(permissions)


def delete_teachers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TEACHERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("quizzes", "0003_progress_one_open_session"),
    ]

    operations = [migrations.RunPython(create_teachers_group, delete_teachers_group)]
