import pytest
from django.contrib.auth.models import Group, Permission

from hw4all.events.factories import EventRegistrationFactory
from hw4all.events.models import RegistrationStatus
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def secretariat_client(client):
    user = user_create(email="secretariat@example.org", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(user)
    return client


@pytest.fixture
def registrations(make_event):
    event = make_event(title="Expert meeting", capacity=1, registration_open=True)
    EventRegistrationFactory(event=event, name=HOSTILE, organisation=HOSTILE, email="first@example.org")
    EventRegistrationFactory(event=event, name="Kofi Mensah", email="kofi@example.org", status="waiting")
    return event


def test_secretariat_lists_registrations_with_counts_escaped(secretariat_client, registrations):
    response = secretariat_client.get("/admin/registrations/")
    content = response.content.decode()
    assert response.status_code == 200
    assert HOSTILE not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Kofi Mensah" in content
    assert "Expert meeting" in content


def test_search_filter_and_csv_export(secretariat_client, registrations):
    found = secretariat_client.get("/admin/registrations/?q=kofi").content.decode()
    assert "Kofi Mensah" in found
    assert "first@example.org" not in found
    waiting_url = f"/admin/registrations/?status={RegistrationStatus.WAITING}"
    waiting = secretariat_client.get(waiting_url).content.decode()
    assert "first@example.org" not in waiting

    export = secretariat_client.get("/admin/registrations/?export=csv")
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert rows[0].startswith("Event,Name,Email")
    assert any("kofi@example.org" in row and ",1,1" in row for row in rows[1:])


def test_no_add_or_edit_form_even_for_the_secretariat(secretariat_client, registrations):
    registration = registrations.registrations.first()
    assert secretariat_client.get("/admin/registrations/new/").status_code in (302, 403)
    assert secretariat_client.get(f"/admin/registrations/edit/{registration.pk}/").status_code in (302, 403)


def test_members_cannot_see_registrations(client, registrations):
    user = user_create(email="member@example.org", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=MEMBER))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/registrations/")
    assert response.status_code in (302, 403)
    assert b"kofi@example.org" not in response.content
