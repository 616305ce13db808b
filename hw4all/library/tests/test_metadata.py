"""A resource's schema.org data: type by kind, identifiers, files, licence; hostile titles."""

import pytest

from hw4all.core.tests.metadata import json_ld, script_count
from hw4all.library.factories import ResourceAuthorFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_resource_json_ld_equals_the_resource(client):
    resource = ResourceFactory(
        title="User's kit",
        kind="case-study",
        year=2015,
        month=3,
        doi="10.1186/1478-4491-12-1",
        isbn="9780306406157",
        licence="CC-BY-4.0",
    )
    ResourceAuthorFactory(resource=resource, name="Kamau, Wanjiru", sort_order=0)
    data = json_ld(client.get(resource.get_absolute_url()))
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "User's kit"
    assert data["datePublished"] == "2015-03"
    assert data["author"][0]["name"] == "Kamau, Wanjiru"
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1186/1478-4491-12-1"} in data[
        "identifier"
    ]
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_hostile_title_stays_in_the_data(client):
    hostile = "</script><script>alert(1)</script>\"'"
    response = client.get(ResourceFactory(title=hostile, kind="report").get_absolute_url())
    assert json_ld(response)["name"] == hostile
    assert "<script>alert(1)" not in response.content.decode()
    assert script_count(response) == script_count(
        client.get(ResourceFactory(title="Plain").get_absolute_url())
    )
