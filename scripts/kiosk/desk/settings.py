"""Django settings of the window desk, built from the environment. Every variable is declared once in
config.ENVIRONMENT, with its default and what it does (the README lists them).

The desk is always a production server: DEBUG is off, `kiosk desk serve` runs gunicorn, never runserver.
Off the loopback address it speaks only HTTPS (KIOSK_DESK_HTTPS, set by `kiosk desk serve`): secure
cookies, HSTS, and only the host names its certificate names.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import dj_database_url

from .config import (  # noqa: F401
    CATALOGUE,
    CODES,
    DATA,
    ENVIRONMENT,
    PID_FILE,
    SEARCHES,
    SECRET_KEY_FILE,
    SQLITE_FILE,
    TLS_DIR,
    TOWNSHIPS,
    env,
)

HTTPS = bool(env("KIOSK_DESK_HTTPS"))  # read here, when Django loads the settings: `serve` sets it first


def _secret_key() -> str:
    given = env("KIOSK_DESK_SECRET_KEY")
    if given:
        return given
    try:
        return SECRET_KEY_FILE.read_text("ascii").strip()
    except FileNotFoundError:  # not initialised yet: `kiosk desk init` writes it before anything is served
        return "not-initialised-" + "x" * 50


def database(url: str | None) -> dict:
    """Django's DATABASES entry: PostgreSQL from a URL, else SQLite in the data folder (WAL, a busy
    timeout, write transactions that take the lock at once so two writers never deadlock)."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_FILE,
            "CONN_MAX_AGE": 600,  # a worker keeps its connection: closing the last one checkpoints the WAL each time
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 20,  # seconds a writer waits for another (busy timeout)
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=20000",
            },
        }
    if urlsplit(url).scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL must be a postgresql:// URL, not {urlsplit(url).scheme}://")
    # dj-database-url: user, password, host, port, and the rest of the query as the connection's options;
    # a host, port or user given in the query (?host=/run/postgresql, a socket folder) is the entry's own,
    # so pg_dump and psql see it too (backup.py)
    entry = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    for key in ("host", "port", "user", "password"):
        if key in entry["OPTIONS"] and not entry[key.upper()]:
            entry[key.upper()] = entry["OPTIONS"].pop(key)
    return entry


def _hosts() -> list[str]:
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    return hosts + [h.strip() for h in (env("KIOSK_DESK_HOSTS") or "").split(",") if h.strip()]


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = _hosts()

INSTALLED_APPS = [
    "kiosk.desk",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kiosk.desk.middleware.IdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kiosk.desk.middleware.ContentSecurityPolicy",
    "kiosk.desk.middleware.NotAllowedPage",  # a 405 (a GET to a form's address …) answers a page in Chinese
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked login before the password is tried
    "django.contrib.auth.backends.ModelBackend",  # what a role may do at all (its group's permissions)
    "rules.permissions.ObjectPermissionBackend",  # what a person may do with one record (permissions.py)
]

ROOT_URLCONF = "kiosk.desk.urls"
WSGI_APPLICATION = "kiosk.desk.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kiosk.desk.views.desk_context",
            ]
        },
    }
]

DATABASES = {"default": database(env("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kiosk.desk.users.MinimumLength", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = None  # no collectstatic: WhiteNoise serves the files from the package (WHITENOISE_USE_FINDERS)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "kiosk.desk.finders.KioskSearchFinder",  # the kiosk's own search matcher, the very same file
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:login"

# sessions end after idle time: the cookie's age, renewed at most once a minute (middleware.IdleTimeout)
IDLE_MINUTES = int(env("KIOSK_DESK_IDLE_MINUTES"))
SESSION_COOKIE_AGE = IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "kiosk.desk.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if HTTPS:  # off the loopback address: names, phones and complaints cross the center's network
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False  # a LAN address is not for the browsers' preload list
    SECURE_PROXY_SSL_HEADER = None  # gunicorn terminates TLS itself; no proxy header is trusted
    SESSION_COOKIE_NAME = "__Host-desk-session"
    CSRF_COOKIE_NAME = "__Host-desk-csrf"
else:
    SESSION_COOKIE_NAME = "desk-session"
    CSRF_COOKIE_NAME = "desk-csrf"

# login lockout (django-axes): per staff id and computer, so one mistyping computer cannot lock a colleague out
AXES_FAILURE_LIMIT = int(env("KIOSK_DESK_LOCKOUT"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("KIOSK_DESK_LOCKOUT_MINUTES")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "desk/locked.html"
AXES_USERNAME_CALLABLE = "kiosk.desk.roles.login_name"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # lockouts are lifted with `kiosk desk user unlock`, never seen across townships

# a refused request (400 bad host, 403, 404, 405) is one line in the log, never a traceback: it is no fault
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "kiosk.desk.middleware.RefusalsWithoutTraceback"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING"}},
}
