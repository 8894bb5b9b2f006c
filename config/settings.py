"""careerbreak settings: one file, driven by the environment (see README "Configuration").

CAREERBREAK_ENV selects the defaults: "development" (the embedded default of `make run`: SQLite under
var/, the development identity provider, console e-mail) or "production" (everything must be given,
the development identity provider cannot be enabled).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_cache, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
SRC_DIR = BASE_DIR / "src" / "careerbreak"
VAR_DIR = Path(env_str("CAREERBREAK_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("CAREERBREAK_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("CAREERBREAK_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", None if PRODUCTION else "dev-only-not-secret-careerbreak-0000")
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    # django-ninja's bundled Swagger UI, served from our own static files (no CDN; the CSP holds).
    "ninja",
    "careerbreak.core",
    "careerbreak.registries",
    "careerbreak.identity",
    "careerbreak.portal",
    "careerbreak.interruptions",
    "careerbreak.documents",
    "careerbreak.mailbox",
    "careerbreak.employer",
    "careerbreak.worker",
    "careerbreak.office",
    "careerbreak.api",
    "careerbreak.demo",
]

DEVIDP_ENABLED = env_bool("DEVIDP_ENABLED", not PRODUCTION)
if PRODUCTION and DEVIDP_ENABLED:
    raise ImproperlyConfigured("The development identity provider can never be enabled in production.")
if DEVIDP_ENABLED:
    INSTALLED_APPS.append("careerbreak.devidp")

MIDDLEWARE = [
    # First, so that every log line of the request (and of the tasks it enqueues) carries its id.
    "careerbreak.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Requests under /api/ leave here for the API's own chain (API_MIDDLEWARE below, ADR 0044).
    "careerbreak.api.middleware.ApiBranchMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after the sessions: its response side runs before theirs (the idle expiry, renewed once a minute).
    "careerbreak.core.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, reading the user with their access (identity.request_identity).
    "careerbreak.identity.request_identity.IdentityMiddleware",
    "careerbreak.core.middleware.NoStoreWhenAuthenticatedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A rate limit reached anywhere becomes one translated 429 page with Retry-After.
    "careerbreak.core.ratelimit.RateLimitMiddleware",
]
# The API's chain, after RequestId and Security above (careerbreak.api.middleware.ApiBranchMiddleware, ADR
# 0044): called with bearer tokens, never a session, so without sessions, CSRF (every API view is exempt),
# the logged-in user, messages and static files; with the same headers as the web's answers.
API_MIDDLEWARE = [
    # Outside the frame, so that the problems it answers itself (404, 405, 413) have them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's header with the site's policy, built once (the API uses no nonce).
    "careerbreak.api.middleware.ApiContentSecurityPolicyMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Body size limit, problem details for 404/405, one audit row per call; after the language is chosen
    # (its problems are translated), before anything reads the body.
    "careerbreak.api.middleware.ApiFrameMiddleware",
    "django.middleware.common.CommonMiddleware",
    "careerbreak.core.ratelimit.RateLimitMiddleware",
]

# The development identity provider is served by its own process with its own URLs.
ROOT_URLCONF = env_str("CAREERBREAK_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"
# Widgets may use the project's templates (the day/month/year date inputs).
FORM_RENDERER = "careerbreak.core.form_renderer.FastTemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careerbreak.identity.context_processors.acting_enterprise",
            ],
            # {% url %} and |date, cheaper (core/templatetags/fast_builtins.py).
            "builtins": ["careerbreak.core.templatetags.fast_builtins"],
        },
    },
]

_DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'careerbreak.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", None if PRODUCTION else _DEFAULT_SQLITE),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if not PRODUCTION else 60),
        # A persistent connection the database dropped (a restart, a failover) is noticed and replaced
        # before it is used, instead of failing the request or the task that picks it up.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A few hot queries run as prepared statements with one generic plan: the work queue's (ADR 0031), an
    # API validation's short reads and audit insert (ADR 0034), and on every logged-in request the
    # session's row and who is asking (ADR 0036). Django's own cursors bind on the
    # client and never prepare anything; psycopg prepares only what a cursor asks for
    # (core.sqlrows.prepared_cursor), and the threshold only has to be set for it to do so. The plan mode
    # below applies to those statements alone: a statement prepared later gets a generic plan too, so
    # check its generic plan first. Behind a pooler without prepared statements, drop both options.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("prepare_threshold", 1_000_000)
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Registries: local tables by default; a remote source replaces one by its dotted path
# (see registries/sources.py).
REGISTRY_SOURCES: dict[str, str] = {}

AUTH_USER_MODEL = "identity.User"
# The user's access and office role are read with the user, in one query per request (ADR 0027); the
# sessions made with ModelBackend before it stay logged in.
AUTHENTICATION_BACKENDS = [
    "careerbreak.identity.request_identity.IdentityBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "identity:login"

SESSION_ENGINE = "careerbreak.core.session_store"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
# An idle timeout without a write on every request: the session is written back when it changed, or at
# most once per SESSION_RENEW_AFTER seconds (core.middleware.SlidingSessionMiddleware, ADR 0022).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = env_int("SESSION_RENEW_AFTER", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # each URLconf its own page
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
# The health checks are probed over plain HTTP on the machine itself (docs/deployment.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'", *env_list("CSP_FORM_ACTION_EXTRA", [])],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language, chosen explicitly (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = "config.formats"
LANGUAGE_COOKIE_NAME = "careerbreak_language"
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The site's own stylesheet and scripts live outside any app.
STATICFILES_DIRS = [SRC_DIR / "static"]
# Documents (the PDFs): a folder by default, S3-compatible object storage with DOCUMENTS_STORAGE=s3.
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "filesystem")
# What the S3 backend must do whatever the environment (the object-storage tests use the same):
# never overwrite a stored document (a taken name gets a free one, as on the file system), and keep
# documents private (served through the application, which checks who asks).
DOCUMENTS_S3_FIXED_OPTIONS = {"file_overwrite": False, "default_acl": None, "querystring_auth": True}
if DOCUMENTS_STORAGE == "filesystem":
    _DEFAULT_STORAGE: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(env_str("DOCUMENTS_ROOT", str(VAR_DIR / "media")))},
    }
elif DOCUMENTS_STORAGE == "s3":
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", None),
            # Empty: AWS itself; otherwise the S3-compatible service (MinIO, Ceph, a cloud provider's).
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            # Empty: boto3 finds credentials itself (instance role, ~/.aws); both support *_FILE.
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            # A prefix inside the bucket, to share one bucket between environments.
            "location": env_str("AWS_LOCATION", ""),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
            **DOCUMENTS_S3_FIXED_OPTIONS,
        },
    }
else:
    raise ImproperlyConfigured("DOCUMENTS_STORAGE must be 'filesystem' or 's3'.")
# The worker part's attachments (interruptions/attachments.py): each file at most this size, at most this
# many per request. An upload over the size is stopped while it arrives (core/uploads.py) and answered on
# the page; the other fields of a request stay under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig:
# a 400 page, never a 500), and a file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file, removed
# with the request.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = ATTACHMENTS_MAX
FILE_UPLOAD_HANDLERS = [
    "careerbreak.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The electronic seal of every issued PDF (documents/seal.py, docs/adr/0023-sealed-documents.md).
# The seal certificate and key as PEM (usually SEAL_CERT_FILE / SEAL_KEY_FILE: secrets mounted as files),
# the intermediate certificates (SEAL_CHAIN), or a PKCS#11 module (an HSM) with its labels and PIN.
# Production refuses to start without one of them; elsewhere a development CA is generated at first use.
SEAL_CERT = env_str("SEAL_CERT", "")
SEAL_KEY = env_str("SEAL_KEY", "")
SEAL_KEY_PASSPHRASE = env_str("SEAL_KEY_PASSPHRASE", "")
SEAL_CHAIN = env_str("SEAL_CHAIN", "")
SEAL_PKCS11_MODULE = env_str("SEAL_PKCS11_MODULE", "")
SEAL_PKCS11_TOKEN_LABEL = env_str("SEAL_PKCS11_TOKEN_LABEL", "")
SEAL_PKCS11_KEY_LABEL = env_str("SEAL_PKCS11_KEY_LABEL", "")
SEAL_PKCS11_CERT_LABEL = env_str("SEAL_PKCS11_CERT_LABEL", "")
SEAL_PKCS11_PIN = env_str("SEAL_PKCS11_PIN", "")
if PRODUCTION and not (SEAL_PKCS11_MODULE or (SEAL_CERT and SEAL_KEY)):
    raise ImproperlyConfigured(
        "Production seals every document: give SEAL_CERT_FILE and SEAL_KEY_FILE, or SEAL_PKCS11_MODULE."
    )
if bool(SEAL_CERT) != bool(SEAL_KEY):
    raise ImproperlyConfigured("Give both SEAL_CERT and SEAL_KEY (or their _FILE), or neither.")
# The roots the verification page trusts (PEM bundle; by default the self-signed certificates of
# SEAL_CHAIN), CRLs it is given (PEM), and whether it may fetch the CRLs and OCSP answers the certificates
# name.
SEAL_TRUST_ROOTS = env_str("SEAL_TRUST_ROOTS", "")
SEAL_CRLS = env_str("SEAL_CRLS", "")
SEAL_REVOCATION_FETCH = env_bool("SEAL_REVOCATION_FETCH", PRODUCTION)
# A timestamp authority (RFC 3161): PAdES-B-T when set, PAdES-B-B otherwise.
SEAL_TSA_URL = env_str("SEAL_TSA_URL", "")
# The development CA and seal certificate (outside production, without configured keys).
SEAL_DEV_DIR = Path(env_str("SEAL_DEV_DIR", str(VAR_DIR / "seal")))
# The public verification page as printed on every document (and in its QR code).
SEAL_VERIFICATION_URL = env_str(
    "SEAL_VERIFICATION_URL",
    None if PRODUCTION else "http://127.0.0.1:" + env_str("PORT", "8000") + "/verify/",
)
# The largest PDF the verification page accepts for upload.
VERIFICATION_UPLOAD_MAX_BYTES = 5 * 1024 * 1024

TASKS = {
    "default": {
        # The test suite runs tasks at once (config.settings_test).
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Finished task rows older than this are deleted by `prune_tasks` (and by `sweep_outbox --loop`).
TASKS_PRUNE_AFTER_DAYS = env_int("TASKS_PRUNE_AFTER_DAYS", 7)
# A task row RUNNING for longer than this belongs to a worker that was killed: `prune_tasks` marks it
# failed (delivery tasks are recovered sooner, by the outbox sweeper, from their message's lease).
TASKS_ABANDONED_AFTER_SECONDS = env_int("TASKS_ABANDONED_AFTER_SECONDS", 3600)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "careerbreak <no-reply@careerbreak.localhost>")

# OpenID Connect: the Federal Authentication Service in production, the development provider otherwise.
DEVIDP_PORT = env_int("DEVIDP_PORT", 8001)
# In tests the provider is mounted in-process under http://testserver/devidp (config.settings_test).
_DEV_ISSUER = f"http://127.0.0.1:{DEVIDP_PORT}/devidp"
OIDC_ISSUER = env_str("OIDC_ISSUER", None if PRODUCTION else _DEV_ISSUER)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", None if PRODUCTION else "careerbreak-dev")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", None if PRODUCTION else "careerbreak-dev-secret")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile egovnrn")
# The level asked for; FAS: urn:be:fedict:iam:fas:Level500 (eID), Level450 (itsme).
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "")
OIDC_CLAIM_NISS = env_str("OIDC_CLAIM_NISS", "egovNRN")
OIDC_CLAIM_GIVEN_NAME = env_str("OIDC_CLAIM_GIVEN_NAME", "givenName")
OIDC_CLAIM_SURNAME = env_str("OIDC_CLAIM_SURNAME", "surname")
OIDC_CLAIM_LANGUAGE = env_str("OIDC_CLAIM_LANGUAGE", "prefLanguage")
OIDC_CLAIM_EMAIL = env_str("OIDC_CLAIM_EMAIL", "mail")
OIDC_HTTP_TIMEOUT = env_int("OIDC_HTTP_TIMEOUT", 10)
OIDC_LEEWAY_SECONDS = env_int("OIDC_LEEWAY_SECONDS", 60)
# Where the provider sends the browser back; empty: this site's /auth/callback as the request reached us.
OIDC_REDIRECT_URI = env_str("OIDC_REDIRECT_URI", "")
# client_secret_basic, client_secret_post or private_key_jwt; empty: the first that discovery advertises.
OIDC_TOKEN_ENDPOINT_AUTH_METHOD = env_str("OIDC_TOKEN_ENDPOINT_AUTH_METHOD", "")
# private_key_jwt: our PEM private key (RSA or EC) and the algorithm of the client assertion.
OIDC_CLIENT_PRIVATE_KEY_PATH = env_str("OIDC_CLIENT_PRIVATE_KEY_PATH", "")
OIDC_CLIENT_ASSERTION_ALGORITHM = env_str("OIDC_CLIENT_ASSERTION_ALGORITHM", "RS256")
# ID token algorithms accepted (subset of RS256, PS256, ES256); empty: those discovery advertises.
OIDC_ID_TOKEN_ALGORITHMS = env_list("OIDC_ID_TOKEN_ALGORITHMS", [])
# Ask the userinfo endpoint for the claims too, when discovery advertises one.
OIDC_USERINFO = env_bool("OIDC_USERINFO", True)
# The claim carrying the assurance level (`acr`, or FAS's `assurance_level`) and how its values map to
# our CSAM levels: "value=level" pairs, on top of the FAS URNs ending in LevelNNN that are always read.
OIDC_CLAIM_ASSURANCE_LEVEL = env_str("OIDC_CLAIM_ASSURANCE_LEVEL", "acr")
OIDC_ASSURANCE_LEVEL_MAP = env_list(
    "OIDC_ASSURANCE_LEVEL_MAP",
    ["http://eidas.europa.eu/LoA/high=450", "http://eidas.europa.eu/LoA/substantial=400"],
)
# The level of a login whose provider sent none; 0: refuse such logins (the refusal page says why).
OIDC_DEFAULT_ASSURANCE_LEVEL = env_int("OIDC_DEFAULT_ASSURANCE_LEVEL", 0)
# Where the provider sends the browser after RP-initiated logout; empty: this site's home page.
OIDC_POST_LOGOUT_REDIRECT_URI = env_str("OIDC_POST_LOGOUT_REDIRECT_URI", "")
# Filing the employer part requires at least this assurance level (CSAM scale: 400 TOTP, 450 itsme, 500 eID).
MIN_ASSURANCE_LEVEL_EMPLOYER = env_int("MIN_ASSURANCE_LEVEL_EMPLOYER", 400)
# API access tokens live this many seconds (docs/api.md).
API_TOKEN_LIFETIME = env_int("API_TOKEN_LIFETIME", 600)
# The longest a private_key_jwt client assertion may live (exp - now, and exp - iat), in seconds.
API_ASSERTION_MAX_LIFETIME = env_int("API_ASSERTION_MAX_LIFETIME", 300)
# The audience client assertions must name: the token endpoint's URL; empty: as the request reached us.
API_TOKEN_AUDIENCE = env_str("API_TOKEN_AUDIENCE", "")
# The largest body an API call may send (a batch of 10,000 requests fits in 10 MB).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 10 * 1024 * 1024)
# Office agents decide on personal and financial data: the highest level (eID or itsme, eIDAS high).
MIN_ASSURANCE_LEVEL_OFFICE = env_int("MIN_ASSURANCE_LEVEL_OFFICE", 450)

# FAS-like mode: the ID token carries only sub and acr, the identity claims come from userinfo (as FAS
# integrations read them). On for `make run` and the browser journeys; off in-process tests by default
# (config.settings_test).
# What /readyz checks besides the database and the document storage (core/health.py): the login's settings
# against the provider's discovery document; an unreachable provider is not counted here (ADR 0010).
READINESS_CHECKS = {"login": "careerbreak.identity.oidc.check_configuration"}
DEVIDP_CLAIMS_IN_USERINFO_ONLY = env_bool("DEVIDP_CLAIMS_IN_USERINFO_ONLY", True)
DEVIDP_SIGNING_KEY_PATH = Path(env_str("DEVIDP_SIGNING_KEY_PATH", str(VAR_DIR / "devidp-signing-key.pem")))
DEVIDP_REDIRECT_URIS = env_list(
    "DEVIDP_REDIRECT_URIS",
    [
        f"http://{host}/auth/callback"
        for host in (
            "127.0.0.1:" + env_str("PORT", "8000"),
            "localhost:" + env_str("PORT", "8000"),
            "testserver",
        )
    ],
)

# LOG_FORMAT=json: one JSON object per line (timestamp, level, logger, message, request_id, exc_info)
# for a log collector; "plain" (the default) for people reading `make run`.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'.")
# One log line per request (method, path without query string, status, duration, request id): the access
# log of production, in the application's format; off for `make run`.
LOG_REQUESTS = env_bool("LOG_REQUESTS", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "careerbreak.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "careerbreak.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Drafts of the employer part are kept this long after their last change.
DRAFT_TTL_DAYS = env_int("DRAFT_TTL_DAYS", 30)

# Mailbox: the outbox of eBox messages and e-mails (docs/adr/0008-outbox.md).
# "local" keeps eBox messages in this application ("Mon eBox"); "rest" publishes them through the eBox
# REST API below; anything else is the dotted path of a transport class.
MAILBOX_TRANSPORT = env_str("MAILBOX_TRANSPORT", "local")
if MAILBOX_TRANSPORT not in {"local", "rest"} and "." not in MAILBOX_TRANSPORT:
    raise ImproperlyConfigured("MAILBOX_TRANSPORT must be 'local', 'rest' or the dotted path of a transport.")
# After this many failed attempts a message is marked failed and waits for an administrator.
MAILBOX_MAX_ATTEMPTS = env_int("MAILBOX_MAX_ATTEMPTS", 8)
# A worker that claimed a message holds it this long, renewed every third of it while it sends (the
# heartbeat); a lease that ran out means the worker died, and the sweeper hands the message to another.
MAILBOX_LEASE_SECONDS = env_int("MAILBOX_LEASE_SECONDS", 15)
if MAILBOX_LEASE_SECONDS < 3:
    raise ImproperlyConfigured("MAILBOX_LEASE_SECONDS must be at least 3 (renewed every third of it).")
# How many messages one delivery task takes (ADR 0029): written in one transaction, they are queued as
# one task, claimed together and their deliveries recorded together.
MAILBOX_BATCH_SIZE = env_int("MAILBOX_BATCH_SIZE", 25)
if MAILBOX_BATCH_SIZE < 1:
    raise ImproperlyConfigured("MAILBOX_BATCH_SIZE must be at least 1.")
# Retry delays: base × 2^(attempt−1), at most the cap, each with jitter (half to all of it).
MAILBOX_BACKOFF_BASE_SECONDS = env_int("MAILBOX_BACKOFF_BASE_SECONDS", 30)
MAILBOX_BACKOFF_CAP_SECONDS = env_int("MAILBOX_BACKOFF_CAP_SECONDS", 3600)
# Webhooks of API clients (docs/api.md): each event is an outbox row on the "webhook" channel,
# signed with the webhook's secret; the secrets are kept encrypted with a key derived from this one.
WEBHOOK_SECRET_KEY = env_str("WEBHOOK_SECRET_KEY", SECRET_KEY)
# http://localhost is accepted as a webhook address only where this holds (development, the tests).
WEBHOOK_ALLOW_LOCAL_HTTP = env_bool("WEBHOOK_ALLOW_LOCAL_HTTP", DEBUG)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
# The events feed shows an event once it is this old, so that a transaction that wrote an earlier id and
# commits a little later is never skipped by a reader (ADR 0021).
EVENTS_SETTLE_SECONDS = env_int("EVENTS_SETTLE_SECONDS", 5)
# What ``manage.py prune_api`` (hourly, by the outbox sweeper) keeps (docs/api.md): Idempotency-Keys for
# this many hours (never fewer than the 24 the API promises), events of the feed for this many days (a
# client must read the feed within it), the items' bodies of a finished batch for this many days (their
# tickets and problems stay).
API_IDEMPOTENCY_KEEP_HOURS = env_int("API_IDEMPOTENCY_KEEP_HOURS", 24)
API_EVENTS_KEEP_DAYS = env_int("API_EVENTS_KEEP_DAYS", 30)
API_BATCH_PAYLOADS_KEEP_DAYS = env_int("API_BATCH_PAYLOADS_KEEP_DAYS", 7)
# Dotted path of endpoint -> (url, secret) | None, for the mailbox's webhook transport.
MAILBOX_WEBHOOK_TARGETS = "careerbreak.identity.webhooks.webhook_target"
_EBOX_REQUIRED = None if MAILBOX_TRANSPORT == "rest" else ""
# e.g. https://services.socialsecurity.be/REST/ebox/citizen/v2 and …/REST/oauth/v3/token
EBOX_API_URL = env_str("EBOX_API_URL", _EBOX_REQUIRED)
EBOX_TOKEN_URL = env_str("EBOX_TOKEN_URL", _EBOX_REQUIRED)
EBOX_CLIENT_ID = env_str("EBOX_CLIENT_ID", _EBOX_REQUIRED)
EBOX_CLIENT_SECRET = env_str("EBOX_CLIENT_SECRET", _EBOX_REQUIRED)
EBOX_SCOPE = env_str("EBOX_SCOPE", "")
EBOX_SENDER_ORGANIZATION_ID = env_str("EBOX_SENDER_ORGANIZATION_ID", "")
EBOX_SENDER_APPLICATION_ID = env_str("EBOX_SENDER_APPLICATION_ID", "")
EBOX_MESSAGE_TYPE_ID = env_str("EBOX_MESSAGE_TYPE_ID", "")
# Seconds for each HTTP exchange with the eBox (a delivery makes at most four: two tokens, two posts).
EBOX_TIMEOUT = env_int("EBOX_TIMEOUT", 10)
# Rate limits (docs/adr/0009-rate-limits.md; the scopes are in careerbreak/core/ratelimit.py). Each is
# "count/period" (s, m, h, d, with an optional multiplier: "120/10m"), counted in fixed windows.
RATE_LIMITS = {
    # Look-ups of a national number (step 4, granting access, Consultation by number).
    "niss_lookup_per_user": env_rate("RATE_LIMIT_NISS_LOOKUP_PER_USER", "60/h"),
    "niss_lookup_per_enterprise": env_rate("RATE_LIMIT_NISS_LOOKUP_PER_ENTERPRISE", "600/h"),
    # Searches: Consultation, the enterprise choice, step 4 (the Dimona list), the no-access page.
    "search_per_user": env_rate("RATE_LIMIT_SEARCH_PER_USER", "120/10m"),
    # Login start and callback, each counted on its own; generous: an enterprise's staff may share one IP.
    "login_per_ip": env_rate("RATE_LIMIT_LOGIN_PER_IP", "60/m"),
    # A worker sending a notice, an employer answering one, each counted on its own.
    "notice_per_user": env_rate("RATE_LIMIT_NOTICE_PER_USER", "20/h"),
    # API calls per client, and token requests per client address.
    "api_per_client": env_rate("RATE_LIMIT_API_PER_CLIENT", "600/m"),
    "api_token_per_ip": env_rate("RATE_LIMIT_API_TOKEN_PER_IP", "60/m"),
    # The public verification page: codes looked up and files checked, per client address.
    "verification_per_ip": env_rate("RATE_LIMIT_VERIFICATION_PER_IP", "30/10m"),
}
# The counters live in the cache: Redis in production (shared by every web process, atomic increments),
# required there; the local memory of the one web process of `make run` otherwise.
CACHES = {"default": env_cache("CACHE_URL", None if PRODUCTION else "locmem://careerbreak")}
RATELIMIT_USE_CACHE = "default"
# The client's address: REMOTE_ADDR, or the address added by our own reverse proxies (their number here).
RATELIMIT_IP_META_KEY = "careerbreak.core.ratelimit.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# While the cache cannot be reached the limits lapse (logged) rather than refuse every employer.
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS: list[str] = []
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # django-ratelimit 4.1 predates Django's own Redis backend and only lists django-redis
    # (jsocol/django-ratelimit#283); both share the counters and increment with Redis's atomic INCR
    # (tests/core/test_rate_limits.py proves it on a real Redis).
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
elif not PRODUCTION:
    # Outside production the local memory is enough: under `make run` one web process (runserver) serves
    # every limited page, and a restart forgetting the counts is harmless. In production its E003 stands.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
