"""Settings shared by every environment. Every value comes from the environment
(through ``config.env``); ``dev``/``test``/``production`` only choose defaults."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_float, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "core",
    "schools",
    "risk_profiles",
    "roadmaps",
    "curators",
    "methodists",
    "training",
    "contests",
    "monitoring",
    "management",
    "mentoring",
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "demo",
    "django_prometheus",
]

MIDDLEWARE = [
    # requests, responses and their latency by view (/metrics)
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.clientip.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AuditRequestMiddleware",
    "core.middleware.ReadOnlyRolesMiddleware",
    "core.middleware.QueueUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # axes must be last: it turns a lockout into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL"), conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_NO_JIT", True):
    # PostgreSQL's JIT compiles a plan whose estimated cost is high — a page of the federal
    # list sorted over 40,000 rows — spending ~460 ms to save a few: for short web queries
    # it only costs (measured in benchmarks/monitoring.py, the API paging case).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
#: A streaming read replica of the primary (optional): dashboards and their exports read it
#: when it has caught up with the primary (core.dbrouter); nothing is ever written to it.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
DATABASE_READ_REPLICA = "replica" if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
# the same backends, counting queries and their errors for /metrics (django-prometheus)
for _database in DATABASES.values():
    _database["ENGINE"] = _database["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out username/IP before any password check.
    "axes.backends.AxesStandaloneBackend",
    "core.backends.PortalBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user row; object grants only through core.permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RENDER_403 = False

# django-axes (core.axes): three locks, each for AXES_COOLOFF_HOURS — the account from one
# address after 5 failures (a mistyped password locks only that browser), the account from
# anywhere after 20, one address for any account after 100. The client address is the one
# the trusted reverse proxies saw (core.clientip; TRUSTED_PROXY_COUNT proxies in front).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ACCOUNT_FAILURE_LIMIT = env_int("AXES_ACCOUNT_FAILURE_LIMIT", 20)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "core.axes.PortalLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "core.axes.lockout_username"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# How many reverse proxies stand in front of the portal and append to X-Forwarded-For
# (docker-compose.yml: nginx, one). 0: the portal is reached directly (REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): the portal's pages run no inline script or style.
from config.settings.csp import CONTENT_SECURITY_POLICY  # noqa: E402,F401

# Aggregates shown to aggregate-only roles (the federal observer) hide every cell built
# from fewer schools than this, so that no single school can be read off a small group.
AGGREGATE_MIN_SCHOOLS = env_int("AGGREGATE_MIN_SCHOOLS", 3)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
#: Where uploaded and generated files live: the local disk (the demo, one host) or an
#: S3-compatible object store (production with several web and worker hosts, none of them
#: keeping files of their own). The portal only ever adds objects: a name already taken gets
#: a new one (file_overwrite off), so a version's bytes are never replaced.
FILE_STORAGE = env_str("FILE_STORAGE", "filesystem")
if FILE_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"FILE_STORAGE must be filesystem or s3, got {FILE_STORAGE!r}.")
if FILE_STORAGE == "s3":
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env_str("S3_BUCKET"),
        "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "access_key": env_secret("S3_ACCESS_KEY_ID"),
        "secret_key": env_secret("S3_SECRET_ACCESS_KEY"),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
        # downloads are streamed through the portal's permission check; a presigned URL,
        # if ever issued, lives a minute
        "querystring_expire": 60,
    }}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# The cache (computed dashboards, API throttling): Redis shared by every web and worker host
# when CACHE_URL is set (production), otherwise each process's memory (demo, tests).
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": CACHE_URL, "KEY_PREFIX": "portal500"} if CACHE_URL else
          {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
           "LOCATION": "portal500", "OPTIONS": {"MAX_ENTRIES": 2000}}}

#: /health/ waits this long for a Celery worker's answer (core.health).
HEALTH_CELERY_SECONDS = env_int("HEALTH_CELERY_SECONDS", 2)

# Celery: a Redis broker when USE_CELERY_BROKER=True, otherwise tasks run in-process.
USE_CELERY_BROKER = env_bool("USE_CELERY_BROKER", False)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = not USE_CELERY_BROKER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "portal")
# A request that starts a job must not hang while the broker is down: one quick attempt,
# then the page says the queue is unavailable.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# The rest of the task pipeline's reliability settings (late acknowledgement, heartbeat,
# outbox delivery) live in config/celery.py and core.jobs / core.notifications.

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
# Where the file-based backend (the demo's) writes each letter.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal500@localhost")
# The portal's own address, for links in e-mails (letters have no request to build it from).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Jobs: how long a finished job's result file is kept.
JOB_RESULT_TTL_HOURS = env_int("JOB_RESULT_TTL_HOURS", 24)
# A job still pending or running this long after it was started is marked failed (its worker
# was killed or lost the message) and may be started again; the task is killed at this limit.
JOB_TIME_LIMIT_SECONDS = env_int("JOB_TIME_LIMIT_SECONDS", 30 * 60)
#: A running job's worker writes a heartbeat this often; a job without one for the timeout
#: lost its worker and is told «прервалась» (core.jobs).
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 10.0)
JOB_HEARTBEAT_TIMEOUT_SECONDS = env_int("JOB_HEARTBEAT_TIMEOUT_SECONDS", 60)
PAGE_SIZE = env_int("PAGE_SIZE", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The registry's school model and the guardian rights that bind users to schools.
PORTAL_SCHOOL_MODEL = "schools.School"
PORTAL_CURATOR_PERM = "schools.curate_school"
PORTAL_SCHOOL_COORDINATOR_PERM = "schools.coordinate_school"

# Network pairs (mentoring): a mentor school takes at most this many active pairs at once.
# A plain default for now: reading it from the environment needs an entry in .env.example.
PORTAL_MENTOR_MAX_PAIRS = 3
# The exit list (seed 004 §6): a school is proposed once its ИОР rose this many years in a row.
PORTAL_EXIT_YEARS = 2

# School documents (concept documents, anti-risk programmes, reports): the largest upload.
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 25)

# Archives (.docx, .xlsx, .odt are ZIPs) are judged before anything is inflated
# (``core.archives``): what all their parts may inflate to, how much one part may inflate
# relative to its compressed size, and how many parts they may hold.
UPLOAD_ZIP_MAX_TOTAL_MB = env_int("UPLOAD_ZIP_MAX_TOTAL_MB", 200)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 100)
UPLOAD_ZIP_MAX_ENTRIES = env_int("UPLOAD_ZIP_MAX_ENTRIES", 10_000)
# Previews and comparisons of documents read a bounded beginning of the text.
PREVIEW_MAX_CHARS = env_int("PREVIEW_MAX_CHARS", 200_000)
PREVIEW_MAX_XML_MB = env_int("PREVIEW_MAX_XML_MB", 32)
DIFF_MAX_PARAGRAPHS = env_int("DIFF_MAX_PARAGRAPHS", 5_000)

# Where ``manage.py load_demo`` reads the source documents' tables.
DEMO_DATA_DIR = Path(env_str("DEMO_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Demo-500plus")

# Imports of official lists: the largest upload accepted.
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


# -- the read API (api/, Django REST framework + drf-spectacular) --------------------------------
#: Requests per token (DRF's rate: «N/second|minute|hour|day»); over it: 429, Retry-After.
API_RATE = "120/minute"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "api.renderers.CSVRenderer", "api.renderers.XLSXRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала «500+»",
    "DESCRIPTION": "Чтение данных портала для региональной аналитики. Каждый запрос — с "
                   "личным токеном (профиль → «Токены API»): токен видит ровно то, что его "
                   "владелец видит на страницах.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "api.schema.error_responses"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # the token first: without either, the answer is 401 with WWW-Authenticate
    "SERVE_AUTHENTICATION": ["api.auth.TokenAuthentication",
                             "rest_framework.authentication.SessionAuthentication"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}
