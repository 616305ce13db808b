"""A member organisation's directory page as schema.org Organization."""

import pytest

from hw4all.coalition.factories import OrganisationFactory
from hw4all.core.tests.metadata import json_ld, meta, script_count

pytestmark = pytest.mark.django_db


def test_member_organisation_json_ld_equals_the_organisation(client):
    wemos = OrganisationFactory(
        name="Wemos",
        acronym="WEMOS",
        slug="wemos",
        country="NL",
        website="https://www.wemos.nl/",
        is_member=True,
    )
    response = client.get(wemos.get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Organization"
    assert data["name"] == "Wemos"
    assert data["alternateName"] == "WEMOS"
    assert data["url"] == f"http://testserver{wemos.get_absolute_url()}"
    assert data["sameAs"] == "https://www.wemos.nl/"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "NL"}
    assert data["memberOf"]["name"] == "Health Workers for All"
    assert meta(response, "og:title") == ["Wemos"]
    assert meta(response, "og:url") == [data["url"]]


def test_a_hostile_name_stays_in_the_data(client):
    hostile = "</script><script>alert(1)</script>\"'&"
    organisation = OrganisationFactory(name=hostile, slug="hostile", is_member=False)
    response = client.get(organisation.get_absolute_url())
    assert json_ld(response)["name"] == hostile
    assert "memberOf" not in json_ld(response)
    assert "<script>alert(1)" not in response.content.decode()
    assert meta(response, "og:title") == [hostile]
    assert script_count(response) == script_count(
        client.get(OrganisationFactory(slug="plain").get_absolute_url())
    )
