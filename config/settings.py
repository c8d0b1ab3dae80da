"""Settings for smedx. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    local_secret,
    media_storage,
    server_list,
    server_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SMEDX_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# A developer's machine (DEBUG, the test suite, the Makefile's run/test/bench) may use a secret
# generated into var/ and localhost; a server (anything else) must be given both by its environment
# and refuses to start without them (docs/deployment.md).
DEVELOPMENT = DEBUG or env_bool("SMEDX_DEV", False)
SECRET_KEY = local_secret(VAR_DIR / "secret_key") if DEVELOPMENT else server_secret()
ALLOWED_HOSTS = (
    env_list("ALLOWED_HOSTS", "127.0.0.1,localhost") if DEVELOPMENT else server_list("ALLOWED_HOSTS")
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "smedx.core",
    "smedx.accounts",
    "smedx.enterprises",
    "smedx.assessments",
    "smedx.planning",
    "smedx.providers",
    "smedx.proposals",
    "smedx.projects",
    "smedx.subsidies",
    "smedx.workbench",
    "smedx.api",
    "smedx.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the web workers, before sessions or the database are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the session, the user or a form from the database.
    "smedx.core.middleware.RefuseBadCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "smedx" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smedx.core.context_processors.platform",
            ],
            "builtins": ["smedx.core.templatetags.smedx"],
        },
    }
]

# Covering indexes (INCLUDE) serve PostgreSQL, the production database; SQLite keeps their key
# columns only, which is all the development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Django's renderer, with the select and input widgets written out in Python (smedx/core/renderers.py).
FORM_RENDERER = "smedx.core.renderers.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'smedx.sqlite3'}"),
        # Persistent connections on a server (checked before reuse); none in development, where
        # runserver's thread per request would leave one open per request.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEVELOPMENT else 600),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
        # Behind pgbouncer in transaction mode (docs/deployment.md).
        disable_server_side_cursors=env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
# A server is reached over HTTPS, so its cookies are sent over HTTPS only (SECURE_COOKIES=0 to try
# it over plain HTTP). Behind a proxy that ends TLS, BEHIND_HTTPS_PROXY=1 trusts its
# X-Forwarded-Proto, which the proxy must set itself and never pass on from the client.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers check it over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # one date format in every language
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "smedx" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "smedx.core.staticfiles.VendorFinder",
]
# Front-end libraries come from npm (`npm ci`) and are served from here: no CDN, works offline.
# Only the files the pages link (and the source maps those name) are found and collected.
VENDOR_STATIC = {
    "vendor/bootstrap": (
        NODE_MODULES / "bootstrap" / "dist",
        [
            "css/bootstrap.min.css",
            "css/bootstrap.min.css.map",
            "js/bootstrap.bundle.min.js",
            "js/bootstrap.bundle.min.js.map",
        ],
    ),
    "vendor/bootstrap-icons": (
        NODE_MODULES / "bootstrap-icons" / "font",
        ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff", "fonts/bootstrap-icons.woff2"],
    ),
    "vendor/htmx": (NODE_MODULES / "htmx.org" / "dist", ["htmx.min.js"]),
    "vendor/echarts": (NODE_MODULES / "echarts" / "dist", ["echarts.min.js"]),
}
# On a server `manage.py collectstatic` writes hashed, gzip- and brotli-compressed copies that
# WhiteNoise serves with a far-future expiry; in development files come from the folders above.
STATIC_STORAGE = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEVELOPMENT
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEVELOPMENT
# Pages link the hashed names only; source maps are for the browser's tools and stay uncompressed.
# Both halve what collectstatic compresses (the API docs' bundles are most of it).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": media_storage(env_str("MEDIA_STORAGE", "local")),
    "staticfiles": {"BACKEND": STATIC_STORAGE},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
# Days a provider's entry into the pool stays in public notice (公示) before it can be listed.
PROVIDER_NOTICE_DAYS = env_int("PROVIDER_NOTICE_DAYS", 7)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# The most enterprise rows one import file may hold (make bench imports 100,000).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
# What an .xlsx may unpack to (zip bombs), derived from the row limit: 4 KB a row is about four times
# a typical row as openpyxl writes it (0.9 KB; Excel's shared strings take less), plus 16 MB for
# styles, the reference sheet and the rest of the package.
IMPORT_MAX_UNZIPPED_BYTES = env_int("IMPORT_MAX_UNZIPPED_BYTES", IMPORT_MAX_ROWS * 4096 + 16 * 2**20)
# Files with more rows than this are validated and written by the task worker, not in the request.
IMPORT_INLINE_ROWS = env_int("IMPORT_INLINE_ROWS", 2000)
# Exports of lists up to this many rows are written in the request and downloaded at once; longer ones
# are written by the task worker, whose progress (updated every EXPORT_PROGRESS_ROWS rows) the job's
# page shows. Their files are deleted after EXPORT_KEEP_DAYS days (the daily job delete_old_exports).
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 2000)
EXPORT_PROGRESS_ROWS = env_int("EXPORT_PROGRESS_ROWS", 5000)
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", 7)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MAILERS = {"default": {"BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "smedx <noreply@smedx.local>")

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = _("SME Digital Transformation Service Platform")
