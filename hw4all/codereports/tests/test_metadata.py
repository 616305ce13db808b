"""A published civil-society Code report's page as schema.org Report: the country it reports on,
its author and co-signers, its round and its PDF; nothing for a report not yet published."""

import pytest
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import ReportStatus
from hw4all.core.tests.metadata import head_of, json_ld, meta
from hw4all.users.roles import SECRETARIAT

from .published import report_in, round_with_questionnaire

pytestmark = pytest.mark.django_db


def page_of(report) -> str:
    return reverse("codereports:report", kwargs={"pk": report.pk})


def test_a_published_report_is_a_report_on_its_country(client):
    author = OrganisationFactory(name="Kenya Health Action", slug="kha")
    cosigner = OrganisationFactory(name="Medici pentru toți", slug="mpt")
    report = report_in(round_with_questionnaire(5), country="KE", organisation=author, cosigners=[cosigner])
    response = client.get(page_of(report))
    data = json_ld(response)
    assert data["@type"] == "Report"
    assert data["name"] == "Civil-society report on Kenya by Kenya Health Action"
    assert data["url"] == f"http://testserver{page_of(report)}"
    assert data["about"][0] == {"@type": "Country", "name": "Kenya", "identifier": "KE"}
    assert data["about"][1]["legislationIdentifier"] == "WHA63.16"
    assert data["author"] == {
        "@type": "Organization",
        "name": "Kenya Health Action",
        "url": f"http://testserver{author.get_absolute_url()}",
    }
    assert [organisation["name"] for organisation in data["contributor"]] == ["Medici pentru toți"]
    assert data["publisher"]["name"] == "Health Workers for All"
    assert data["isPartOf"]["name"] == str(report.round)
    assert data["datePublished"] == report.published_at.isoformat()
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    assert data["encoding"]["contentUrl"].endswith(
        reverse("codereports:report_pdf", kwargs={"pk": report.pk})
    )
    assert meta(response, "og:type") == ["article"]
    assert meta(response, "og:description") == [
        "Kenya Health Action's civil-society report on Kenya's implementation of the WHO Global Code "
        f"of Practice, {report.round}."
    ]


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.REVIEW, ReportStatus.SUBMITTED])
def test_a_report_not_yet_published_has_no_structured_data(client, status):
    report = report_in(round_with_questionnaire(5), country="KE", status=status)
    assert client.get(page_of(report)).status_code == 404
    client.force_login(user_in(SECRETARIAT))
    response = client.get(page_of(report))
    assert response.status_code == 200
    assert [kind for kind, _text in head_of(response).scripts if kind == "application/ld+json"] == []


def test_a_hostile_organisation_name_stays_in_the_data(client):
    hostile = "</script><script>alert(1)</script>\"'&"
    report = report_in(
        round_with_questionnaire(5), country="KE", organisation=OrganisationFactory(name=hostile)
    )
    response = client.get(page_of(report))
    assert json_ld(response)["author"]["name"] == hostile
    assert "<script>alert(1)" not in response.content.decode()
