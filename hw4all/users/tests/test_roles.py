"""The Secretariat edits and publishes through the Wagtail admin; other roles cannot enter it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from hw4all.users.roles import ALL_ROLES, MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE, user_has_role
from hw4all.users.services import user_create


@pytest.fixture
def editor(db):
    return user_create(email="secretariat@example.org", password="x-Long-pass-1", roles=(SECRETARIAT,))


def _page_form(**fields):
    data = {
        "title": "About the coalition",
        "slug": "about",
        "summary": "Who we are.",
        "body": streamfield([("heading", "Our members")]),
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.mark.django_db
def test_the_migration_creates_every_role():
    assert set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True)) == set(ALL_ROLES)


@pytest.mark.django_db
def test_user_has_role(editor):
    member = user_create(email="member@example.org", roles=(MEMBER,))
    assert user_has_role(editor, SECRETARIAT)
    assert not user_has_role(member, SECRETARIAT)
    assert user_has_role(member, MEMBER)


@pytest.mark.django_db
def test_user_create_rejects_an_unknown_role():
    with pytest.raises(ValueError, match="Unknown role"):
        user_create(email="x@example.org", roles=("Overlord",))


@pytest.mark.django_db
def test_secretariat_creates_previews_and_publishes_a_standard_page(client, editor, home_page):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    add_url = f"/admin/pages/add/pages/standardpage/{home_page.pk}/"
    assert client.get(add_url).status_code == 200

    preview = client.post(f"{add_url}preview/", _page_form())
    assert preview.json()["is_valid"] is True
    rendered = client.get(f"{add_url}preview/")
    assert rendered.status_code == 200
    assert b"About the coalition" in rendered.content

    response = client.post(add_url, _page_form(**{"action-publish": "action-publish"}))

    assert response.status_code == 302
    page = Page.objects.get(slug="about")
    assert page.live
    assert page.specific_class.__name__ == "StandardPage"
    assert page.get_parent().pk == home_page.pk
    public = client.get("/en/about/")
    assert public.status_code == 200
    assert b"Our members" in public.content


@pytest.mark.django_db
def test_secretariat_schedules_a_page(client, editor, home_page):
    client.force_login(editor)
    go_live = timezone.localtime() + dt.timedelta(days=3)

    response = client.post(
        f"/admin/pages/add/pages/standardpage/{home_page.pk}/",
        _page_form(
            slug="later",
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )

    assert response.status_code == 302
    page = Page.objects.get(slug="later")
    assert not page.live
    assert page.scheduled_revision is not None
    assert page.scheduled_revision.approved_go_live_at.date() == go_live.date()
    assert client.get("/en/later/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [MEMBER, REVIEWER])
def test_other_roles_cannot_enter_the_admin(client, home_page, role):
    client.force_login(user_create(email="someone@example.org", roles=(role,)))

    response = client.get("/admin/")

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/" not in response["Location"].split("?")[0]
    add = client.post(
        f"/admin/pages/add/pages/standardpage/{home_page.pk}/",
        _page_form(**{"action-publish": "action-publish"}),
    )
    assert add.status_code in (302, 403)
    assert not Page.objects.filter(slug="about").exists()


@pytest.mark.django_db
def test_steering_committee_enters_the_admin_but_cannot_publish(client, home_page):
    client.force_login(user_create(email="sc@example.org", roles=(STEERING_COMMITTEE,)))

    assert client.get("/admin/").status_code == 200
    client.post(
        f"/admin/pages/add/pages/standardpage/{home_page.pk}/",
        _page_form(**{"action-publish": "action-publish"}),
    )
    assert not Page.objects.filter(slug="about").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_our_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
