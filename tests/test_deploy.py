"""Production settings pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_reports_nothing_with_production_settings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-key-from-the-environment-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "quiz.example.org",
    }
    # Set for the browser tests in this process; a production environment never has it.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bucket_in_the_environment_stores_pictures_in_s3_behind_the_csp():
    """Configuration only (no store is reached): the default storage becomes django-storages'
    S3 backend on the given endpoint, the app's own media route goes, the CSP names the
    store's origin."""
    env = {
        **os.environ,
        "AWS_STORAGE_BUCKET_NAME": "quiz",
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "MEDIA_ORIGIN": "http://127.0.0.1:9000",
    }
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import storages\n"
        "from django.urls import resolve\n"
        "print(type(storages['default']))\n"
        "print(storages['default'].url('questions/ab.png'))\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
        "print(resolve('/media/questions/ab.png').url_name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    storage, url, img_src = result.stdout.splitlines()[:3]
    assert "S3Storage" in storage
    assert url.startswith("http://127.0.0.1:9000/quiz/media/questions/ab.png?")
    assert "http://127.0.0.1:9000" in img_src
    assert "Resolver404" in result.stderr  # no media route of the app's own
