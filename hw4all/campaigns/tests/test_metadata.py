"""A campaign's page as schema.org CreativeWork: when it opens and closes, who publishes it and
how many have signed (the cached count, as the page shows it)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.core.tests.metadata import json_ld, meta

from .test_page import confirmed

pytestmark = pytest.mark.cache

AGREE = "https://schema.org/AgreeAction"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Counts are cached by campaign id, and ids repeat from one test to the next.
    cache.clear()


@pytest.fixture
def index(home_page):
    return services.campaigns_index_ensure(home=home_page)


def test_a_petition_is_a_creative_work_with_its_confirmed_count(client, index):
    opens = timezone.now() - datetime.timedelta(days=3)
    closes = timezone.now() + datetime.timedelta(days=30)
    petition = services.campaign_create(
        index=index,
        title="Invest in health workers",
        summary="Fund the workforce.",
        opens_at=opens,
        closes_at=closes,
        slug="invest",
    )
    confirmed(petition, 3)
    Signature.objects.create(
        campaign=petition,
        name="Not confirmed",
        email="p@example.org",
        email_normalised="p@example.org",
        country="BR",
    )
    response = client.get(petition.url)
    data = json_ld(response)
    assert data["@type"] == "CreativeWork"
    assert data["genre"] == "Petition"
    assert data["name"] == "Invest in health workers"
    assert data["description"] == "Fund the workforce."
    assert data["url"] == f"http://testserver{petition.url}"
    assert datetime.datetime.fromisoformat(data["dateCreated"]) == opens
    assert datetime.datetime.fromisoformat(data["expires"]) == closes
    assert data["publisher"]["name"] == "Health Workers for All"
    assert data["interactionStatistic"] == {
        "@type": "InteractionCounter",
        "interactionType": AGREE,
        "userInteractionCount": 3,
    }
    assert meta(response, "og:description") == ["Fund the workforce."]


def test_a_declaration_without_a_closing_date_never_expires(client, index):
    declaration = services.campaign_create(
        index=index, title="Come together", summary="Civil society action.", kind="declaration"
    )
    data = json_ld(client.get(declaration.url))
    assert data["genre"] == "Declaration"
    assert "expires" not in data
    assert data["interactionStatistic"]["userInteractionCount"] == 0


def test_a_hostile_title_stays_in_the_data(client, index):
    hostile = "</script><script>alert(1)</script>\"'&"
    petition = services.campaign_create(index=index, title=hostile, summary=hostile, slug="hostile")
    response = client.get(petition.url)
    assert json_ld(response)["name"] == hostile
    assert "<script>alert(1)" not in response.content.decode()
