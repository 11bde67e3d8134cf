"""Project settings, read from the environment (healthchecks-style).

Development defaults are safe and need no configuration: SQLite in ./var, DEBUG on,
loopback only. `SHEGONG_ENV=production` switches to the hardened profile, which
requires SECRET_KEY and ALLOWED_HOSTS and passes `manage.py check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SHEGONG_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = os.environ.get("SHEGONG_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", "0" if PRODUCTION else "1")
if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # Their admin section titles in Chinese (shegong.core.app_names).
    "shegong.core.app_names.AxesConfig",
    "django_otp",
    "shegong.core.app_names.OTPTOTPConfig",
    "shegong.core.app_names.OTPStaticConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "shegong.core",
    "shegong.accounts",
    "shegong.org",
    "shegong.clients",
    "shegong.cases",
    "shegong.community",
    "shegong.plans",
    "shegong.delivery",
    "shegong.stats",
    "shegong.workforce",
    "shegong.contracts",
    "shegong.referrals",
    "shegong.evaluation",
    "shegong.surveys",
    "shegong.agenda",
    "shegong.rosters",
    "shegong.privacy",
    "shegong.demo",
    "shegong.golive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shegong.core.middleware.ChineseFirstLocaleMiddleware",
    "shegong.core.middleware.DatabaseUnavailableMiddleware",
    # Read-your-writes for the read replica (a no-op without DATABASE_REPLICA_URL).
    "shegong.core.replicas.ReplicaPinMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Sees every response, so it records refusals (403/404) of logged-in users.
    "shegong.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shegong.core.sessions.SessionTimeoutMiddleware",
    "shegong.accounts.two_factor.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The platform's error pages while DEBUG is on too (a no-op without DEBUG).
    "shegong.core.middleware.ErrorPagesInDebugMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Served by gunicorn behind a proxy: static files come from STATIC_ROOT
    # (collectstatic), compressed and cache-busted by WhiteNoise.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "shegong.urls"
WSGI_APPLICATION = "shegong.wsgi.application"

# Forms and their widgets render with Jinja2 (core/form_renderer.py: measured a third
# faster than Django templates on the form pages; docs/decisions.md).
FORM_RENDERER = "shegong.core.form_renderer.FormRenderer"

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
                "django.template.context_processors.i18n",
                "shegong.core.context_processors.sections",
                "shegong.core.context_processors.watermark",
            ],
            # `{{ n|figure }}`: every figure shown grouped by thousands (12,345).
            "builtins": ["shegong.core.templatetags.figures"],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite is a real database here: WAL lets readers run beside one writer, and
# IMMEDIATE transactions take the write lock up front so that concurrent writers
# wait (up to `timeout`) instead of failing half-way with "database is locked".
SQLITE_PATH = VAR_DIR / "shegong.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if not DATABASES["default"]["NAME"].startswith(":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# PostgreSQL connections send the parameters apart from the query (psycopg's
# server-side binding) and prepare a query asked 5 times on the connection: the
# server then neither parses nor plans it again (it did for every query of every
# page, most of the database's CPU per page: docs/performance.md). Not prepared
# behind PgBouncer (below).
PREPARED_QUERIES = {"server_side_binding": True, "prepare_threshold": 5}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_QUERIES)

# A streaming replica of the PostgreSQL primary (core.replicas, docs/deployment.md):
# the dashboards, reports and exports read from it; after a write the writer's
# browser reads the primary for SHEGONG_REPLICA_PIN_SECONDS; a replica lagging
# beyond SHEGONG_REPLICA_MAX_LAG_SECONDS, promoted or down is left for the primary
# (its state re-asked at most every SHEGONG_REPLICA_CHECK_SECONDS).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).update(PREPARED_QUERIES)
    # A replica host that went away must not hold a page for libpq's default.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["shegong.core.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("SHEGONG_REPLICA_PIN_SECONDS", "10"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("SHEGONG_REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("SHEGONG_REPLICA_CHECK_SECONDS", "2"))

# Behind PgBouncer in transaction mode (DATABASE_PGBOUNCER=1; DATABASE_URL and
# DATABASE_REPLICA_URL then name PgBouncer): consecutive queries of one connection
# may reach different server connections, so nothing may outlive a transaction:
# no server-side cursors (a WITH HOLD cursor of .iterator() would be lost), no
# prepared statements, and no persistent connections (PgBouncer is the pool; a
# connection to it costs little, and an idle worker then holds no client slot).
DATABASE_PGBOUNCER = envbool("DATABASE_PGBOUNCER", "0")
if DATABASE_PGBOUNCER:
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
            _alias["CONN_MAX_AGE"] = 0
            _alias.setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------
# Rate limits of the public survey forms count in the cache. Per-process memory is
# right for one process (development, tests); with several gunicorn workers or
# hosts, set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that they share one count.
# Redis down degrades to per-process counts with a logged warning (core/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_PREFIX = os.environ.get("SHEGONG_CACHE_PREFIX", "shegong")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "shegong.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_PREFIX,
        },
        # Sessions are read from Redis and written through to the database
        # (cached_db): a page does not ask the database for its session. Only with a
        # cache shared by every process: a session ended in one must end in all.
        "sessions": {
            "BACKEND": "shegong.core.cache.SessionCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_PREFIX + "-sessions",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before they are checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading each request's user with its anchor in one query.
    "shegong.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # argon2id with OWASP's parameters for an interactive log-in (accounts/hashers.py).
    "shegong.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account (username + IP) after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Every failed log-in is kept in the database (axes.AccessFailureLog), with IP and time.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# A session ends after SHEGONG_SESSION_IDLE_MINUTES without a request, and at the
# latest SHEGONG_SESSION_MAX_HOURS after log-in (core.sessions).
SESSION_IDLE_SECONDS = int(float(os.environ.get("SHEGONG_SESSION_IDLE_MINUTES", "30")) * 60)
SESSION_MAX_SECONDS = int(float(os.environ.get("SHEGONG_SESSION_MAX_HOURS", "12")) * 3600)
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(SESSION_MAX_SECONDS)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Two-factor log-in (accounts.two_factor): roles that must use a TOTP app, comma-
# separated ("superuser" for superusers). Everyone else may enrol voluntarily.
OTP_TOTP_ISSUER = "Shegong"
SHEGONG_REQUIRE_OTP_ROLES = [
    role.strip()
    for role in os.environ.get(
        "SHEGONG_REQUIRE_OTP_ROLES",
        "city_officer,district_officer,evaluator,admin,superuser" if PRODUCTION else "",
    ).split(",")
    if role.strip()
]

# Content-Security-Policy (django-csp): same-origin only, no inline script or
# style anywhere (page data travels in json_script blocks, which are not run).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format (Y-m-d) and figures grouped by thousands, in both languages.
FORMAT_MODULE_PATH = ["shegong.core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------
# Every asset is vendored under */static/; nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded files (evaluation evidence): never served directly, only through views
# that check scope and send them as attachments.
MEDIA_ROOT = VAR_DIR / "media"
# Documents 文件附件 attached to cases and residents (core.documents: consent forms, certificates,
# photos of a home visit): stored here, apart from MEDIA_ROOT and outside the web
# root; no URL serves the folder, only the download view that checks the scope and
# the case-content rule (and writes the access log) sends a file. The size limit is
# checked before anything is stored.
SHEGONG_DOCUMENT_ROOT = Path(os.environ.get("SHEGONG_DOCUMENT_ROOT", VAR_DIR / "documents"))
SHEGONG_DOCUMENT_MAX_BYTES = int(
    os.environ.get("SHEGONG_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024))
)

# --- Background jobs (core.jobs, docs/decisions.md) ---------------------------------
# "database": jobs wait in the database for `shegong db_worker` (production, the
# systemd unit deploy/systemd/shegong-worker.service); "immediate": a job runs in
# the request that starts it (development: `make run` needs no extra process).
TASK_BACKEND = os.environ.get(
    "SHEGONG_TASKS", "database" if ENVIRONMENT == "production" else "immediate"
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASK_BACKEND]
    }
}
# A job still running after this many seconds is taken for abandoned (its worker
# was killed) and may be retried.
SHEGONG_JOB_STALE_AFTER = int(os.environ.get("SHEGONG_JOB_STALE_AFTER", "3600"))

# --- Request limits ---------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["shegong.core.permissions.ScopedPermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "shegong.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "shegong.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shegong API",
    "DESCRIPTION": "Community social work stations (社工站) of the city, scoped to the caller.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have fields called kind/status/domain/source with different
    # choices; name each choice set after what it is.
    "ENUM_NAME_OVERRIDES": {
        "StreetKindEnum": "shegong.org.models.Street.Kind",
        "AlertKindEnum": "shegong.cases.models.AlertKind",
        "CaseStatusEnum": "shegong.cases.models.CaseStatus",
        "AlertStatusEnum": "shegong.cases.models.AlertStatus",
        "DomainEnum": "shegong.core.models.Domain",
        "BasicDomainEnum": "shegong.clients.models.BASIC_DOMAIN_CHOICES",
        "CaseSourceEnum": "shegong.cases.models.CaseSource",
        "ObservationSourceEnum": "shegong.cases.models.ObservationSource",
        "RoundKindEnum": "shegong.evaluation.models.RoundKind",
        "IndicatorMethodEnum": "shegong.evaluation.models.Method",
        "ContactMethodEnum": "shegong.cases.models.ContactMethod",
        "AppointmentKindEnum": "shegong.agenda.models.AppointmentKind",
        "AppointmentStatusEnum": "shegong.agenda.models.AppointmentStatus",
        "ContractGradeEnum": "shegong.contracts.models.Grade",
        "CaseOutcomeEnum": "shegong.cases.models.CaseOutcome",
        "CallOutcomeEnum": "shegong.evaluation.sample_models.CallOutcome",
        "DocumentKindEnum": "shegong.core.documents.DocumentKind",
    },
    # The errors every operation can answer (core/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shegong.core.schema.add_error_responses",
    ],
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "shegong": {"handlers": ["console"], "level": "INFO"},
    },
}

# --- Backups ------------------------------------------------------------------------
# Where `shegong scheduled backup` writes one archive a day (golive.schedule).
BACKUP_DIR = Path(os.environ.get("SHEGONG_BACKUP_DIR", VAR_DIR / "backups"))

# --- Demo --------------------------------------------------------------------------------
# How long each kind of personal record is kept, in days (docs/privacy.md): read
# by `shegong purge_personal_data` and `shegong audit_prune`; each has a floor
# below which the commands refuse to run (shegong.privacy.policy, core.retention).
RETENTION_DAYS = {
    kind: int(os.environ.get(f"SHEGONG_RETENTION_{kind.upper()}_DAYS", str(default)))
    for kind, default in (
        ("closed_cases", 3650),
        # Residents who never had a case, after their last service (privacy.policy).
        ("residents_without_cases", 1095),
        # The files attached to a closed case (privacy.policy says why 3 years).
        ("case_documents", 1095),
        ("survey_contacts", 365),
        # The name and phone of a resident's sign-up to an activity (privacy.policy).
        ("activity_signups", 365),
        ("roster_entries", 1095),
        # The evaluators' evidence files of a finalised round (privacy.policy says why).
        ("evaluation_evidence", 1095),
        # The stations' files of accepted rectifications (privacy.policy).
        ("rectification_evidence", 1095),
        ("access_logs", 400),
        ("audit_entries", 400),
    )
}

# Personal data taken out of the system (privacy.personal_exports): a reason always;
# more rows than this need the director's or an officer's approval first; an
# approved export can be downloaded for this many days.
PERSONAL_EXPORT_APPROVAL_ROWS = int(os.environ.get("SHEGONG_EXPORT_APPROVAL_ROWS", "50"))
PERSONAL_EXPORT_VALID_DAYS = int(os.environ.get("SHEGONG_EXPORT_VALID_DAYS", "7"))
# The faint user-and-time watermark over logged-in pages (core.context_processors).
PAGE_WATERMARK = os.environ.get("SHEGONG_PAGE_WATERMARK", "1") not in ("0", "false", "no", "")

DEMO_PASSWORD = os.environ.get("SHEGONG_DEMO_PASSWORD", "Shegong-demo-2026")

# --- Production profile -------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    # The load balancer checks /healthz on the plain-HTTP backend port.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Field encryption -----------------------------------------------------------------
# Key for ID numbers at rest (clients.identity). Production must set its own and keep
# it out of the database backups; losing it makes the encrypted fields unreadable.
if PRODUCTION:
    FIELD_ENCRYPTION_KEY = os.environ["SHEGONG_FIELD_KEY"]
else:
    FIELD_ENCRYPTION_KEY = os.environ.get("SHEGONG_FIELD_KEY", "dev-only-field-key")
# The key being replaced, during a rotation only (docs/privacy.md, "Key rotation"):
# values under it still decrypt and match until `shegong rotate_field_key` is done.
FIELD_ENCRYPTION_KEY_PREVIOUS = os.environ.get("SHEGONG_FIELD_KEY_PREVIOUS", "")
