"""Settings shared by every environment; each value an operator may change is read from the
environment so one code base serves the embedded default and a scaled-out deployment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("HW4ALL_VAR_DIR", BASE_DIR / "var"))
SHARED_DATA_DIR = Path(os.environ.get("HW4ALL_SHARED_DIR", BASE_DIR.parent / "shared"))
# Where the health-workforce source files are read from and `workforce fetch` writes.
WORKFORCE_DATA_DIR = Path(os.environ.get("HW4ALL_WORKFORCE_DATA_DIR", SHARED_DATA_DIR / "data"))
# The publishers' APIs `workforce fetch` reads (tests point them at a local server).
WORKFORCE_GHO_API = os.environ.get("HW4ALL_WORKFORCE_GHO_API", "https://ghoapi.azureedge.net/api/")
WORKFORCE_WORLD_BANK_API = os.environ.get("HW4ALL_WORKFORCE_WORLD_BANK_API", "https://api.worldbank.org/v2/")


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "hw4all.core",
    "hw4all.users",
    "hw4all.coalition",
    "hw4all.pages",
    "hw4all.news",
    "hw4all.events",
    "hw4all.campaigns",
    "hw4all.library",
    "hw4all.practices",
    "hw4all.forum",
    "hw4all.questionnaires",
    "hw4all.codereports",
    "hw4all.workforce",
    "hw4all.demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hw4all.core.middleware.AuditRequestMiddleware",
    "hw4all.core.middleware.ContentSecurityPolicyMiddleware",
    # Inside the security headers, before everything else: a valid signature needs no more.
    "hw4all.campaigns.middleware.SigningFastPathMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hw4all.core.middleware.SiteLookupMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "hw4all.core.pagecache.PageCacheMiddleware",
    # Outside GZip and the session: it sees the API's final bytes and who was signed in, and
    # answers a revalidation it can confirm before the session is even read.
    "hw4all.core.apihttp.ApiHttpMiddleware",
    "hw4all.core.middleware.GZipMiddleware",
    "hw4all.core.apihttp.ApiContentTagMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hw4all.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hw4all.core.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "hw4all.core.faults.ServiceUnavailableMiddleware",
]

# How long a process trusts the site it found for a host (core.middleware.SiteLookupMiddleware);
# the process that changes a site forgets at once, the others after this many seconds.
SITE_LOOKUP_SECONDS = int(os.environ.get("SITE_LOOKUP_SECONDS", "60"))

ROOT_URLCONF = "hw4all.urls"
WSGI_APPLICATION = "hw4all.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "hw4all.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout makes a writer wait
    # for the lock instead of failing at the first contention.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else DATABASES["default"]["CONN_MAX_AGE"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: email is the login; an address must be verified before it can sign in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "http")
ACCOUNT_ADAPTER = "hw4all.users.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "hw4all"
# Login throttling and lock-out, counted in the cache (Redis in production) by allauth, each
# action "<count>/<window>/<ip|key|user>", sliding windows. "login_failed" is the lock-out: five
# wrong passwords for one account in 15 minutes lock that account for the rest of the window,
# from every network; twenty from one network in an hour lock that network out of every account.
# Its key is the account (the email) for passwords and "mfa-auth-user-<id>" for two-factor codes,
# so staff's TOTP and recovery codes get the same five tries. A correct password clears the count.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/1h/ip,5/15m/key",
    "login": "30/1m/ip",
    "signup": "10/1h/ip",
    # Reset emails: the key is the address asked for, so nobody can flood one inbox.
    "reset_password": "10/1h/ip,3/1h/key",
    "reset_password_from_key": "20/1h/ip",
    # Sending the confirmation email again: once in three minutes an address.
    "confirm_email": "1/3m/key",
    "request_login_code": "20/1h/ip,3/15m/key",
    "change_password": "10/1h/user",
    "manage_email": "10/1h/user",
    "reauthenticate": "10/15m/user",
}
# Security keys are not offered (MFA_SUPPORTED_TYPES); their logins would be limited so.
MFA_RATE_LIMITS = {"webauthn_login": "10/1m/ip"}
# Production settings turn this on: staff must have TOTP before they reach the admin.
HW4ALL_REQUIRE_STAFF_2FA = env_bool("HW4ALL_REQUIRE_STAFF_2FA", False)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
# Interface languages with complete translations; the partner languages are enabled for
# content and fall back to English for interface strings they lack.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pt", "Português"),
    ("nl", "Nederlands"),
    ("it", "Italiano"),
    ("ro", "Română"),
    ("pl", "Polski"),
    ("de", "Deutsch"),
]
INTERFACE_LANGUAGES = ["en", "fr", "es", "pt"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [lang for lang in LANGUAGES if lang[0] in INTERFACE_LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "hw4all.core.uploads.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("MEDIA_STORAGE") == "s3":
    # S3-compatible object storage (django-storages; boto3 reads AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY from the environment). Uploads can be personal or unpublished, so the
    # bucket stays private and every link is signed; a day outlives every cache that keeps one.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "86400")),
            "file_overwrite": False,
        },
    }

# The embedded default caches in files so that every worker process on the machine shares
# one cache (and one page-cache generation); several machines share Redis instead.
CACHE_URL = os.environ.get("CACHE_URL", f"file://{VAR_DIR / 'cache'}")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("locmem"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "hw4all.core.cache.FileCache",
            "LOCATION": CACHE_URL.removeprefix("file://"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Wagtail stores every rendition a template asks for in this cache, on each use: kept in each
# process's memory, a page of logos costs no cache writes. A rendition is found by its image's
# focal point and filter, so a stale entry can only outlive a deleted image for this long.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 300,
}

# Tasks wait in the database for `manage.py db_worker`; "immediate" runs them in the request,
# for a server started without a worker (the browser tests).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
elif EMAIL_URL.startswith("file"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_URL.removeprefix("file://") or str(VAR_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Health Workers for All <noreply@hw4all.org>")
SECRETARIAT_EMAIL = os.environ.get("SECRETARIAT_EMAIL", "secretariat@hw4all.org")

WAGTAIL_SITE_NAME = "Health Workers for All"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Rate limits on public forms and API writes (see hw4all/core/ratelimit.py); switched off only
# for load benchmarks.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# allauth finds the client's address itself: behind the proxy, without this every login would
# seem to come from the proxy, and one network's lock-out would lock out everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The limits of each kind of write (hw4all.core.ratelimit.rate_limited): "<count>/<window>/<per>",
# separated by commas, a window in s, m, h or d ("15m"), per "network" (the client's address:
# an office or a café shares one, so these are generous) or "account" (the signed-in user; for
# the API, the token). Windows are fixed; the refusal says when the next one starts.
RATE_LIMITS = {
    # Forms anyone may send: a person sends one; an office sends a few.
    "membership-application": "5/1h/network",
    "event-registration": "20/1h/network",
    # Links from emails (cancel a registration, unsubscribe): each is used once or twice.
    "email-link": "60/1h/network",
    # Mail programs' one-click unsubscribe posts from their providers' few addresses: a limit
    # only against floods, never in the way of leaving a list.
    "unsubscribe": "600/1h/network",
    # Confirming or withdrawing a signature: as many as one network may sign (campaigns.views).
    "signature-link": "600/1h/network",
    "library-submission": "10/1h/account,30/1h/network",
    # Partners' servers submit from one address with one token.
    "library-api-submission": "100/1h/account",
    # Members writing: forum posts, case studies, Code reports, survey answers.
    # Above the forum's own finer limits (comments a minute, follows, reports, polls), which
    # answer first with their own messages.
    "forum-writing": "30/10m/account,300/1h/network",
    "forum-action": "200/10m/account,1000/1h/network",
    "case-writing": "120/1h/account,600/1h/network",
    "report-writing": "120/1h/account,600/1h/network",
    # A workshop may answer a survey together, page by page, from one network.
    "survey-answer": "120/1h/account,2000/1h/network",
    # Autosave posts every few seconds while someone types.
    "autosave": "720/1h/account,3000/1h/network",
}

# Campaigns: see hw4all/campaigns/ and docs/decisions/0004-signing-path.md.
CAMPAIGNS_GROUP_COMMIT = env_bool("CAMPAIGNS_GROUP_COMMIT", True)
CAMPAIGNS_PENDING_DAYS = int(os.environ.get("CAMPAIGNS_PENDING_DAYS", "7"))
CAMPAIGNS_COUNT_SECONDS = int(os.environ.get("CAMPAIGNS_COUNT_SECONDS", "30"))

# The largest file the library accepts, in MB; larger uploads are refused before they are read.
LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "50"))

# Case studies: the files authors attach, and the rules for reviewing.
PRACTICES_MAX_UPLOAD_MB = int(os.environ.get("PRACTICES_MAX_UPLOAD_MB", "20"))
PRACTICES_MIN_REVIEWERS = int(os.environ.get("PRACTICES_MIN_REVIEWERS", "2"))
# Reviewers of a case come from at least this many countries; 1 turns the rule off.
PRACTICES_MIN_REVIEWER_COUNTRIES = int(os.environ.get("PRACTICES_MIN_REVIEWER_COUNTRIES", "2"))
PRACTICES_REVIEW_DAYS = int(os.environ.get("PRACTICES_REVIEW_DAYS", "21"))
# A reviewer is reminded this many days before the deadline, and again once it has passed.
PRACTICES_REMIND_DAYS_BEFORE = int(os.environ.get("PRACTICES_REMIND_DAYS_BEFORE", "3"))

# Mounts the baseline views of bench/signing.py; never on in a deployment.
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)

# The public API (hw4all/core/apihttp.py): how long shared caches may keep an anonymous read,
# and the origins whose pages may write (partners' sites posting with their token).
API_PUBLIC_MAX_AGE = int(os.environ.get("HW4ALL_API_MAX_AGE", "60"))
API_CORS_WRITE_ORIGINS = env_list("HW4ALL_API_CORS_WRITE_ORIGINS")

# /health/ready/ fails when a task due this long ago still waits: the task worker is not running.
HEALTH_TASK_MAX_WAIT_SECONDS = int(os.environ.get("HW4ALL_HEALTH_TASK_MAX_WAIT_SECONDS", "900"))

# Public pages are cached per language for this many seconds; editors' publishing clears it.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# The site's pages run only its own files: no inline script or style, no eval (the workforce
# charts use Vega's interpreter). Media on another host (object storage) is allowed for images.
# The admins (Wagtail's, Django's) keep their own markup and get no policy from us
# (core.middleware.ContentSecurityPolicyMiddleware).
CSP_MEDIA_ORIGINS = env_list("HW4ALL_CSP_MEDIA_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
