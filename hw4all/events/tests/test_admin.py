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


@pytest.mark.permission("registrations:index", "role")
def test_members_cannot_see_registrations(client, registrations):
    user = user_create(email="member@example.org", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=MEMBER))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/registrations/")
    assert response.status_code in (302, 403)
    assert b"kofi@example.org" not in response.content


def test_the_secretariat_cancels_a_registration_and_the_first_waiting_gets_the_place(
    secretariat_client, registrations, mailoutbox
):
    first = registrations.registrations.get(email="first@example.org")
    listing = secretariat_client.get("/admin/registrations/").content.decode()
    assert f"/admin/registrations/cancel/{first.pk}/" in listing

    asked = secretariat_client.get(f"/admin/registrations/cancel/{first.pk}/")
    assert asked.status_code == 200
    assert HOSTILE not in asked.content.decode()
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED  # asking changes nothing

    done = secretariat_client.post(f"/admin/registrations/cancel/{first.pk}/", follow=True)

    first.refresh_from_db()
    kofi = registrations.registrations.get(email="kofi@example.org")
    assert first.status == RegistrationStatus.CANCELLED
    assert kofi.status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mailoutbox] == [["kofi@example.org"]]
    assert "Kofi Mensah, first on the waiting list, has the place and was emailed." in done.content.decode()
    assert f"/admin/registrations/cancel/{first.pk}/" not in done.content.decode()


@pytest.mark.permission("registrations:cancel", "role")
def test_cancelling_needs_the_secretariat_and_a_post_with_csrf(client, registrations):
    first = registrations.registrations.get(email="first@example.org")
    member = user_create(email="member@example.org", password="a-long-password-1", is_staff=True)
    member.groups.add(Group.objects.get(name=MEMBER))
    client.force_login(member)

    # Members have no admin access at all: Wagtail sends them to log in as someone else.
    assert client.get(f"/admin/registrations/cancel/{first.pk}/").status_code == 302
    assert client.post(f"/admin/registrations/cancel/{first.pk}/").status_code == 302
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED

    from django.test import Client

    secretariat = user_create(email="secretariat@example.org", password="a-long-password-1")
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(secretariat)
    assert strict.post(f"/admin/registrations/cancel/{first.pk}/").status_code == 403
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
