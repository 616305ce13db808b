"""The Secretariat approves or declines members' resources in the admin; the submitter is emailed
in their language; nobody else may decide."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from hw4all.library import services
from hw4all.library.factories import ResourceFactory, ResourceFileFactory, user_with_role
from hw4all.library.models import Resource, Status
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/snippets/library/resource/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def approve_url(resource: Resource) -> str:
    return f"{LIST_URL}approve/{resource.pk}/"


def decline_url(resource: Resource) -> str:
    return f"{LIST_URL}decline/{resource.pk}/"


@pytest.fixture
def submitter():
    return user_with_role(MEMBER, email="ana@nurses.example.org", language="fr")


@pytest.fixture
def waiting(submitter):
    resource = ResourceFactory(
        title="Nurses' migration from Romania", status=Status.SUBMITTED, submitted_by=submitter
    )
    ResourceFileFactory(resource=resource)
    return resource


@pytest.fixture
def secretariat(client):
    user = user_with_role(SECRETARIAT)
    client.force_login(user)
    return user


def test_waiting_filter_lists_submissions_with_decision_buttons(client, secretariat, waiting):
    ResourceFactory(title="Already published report")
    page = client.get(LIST_URL, {"status": "submitted"}).content.decode()
    assert "Nurses&#x27; migration from Romania" in page
    assert "Already published report" not in page
    assert approve_url(waiting) in page
    assert decline_url(waiting) in page
    assert "Waiting for approval" in client.get(LIST_URL).content.decode()


def test_dashboard_shows_resources_waiting(client, secretariat, waiting):
    page = client.get("/admin/").content.decode()
    assert "Library resources waiting for approval" in page
    assert approve_url(waiting) in page


def test_confirmation_page_then_approval_publishes_and_emails_in_the_submitters_language(
    client, secretariat, waiting, django_capture_on_commit_callbacks
):
    response = client.get(approve_url(waiting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Approve the resource" in page
    assert "ana@nurses.example.org" in page
    assert Resource.objects.get(pk=waiting.pk).status == Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve_url(waiting), {"note": "Merci, très utile."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    assert waiting.decided_by == secretariat
    assert waiting.decided_at is not None
    assert waiting.decision_note == "Merci, très utile."
    [message] = mail.outbox
    assert message.to == ["ana@nurses.example.org"]
    assert "Merci, très utile." in message.body
    # The submitter's language: the link is the French page.
    assert f"/fr/library/{waiting.pk}-{waiting.slug}/" in message.body
    assert Client().get(waiting.get_absolute_url()).status_code == 200
    # Published, it is found by the library's search.
    assert waiting.get_absolute_url() in Client().get("/en/library/", {"q": "Romania"}).content.decode()


@pytest.mark.permission("library:index", "public")
def test_waiting_resource_is_not_found_by_search(client, waiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_changed(waiting)
    assert waiting.get_absolute_url() not in Client().get("/en/library/", {"q": "Romania"}).content.decode()


def test_declining_needs_a_reason_and_sends_it(client, secretariat, waiting):
    response = client.post(decline_url(waiting), {"note": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Resource.objects.get(pk=waiting.pk).status == Status.SUBMITTED

    client.post(decline_url(waiting), {"note": "Outside the library's scope."})
    waiting.refresh_from_db()
    assert waiting.status == Status.DECLINED
    [message] = mail.outbox
    assert "Outside the library's scope." in message.body
    assert Client().get(waiting.get_absolute_url()).status_code == 404


def test_a_decided_resource_is_not_decided_again(client, secretariat, waiting):
    client.post(approve_url(waiting), {"note": ""})
    response = client.post(decline_url(waiting), {"note": "Changed my mind."}, follow=True)
    assert "This resource has already been decided." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    assert len(mail.outbox) == 1


@pytest.mark.permission("wagtailsnippets_library_resource:approve", "role")
@pytest.mark.permission("wagtailsnippets_library_resource:decline", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER])
def test_roles_without_the_admin_are_turned_away(client, waiting, role):
    client.force_login(user_with_role(role, email="someone@other.example.org"))
    for url in (approve_url(waiting), decline_url(waiting)):
        assert client.post(url, {"note": "x"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED
    assert mail.outbox == []


@pytest.mark.permission("wagtailsnippets_library_resource:approve", "role")
@pytest.mark.permission("wagtailsnippets_library_resource:decline", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_in_the_admin_get_the_reason(client, waiting, role):
    user = user_with_role(role, email="someone@other.example.org")
    # Give them the admin itself, so that only the decision rule stands in the way.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (approve_url(waiting), decline_url(waiting)):
        for response in (client.get(url), client.post(url, {"note": "x"})):
            assert response.status_code == 403
            assert "Only the Secretariat may approve or decline resources." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED
    assert mail.outbox == []


def test_csrf_is_enforced(secretariat, waiting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    assert client.post(approve_url(waiting), {"note": ""}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED


def test_hostile_submission_is_escaped_on_the_confirmation_page(client, secretariat, submitter):
    resource = ResourceFactory(
        title=HOSTILE, summary=HOSTILE, status=Status.SUBMITTED, submitted_by=submitter
    )
    page = client.get(approve_url(resource)).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page
