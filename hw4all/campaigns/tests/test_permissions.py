"""Who may use each campaigns address: the signing pages and the counts are everyone's while the
campaign is published (an unpublished one is a 404, whoever asks); posting signatures through the
API needs a partner's token; the admin's signature and flag lists are the Secretariat's."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.users.services import user_create

API = "/api/v1/campaigns/"


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


@pytest.fixture
def published(index):
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


@pytest.fixture
def unpublished(index):
    return services.campaign_create(index=index, title="Secret plan", summary="Not yet.", publish=False)


def visitors():
    member = Client()
    member.force_login(user_create(email="member@example.org", password="pw", roles=(MEMBER,)))
    return {"anonymous": Client(), "member": member}


@pytest.mark.permission("campaigns:campaign", "public")
@pytest.mark.permission("campaigns:signature_create", "public")
@pytest.mark.permission("campaigns:signature_thanks", "public")
@pytest.mark.parametrize(
    ("name", "expected"), [("campaign", 302), ("signature_create", 200), ("signature_thanks", 200)]
)
def test_everyone_opens_a_published_campaigns_pages_and_nobody_an_unpublished_ones(
    published, unpublished, name, expected
):
    for who, client in visitors().items():
        response = client.get(reverse(f"campaigns:{name}", args=[published.pk]))
        assert response.status_code == expected, who
        if name == "campaign":
            assert response["Location"] == published.url
        response = client.get(reverse(f"campaigns:{name}", args=[unpublished.pk]))
        assert response.status_code == 404, who
        assert "Secret plan" not in response.content.decode()


def test_nobody_signs_an_unpublished_campaign(client, unpublished):
    response = client.post(
        reverse("campaigns:signature_create", args=[unpublished.pk]),
        {"name": "Amina Diallo", "email": "amina@example.org", "country": "KE"},
    )
    assert response.status_code == 404
    assert not Signature.objects.exists()


@pytest.mark.permission("hw4all_campaigns_api_campaign_list", "public")
@pytest.mark.permission("hw4all_campaigns_api_campaign_detail", "public")
def test_everyone_reads_the_published_campaigns_through_the_api_and_nothing_of_an_unpublished_one(
    published, unpublished
):
    for who, client in visitors().items():
        listing = client.get(API)
        assert listing.status_code == 200, who
        assert [item["id"] for item in listing.json()["items"]] == [published.pk]
        assert client.get(f"{API}{published.pk}").status_code == 200, who
        assert client.get(f"{API}{unpublished.pk}").status_code == 404, who


@pytest.mark.permission("hw4all_campaigns_api_signature_post", "authenticated")
@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}]
)
def test_posting_a_signature_without_a_partners_token_is_refused(published, headers):
    for who, client in visitors().items():
        response = client.post(
            f"{API}{published.pk}/signatures",
            {"name": "Amina Diallo", "email": "amina@example.org", "country": "KE"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 401, who
        assert response["Content-Type"].startswith("application/problem+json")
    assert not Signature.objects.exists()


RESULTS = ["campaigns_signatures:index_results", "campaigns_flags:index_results"]


@pytest.fixture
def signer(published):
    services.signature_submit(
        campaign=published,
        data=services.SignatureInput(name="Personal Data Person", email="pdp@example.org", country="KE"),
    )
    return Signature.objects.get()


@pytest.mark.permission("campaigns_signatures:index_results", "role")
@pytest.mark.permission("campaigns_flags:index_results", "role")
@pytest.mark.parametrize("name", RESULTS)
def test_only_the_secretariat_gets_the_admin_lists_results(client, signer, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]

    member = user_create(email="staff-member@example.org", password="pw", roles=(MEMBER,), is_staff=True)
    editor = user_create(email="editor@example.org", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user in (member, editor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code in (302, 403), user.email
        assert "Personal Data Person" not in response.content.decode()

    client.force_login(
        user_create(email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True)
    )
    response = client.get(url)
    assert response.status_code == 200
    if name == "campaigns_signatures:index_results":
        assert "Personal Data Person" in response.content.decode()
