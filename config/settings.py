"""Settings: the one place that reads the environment (through the readers of ``config/env.py``).

Embedded demo mode (``DJANGO_DEBUG=1``, used by ``make run``) runs with SQLite and eager Celery
tasks and may fall back to a development secret key; every other mode refuses to start without
its secrets.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.csp import plotly_style_hashes
from config.env import env, envbool, envdecimal, envint

BASE_DIR = Path(__file__).resolve().parent.parent

environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set (only DJANGO_DEBUG=1 demo mode has a default)")
    SECRET_KEY = "demo-mode-only-not-secret-0c1d8e7f5a9b4e2d"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

#: Checks named here are silenced on purpose; README "Production settings" gives each one's reason.
SILENCED_SYSTEM_CHECKS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "config.apps.LoginThrottlingConfig",  # django-axes
    "csp",
    "config.apps.SiteConfig",
    "finance",
    "workflow",
    "projects",
    "performance",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise: static files keep their year-long caching; every page is private.
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Inside the others: the pages these two answer with get the security headers, and the header
    # of the user's role.
    "config.middleware.DemoErrorPagesMiddleware",
    "config.middleware.RefuseNulMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "finance.context_processors.roles",
                "workflow.context_processors.todo",
            ],
        },
    },
]

# Embedded default: SQLite next to the code. Production: DATABASE_URL (PostgreSQL via psycopg 3).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a busy writer instead of failing at once; WAL lets pages read during a recompute.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # SQLite ignores INCLUDE columns of covering indexes; PostgreSQL, where they matter, has them.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A worker or web process killed mid-statement: PostgreSQL looks at the socket every few seconds
    # and cancels the statement, rolling back its transaction and freeing its locks, instead of
    # running it to the end for nobody (a recompute at scale 100 runs for seconds).
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _check_ms = envint("DB_CLIENT_CHECK_INTERVAL_MS", 2000, minimum=0)
    if _check_ms:  # 0: not sent at all (PgBouncer refuses startup options it does not know)
        _check = f"-c client_connection_check_interval={_check_ms}"
        _db_options["options"] = f"{_db_options.get('options', '')} {_check}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or address is refused before its password is checked.
    "config.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "performance:landing"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here; whitenoise serves it with hashed names, cached for a year.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence of rectification items (SPEC §14.2): never under the static root, never served by
# URL; only through the item's download view, which checks the item's scope.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))).resolve()
if MEDIA_ROOT == STATIC_ROOT.resolve() or STATIC_ROOT.resolve() in MEDIA_ROOT.parents:
    raise ImproperlyConfigured("MEDIA_ROOT must lie outside STATIC_ROOT: uploads are never public files.")
if MEDIA_ROOT == (BASE_DIR / "static").resolve() or (BASE_DIR / "static").resolve() in MEDIA_ROOT.parents:
    raise ImproperlyConfigured("MEDIA_ROOT must lie outside the app's static files.")
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# -- Security (SPEC §10; README "Security") ----------------------------------------------------------

# HTTPS: on in production, whether the app or a reverse proxy in front of it terminates TLS.
HTTPS = envbool("HTTPS", False)
# Reverse proxies in front of the app (0: clients connect to gunicorn directly). Behind them the
# scheme comes from X-Forwarded-Proto and the client address from X-Forwarded-For, which the nearest
# proxy must overwrite rather than pass on from the client.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# Health probes of the orchestrator or load balancer ask over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 365 * 24 * 60 * 60) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # The browsers' preload list is for public domains; an intranet host cannot be submitted to it.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
X_FRAME_OPTIONS = "DENY"
# A form sent without its token gets the app's 403 page, not Django's.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS after login
# (config.middleware.SessionLimitsMiddleware), and when the browser closes.
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_HOURS", 10, minimum=1) * 60 * 60
SESSION_TOUCH_SECONDS = min(60, SESSION_IDLE_SECONDS // 2)
if SESSION_ABSOLUTE_SECONDS < SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured("SESSION_ABSOLUTE_HOURS must not be shorter than SESSION_IDLE_MINUTES")
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): LOGIN_FAILURES_PER_USERNAME failures lock that username, and
# LOGIN_FAILURES_PER_ADDRESS failures lock that client address, for LOGIN_COOLOFF_MINUTES after the
# last failure. The address's limit is higher so that one office behind one address is not locked
# out together by one person's mistakes (config.throttling.ThrottleHandler).
AXES_HANDLER = "config.throttling.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURES_PER_USERNAME", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = envint("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
if LOGIN_FAILURES_PER_ADDRESS < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("LOGIN_FAILURES_PER_ADDRESS must not be below LOGIN_FAILURES_PER_USERNAME")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
# A try during the lockout neither counts nor extends it: the cool-off runs from the last real failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "config.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "config.throttling.lockout_response"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, plus the
# few inline styles plotly.js injects, each allowed by the hash of its exact text (config/csp.py);
# 'unsafe-hashes' lets those hashes cover style attributes too, of which plotly sets only empty ones.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-hashes'", *plotly_style_hashes(), "'report-sample'"],
        # Plotly's map library probes for WebP with a data: image as it loads, and "download as PNG"
        # draws the chart through an image from a blob: URL.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    },
}

# Upload limits: an import file (checked before its body is read, finance.views.imports.import_start), and
# every other request body, which holds only form fields.
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_MB", 25, minimum=1) * 1024 * 1024
# What one import may make the server do (finance/importing/limits.py says why each is what it is).
#: The most a workbook may unpack to, and the rows and columns its first sheet may span.
IMPORT_MAX_XLSX_UNPACKED_BYTES = envint("IMPORT_MAX_XLSX_UNPACKED_MB", 300, minimum=1) * 1024 * 1024
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 200_000, minimum=1)
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", 100, minimum=1)
#: The most cells (rows × columns) the rectangle of a sheet's used area may hold: the reader builds it.
IMPORT_MAX_CELLS = envint("IMPORT_MAX_CELLS", 4_000_000, minimum=1)
#: A file with more rows or cells than these, or a workbook unpacking to more, is validated by a worker.
IMPORT_BACKGROUND_ROWS = envint("IMPORT_BACKGROUND_ROWS", 5_000, minimum=0)
IMPORT_BACKGROUND_CELLS = envint("IMPORT_BACKGROUND_CELLS", 50_000, minimum=0)
IMPORT_BACKGROUND_UNPACKED_BYTES = envint("IMPORT_BACKGROUND_UNPACKED_MB", 10, minimum=0) * 1024 * 1024
#: Memory one import may take in a worker process, on top of what the process already holds (0: no cap).
IMPORT_MEMORY_LIMIT_BYTES = envint("IMPORT_MEMORY_LIMIT_MB", 1024, minimum=0) * 1024 * 1024
#: A job that has shown no sign of life for this long is marked failed (its process died).
IMPORT_JOB_TIMEOUT_SECONDS = envint("IMPORT_JOB_TIMEOUT_SECONDS", 15 * 60, minimum=60)
#: Problems kept per import (the first ones by line, shown and downloadable); all are counted.
IMPORT_MAX_PROBLEMS = envint("IMPORT_MAX_PROBLEMS", 10_000, minimum=1)
#: From this many new rows on, they are written by plain inserts (COPY on PostgreSQL), not the ORM.
IMPORT_PLAIN_INSERT_THRESHOLD = envint("IMPORT_PLAIN_INSERT_THRESHOLD", 5_000, minimum=1)
# The form fields of a request (files apart); more is refused as RequestDataTooBig.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A rectification answer carries at most RECTIFICATION_MAX_FILES files; no request carries more.
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# A file above this goes to a temporary file on disk rather than memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
#: Evidence of a rectification item's answer (SPEC §14.2): at most this many files of at most this size.
RECTIFICATION_MAX_FILES = envint("RECTIFICATION_MAX_FILES", 5, minimum=1)
RECTIFICATION_MAX_FILE_BYTES = envint("RECTIFICATION_MAX_FILE_MB", 10, minimum=1) * 1024 * 1024

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
#: How long /healthz waits for the broker before it reports it down.
HEALTHZ_BROKER_TIMEOUT = float(envdecimal("HEALTHZ_BROKER_TIMEOUT", "1"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
# The queue every process sends to and the worker reads; two deployments sharing one Redis need two.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
# Redis hands a task that was taken but not acknowledged (its worker was killed) to another worker
# after CELERY_VISIBILITY_TIMEOUT seconds; workers look for such tasks every 10 s (or as often as the
# timeout, if shorter). Longer than any task runs (CELERY_TASK_TIME_LIMIT), or a task still running is
# handed out twice: harmless, the second waits for the year's lock and then skips, but wasted.
# A broker that stops answering costs a web request at most about CELERY_BROKER_TIMEOUT seconds a
# try (a few tries), rather than hanging it until gunicorn kills the process.
_visibility_timeout = envint("CELERY_VISIBILITY_TIMEOUT", 60 * 60, minimum=1)
_broker_timeout = envint("CELERY_BROKER_TIMEOUT", 5, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": min(10, _visibility_timeout),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": _broker_timeout,
    "socket_timeout": _broker_timeout,
}
# A worker or beat that starts before Redis, or loses it, keeps trying (pauses growing to 30 s) for as
# long as it takes, rather than exiting after 100 tries.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A recompute that loses the broker mid-run finishes and commits; its message, never acknowledged,
# comes back after the visibility timeout and finds the year up to date. Cancelling it would throw
# the work away for the same end.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
#: Seconds before a recompute that found its year locked by another run tries again.
RECOMPUTE_BUSY_RETRY_SECONDS = envint("RECOMPUTE_BUSY_RETRY_SECONDS", 15, minimum=1)
#: Runs kept per year with their snapshots; older ones are deleted by the next run.
RECOMPUTE_KEEP_RUNS = envint("RECOMPUTE_KEEP_RUNS", 3, minimum=1)
#: How often beat looks for years whose changes no run covers (a recompute lost while the broker
#: was down) and queues them.
RECOMPUTE_STALE_CHECK_SECONDS = envint("RECOMPUTE_STALE_CHECK_SECONDS", 5 * 60, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # SPEC §5: the nightly recompute of the current year; its time of day in CELERY_TIMEZONE.
    "recompute-current-year-nightly": {
        "task": "performance.tasks.recompute_current_year",
        "schedule": crontab(hour=2, minute=0),
    },
    "recompute-stale-years": {
        "task": "performance.tasks.recompute_stale_years",
        "schedule": timedelta(seconds=RECOMPUTE_STALE_CHECK_SECONDS),
    },
}

#: The most rows a table shows on one page, whatever ``?per_page=`` asks (exports give every row).
TABLE_MAX_PER_PAGE = envint("TABLE_MAX_PER_PAGE", 200, minimum=1)

# Budget performance rules (SPEC §4); the bureau may change them per deployment.
PROGRESS_ATTENTION_GAP_PP = envdecimal("PROGRESS_ATTENTION_GAP_PP", "-10")
PROGRESS_SERIOUS_GAP_PP = envdecimal("PROGRESS_SERIOUS_GAP_PP", "-20")
SELF_SCORE_INFLATION_POINTS = envdecimal("SELF_SCORE_INFLATION_POINTS", "15")
SCORE_PROJECT_WEIGHT = envdecimal("SCORE_PROJECT_WEIGHT", "0.7")
SCORE_DEPARTMENT_WEIGHT = envdecimal("SCORE_DEPARTMENT_WEIGHT", "0.3")
LOW_COVERAGE_THRESHOLD = envdecimal("LOW_COVERAGE_THRESHOLD", "0.30")
#: A self-evaluation graded 优 with a budget execution rate below this is flagged (SPEC §4.3).
SELF_SCORE_MIN_EXECUTION_RATE = envdecimal("SELF_SCORE_MIN_EXECUTION_RATE", "0.60")
#: Projects listed per department as pulling its score down most (SPEC §4.5, weak spots).
WEAK_PROJECTS_PER_DEPARTMENT = envint("WEAK_PROJECTS_PER_DEPARTMENT", 5, minimum=1)
#: Whether a change of payments, evaluations or imports queues the coalesced recompute (SPEC §5).
#: Off only for bulk loads that run one recompute themselves at the end.
RECOMPUTE_ON_CHANGE = envbool("RECOMPUTE_ON_CHANGE", True)
#: The recompute's pass over payments on PostgreSQL is cut into this many slices of project ids
#: (joined by UNION ALL, so that parallel workers share it) once a year has at least
#: RECOMPUTE_SLICE_MIN_PROJECTS projects; 1 turns the slicing off.
RECOMPUTE_PROJECT_SLICES = envint("RECOMPUTE_PROJECT_SLICES", 8, minimum=1)
RECOMPUTE_SLICE_MIN_PROJECTS = envint("RECOMPUTE_SLICE_MIN_PROJECTS", 50_000, minimum=1)
#: Share of next year's budget cut for a project graded 中 (fair) and 差 (poor) (SPEC §4.7).
BUDGET_CUT_FAIR = envdecimal("BUDGET_CUT_FAIR", "0.10")
BUDGET_CUT_POOR = envdecimal("BUDGET_CUT_POOR", "0.30")
#: A monitored project whose expected target completion (SPEC §14.1) is below this share has a
#: ``target_deviation``; its spending deviation uses the serious threshold above.
MONITORING_TARGET_DEVIATION = envdecimal("MONITORING_TARGET_DEVIATION", "0.90")
#: A declared project's budget may differ from quantity × its quota standard by this share before the
#: target declaration warns (SPEC §13).
QUOTA_TOLERANCE = envdecimal("QUOTA_TOLERANCE", "0.05")
_FRACTIONS = (
    "LOW_COVERAGE_THRESHOLD",
    "SELF_SCORE_MIN_EXECUTION_RATE",
    "BUDGET_CUT_FAIR",
    "BUDGET_CUT_POOR",
    "QUOTA_TOLERANCE",
    "MONITORING_TARGET_DEVIATION",
)
for _name in _FRACTIONS:
    if not 0 <= globals()[_name] <= 1:
        raise ImproperlyConfigured(f"{_name} must be a fraction between 0 and 1")
if SELF_SCORE_INFLATION_POINTS < 0:
    raise ImproperlyConfigured("SELF_SCORE_INFLATION_POINTS must not be negative")
if SCORE_PROJECT_WEIGHT + SCORE_DEPARTMENT_WEIGHT != 1:
    raise ImproperlyConfigured("SCORE_PROJECT_WEIGHT + SCORE_DEPARTMENT_WEIGHT must equal 1")
if not PROGRESS_SERIOUS_GAP_PP < PROGRESS_ATTENTION_GAP_PP <= 0:
    raise ImproperlyConfigured("need PROGRESS_SERIOUS_GAP_PP < PROGRESS_ATTENTION_GAP_PP <= 0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
