"""Django settings for the hub. Secure by default; everything a deployment changes comes
from the environment:

- ``DATABASE_URL``: e.g. ``postgresql://user@host:5432/csphub``; unset: SQLite in the hub folder.
- ``CSPHUB_MIGRATE_DATABASE_URL``: the same PostgreSQL database as the role that owns the
  tables, for migrations (database alias ``owner``); then ``DATABASE_URL``'s role is the
  application's, granted SELECT and INSERT only on the audit trail after every migration.
- ``CSPHUB_HUB_DIR``: the hub folder (SQLite file, generated secret key); default ./csphub-hub.
- ``CSPHUB_SECRET_KEY``: the secret key; unset: one generated once and kept in the hub folder.
- ``CSPHUB_HTTPS=1``: secure cookies, HSTS and redirect to HTTPS (behind TLS).
- ``CSPHUB_ALLOWED_HOSTS``: comma-separated host names (default: localhost names).
- ``CSPHUB_DEBUG=1``: Django debug pages (never in production).
- ``CSPHUB_STORE``: the evidence store the TTCG agenda draws on (default ./csphub-data).
- ``CSPHUB_AREA``: the partnership's area code in that store (unset: no evidence offered).
- ``CSPHUB_TRUSTED_PROXY_HEADER``: behind a reverse proxy (TLS), the header in which it
  passes the client's address, e.g. ``X-Forwarded-For``; unset: the connection's address.
- ``CSPHUB_TRUSTED_PROXIES``: how many proxies in front of the hub append to that header
  (default 1); the client is the address the outermost of them saw.

The hub folder is made readable by its owner only (0700), and so are the secret key and
the SQLite database in it (0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from csphub.hub import private_file, private_folder

HUB_DIR = Path(os.environ.get("CSPHUB_HUB_DIR", "csphub-hub")).resolve()
PACKAGE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    if key := os.environ.get("CSPHUB_SECRET_KEY"):
        return key
    path = private_folder(HUB_DIR) / "secret-key"
    if not path.exists():
        private_file(path).write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return private_file(path).read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CSPHUB_DEBUG") == "1"
HTTPS = os.environ.get("CSPHUB_HTTPS") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CSPHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "csphub.hub.audit",
    "csphub.hub.access",
    "csphub.hub.plan",
    "csphub.hub.groups",
    "csphub.hub.actions",
    "csphub.hub.casework",
    "csphub.hub.committee",
    "csphub.hub.dashboard",
]

MIDDLEWARE = [
    "csphub.hub.audit.context.RequestIdMiddleware",
    "csphub.hub.access.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csphub.hub.access.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csphub.hub.access.middleware.AccessMiddleware",
]

ROOT_URLCONF = "csphub.hub.urls"
WSGI_APPLICATION = "csphub.hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csphub.hub.access.context.navigation",
            ],
        },
    }
]
#: Plain widgets drawn in Python, the same markup as Django's templates (widget_html.py).
FORM_RENDERER = "csphub.hub.widget_html.WidgetRenderer"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # No JIT compilation: the hub's queries are short, and PostgreSQL's JIT, set off by
        # the cost estimates of policy subqueries, spent 155 ms compiling a 28 ms query.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": private_file(private_folder(HUB_DIR) / "hub.sqlite3"),
            # BEGIN IMMEDIATE: a transaction takes the write lock before its first read, so
            # the audit chain's writers queue (and wait) instead of failing on a stale read.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if os.environ.get("CSPHUB_MIGRATE_DATABASE_URL"):
    if not os.environ.get("DATABASE_URL"):
        raise ImproperlyConfigured(
            "CSPHUB_MIGRATE_DATABASE_URL (the owner role) needs DATABASE_URL (the app role)"
        )
    DATABASES["owner"] = dj_database_url.parse(os.environ["CSPHUB_MIGRATE_DATABASE_URL"])
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
#: A persistent connection is checked before a request reuses it, so a database restart or
#: a dropped connection costs one reconnect instead of a failed request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/sign-in/"
LOGIN_REDIRECT_URL = "/"

# Sessions stay in the database (not a per-worker memory cache): signing out in one worker
# must end the session in every worker at once.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
#: Content-Security-Policy: everything from this site only, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
#: Sign-in throttling (csphub.hub.access.throttle), failures within the window: this many
#: for one user name from one address; for one user name from anywhere (but the addresses
#: its user signed in from); for unknown user names from one address.
LOGIN_FAILURE_LIMIT = 5
#: Refused requests recorded in the audit trail per user per minute (then one summary row).
AUDIT_DENIED_PER_MINUTE = 20
LOGIN_ACCOUNT_FAILURE_LIMIT = 20
LOGIN_ADDRESS_FAILURE_LIMIT = 20
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
#: How long an address a user signed in from stays theirs for throttling.
LOGIN_KNOWN_ADDRESS_DAYS = 30
#: A temporary password an administrator set signs in for this many days; after that the
#: user asks for a new one (it travelled outside the hub, so it must not stay a key).
TEMPORARY_PASSWORD_DAYS = 7

#: The committee report's PDF is kept per version of the data (csphub.hub.committee.pdf);
#: a user may have this many fresh ones made (about 1.5 s of server time each) a window.
COMMITTEE_PDF_RENDER_LIMIT = 4
COMMITTEE_PDF_RENDER_WINDOW_SECONDS = 60

#: The client's address behind a reverse proxy (csphub.hub.access.proxy): the header's
#: name as Django's META key, and how many trusted proxies append to it.
TRUSTED_PROXY_HEADER = (
    "HTTP_" + header.strip().upper().replace("-", "_")
    if (header := os.environ.get("CSPHUB_TRUSTED_PROXY_HEADER", "")).strip()
    else None
)
TRUSTED_PROXY_COUNT = int(os.environ.get("CSPHUB_TRUSTED_PROXIES", "1"))

#: The evidence store and area the TTCG agenda's exceedances and hot spots come from.
CSPHUB_STORE = os.environ.get("CSPHUB_STORE", "csphub-data")
CSPHUB_AREA = os.environ.get("CSPHUB_AREA", "")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
