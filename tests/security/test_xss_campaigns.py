"""Campaign signatures and endorsements (name, organisation, city) signed through the public form
with the OWASP vectors, confirmed from the emailed link, then shown on the campaign page, in the
Secretariat's list of signatures and in the API."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.users.roles import SECRETARIAT
from hw4all.users.services import user_create

from .xss import SHORT, assert_json_html_inert, assert_pages_inert, packed


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def sign(client, campaign, number: int, **fields) -> None:
    data = {"email": f"signer{number}@example.org", "country": "KE", "public": "on", **fields}
    response = client.post(f"/en/campaigns/{campaign.pk}/sign/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    confirm = re.search(r"https?://[^/\s]+(/en/signatures/confirm/[^\s]+)", mail.outbox[-1].body).group(1)
    assert client.post(confirm).status_code == 200


def campaign_pages(home_page, *, names: list[str], places: list[str]) -> dict[str, str]:
    index = services.campaigns_index_ensure(home=home_page)
    petition = services.campaign_create(index=index, title="Invest", summary="Fund.", slug="invest")
    declaration = services.campaign_create(
        index=index, title="Together", summary="Act.", kind="declaration", slug="together"
    )
    visitor = Client()
    for number, (name, place) in enumerate(zip(names, places, strict=True)):
        sign(visitor, petition, number, name=name, organisation_name=place, city=place[:100])
        sign(
            visitor,
            declaration,
            number,
            signer_kind="organisation",
            name=name,
            organisation_name=place,
            organisation_type="ngo",
        )
    for signature in Signature.objects.filter(campaign=declaration):
        services.signature_set_verified(signature=signature, verified=True)
    cache.clear()
    secretariat = Client()
    secretariat.force_login(
        user_create(email="secretariat@example.org", password="pw", roles=(SECRETARIAT,), is_staff=True)
    )
    shown = {
        "petition": visitor.get(petition.url).content.decode(),
        "declaration": visitor.get(declaration.url).content.decode(),
        "signatures (Secretariat)": secretariat.get("/admin/campaigns/signatures/").content.decode(),
    }
    for campaign in (petition, declaration):
        response = visitor.get(f"/api/v1/campaigns/{campaign.pk}")
        assert response.status_code == 200
        assert_json_html_inert(response.json(), "campaign API")
    return shown


@pytest.mark.django_db
def test_signers_text_is_shown_inert(home_page):
    names = packed(SHORT, 200, " ")
    assert_pages_inert(
        lambda **values: campaign_pages(home_page, **values),
        names=names,
        places=(packed(SHORT, 200, " ") * 2)[1 : len(names) + 1],
    )
