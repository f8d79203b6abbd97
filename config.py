"""Settings: every value comes from the environment, with embedded defaults for development.

``create_app()`` loads :class:`Config` (or the class named by ``config``), then applies
``FLASK_``-prefixed environment variables on top (``app.config.from_prefixed_env()``).

``APPLICATION_ROOT`` is the one source of the URL prefix (default ``/``): a ``SCRIPT_NAME``
passed on by the server (gunicorn reads it from a request header) is ignored.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import overload

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable, treating the empty string as unset."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    """Return an environment variable read as a boolean (1/true/yes/on)."""
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return an environment variable read as an integer."""
    value = env(name)
    return int(value) if value is not None else default


def development_secret_key() -> str:
    """Return a secret key generated once into ``instance/`` (development only)."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'gateway.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # noqa: RUF012 - copied per app
    SITE_URL = env("SITE_URL", "http://localhost:5000").rstrip("/")
    LEADS_URL = (env("LEADS_URL") or SITE_URL).rstrip("/")
    CONTENT_DIR = env("CONTENT_DIR", str(BASE_DIR / "content"))
    SITE_NAME = "Western Balkans Outsourcing"

    # Languages are listed in gateway/locales.py.
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Belgrade"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Forms and requests.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 64 * 1024)
    WTF_CSRF_TIME_LIMIT = env_int("WTF_CSRF_TIME_LIMIT", 3600)
    FORM_MIN_SECONDS = env_int("FORM_MIN_SECONDS", 3)
    FORM_MAX_SECONDS = env_int("FORM_MAX_SECONDS", 4 * 3600)  # then the form comes back, kept
    PROXY_COUNT = env_int("PROXY_COUNT", 0)
    # The URL prefix the app is served under ("/": none). Links are built from this setting
    # only, never from a request's SCRIPT_NAME (a header gunicorn would accept).
    APPLICATION_ROOT = env("APPLICATION_ROOT", "/")

    # Rate limits (Flask-Limiter).
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # If the limit store (Redis) is down, serve the forms unlimited rather than lose leads.
    RATELIMIT_SWALLOW_ERRORS = env_bool("RATELIMIT_SWALLOW_ERRORS", True)
    FORM_RATE_LIMIT = env("FORM_RATE_LIMIT", "10 per minute; 100 per day")
    # The plan's two forms (a message, a new link) share one budget per address.
    PLAN_RATE_LIMIT = env("PLAN_RATE_LIMIT", "5 per minute; 30 per day")
    LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "20 per minute")

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = env_int("STAFF_IDLE_MINUTES", 30) * 60
    PREFERRED_URL_SCHEME = "https" if SITE_URL.startswith("https://") else "http"

    # Lead handling.
    LEAD_INBOX = env("LEAD_INBOX", "leads@westernbalkans-outsourcing.example")
    RESPONSE_WORKING_DAYS = env_int("RESPONSE_WORKING_DAYS", 2)
    RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)
    # Follow-up: an open lead without activity for this many days is in its owner's digest;
    # an investor who agreed to updates and went silent gets a check-in after NURTURE_DAYS and
    # a last one after twice that.
    FOLLOW_UP_DAYS = env_int("FOLLOW_UP_DAYS", 14)
    NURTURE_DAYS = env_int("NURTURE_DAYS", 21)
    # The regional report: a file name under CONTENT_DIR or static/ (found there if present).
    REPORT_FILE = env("REPORT_FILE", "reports/western-balkans-bpo-regional-report.pdf")
    REPORT_LINK_DAYS = env_int("REPORT_LINK_DAYS", 30)

    # Mail: SMTP when MAIL_SERVER is set, otherwise messages are written to MAIL_FOLDER.
    MAIL_SERVER = env("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = env(
        "MAIL_SENDER", "Western Balkans Outsourcing <hello@westernbalkans-outsourcing.example>"
    )
    MAIL_FOLDER = env("MAIL_FOLDER", str(INSTANCE_DIR / "mail"))
    MAIL_TIMEOUT = float(env("MAIL_TIMEOUT", "10"))
    # DKIM: with all three set, the mail relay signs every message (dkimpy), covering
    # List-Unsubscribe and List-Unsubscribe-Post as RFC 8058 requires; unset, nothing is signed
    # here and the mail server may sign instead. The key is an RSA private key in PEM; its
    # public half is published at <DKIM_SELECTOR>._domainkey.<DKIM_DOMAIN> (docs/deploy.md).
    DKIM_SELECTOR = env("DKIM_SELECTOR")
    DKIM_DOMAIN = env("DKIM_DOMAIN")
    DKIM_PRIVATE_KEY_PATH = env("DKIM_PRIVATE_KEY_PATH")

    # CRM (HubSpot). No token: sync is off and events wait in the outbox.
    HUBSPOT_ACCESS_TOKEN = env("HUBSPOT_ACCESS_TOKEN")
    HUBSPOT_BASE_URL = env("HUBSPOT_BASE_URL", "https://api.hubapi.com")
    HUBSPOT_API_VERSION = env("HUBSPOT_API_VERSION", "v3")
    HUBSPOT_RATE_LIMIT = env_int("HUBSPOT_RATE_LIMIT", 100)
    HUBSPOT_TIMEOUT = float(env("HUBSPOT_TIMEOUT", "10"))
    HUBSPOT_RATE_WINDOW = float(env("HUBSPOT_RATE_WINDOW", "10"))  # seconds per limit window
    HUBSPOT_MAX_ATTEMPTS = env_int("HUBSPOT_MAX_ATTEMPTS", 8)  # then an event is dead
    HUBSPOT_LEASE_SECONDS = env_int("HUBSPOT_LEASE_SECONDS", 300)  # a killed relay's claim returns
    HUBSPOT_IDLE_SECONDS = float(env("HUBSPOT_IDLE_SECONDS", "5"))  # worker sleep when idle
    HUBSPOT_CONCURRENCY = env_int("HUBSPOT_CONCURRENCY", 3)  # batches in flight together
    HUBSPOT_BACKOFF_SECONDS = float(env("HUBSPOT_BACKOFF_SECONDS", "30"))  # first retry wait
    HUBSPOT_BACKOFF_MAX_SECONDS = float(env("HUBSPOT_BACKOFF_MAX_SECONDS", "3600"))
    # Changes made in HubSpot: webhooks signed with the app's client secret (unset: refused),
    # and a pull through the search API every HUBSPOT_PULL_MINUTES (0: off).
    HUBSPOT_CLIENT_SECRET = env("HUBSPOT_CLIENT_SECRET")
    HUBSPOT_WEBHOOK_RATE_LIMIT = env("HUBSPOT_WEBHOOK_RATE_LIMIT", "600 per minute")
    HUBSPOT_ERASE_ON_DELETE = env_bool("HUBSPOT_ERASE_ON_DELETE", False)
    HUBSPOT_PULL_MINUTES = float(env("HUBSPOT_PULL_MINUTES", "5"))
    HUBSPOT_SEARCH_RATE_LIMIT = env_int("HUBSPOT_SEARCH_RATE_LIMIT", 4)  # search requests/second

    # Content: in production a broken file is left out and logged; in development it is shown.
    CONTENT_ERRORS_VISIBLE = True
    FREEZE_WORKERS = env_int("FREEZE_WORKERS", 0)  # processes for `flask freeze`; 0: one per core
    PAGE_CACHE_MB = env_int("PAGE_CACHE_MB", 64)  # rendered public pages kept per process; 0: off


class DevelopmentConfig(Config):
    """Local development: embedded SQLite, generated secret key, content edits shown at once."""

    CONTENT_AUTO_RELOAD = env_bool("CONTENT_AUTO_RELOAD", True)
    PAGE_CACHE_MB = env_int("PAGE_CACHE_MB", 0)  # templates reload in development: render anew


class ProductionConfig(Config):
    """Production: SECRET_KEY must be set; broken content is left out and logged."""

    ENV_NAME = "production"
    CONTENT_ERRORS_VISIBLE = False
    CONTENT_AUTO_RELOAD = env_bool("CONTENT_AUTO_RELOAD", False)


class TestConfig(Config):
    """Tests: throwaway database, no rate limits unless a test turns them on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    FORM_MIN_SECONDS = 3
    HUBSPOT_ACCESS_TOKEN = None
    HUBSPOT_CLIENT_SECRET = None
    MAIL_SERVER = None


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}
