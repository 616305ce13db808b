"""A resource's schema.org data: type by kind, identifiers, files, licence; hostile titles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hw4all.coalition.factories import OrganisationFactory
from hw4all.core.tests.metadata import json_ld, script_count
from hw4all.library.factories import ResourceAuthorFactory, ResourceFactory, ResourceFileFactory

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


def test_files_and_authors_cost_the_same_queries_however_many(client):
    def page_queries(authors: int) -> int:
        resource = ResourceFactory(kind="report")
        for n in range(authors):
            ResourceAuthorFactory(resource=resource, organisation=OrganisationFactory(), sort_order=n)
            ResourceFileFactory(resource=resource, language=["en", "fr", "es"][n])
        client.get(resource.get_absolute_url())  # the site's and locales' caches filled
        with CaptureQueriesContext(connection) as queries:
            response = client.get(resource.get_absolute_url())
        assert len(json_ld(response)["associatedMedia"]) == authors
        return len(queries)

    assert page_queries(1) == page_queries(3)


def test_files_are_media_in_their_languages(client):
    resource = ResourceFactory(kind="report")
    english = ResourceFileFactory(resource=resource, language="en")
    ResourceFileFactory(resource=resource, language="fr")
    data = json_ld(client.get(resource.get_absolute_url()))
    assert data["@type"] == "Report"
    assert data["inLanguage"] == ["en", "fr"]
    media = data["associatedMedia"][0]
    assert media["contentUrl"] == f"http://testserver{english.get_absolute_url()}"
    assert media["inLanguage"] == "en"
