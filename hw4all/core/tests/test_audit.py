"""The audit log: staff actions are recorded with who, what, when and from where, and nobody can
change or remove an entry afterwards (the model and its queryset refuse; on PostgreSQL the
table itself refuses). Only the Secretariat reads it, in the Wagtail admin's Reports menu."""

import csv
import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.core.audit import AuditEntry, AuditEntryImmutable, audit_record

PASSWORD = "a-long-test-password-1"
LOG = "/admin/audit-log/"
HOSTILE = '<script>alert("x")</script>'


def account(role=None, *, email=None, **fields):
    user_model = get_user_model()
    user = user_model.objects.create_user(
        email=email
        or f"{(role or 'person').lower().replace(' ', '-')}-{user_model.objects.count()}@example.org",
        password=PASSWORD,
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def secretary(db):
    return account("Secretariat", email="secretary@example.org")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(email="root@example.org", password=PASSWORD)


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


# What is recorded.


def test_a_staff_action_in_the_admin_is_recorded_once_with_who_what_when_and_where(superuser):
    client = Client()
    client.force_login(superuser)
    before = AuditEntry.objects.count()
    started = timezone.now()
    response = client.post(
        "/django-admin/auth/group/add/",
        {"name": "Auditors"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Firefox/140",
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="django_admin.add")
    group = Group.objects.get(name="Auditors")
    assert (entry.user, entry.user_email) == (superuser, "root@example.org")
    assert (entry.object_type, entry.object_id, entry.summary) == ("auth.group", str(group.pk), "Auditors")
    assert (entry.address, entry.user_agent) == ("203.0.113.7", "Firefox/140")
    assert started <= entry.at <= timezone.now()


@pytest.mark.parametrize("count", [1, 3])
def test_deleting_selected_objects_in_the_admin_records_each_once(superuser, count):
    # Django logs several deletions with one bulk insert, which its post_save never sees.
    groups = [Group.objects.create(name=f"Old role {number}") for number in range(count)]
    kept = Group.objects.create(name="Kept role")
    client = Client()
    client.force_login(superuser)
    selection = {"action": "delete_selected", "_selected_action": [group.pk for group in groups]}

    confirm = client.post("/django-admin/auth/group/", selection)
    assert confirm.status_code == 200
    assert "<title>Delete multiple objects" in confirm.content.decode()
    assert entries("django_admin.delete") == []

    response = client.post(
        "/django-admin/auth/group/", {**selection, "post": "yes"}, REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 302
    assert not Group.objects.filter(pk__in=[group.pk for group in groups]).exists()
    assert Group.objects.filter(pk=kept.pk).exists()
    deleted = entries("django_admin.delete")
    assert sorted((entry.object_id, entry.summary) for entry in deleted) == sorted(
        (str(group.pk), group.name) for group in groups
    )
    assert {(entry.user, entry.address) for entry in deleted} == {(superuser, "203.0.113.9")}


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(superuser, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    client.force_login(superuser)
    client.post(
        "/django-admin/auth/group/add/",
        {"name": "Auditors"},
        REMOTE_ADDR="10.0.0.2",
        # The first address is the client's claim; the last, the proxy's own finding.
        HTTP_X_FORWARDED_FOR="198.51.100.66, 192.0.2.44",
    )
    [entry] = entries("django_admin.add")
    assert entry.address == "192.0.2.44"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(superuser, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    client.force_login(superuser)
    client.post(
        "/django-admin/auth/group/add/",
        {"name": "Auditors"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    [entry] = entries("django_admin.add")
    assert entry.address == "203.0.113.7"


def test_a_page_unpublished_in_wagtail_is_recorded_once_with_the_address(secretary, home_page):
    client = Client()
    client.force_login(secretary)
    before = AuditEntry.objects.count()
    response = client.post(f"/admin/pages/{home_page.pk}/unpublish/", REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 302
    home_page.refresh_from_db()
    assert not home_page.live
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.user, entry.address) == ("wagtail.unpublish", secretary, "203.0.113.8")
    assert (entry.object_type, entry.object_id) == (home_page._meta.label_lower, str(home_page.pk))
    assert entry.summary == home_page.title


def test_a_failed_admin_login_is_recorded_with_the_address(secretary):
    response = Client().post(
        "/django-admin/login/",
        {"username": "secretary@example.org", "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="curl/8",
    )
    assert response.status_code == 200
    [entry] = entries("auth.login_failed")
    assert (entry.address, entry.user_agent) == ("203.0.113.9", "curl/8")
    # Nobody was signed in: the account tried is what the entry is about, not who acted.
    assert (entry.user, entry.object_type, entry.object_id) == (None, "users.user", str(secretary.pk))


def test_a_failed_admin_login_to_an_unknown_address_names_no_one(db):
    Client().post(
        "/django-admin/login/",
        {"username": "nobody@example.org", "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
    )
    [entry] = entries("auth.login_failed")
    assert (entry.address, entry.object_id, entry.user_email) == ("203.0.113.9", "", "")
    assert "nobody@example.org" not in str(entry.detail) + entry.summary


def test_a_failed_login_on_the_site_is_recorded_for_staff_accounts_only(secretary):
    member = account("Member", email="member@example.org")
    client = Client()
    for email in ("member@example.org", "secretary@example.org"):
        client.post(
            reverse("account_login"), {"login": email, "password": "wrong"}, REMOTE_ADDR="203.0.113.10"
        )
    [entry] = entries("auth.login_failed")
    assert (entry.object_id, entry.address) == (str(secretary.pk), "203.0.113.10")
    assert not AuditEntry.objects.filter(object_type="users.user", object_id=str(member.pk)).exclude(
        action__startswith="users.roles"
    )


def test_staff_logins_and_logouts_are_recorded_members_are_not(secretary):
    EmailAddress.objects.create(user=secretary, email=secretary.email, verified=True, primary=True)
    member = account("Member")
    Client().force_login(member)
    assert not entries("auth.login")
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": "secretary@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.11",
    )
    [login] = entries("auth.login")
    assert (login.user, login.address) == (secretary, "203.0.113.11")
    client.post(reverse("account_logout"), REMOTE_ADDR="203.0.113.11")
    [logout] = entries("auth.logout")
    assert logout.user == secretary


def test_roles_given_and_taken_are_recorded_without_the_persons_name(db):
    person = account(email="amina@example.org", first_name="Amina", last_name="Diallo")
    secretariat = Group.objects.get_or_create(name="Secretariat")[0]
    person.groups.add(secretariat)
    secretariat.user_set.remove(person)
    person.groups.add(secretariat)
    person.groups.clear()
    actions = list(
        AuditEntry.objects.filter(object_id=str(person.pk)).order_by("pk").values_list("action", "detail")
    )
    assert actions == [
        ("users.roles_added", {"roles": ["Secretariat"]}),
        ("users.roles_removed", {"roles": ["Secretariat"]}),
        ("users.roles_added", {"roles": ["Secretariat"]}),
        ("users.roles_removed", {"roles": ["Secretariat"]}),
    ]
    for entry in AuditEntry.objects.filter(object_id=str(person.pk)):
        assert "Amina" not in entry.summary and "amina@example.org" not in entry.summary


def test_an_entry_outlives_the_account_with_its_email(secretary):
    entry = audit_record("test.action", user=secretary, summary="Did something")
    secretary.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.user, entry.user_email, entry.summary) == (None, "secretary@example.org", "Did something")


# Nobody changes the log.


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(secretary):
    entry = audit_record("test.action", user=secretary, summary="Did something")
    entry.summary = "Did nothing"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="Did nothing")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.bulk_update([entry], ["summary"])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Did something"


def test_the_database_refuses_changes_made_without_the_application(secretary):
    """On PostgreSQL a trigger refuses UPDATE and DELETE from any client; SQLite (development, a
    single machine) relies on the model's guard, which the test above checks on both."""
    entry = audit_record("test.action", user=secretary, summary="Did something")
    table = AuditEntry._meta.db_table
    if connection.vendor == "postgresql":
        for statement in (
            f"UPDATE {table} SET summary = 'Did nothing' WHERE id = %s",  # noqa: S608 - constant table name
            f"UPDATE {table} SET user_id = NULL, user_email = '' WHERE id = %s",  # noqa: S608
            f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
        entry = AuditEntry.objects.get(pk=entry.pk)
        assert (entry.summary, entry.user_email) == ("Did something", "secretary@example.org")
    else:
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            # No trigger on SQLite: the test runner's flush deletes rows there.
            assert cursor.fetchall() == []


def test_the_django_admin_offers_no_way_to_edit_the_log(superuser):
    entry = audit_record("test.action", user=superuser, summary="Did something")
    client = Client()
    client.force_login(superuser)
    for url in ("/django-admin/core/auditentry/", f"/django-admin/core/auditentry/{entry.pk}/change/"):
        assert client.get(url, follow=True).status_code == 404
    for url in (f"{LOG}{entry.pk}/", f"{LOG}{entry.pk}/delete/", f"{LOG}edit/{entry.pk}/", f"{LOG}new/"):
        assert client.get(url, follow=True).status_code == 404
    assert client.post(f"{LOG}", {"summary": "Did nothing"}).status_code in (200, 405)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Did something"


# The screen.


@pytest.mark.permission("audit_log:index", "role")
@pytest.mark.permission("audit_log:results", "role")
@pytest.mark.parametrize("role", ["Member", "Reviewer", "Steering Committee", None, "anonymous"])
def test_only_the_secretariat_reads_the_log(db, role):
    audit_record("test.action", summary="Secret summary")
    client = Client()
    if role != "anonymous":
        user = account(role, is_staff=role is None)
        client.force_login(user)
    for url in (LOG, f"{LOG}results/", f"{LOG}?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Secret summary" not in content
    assert not entries("core.audit_export")


def test_the_secretariat_finds_the_log_in_the_reports_menu(client, secretary):
    client.force_login(secretary)
    assert "/admin/audit-log/" in client.get("/admin/").content.decode()
    steering = account("Steering Committee")
    client.force_login(steering)
    assert "/admin/audit-log/" not in client.get("/admin/").content.decode()


def test_the_secretariat_reads_the_log_newest_first_with_hostile_text_escaped(client, secretary):
    audit_record("test.first", summary="First thing")
    audit_record("test.second", summary=HOSTILE)
    client.force_login(secretary)
    for url in (LOG, f"{LOG}results/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.index("&lt;script&gt;") < html.index("First thing")
        assert HOSTILE not in html
        assert "&lt;script&gt;" in html


def test_the_log_is_filtered_by_person_action_date_and_object_type(client, secretary, superuser):
    audit_record("test.kept", user=superuser, summary="Kept one", object_type="auth.group", object_id="1")
    audit_record("test.other", user=superuser, summary="Other action", object_type="auth.group")
    audit_record("test.kept", user=secretary, summary="Other person", object_type="auth.group")
    audit_record("test.kept", user=superuser, summary="Other type", object_type="wagtailcore.page")
    client.force_login(secretary)
    today = timezone.localdate().isoformat()
    query = {
        "user_email": "root@example.org",
        "action": "test.kept",
        "object_type": "auth.group",
        "at_from": today,
        "at_to": today,
    }
    html = client.get(LOG, query).content.decode()
    assert "Kept one" in html
    for other in ("Other action", "Other person", "Other type"):
        assert other not in html
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    html = client.get(LOG, {**query, "at_from": yesterday, "at_to": yesterday}).content.decode()
    assert "Kept one" not in html


def test_the_log_is_paginated(client, secretary):
    for number in range(55):
        audit_record("test.many", summary=f"Entry number {number:02d}")
    client.force_login(secretary)
    first = client.get(LOG, {"action": "test.many"}).content.decode()
    second = client.get(LOG, {"action": "test.many", "p": 2}).content.decode()
    assert "Entry number 54" in first and "Entry number 04" not in first
    assert "Entry number 04" in second and "Entry number 54" not in second


def test_the_log_downloads_as_csv_and_the_download_is_recorded(client, secretary):
    audit_record("test.kept", summary='=HYPERLINK("http://evil.example")', detail={"format": "csv"})
    audit_record("test.other", summary="Not asked for")
    client.force_login(secretary)
    response = client.get(LOG, {"action": "test.kept", "export": "csv"}, REMOTE_ADDR="203.0.113.12")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["When", "Who", "Action"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    # A spreadsheet would run it: it is kept as text.
    assert row["Summary"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Detail"] == '{"format": "csv"}'
    [export] = entries("core.audit_export")
    assert (export.user, export.address, export.detail) == (
        secretary,
        "203.0.113.12",
        {"filters": {"action": "test.kept"}},
    )
