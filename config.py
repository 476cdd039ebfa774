"""Settings, read from the environment.

Development uses an embedded SQLite file under instance/ so a newcomer needs
nothing installed; production refuses to start without its secrets.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'jetaa.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "JETAA Connect <no-reply@jetaa.example>")
    MAIL_FILE_DIR = str(INSTANCE_DIR / "mail")
    # Transient failures (no connection, timeouts, 4xx) are retried this long, at most
    # MAIL_MAX_BACKOFF_MINUTES apart; permanent ones (5xx for the recipient) stop at once.
    MAIL_RETRY_DAYS = _env_int("MAIL_RETRY_DAYS", 3)
    MAIL_MAX_BACKOFF_MINUTES = 60

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # Sessions that end (jetaa/security/sessions.py): idle minutes, then hours at most;
    # "remember me" (never for admins, officers, mission staff) lasts REMEMBER_DAYS.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 120)
    SESSION_IDLE_MINUTES_PRIVILEGED = _env_int("SESSION_IDLE_MINUTES_PRIVILEGED", 30)
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    REMEMBER_DAYS = _env_int("REMEMBER_DAYS", 30)
    REMEMBER_COOKIE_DURATION = timedelta(days=REMEMBER_DAYS)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Argon2id parameters (argon2-cffi's RFC 9106 "low memory" profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600

    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Per address: loose, as 40 alumni at an information session share one Wi-Fi address.
    RATELIMIT_LOGIN = "100 per minute;1000 per hour"
    # Per account: failed attempts only (a guesser is stopped whatever address they use).
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;20 per hour"
    # Redis unreachable: count in process memory meanwhile, never answer a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_RESET = "5 per minute;20 per hour"
    # Per account (jetaa/security/scraping.py): a person reads a few pages a minute, a
    # script hundreds. Past them a 429, an audit entry and the admins are e-mailed.
    RATELIMIT_SCRAPE_DIRECTORY = os.environ.get("RATELIMIT_SCRAPE_DIRECTORY",
                                                "60 per minute;300 per hour;1000 per day")
    RATELIMIT_SCRAPE_PROFILES = os.environ.get("RATELIMIT_SCRAPE_PROFILES",
                                               "60 per minute;300 per hour;1000 per day")
    # The JSON API (/api/v1/) per token, member or address (jetaa/api/limits.py).
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "120 per minute;3000 per hour")
    RATELIMIT_SCRAPE_API = os.environ.get("RATELIMIT_SCRAPE_API",
                                          "60 per minute;300 per hour;1000 per day")
    RATELIMIT_SCRAPE_EXPORTS = os.environ.get("RATELIMIT_SCRAPE_EXPORTS",
                                              "10 per minute;30 per hour;100 per day")

    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "ja")
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Activity photos and receipts: outside static/, served only through permission checks.
    ACTIVITY_UPLOAD_DIR = os.environ.get("ACTIVITY_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Profile photos, event images, branch logos: outside static/, served after a check.
    PICTURE_DIR = os.environ.get("PICTURE_DIR", str(INSTANCE_DIR / "pictures"))
    PICTURE_MAX_BYTES = 5 * 1024 * 1024
    # Announcements: batches of the outbox queue, and each branch's limits per day.
    ANNOUNCEMENT_BATCH_SIZE = _env_int("ANNOUNCEMENT_BATCH_SIZE", 500)
    ANNOUNCEMENTS_PER_DAY = _env_int("ANNOUNCEMENTS_PER_DAY", 5)
    ANNOUNCEMENT_RECIPIENTS_PER_DAY = _env_int("ANNOUNCEMENT_RECIPIENTS_PER_DAY", 30000)
    ANNOUNCEMENT_MAX_BODY = 20000  # characters of Markdown
    # The site's address: every absolute link (e-mail, feeds, the widget) is built on it,
    # never on a request's Host header (no reset-link or cached-feed poisoning).
    # Production refuses to start without it and refuses requests for other hosts.
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host to believe
    # (werkzeug's ProxyFix); 0 trusts none, so nobody can forge their address.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    # Seconds a cached figure or reference list may live (0: no caching, as in the tests).
    CACHE_TTL = _env_int("CACHE_TTL", 60)
    # Where each process writes the cache's hit rates as it exits (the mixed bench sets it).
    CACHE_STATS_FILE = os.environ.get("CACHE_STATS_FILE") or None

    @property
    def RATELIMIT_STORAGE_URI(self) -> str:  # noqa: N802 (Flask config name)
        return self.REDIS_URL or "memory://"


class DevelopmentConfig(Config):
    """Only when JETAA_ENV=development is chosen (`make run` does): a known key is fine."""

    DEBUG = False  # the reloader's debugger is opt-in: FLASK_DEBUG=1
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    # Without a worker (no REDIS_URL), deliver mail as each request ends: see mail/feature.py.
    MAIL_DELIVER_AT_ONCE = os.environ.get("MAIL_DELIVER_AT_ONCE", "1") == "1"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    REDIS_URL = None
    MAIL_SERVER = None
    PUBLIC_URL = "http://jetaa.test"
    CACHE_TTL = 0
    # Cheap hashes: the suite creates hundreds of accounts.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # __Host-: the browser keeps them only if Secure, for this host alone, for path /.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_NAME = "__Host-remember"
    HSTS_SECONDS = 365 * 24 * 3600
    PREFERRED_URL_SCHEME = "https"

    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        self.PUBLIC_URL = os.environ.get("PUBLIC_URL") or type(self).PUBLIC_URL
        if not self.PUBLIC_URL:
            missing.append("PUBLIC_URL")
        if missing:
            raise RuntimeError(f"ProductionConfig needs {', '.join(missing)} in the environment")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        parts = urlsplit(self.PUBLIC_URL)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RuntimeError("PUBLIC_URL must be an address such as https://connect.jetaa.org")
        # Requests for any other host are refused (400) before a view runs.
        self.TRUSTED_HOSTS = [parts.hostname]


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The settings JETAA_ENV names. Unset, it is development only when SECRET_KEY is set:
    a forgotten variable must not mean a site signing its cookies with a known key."""
    env = os.environ.get("JETAA_ENV")
    if env is None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("Set SECRET_KEY (and JETAA_ENV=production), or choose "
                               "JETAA_ENV=development explicitly (make run does)")
        env = "development"
    if env not in ("development", "production"):
        raise RuntimeError(f"JETAA_ENV must be development or production, not {env!r}")
    return CONFIGS[env]
