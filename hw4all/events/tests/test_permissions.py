"""Who may use the events' addresses: the API lists published events to anyone and never a draft;
the admin's registration lists, with registrants' personal data, are the Secretariat's alone."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from hw4all.events.factories import EventRegistrationFactory
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db


def user_with(email: str, group: str | None = None, *, admin: bool = False):
    user = user_create(email=email, password="a-long-password-1")
    if group:
        user.groups.add(Group.objects.get(name=group))
    if admin:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.permission("hw4all_events_api_event_list", "public")
def test_everyone_lists_the_published_events_and_nobody_a_draft(make_event):
    make_event(title="Side event")
    make_event(title="Secret draft", publish=False)
    member = Client()
    member.force_login(user_with("member@example.org", MEMBER))
    secretariat = Client()
    secretariat.force_login(user_with("secretariat@example.org", SECRETARIAT))
    for who, client in {"anonymous": Client(), "member": member, "secretariat": secretariat}.items():
        response = client.get("/api/v1/events/")
        assert response.status_code == 200, who
        assert [item["title"] for item in response.json()["items"]] == ["Side event"], who


@pytest.mark.permission("registrations:index_results", "role")
@pytest.mark.permission("registrations:index_results", "authenticated")
def test_only_the_secretariat_gets_the_registration_lists_results(client, make_event):
    event = make_event(title="Expert meeting", registration_open=True)
    EventRegistrationFactory(event=event, name="Kofi Mensah", email="kofi@example.org")
    url = reverse("registrations:index_results")

    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (
        user_with("member@example.org", MEMBER),
        user_with("admin-member@example.org", MEMBER, admin=True),
        user_with("editor@example.org", admin=True),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (302, 403), user.email
        assert b"kofi@example.org" not in response.content

    client.force_login(user_with("secretariat@example.org", SECRETARIAT))
    response = client.get(url)
    assert response.status_code == 200
    assert b"kofi@example.org" in response.content
