import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "hw4all.core.uploads.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: tests then meet the WAL and locking behaviour production has.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
PAGE_CACHE_SECONDS = 0
# Each test rolls its database back without signals: a site remembered across tests would be stale.
SITE_LOOKUP_SECONDS = 0
if os.environ.get("CACHE_URL", "").startswith("redis"):
    # CI runs the cache's tests again against a real Redis (.ci/run). Each test empties the cache
    # (conftest.py), so each xdist worker gets a database of its own: gw0 the one named, gw1 the next.
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _url = urlsplit(os.environ["CACHE_URL"])
    _database = int(_url.path.strip("/") or 0) + _worker
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(_url._replace(path=f"/{_database}")),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve static files from the apps' folders, without a collectstatic step.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Tests write in the request's own transaction; the group-commit tests turn it on.
CAMPAIGNS_GROUP_COMMIT = False
