"""The campaigns API: counts for everyone; signatures posted by partners with a token."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from hw4all.campaigns import api, services
from hw4all.campaigns.models import PartnerToken, Signature
from hw4all.campaigns.services import SignatureInput

URL = "/api/v1/campaigns/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


@pytest.fixture
def petition(index):
    return services.campaign_create(
        index=index,
        title="Invest in health workers",
        summary="Fund them.",
        goal=500,
        target="Health ministers",
    )


@pytest.fixture
def partner(db):
    return services.partner_token_create(name="Nurses' Union", source="nurses-union")


def confirmed(campaign, email, country):
    services.signature_submit(campaign=campaign, data=SignatureInput(name="S", email=email, country=country))
    services.signature_confirm(signature=Signature.objects.get(email=email))


def post(client, campaign, token, **overrides):
    payload = {"name": "Amina Diallo", "email": "amina@example.org", "country": "KE", **overrides}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        f"{URL}{campaign.pk}/signatures", payload, content_type="application/json", headers=headers
    )


def test_the_detail_gives_counts_by_country_that_add_up(client, petition):
    confirmed(petition, "a@example.org", "KE")
    confirmed(petition, "b@example.org", "KE")
    confirmed(petition, "c@example.org", "FR")
    body = client.get(f"{URL}{petition.pk}").json()
    assert body["total"] == 3
    assert body["by_country"] == [{"country": "KE", "count": 2}, {"country": "FR", "count": 1}]
    assert sum(row["count"] for row in body["by_country"]) == body["total"]
    assert body["target"] == "Health ministers"


def test_unknown_or_unpublished_campaigns_are_404(client, index):
    draft = services.campaign_create(index=index, title="Draft", summary="Not yet.", publish=False)
    assert client.get(f"{URL}{draft.pk}").status_code == 404
    assert client.get(f"{URL}999999").status_code == 404


def test_a_partner_posts_a_signature_with_its_source(client, petition, partner):
    _, token = partner
    response = post(client, petition, token, city="Nairobi", public=True)
    assert response.status_code == 202
    assert response.json() == {"status": "received"}
    signature = Signature.objects.get()
    assert (signature.source, signature.city, signature.public, signature.ip_hash) == (
        "nurses-union",
        "Nairobi",
        True,
        "",
    )
    assert mail.outbox[0].to == ["amina@example.org"]


def test_the_answer_is_the_same_whatever_the_outcome(client, petition, partner):
    _, token = partner
    first = post(client, petition, token)
    again = post(client, petition, token, email=" AMINA@example.org ")
    services.signature_confirm(signature=Signature.objects.get())
    confirmed_again = post(client, petition, token)
    answers = {(r.status_code, r.content) for r in (first, again, confirmed_again)}
    assert answers == {(202, b'{"status": "received"}')}
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_without_a_valid_token_it_is_401(client, petition, partner, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(
        f"{URL}{petition.pk}/signatures",
        {"name": "A", "email": "a@example.org", "country": "KE"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    assert not Signature.objects.exists()


def test_an_inactive_token_is_refused(client, petition, partner):
    record, token = partner
    PartnerToken.objects.filter(pk=record.pk).update(active=False)
    assert post(client, petition, token).status_code == 401


def test_the_token_is_stored_only_hashed(partner):
    record, token = partner
    assert token not in record.token_hash
    assert len(token) >= 40
    assert not PartnerToken.objects.filter(token_hash=token).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not an address"), ("country", "XX"), ("name", ""), ("name", "n" * 201), ("city", "c" * 101)],
)
def test_invalid_fields_are_422_with_the_field_named(client, petition, partner, field, value):
    _, token = partner
    response = post(client, petition, token, **{field: value})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Signature.objects.exists()


def test_a_missing_field_is_422(client, petition, partner):
    _, token = partner
    response = client.post(
        f"{URL}{petition.pk}/signatures",
        {"name": "A"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422


def test_a_closed_campaign_refuses_with_a_message(client, index, partner):
    _, token = partner
    closed = services.campaign_create(
        index=index,
        title="Closed",
        summary="Done.",
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = post(client, closed, token)
    assert response.status_code == 409
    assert "not taking signatures" in response.json()["detail"]


def test_partners_are_rate_limited_per_token_and_per_address(client, petition, partner, monkeypatch):
    _, token = partner
    monkeypatch.setattr(api, "PARTNER_LIMIT", (3, 3600))
    for number in range(3):
        assert post(client, petition, token, email=f"p{number}@example.org").status_code == 202
    assert post(client, petition, token, email="late@example.org").status_code == 429
    _, other_token = services.partner_token_create(name="Other", source="other")
    monkeypatch.setattr(api, "PARTNER_LIMIT", (600, 3600))
    assert post(client, petition, other_token, email="late@example.org").status_code == 202
    for _ in range(api.EMAIL_LIMIT[0] - 1):
        assert post(client, petition, other_token, email="late@example.org").status_code == 202
    assert post(client, petition, other_token, email="LATE@example.org").status_code == 429
    assert Signature.objects.count() == 4


def test_hostile_input_is_stored_as_typed_and_the_api_returns_no_personal_data(client, petition, partner):
    _, token = partner
    payload = "<script>alert(1)</script>"
    assert post(client, petition, token, name=payload, city=payload).status_code == 202
    assert Signature.objects.get().name == payload
    services.signature_confirm(signature=Signature.objects.get())
    assert payload not in client.get(f"{URL}{petition.pk}").content.decode()


def test_the_openapi_schema_lists_the_campaigns_api(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{campaign_id}",
        "/api/v1/campaigns/{campaign_id}/signatures",
    } <= set(schema["paths"])
    post_op = schema["paths"]["/api/v1/campaigns/{campaign_id}/signatures"]["post"]
    assert {"202", "409", "422", "429"} <= set(post_op["responses"])
    assert post_op["security"]


def test_the_secretariat_creates_a_token_in_the_admin_and_sees_it_once(client, petition):
    from hw4all.users.roles import SECRETARIAT
    from hw4all.users.services import user_create

    secretariat = user_create(
        email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True
    )
    client.force_login(secretariat)
    response = client.post(
        "/admin/campaigns/partners/new/",
        {"name": "Nurses' Union", "source": "nurses-union", "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    shown = re.search(r"it will not be shown again: ([\w-]{40,})", response.content.decode()).group(1)
    record = PartnerToken.objects.get()
    assert record.source == "nurses-union"
    assert shown not in record.token_hash
    assert post(client, petition, shown).status_code == 202
    assert Signature.objects.get().source == "nurses-union"
    assert shown.encode() not in client.get(f"/admin/campaigns/partners/edit/{record.pk}/").content
    assert shown.encode() not in client.get("/admin/campaigns/partners/").content


def test_the_secretariat_switches_a_token_off(client, petition, partner):
    from hw4all.users.roles import SECRETARIAT
    from hw4all.users.services import user_create

    partner, token = partner
    client.force_login(
        user_create(email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True)
    )

    response = client.post(
        f"/admin/campaigns/partners/edit/{partner.pk}/", {"name": "Nurses' Union", "source": "nurses-union"}
    )

    assert response.status_code == 302
    assert post(client, petition, token).status_code == 401
    assert client.get(f"/admin/campaigns/partners/delete/{partner.pk}/").status_code != 200
    assert PartnerToken.objects.filter(pk=partner.pk, active=False).exists()


def test_only_the_secretariat_manages_tokens(client, db):
    from hw4all.users.roles import MEMBER
    from hw4all.users.services import user_create

    client.force_login(user_create(email="member@example.org", password="pw", roles=(MEMBER,), is_staff=True))

    assert client.get("/admin/campaigns/partners/").status_code in (302, 403)
    response = client.post("/admin/campaigns/partners/new/", {"name": "Intruder", "source": "intruder"})
    assert response.status_code in (302, 403)
    assert not PartnerToken.objects.exists()
