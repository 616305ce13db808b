"""The Secretariat keeps the criteria in the admin (Practices menu); other roles are refused."""

import pytest
from django.contrib.auth.models import Permission

from hw4all.practices import services
from hw4all.practices.models import CriteriaSetVersion, VersionStatus
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT, STEERING_COMMITTEE
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db

SETS = "/admin/snippets/practices/criteriaset/"
VERSIONS = "/admin/snippets/practices/criteriasetversion/"


def user_with_role(role: str, *, email: str = ""):
    return user_create(
        email=email or f"{role.replace(' ', '').lower()}@example.org", roles=(role,), is_staff=True
    )


@pytest.fixture
def secretariat(client):
    user = user_with_role(SECRETARIAT)
    client.force_login(user)
    return user


def admin_urls(version):
    return [
        SETS,
        f"{SETS}add/",
        f"{SETS}edit/{version.criteria_set.pk}/",
        VERSIONS,
        f"{VERSIONS}add/",
        f"{VERSIONS}edit/{version.pk}/",
        f"{VERSIONS}inspect/{version.pk}/",
        f"{VERSIONS}publish/{version.pk}/",
        f"{VERSIONS}new-version/{version.pk}/",
    ]


def test_the_secretariat_opens_every_view(client, secretariat, draft):
    for url in admin_urls(draft):
        assert client.get(url).status_code == 200, url
    menu = client.get("/admin/").content.decode()
    assert "Practices" in menu
    listing = client.get(VERSIONS).content.decode()
    assert "Partnership criteria" in listing
    assert f"{VERSIONS}publish/{draft.pk}/" in listing
    edit = client.get(f"{VERSIONS}edit/{draft.pk}/").content.decode()
    assert "criteria-TOTAL_FORMS" in edit
    assert "strict majority" in edit


@pytest.mark.permission("wagtailsnippets_practices_criteriasetversion:new_version", "role")
@pytest.mark.permission("wagtailsnippets_practices_criteriasetversion:publish", "role")
@pytest.mark.parametrize("role", [MEMBER, REVIEWER, STEERING_COMMITTEE])
def test_other_roles_are_refused(client, draft, role):
    user = user_with_role(role, email="someone@other.example.org")
    # Give them the admin itself, so that only the practices' permissions stand in the way.
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in admin_urls(draft):
        response = client.get(url)
        # Wagtail redirects a refused snippet view to the dashboard; the actions answer 403.
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url == "/admin/", url
    for url in (f"{VERSIONS}publish/{draft.pk}/", f"{VERSIONS}new-version/{draft.pk}/"):
        assert client.post(url).status_code == 403
    assert "Practices" not in client.get("/admin/").content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_member_without_the_admin_is_sent_to_sign_in(client, draft):
    client.force_login(user_with_role(MEMBER, email="member@other.example.org"))
    response = client.get(VERSIONS)
    assert response.status_code == 302
    assert "login" in response.url


def test_publish_then_new_version_through_the_admin(client, secretariat, draft):
    assert client.post(f"{VERSIONS}publish/{draft.pk}/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    listing = client.get(VERSIONS).content.decode()
    assert f"{VERSIONS}new-version/{draft.pk}/" in listing

    response = client.post(f"{VERSIONS}new-version/{draft.pk}/")
    new = CriteriaSetVersion.objects.get(criteria_set=draft.criteria_set, number=2)
    assert response.url == f"{VERSIONS}edit/{new.pk}/"
    assert new.criteria.count() == 3
    # A second draft is refused with a message.
    response = client.post(f"{VERSIONS}new-version/{draft.pk}/", follow=True)
    assert "still a draft" in response.content.decode()
    assert draft.criteria_set.versions.count() == 2


def test_editing_a_published_version_in_the_admin_is_refused(client, secretariat, published):
    criteria = list(published.criteria.all())
    data = {
        "criteria_set": published.criteria_set.pk,
        "core_threshold_percent": 10,
        "qualifier_threshold_percent": 60,
        "criteria-TOTAL_FORMS": len(criteria),
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    for index, criterion in enumerate(criteria):
        data |= {
            f"criteria-{index}-id": criterion.pk,
            f"criteria-{index}-group": criterion.group,
            f"criteria-{index}-title": "Changed",
            f"criteria-{index}-guidance": "",
            f"criteria-{index}-scale_max": criterion.scale_max,
            f"criteria-{index}-weight": criterion.weight,
            f"criteria-{index}-ORDER": index + 1,
        }
    response = client.post(f"{VERSIONS}edit/{published.pk}/", data)
    assert response.status_code == 200
    assert "frozen" in response.content.decode()
    published.refresh_from_db()
    assert published.core_threshold_percent == 60
    assert not published.criteria.filter(title="Changed").exists()


def test_a_draft_is_edited_and_created_in_the_admin(client, secretariat, draft):
    criteria = list(draft.criteria.all())
    data = {
        "criteria_set": draft.criteria_set.pk,
        "core_threshold_percent": 65,
        "qualifier_threshold_percent": 60,
        "criteria-TOTAL_FORMS": len(criteria),
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    for index, criterion in enumerate(criteria):
        data |= {
            f"criteria-{index}-id": criterion.pk,
            f"criteria-{index}-group": criterion.group,
            f"criteria-{index}-title": criterion.title,
            f"criteria-{index}-guidance": "Read the evidence section.",
            f"criteria-{index}-scale_max": criterion.scale_max,
            f"criteria-{index}-weight": criterion.weight,
            f"criteria-{index}-ORDER": index + 1,
        }
    assert client.post(f"{VERSIONS}edit/{draft.pk}/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.core_threshold_percent == 65
    assert set(draft.criteria.values_list("guidance", flat=True)) == {"Read the evidence section."}

    # A second draft of the same set is refused; a version of a new set takes number 1.
    data |= {"criteria-TOTAL_FORMS": 0, "criteria-INITIAL_FORMS": 0}
    response = client.post(f"{VERSIONS}add/", data)
    assert response.status_code == 200
    assert "already has a draft" in response.content.decode()
    response = client.post(f"{SETS}add/", {"name": "Another set", "description": ""})
    assert response.status_code == 302
    other = draft.criteria_set.__class__.objects.get(name="Another set")
    assert client.post(f"{VERSIONS}add/", data | {"criteria_set": other.pk}).status_code == 302
    assert other.versions.get().number == 1


def test_a_published_version_cannot_be_deleted_but_a_draft_can(client, secretariat, published):
    draft = services.criteria_version_new(criteria_set=published.criteria_set)
    response = client.post(f"{VERSIONS}delete/{published.pk}/", follow=True)
    assert CriteriaSetVersion.objects.filter(pk=published.pk).exists()
    assert "A published version cannot be deleted" in response.content.decode()
    client.post(f"{VERSIONS}delete/{draft.pk}/")
    assert not CriteriaSetVersion.objects.filter(pk=draft.pk).exists()


def test_a_set_with_versions_cannot_be_deleted(client, secretariat, published):
    response = client.post(f"{SETS}delete/{published.criteria_set.pk}/", follow=True)
    assert "A criteria set that has versions cannot be deleted" in response.content.decode()
    assert CriteriaSetVersion.objects.filter(pk=published.pk).exists()
