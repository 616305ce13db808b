"""The database held by another connection while the server writes: on SQLite, a write lock
(BEGIN IMMEDIATE on the same file); on PostgreSQL, a table lock, then the waiting server's
connection terminated (what a restart does) and every idle one too. A lock released within the
busy timeout only delays the write; a write that cannot get the database answers the 503 page
(or the API's problem+json 503) with Retry-After, and keeps nothing: no signature without its
confirmation task, no comment without its activity and notification, no resource or file.
Afterwards the same server saves the same write."""

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import Signature
from hw4all.coalition import services as coalition
from hw4all.coalition.factories import OrganisationFactory
from hw4all.coalition.models import ApiScope
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Activity, Comment, Notification
from hw4all.forum.services import discussions
from hw4all.library.factories import user_with_role
from hw4all.library.models import Resource
from hw4all.users.roles import MEMBER

from .conftest import Answer, Server, Visitor, assert_clean_unavailable

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.database_held]

# Shorter than the server's busy timeout on SQLite (tests/faults/server_settings.py): 2 seconds.
HELD_SHORTLY = 0.6


def _queued(task_path: str) -> list[dict]:
    return [
        json.loads(row) if isinstance(row, str) else row
        for row in DBTaskResult.objects.filter(task_path=task_path).values_list("args_kwargs", flat=True)
    ]


@dataclass
class Write:
    """One kind of write: how to send it, whether it answered "saved", and what it stored
    (0 = nothing at all, 1 = the record with everything that goes with it; anything else is a
    partial record)."""

    table: str
    visitor: Callable[[Server], Visitor]
    send: Callable[[Visitor, int], Answer]
    saved: Callable[[Answer], bool]
    stored: Callable[[Server, int], float]


def _signing(home_page) -> Write:
    index = campaigns.campaigns_index_ensure(home=home_page)
    petition = campaigns.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")

    def send(visitor: Visitor, n: int) -> Answer:
        form = {"name": f"Signer {n}", "email": f"held-{n}@example.org", "country": "KE"}
        return visitor.post(f"/en/campaigns/{petition.pk}/sign/", form)

    return Write(
        "campaigns_signature", Server.visitor, send, lambda answer: answer.status == 302, _signing_stored
    )


def _signing_by_api(home_page) -> Write:
    index = campaigns.campaigns_index_ensure(home=home_page)
    petition = campaigns.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")
    organisation = OrganisationFactory(name="Nurses' Union", slug="nurses-union")
    _, token = coalition.api_token_issue(
        organisation=organisation, name="Website", scopes=(ApiScope.SIGNATURES,), by=None
    )

    def send(visitor: Visitor, n: int) -> Answer:
        payload = {"name": f"Signer {n}", "email": f"held-{n}@example.org", "country": "KE"}
        return visitor.post_json(f"/api/v1/campaigns/{petition.pk}/signatures", payload, token)

    return Write(
        "campaigns_signature", Server.visitor, send, lambda answer: answer.status == 202, _signing_stored
    )


def _signing_stored(server: Server, n: int) -> float:
    ids = list(Signature.objects.filter(email=f"held-{n}@example.org").values_list("pk", flat=True))
    queued = [
        args
        for args in _queued("hw4all.campaigns.tasks.signature_confirmation_send")
        if args["kwargs"].get("signature_id") in ids
    ]
    return (len(ids) + len(queued)) / 2


def _commenting(home_page) -> Write:
    space = SpaceFactory()
    starter, commenter = member_of(space), member_of(space)
    thread = discussions.thread_create(space=space, author=starter, title="Retention", body="Ideas?")

    def send(visitor: Visitor, n: int) -> Answer:
        return visitor.post(f"/en/forum/discussions/{thread.pk}/comment/", {"body": f"Point {n}"})

    def stored(server: Server, n: int) -> float:
        comments = list(Comment.objects.filter(body=f"Point {n}").values_list("pk", flat=True))
        activities = list(Activity.objects.filter(comment__in=comments).values_list("pk", flat=True))
        # The discussion's starter follows it and is told of each comment.
        notified = Notification.objects.filter(activity__in=activities, user=starter).count()
        return (len(comments) + len(activities) + notified) / 3

    return Write(
        "forum_comment", lambda server: server.visitor(commenter), send, lambda a: a.status == 302, stored
    )


