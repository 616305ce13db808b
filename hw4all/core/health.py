"""Liveness and readiness for load balancers, orchestrators and uptime monitors.

`/health/` says the process answers (no dependency is touched, so a slow database does not get
healthy workers restarted). `/health/ready/` checks what a request needs: the database, the
cache, the task queue (the worker is running: nothing due waits longer than
HEALTH_TASK_MAX_WAIT_SECONDS) and media storage (a file can be written and deleted). It answers
503 if one fails, naming which, without the error's text, which may hold addresses or names."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

PROBE_PREFIX = "health/"


class CheckFailed(Exception):
    pass


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("the database answered something else")


def _cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    try:
        if cache.get(key) != "ok":
            raise CheckFailed("the cache does not keep what is stored")
    finally:
        cache.delete(key)


def _task_queue() -> None:
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return  # tasks run as they are queued: nothing can wait
    now = timezone.now()
    oldest_due = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    if oldest_due is not None and now - oldest_due > datetime.timedelta(
        seconds=settings.HEALTH_TASK_MAX_WAIT_SECONDS
    ):
        minutes = int((now - oldest_due).total_seconds() // 60)
        raise CheckFailed(f"a task has waited {minutes} minutes: is the task worker running?")


def _storage() -> None:
    name = default_storage.save(f"{PROBE_PREFIX}{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "task_queue": _task_queue,
    "storage": _storage,
}


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except CheckFailed as failure:
            results[name] = {"ok": False, "problem": str(failure)}
        except Exception as error:  # noqa: BLE001 (any failure of a dependency makes it not ready)
            results[name] = {"ok": False, "problem": type(error).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(result["ok"] for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503
    )
