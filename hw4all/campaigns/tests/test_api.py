"""The campaigns API: counts for everyone; signatures posted by partners with their organisation's
API token (the token's own checks are the coalition app's tests)."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from hw4all.campaigns import api, services
from hw4all.campaigns.models import Signature
from hw4all.campaigns.services import SignatureInput
from hw4all.coalition import services as coalition
from hw4all.coalition.factories import OrganisationFactory
from hw4all.coalition.models import ApiScope

pytestmark = pytest.mark.cache

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


def token_issue(name="Nurses' Union", slug="nurses-union", scopes=(ApiScope.SIGNATURES,)):
    organisation = OrganisationFactory(name=name, slug=slug)
    return coalition.api_token_issue(organisation=organisation, name="Website", scopes=scopes, by=None)


@pytest.fixture
def partner(db):
    return token_issue()


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


@pytest.mark.permission("hw4all_campaigns_api_signature_post", "role")
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_only_a_token_with_the_signatures_scope_posts(client, petition, partner, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(
        f"{URL}{petition.pk}/signatures",
        {"name": "A", "email": "a@example.org", "country": "KE"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    _, library_only = token_issue(name="Library friends", slug="library-friends", scopes=(ApiScope.LIBRARY,))
    assert post(client, petition, library_only).status_code == 403
    record, token = partner
    coalition.api_token_revoke(token=record, by=None)
    assert post(client, petition, token).status_code == 401
    assert not Signature.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not an address"), ("country", "XX"), ("name", ""), ("name", "n" * 201), ("city", "c" * 101)],
)
def test_invalid_fields_are_422_with_the_field_named(client, petition, partner, field, value):
    _, token = partner
    response = post(client, petition, token, **{field: value})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
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
    assert {"email", "country"} <= set(response.json()["errors"])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # JSON that cannot be read at all is a bad request; JSON of the wrong shape is invalid input.
        ("{", 400),
        ("[]", 422),
        ('"text"', 422),
        ('{"name": ["A"], "email": 1, "country": null}', 422),
    ],
)
def test_a_malformed_body_is_a_problem_and_signs_nothing(client, petition, partner, body, status):
    _, token = partner
    response = client.post(
        f"{URL}{petition.pk}/signatures",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Signature.objects.exists()


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
    assert response["Content-Type"].startswith("application/problem+json")
    assert "not taking signatures" in response.json()["detail"]


def test_partners_are_rate_limited_per_token_and_per_address(client, petition, partner, monkeypatch):
    _, token = partner
    monkeypatch.setattr(api, "PARTNER_LIMIT", (3, 3600))
    for number in range(3):
        assert post(client, petition, token, email=f"p{number}@example.org").status_code == 202
    refused = post(client, petition, token, email="late@example.org")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert refused.json()["status"] == 429
    _, other_token = token_issue(name="Other", slug="other")
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
