import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import ImageFactory

from hw4all.coalition.factories import OrganisationFactory, ProjectParticipationFactory
from hw4all.coalition.models import OrganisationType
from hw4all.coalition.services import organisation_create

URL = "/en/members/"


def _queries(client, url: str) -> int:
    client.get(url)  # renditions are created on the first view; count a warm one
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_shows_members_with_their_facts(client):
    OrganisationFactory(
        name="Wemos",
        acronym="WEMOS",
        country="NL",
        type=OrganisationType.NGO,
        website="https://www.wemos.nl/",
        description="<p>Dutch health advocacy.</p>",
    )
    OrganisationFactory(name="Not yet a member", is_member=False)
    html = client.get(URL).content.decode()
    assert "Wemos" in html
    assert "(WEMOS)" in html
    assert "Netherlands" in html
    assert "Non-governmental organisation" in html
    assert 'href="https://www.wemos.nl/"' in html
    assert "Dutch health advocacy." in html
    assert "Member since 2013" in html
    assert "Not yet a member" not in html


@pytest.mark.django_db
def test_country_names_are_localised(client):
    OrganisationFactory(name="Medicus Mundi", country="DE")
    assert "Allemagne" in client.get("/fr/members/").content.decode()


@pytest.mark.django_db
def test_filters_by_country_and_type(client):
    OrganisationFactory(name="Belgian NGO", country="BE", type=OrganisationType.NGO)
    OrganisationFactory(name="Italian union", country="IT", type=OrganisationType.UNION)
    OrganisationFactory(name="Italian NGO", country="IT", type=OrganisationType.NGO)
    html = client.get(URL, {"country": "IT", "type": "ngo"}).content.decode()
    assert "Italian NGO" in html
    assert "Italian union" not in html
    assert "Belgian NGO" not in html


@pytest.mark.django_db
def test_unknown_filter_values_are_ignored_not_errors(client):
    OrganisationFactory(name="Wemos")
    response = client.get(URL, {"country": "XX", "type": "<b>bad</b>", "page": "abc"})
    assert response.status_code == 200
    assert "Wemos" in response.content.decode()


@pytest.mark.django_db
def test_partners_are_shown_only_when_asked(client):
    OrganisationFactory(name="A member")
    partner = OrganisationFactory(name="Project partner only", is_member=False)
    ProjectParticipationFactory(organisation=partner)
    OrganisationFactory(name="Unrelated organisation", is_member=False)
    assert "Project partner only" not in client.get(URL).content.decode()
    html = client.get(URL, {"scope": "all"}).content.decode()
    assert "Project partner only" in html
    assert "A member" in html
    assert "Unrelated organisation" not in html


@pytest.mark.django_db
def test_event_co_promoters_are_included_with_partners(client, events_index):
    # Through the app registry: coalition sits below events and must not import it.
    EventPage = apps.get_model("events", "EventPage")  # noqa: N806
    co_promoter = OrganisationFactory(name="Co-promoter only", is_member=False)
    event = EventPage(
        title="WHA side event",
        slug="wha-side-event",
        start="2013-05-21T12:00Z",
        end="2013-05-21T14:00Z",
        summary="Side event at the World Health Assembly.",
    )
    events_index.add_child(instance=event)
    event.co_promoters.add(co_promoter)
    event.save()
    assert "Co-promoter only" in client.get(URL, {"scope": "all"}).content.decode()


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client):
    OrganisationFactory(name="Wemos")
    response = client.get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Wemos" in html
    assert "<html" not in html
    assert 'id="directory-results"' not in html


@pytest.mark.django_db
def test_filter_form_works_without_javascript(client):
    html = client.get(URL).content.decode()
    assert 'method="get"' in html
    assert 'action="/en/members/"' in html
    assert '<label for="id_country"' in html
    assert '<button type="submit"' in html


@pytest.mark.django_db
def test_paginated_by_24_keeping_the_filters(client):
    OrganisationFactory.create_batch(30, country="RO")
    html = client.get(URL, {"country": "RO"}).content.decode()
    assert html.count('class="card organisation-card"') == 24
    assert "?country=RO&amp;page=2" in html
    second = client.get(URL, {"country": "RO", "page": 2}).content.decode()
    assert second.count('class="card organisation-card"') == 6
    assert client.get(URL, {"page": 99}).status_code == 200


@pytest.mark.django_db
def test_query_count_does_not_grow_with_organisations(client, django_assert_max_num_queries):
    for _ in range(3):
        OrganisationFactory(logo=ImageFactory())
    few = _queries(client, URL)
    for _ in range(20):
        OrganisationFactory(logo=ImageFactory())
    client.get(URL)
    with django_assert_max_num_queries(few):
        client.get(URL)


@pytest.mark.django_db
def test_hostile_text_is_escaped(client, hostile):
    organisation_create(
        name=hostile,
        acronym="<i>x</i>",
        country="BE",
        is_member=True,
        description=f"<p>{hostile}</p><p>Kept text</p>",
    )
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html
    assert "Kept text" in html
