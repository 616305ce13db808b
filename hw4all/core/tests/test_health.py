"""/health/ answers while the process runs; /health/ready/ says whether the database, the cache,
the task queue and media storage work, and names the one that does not."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

# Queued at once rather than when the transaction commits: a test's transaction never does.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "ENQUEUE_ON_COMMIT": False}}


@task()
def probe() -> None:
    """A task for the queue check to find waiting."""


def _ready(client):
    response = client.get("/health/ready/")
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


@pytest.mark.permission("health_live", "public")
def test_live_answers_without_touching_anything(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.permission("health_ready", "public")
def test_ready_when_everything_works(client):
    status, body = _ready(client)
    assert status == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "task_queue": True,
        "storage": True,
    }


def test_not_ready_when_the_cache_server_is_down(client):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=unreachable):
        status, body = _ready(client)
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["problem"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


def test_not_ready_when_media_cannot_be_written(client, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    with override_settings(MEDIA_ROOT=str(not_a_folder)):
        status, body = _ready(client)
    assert status == 503
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["cache"]["ok"] is True


def test_the_probe_file_is_removed(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert _ready(client)[0] == 200
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_not_ready_when_a_due_task_waits_too_long(client):
    with override_settings(TASKS=DATABASE_QUEUE, HEALTH_TASK_MAX_WAIT_SECONDS=900):
        waiting = probe.enqueue()
        later = probe.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
        DBTaskResult.objects.filter(pk=later.id).update(
            enqueued_at=timezone.now() - datetime.timedelta(hours=2)
        )
        assert _ready(client)[0] == 200  # one just queued, one not due yet

        DBTaskResult.objects.filter(pk=waiting.id).update(
            enqueued_at=timezone.now() - datetime.timedelta(minutes=20)
        )
        status, body = _ready(client)
    assert status == 503
    assert body["checks"]["task_queue"] == {
        "ok": False,
        "problem": "a task has waited 20 minutes: is the task worker running?",
        "ms": body["checks"]["task_queue"]["ms"],
    }
