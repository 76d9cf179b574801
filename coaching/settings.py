"""Settings for the studio app, read from the environment (twelve-factor).

Every value that differs between a laptop and production comes from an
environment variable with a safe default for a local run. A missing or
malformed production value raises ImproperlyConfigured with a plain message;
manage.py and the WSGI/ASGI entry points turn that into a one-line error.
"""

import os
import zoneinfo
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# Lets admin and form classes be subscripted with their model (ModelAdmin[Client]) at run time.
django_stubs_ext.monkeypatch()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string in production, "
            "or set DEBUG=true for a local run."
        )
    SECRET_KEY = "django-insecure-local-development-key-only-never-in-production"
elif not DEBUG and len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY is too short: use at least 32 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Give the site's host names, comma-separated "
        "(for example ALLOWED_HOSTS=studio.example.com)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks_db",
    "auditlog",
    "exercises",
    "clients",
    "coaching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "coaching.middleware.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside CommonMiddleware and CSRF, so their redirects and 403s get the header too.
    "coaching.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clients.middleware.PersonalTimeZoneMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "coaching.urls"
WSGI_APPLICATION = "coaching.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "coaching.context_processors.studio",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL with Django's psycopg pool;
# an SQLite file when unset, for a first run on a laptop.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when the database is down or hangs: a page answers with the error
        # page (and /healthz with 503) in about 3 s, long before gunicorn's 30 s timeout
        # would kill the worker and the proxy would show a 502.
        _db["OPTIONS"] = {
            **_db.get("OPTIONS", {}),
            "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 3),
            "pool": {
                "min_size": env_int("DB_POOL_MIN_SIZE", 1),
                "max_size": env_int("DB_POOL_MAX_SIZE", 10),
                "timeout": min(env_int("DB_POOL_TIMEOUT", 3), 3),
            },
        }
        # Web requests only (wsgi.py and asgi.py set STUDIO_PROCESS=web): migrations and
        # management commands may run long statements.
        if os.environ.get("STUDIO_PROCESS") == "web":
            _db["OPTIONS"]["options"] = (
                f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 5000)}"
            )
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # Writers take the lock when the transaction starts, so two
                # bookings of one slot queue up instead of failing half-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not shared-cache memory: there, a second writer fails at once with
            # "table is locked" instead of waiting, so concurrency tests would lie.
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "coaching.User"
AUTHENTICATION_BACKENDS = ["coaching.accounts.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGOUT_REDIRECT_URL = "coaching:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known IANA time zone.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))


def s3_storage() -> tuple[dict[str, object], list[str]]:
    """Uploaded media (exercise videos, posters, captions) on any S3-compatible store.

    Returns the storage and the origins the player fetches videos from (for the CSP's
    media-src). The keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as boto3
    reads them; links are signed for an hour unless AWS_QUERYSTRING_AUTH=false (a
    public bucket or a CDN in front, named by AWS_S3_CUSTOM_DOMAIN).
    """
    bucket = os.environ["AWS_STORAGE_BUCKET_NAME"].strip()
    endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
    region = os.environ.get("AWS_S3_REGION_NAME", "").strip()
    domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "AWS_S3_ENDPOINT_URL must be the store's address, like https://s3.example.com."
        )
    options: dict[str, object] = {
        "bucket_name": bucket,
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600),
        "file_overwrite": False,
    }
    if endpoint:
        options["endpoint_url"] = endpoint
    if region:
        options["region_name"] = region
    if domain:
        options["custom_domain"] = domain
    if os.environ.get("AWS_DEFAULT_ACL"):
        options["default_acl"] = os.environ["AWS_DEFAULT_ACL"]
    if domain:
        origins = [f"https://{domain.split('/')[0]}"]
    elif endpoint:
        origins = [endpoint.split("/", 3)[0] + "//" + endpoint.split("/", 3)[2]]
    else:
        regional = f"https://{bucket}.s3.{region}.amazonaws.com" if region else ""
        origins = [o for o in (f"https://{bucket}.s3.amazonaws.com", regional) if o]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origins


if os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
    _media_storage, MEDIA_ORIGINS = s3_storage()
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_ORIGINS = []
# The largest exercise video a coach may upload, in MB.
EXERCISE_VIDEO_MAX_MB = env_int("EXERCISE_VIDEO_MAX_MB", 50)

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email (Django 6.1 mailers): SMTP when EMAIL_HOST is set, the console otherwise.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
            ),
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set: production needs an SMTP server to send confirmations and invites."
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Studio <hello@studio.example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

STUDIO_NAME = os.environ.get("STUDIO_NAME", "RTF Studio")
# The public address, for links in emails sent from background tasks.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
if not DEBUG and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be the site's https:// address (for links in emails), "
        "for example SITE_URL=https://studio.example.com."
    )

# Background work (emails, alerts): run at once on a laptop and in tests; in production
# queued in the database and run by `python manage.py db_worker`.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.backend.DatabaseBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be immediate or database.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Content Security Policy: our own scripts with a nonce, video embeds only
# from the two hosts the exercise pages use, our own videos from us or the media store.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # Exercise videos: from our own Range view, or straight from the media store.
    "media-src": [CSP.SELF, *MEDIA_ORIGINS],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a promise to browsers that is slow to take back, so it is the
        # studio's explicit choice (SECURE_HSTS_PRELOAD=true); until then the check that
        # asks for it (W021) is silenced rather than ignored on every deploy.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Rate limits (coaching/accounts/throttle.py) key on the client's address. Behind a TLS
# proxy every request comes from the proxy, so name the header it writes the client's
# address into and how many proxies, each adding one entry, stand in front of the app.
# Unset, REMOTE_ADDR is used and any such header a client sends is ignored.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "").strip()
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if TRUSTED_PROXY_HEADER else 0)
if TRUSTED_PROXY_HEADER and not TRUSTED_PROXY_HEADER.replace("-", "").isalnum():
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_HEADER must be a header name like X-Forwarded-For "
        f"(got {TRUSTED_PROXY_HEADER!r})."
    )
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
# Always on; a test may turn the limits off for its own client.
THROTTLE_ENABLED = True

# The free assessment's video call. Unset, each coach's own fixed link is used; set, every
# booking gets its own room: "{room}" is replaced by a random per-booking name (for example
# https://meet.jit.si/rtf-studio-{room}). No external API is called.
ASSESSMENT_ROOM_URL_TEMPLATE = os.environ.get("ASSESSMENT_ROOM_URL_TEMPLATE", "").strip()
if ASSESSMENT_ROOM_URL_TEMPLATE and (
    not ASSESSMENT_ROOM_URL_TEMPLATE.startswith("https://")
    or "{room}" not in ASSESSMENT_ROOM_URL_TEMPLATE
):
    raise ImproperlyConfigured(
        "ASSESSMENT_ROOM_URL_TEMPLATE must be an https:// address containing {room}, "
        "for example https://meet.jit.si/rtf-studio-{room}."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The audit trail (django-auditlog): no client addresses in it.
AUDITLOG_DISABLE_REMOTE_ADDR = True