def _submitting(home_page) -> Write:
    member = user_with_role(MEMBER, email="member@example.org")

    def send(visitor: Visitor, n: int) -> Answer:
        form = {
            "title": f"Nurses' migration, part {n}",
            "kind": "case-study",
            "summary": "How nurses move within the EU.",
            "authors": "Popescu, Ana",
            "year": "2014",
            "countries": ["RO"],
            "licence": "CC-BY-4.0",
            "files-TOTAL_FORMS": "1",
            "files-INITIAL_FORMS": "0",
            "files-0-language": "en",
            "files-0-label": "Full report",
        }
        files = {"files-0-file": ("report.txt", b"Health workers for all: recruitment.\n" * 50)}
        return visitor.post("/en/library/submit/", form, files)

    def stored(server: Server, n: int) -> float:
        resources = Resource.objects.filter(title=f"Nurses' migration, part {n}")
        files = [file for resource in resources for file in resource.files.all()]
        on_disk = [file for file in files if (server.media / file.file.name).is_file()]
        return (resources.count() + len(files) + len(on_disk)) / 3

    return Write(
        "library_resource", lambda server: server.visitor(member), send, lambda a: a.status == 302, stored
    )


WRITES = {
    "signing": _signing,
    "signing-by-api": _signing_by_api,
    "commenting": _commenting,
    "submitting": _submitting,
}


def _in_thread(function: Callable[[], Answer]) -> Callable[[], Answer]:
    """Starts `function` now; the returned callable waits for its answer."""
    answers: list[Answer] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            answers.append(function())
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()

    def wait() -> Answer:
        thread.join(timeout=40)
        if errors:
            raise errors[0]
        assert answers, "the request did not finish"
        return answers[0]

    return wait


@contextlib.contextmanager
def _sqlite_write_lock() -> Iterator[None]:
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=10)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


@contextlib.contextmanager
def _postgres_table_lock(table: str) -> Iterator[None]:
    # EXCLUSIVE: the server still reads the table, and waits to write to it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # noqa: S608 - a constant
        yield


def _postgres_terminate(*, waiting_only: bool) -> int:
    """Ends the server's connections to the test database as a restart would: those waiting for
    a lock, or all of them. Returns how many."""
    condition = "AND wait_event_type = 'Lock'" if waiting_only else ""
    # The server's first write of a kind may take a while to reach the table on a loaded machine.
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"  # noqa: S608 - constants
                f" WHERE datname = current_database() AND pid <> pg_backend_pid() {condition}"
            )
            ended = len(cursor.fetchall())
            if ended or not waiting_only or time.monotonic() > deadline:
                return ended
            time.sleep(0.1)


@pytest.mark.parametrize("kind", WRITES)
def test_a_write_while_another_connection_holds_the_database(kind, server, home_page):
    write = WRITES[kind](home_page)
    # Signed in (a session row) before the database is held.
    visitor = write.visitor(server)
    postgres = connection.vendor == "postgresql"

    # Held past the busy timeout (SQLite) or cut while waiting (PostgreSQL): a clean 503.
    if postgres:
        with _postgres_table_lock(write.table):
            answer = _in_thread(lambda: write.send(visitor, 1))
            assert _postgres_terminate(waiting_only=True) == 1, "the server never waited for the lock"
            failed = answer()
    else:
        with _sqlite_write_lock():
            started = time.monotonic()
            failed = write.send(visitor, 1)
            assert time.monotonic() - started >= 1.5, "the server did not wait for the busy timeout"
    assert_clean_unavailable(failed)
    if kind == "signing-by-api":
        assert failed.headers["content-type"] == "application/problem+json"
        assert json.loads(failed.text)["status"] == 503
    assert write.stored(server, 1) == 0

    # A restart between requests: the next request finds its connection gone and opens another.
    if postgres:
        _postgres_terminate(waiting_only=False)
    retried = write.send(visitor, 1)
    assert write.saved(retried), retried.text[:2000]
    assert write.stored(server, 1) == 1

    # Held for less than the busy timeout: the write waits and is saved whole.
    with _postgres_table_lock(write.table) if postgres else _sqlite_write_lock():
        answer = _in_thread(lambda: write.send(visitor, 2))
        time.sleep(HELD_SHORTLY)
    delayed = answer()
    assert write.saved(delayed), delayed.text[:2000]
    assert write.stored(server, 2) == 1
