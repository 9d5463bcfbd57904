"""The one settings module. Everything that differs between a laptop and a school's server
comes from the environment; the defaults are safe for development."""

import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# A development key is only acceptable while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "axes",
    "django_ratelimit",
    "quizzes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "quizzes.middleware.limit_request_body",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "quizzes.middleware.private_pages_uncached",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quizzes.middleware.htmx_login_redirect",
    "quizzes.middleware.readable_not_allowed",
    "quizzes.signin.session_limits",
    "quizzes.signin.password_choice_required",  # after a login card's one-time password
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Every asset is served by the app itself: nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# ---- Accounts: login throttling, sessions, passwords (issue 17; quizzes/signin.py) ----------
# A class shares one school address, so lock out a username from an address, never a whole
# address; a browser that has signed in to the account before is not locked out by others'
# tries (a device cookie); the lockout grows from 1 to 15 minutes with each wrong password past
# the 5th, and tries during a lockout never extend it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # A login card's one-time password or sign-in link, checked by digest (quizzes.models.cards)
    "quizzes.auth.LoginCardBackend",
    "quizzes.auth.CachedModelBackend",  # ModelBackend, the signed-in user from the cache
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "quizzes.signin.cool_off"
AXES_HANDLER = "quizzes.signin.ThrottlingHandler"  # wrong passwords forgotten after a quiet hour
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_WHITELIST_CALLABLE = "quizzes.signin.is_trusted_device"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = False  # ThrottlingHandler resets, unless the browser is trusted
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A sign-in link's token is never written to axes' records (it travels in the form's body).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]  # axes' two, and ours
# A session ends when the browser closes, unless "Keep me signed in on this device" was ticked
# (then 14 days), and 12 hours after signing in in any case, however active (quizzes/signin.py).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
# Django's default hashers and hashes, the default (PBKDF2PasswordHasher) computed at a low CPU
# priority, so that a class typing their passwords at once does not stall everyone else's pages
# (quizzes/hashing.py). Django's own is left out: it checks hashes of the same name, pbkdf2_sha256,
# and of two hashers with one name Django checks with the last.
PASSWORD_HASHERS = [
    "quizzes.hashing.BackgroundPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Per address an hour: accounts made (a class of 30 signing up in one lesson fits), and wrong
# class codes typed (two for each of a class of 30). Behind a load balancer every client has
# its address: raise both there (README, "Deploying for a district").
SIGNUPS_PER_ADDRESS = int(os.environ.get("SIGNUPS_PER_ADDRESS", "40"))
WRONG_JOIN_CODES_PER_ADDRESS = int(os.environ.get("WRONG_JOIN_CODES_PER_ADDRESS", "60"))
# Sign-in links that match no card, opened from one address in an hour (README, "Login cards").
WRONG_SIGNIN_LINKS_PER_ADDRESS = int(os.environ.get("WRONG_SIGNIN_LINKS_PER_ADDRESS", "30"))
# ---- end of accounts -------------------------------------------------------------------------
# Other guessing (join codes) is throttled with django-ratelimit in the shared cache; with
# Redis down it lets requests through, as the rest of the site carries on without Redis.
RATELIMIT_FAIL_OPEN = True

# Request bodies and private pages (issue 17). quizzes.middleware.limit_request_body answers
# 413 before reading a body larger than its view takes: a teacher's upload (importing
# questions, deriving them from a text, a source's text) UPLOAD_MAX_MB and a form's fields, any
# other request REQUEST_MAX_BYTES, several times the longest form anyone fills in. The proxy
# in front must let the uploads through (README: client_max_body_size).
UPLOAD_MAX_BYTES = int(float(os.environ.get("UPLOAD_MAX_MB", "2")) * 1024 * 1024)
REQUEST_MAX_BYTES = 64 * 1024
# For a body that runs past its Content-Length: Django refuses form fields past this, and keeps
# an upload up to it in memory, never on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + REQUEST_MAX_BYTES

ROOT_URLCONF = "quizsite.urls"
WSGI_APPLICATION = "quizsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["template_partials.templatetags.partials"],
            # Cached loaders in every environment: templates are parsed once per process.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]

# SQLite is the embedded default; DATABASE_URL points at PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Behind pgbouncer in transaction mode, server-side cursors (.iterator(), the admin's menus)
# break: DATABASE_DISABLE_SERVER_SIDE_CURSORS=1 turns them off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a whole class answer at once without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Optional: a read replica for the teachers' dashboards, which tolerate a second of lag
# (quizzes/db.py). Nothing else reads it: students must see their own answers at once.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        # Tests have no replica: the alias reads the test database through its own connection.
        test_options={"MIRROR": "default"},
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "quizsite",
            "OPTIONS": {
                # Redis down is a cache miss, not an error: sessions fall back to the database.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # No Redis: a cache on disk, which every worker on this machine shares. A cache in each
    # process's memory would go on serving a session that another worker had logged out.
    # A folder per database, so that two databases on one machine never share sessions.
    database_key = hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:12]
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache")) / database_key,
            # Culling lists the folder: keep it rare (a school's sessions and questions fit).
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    }
    # django-ratelimit counts in this cache, whose increments are not atomic: two requests of
    # one student at the same instant may count as one. That loosens a limit of 10 wrong join
    # codes an hour by a few at most; production has Redis.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# How often an open class board asks whether it has changed. Each open board is a request
# every this many seconds: at 10, a school of 1,000 watching their boards at the end of a
# lesson costs one small server half what it would at 5 (README, "The school").
LEADERBOARD_POLL_SECONDS = int(os.environ.get("LEADERBOARD_POLL_SECONDS", "10"))

# The live game records its revealed answers into progress, mastery and spaced review after the
# reveal's response, in a thread of the process ("background"), or in the request ("inline",
# the tests'): quizzes/live/recording.py.
LIVE_RECORDING = os.environ.get("LIVE_RECORDING", "background")

# Sessions are read from the cache and written through to the database, so they survive a
# restart of the cache, and every worker (and, with Redis, every server) sees the same ones.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "quizzes.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quizzes:home"
LOGOUT_REDIRECT_URL = "quizzes:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Questions' pictures (issue 21): on disk under MEDIA_ROOT by default, served by the app at
# MEDIA_URL (quizzes.views.media) unless a proxy serves that path first (README, "Pictures");
# in S3-compatible object storage through django-storages when AWS_STORAGE_BUCKET_NAME is set.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Keys left unset fall back to boto3's own chain (an instance role, ~/.aws).
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # a store not on AWS
            "location": os.environ.get("AWS_LOCATION", "media"),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            # Served from the site's own origin through the proxy, or from the store's.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        },
    }
    # The pictures come from the store's address: the one origin beside 'self' they may.
    MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", "")
    if MEDIA_ORIGIN:
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_ORIGIN)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        # Hashed, compressed files in production; plain finders while developing and testing.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED=1.
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
