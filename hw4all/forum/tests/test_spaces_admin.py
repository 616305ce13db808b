"""The Secretariat creates and edits spaces in the admin (Forum menu) and appoints their first
moderators; every other role is refused."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hw4all.coalition.factories import user_in
from hw4all.forum.models import MembershipStatus, ModerationAction, Space, SpaceKind, SpaceMembership
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE

pytestmark = pytest.mark.django_db


def form(**overrides) -> dict:
    return {
        "name": "Kenya",
        "slug": "kenya",
        "kind": SpaceKind.COUNTRY,
        "country": "KE",
        "description": "Proposals to the Ministry of Health.",
        "is_open": "on",
    } | overrides


@pytest.fixture
def admin_client(client, db):
    user = user_in(SECRETARIAT, country="BE")
    user.is_staff = True
    user.save()
    client.force_login(user)
    client.user = user
    return client


def test_the_secretariat_creates_a_national_space_with_its_first_moderators(admin_client, outsider):
    assert "Forum" in admin_client.get("/admin/").content.decode()
    assert admin_client.get(reverse("forum_spaces:add")).status_code == 200
    response = admin_client.post(reverse("forum_spaces:add"), form(moderators=[outsider.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    space = Space.objects.get(slug="kenya")
    assert (space.country, space.is_open, space.created_by) == ("KE", True, admin_client.user)
    membership = SpaceMembership.objects.get(space=space, user=outsider)
    assert membership.is_moderator and membership.status == MembershipStatus.ACTIVE
    assert ModerationAction.objects.get(kind="appoint").moderator == admin_client.user


def test_a_national_space_without_its_country_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("forum_spaces:add"), form(country=""))
    assert response.status_code == 200
    assert "A national space needs its country." in response.content.decode()
    assert not Space.objects.exists()


def test_the_secretariat_edits_the_description_and_closes_a_space(admin_client, open_space, open_member):
    url = reverse("forum_spaces:edit", args=[open_space.pk])
    assert admin_client.get(url).status_code == 200
    data = form(
        name="Global space", slug="global", kind=SpaceKind.GLOBAL, country="", description="New words"
    )
    del data["is_open"]
    response = admin_client.post(url, data | {"moderators": [open_member.pk]})
    assert response.status_code == 302
    open_space.refresh_from_db()
    assert (open_space.description, open_space.is_open) == ("New words", False)
    assert SpaceMembership.objects.get(space=open_space, user=open_member).is_moderator


@pytest.mark.permission("forum_spaces:add", "role")
@pytest.mark.permission("forum_spaces:edit", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_are_refused(client, open_space, role):
    user = user_in(role, country="KE")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (
        reverse("forum_spaces:index"),
        reverse("forum_spaces:add"),
        reverse("forum_spaces:edit", args=[open_space.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == "/admin/", url
    response = client.post(reverse("forum_spaces:add"), form())
    assert response.status_code in (302, 403)
    assert not Space.objects.filter(slug="kenya").exists()
    assert "Forum" not in client.get("/admin/").content.decode()


def test_nobody_deletes_a_space_in_the_admin(admin_client, open_space):
    response = admin_client.post(reverse("forum_spaces:delete", args=[open_space.pk]))
    assert response.status_code in (302, 403)
    assert Space.objects.filter(pk=open_space.pk).exists()
