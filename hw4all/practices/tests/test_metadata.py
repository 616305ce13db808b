"""A published case study's page as schema.org Report: the countries it is about, its themes,
its dates, the submitting organisation and its validation; nothing for an unpublished case."""

import pytest

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.core.tests.metadata import head_of, json_ld, meta
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.models import Theme
from hw4all.users.roles import SECRETARIAT

pytestmark = pytest.mark.django_db


def test_a_published_case_is_a_report_about_its_countries(client):
    organisation = OrganisationFactory(name="Kenya Health Action", slug="kha")
    case = CaseStudyFactory(
        published=True,
        title="Rural retention in Kenya",
        countries=["KE", "TZ"],
        themes=[Theme.RETENTION, Theme.WORKING_CONDITIONS],
        organisation=organisation,
    )
    response = client.get(case.get_absolute_url())
    data = json_ld(response)
    assert data["@type"] == "Report"
    assert data["name"] == "Rural retention in Kenya"
    assert data["description"] == case.summary
    assert data["url"] == f"http://testserver{case.get_absolute_url()}"
    assert data["about"] == [
        {"@type": "Country", "name": "Kenya", "identifier": "KE"},
        {"@type": "Country", "name": "Tanzania", "identifier": "TZ"},
    ]
    assert data["keywords"] == ["Retention", "Working conditions"]
    assert data["datePublished"] == case.published_at.isoformat()
    assert data["dateModified"] == case.updated_at.isoformat()
    assert data["author"] == {
        "@type": "Organization",
        "name": "Kenya Health Action",
        "url": f"http://testserver{organisation.get_absolute_url()}",
    }
    assert data["publisher"]["name"] == "Health Workers for All"
    assert data["award"] == "Promising practice"
    assert meta(response, "og:type") == ["article"]
    assert meta(response, "og:title") == ["Rural retention in Kenya"]


def test_a_case_published_without_validation_claims_no_award(client):
    case = CaseStudyFactory(published=True, outcome=None)
    assert "award" not in json_ld(client.get(case.get_absolute_url()))


def test_an_unpublished_case_has_no_structured_data(client):
    case = CaseStudyFactory(title="A draft")
    client.force_login(user_in(SECRETARIAT))
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert [kind for kind, _text in head_of(response).scripts if kind == "application/ld+json"] == []


def test_a_hostile_title_stays_in_the_data(client):
    hostile = "</script><script>alert(1)</script>\"'&"
    case = CaseStudyFactory(published=True, title=hostile)
    response = client.get(case.get_absolute_url())
    assert json_ld(response)["name"] == hostile
    assert "<script>alert(1)" not in response.content.decode()
