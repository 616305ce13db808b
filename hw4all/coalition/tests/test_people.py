import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import ImageFactory

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.coalition.models import CoalitionRole
from hw4all.coalition.services import person_create

URL = "/en/members/people/"


@pytest.mark.django_db
def test_lists_people_with_role_organisation_and_initials(client):
    organisation = OrganisationFactory(name="Medicus Mundi International", country="CH")
    PersonFactory(
        name="Thomas Schwarz",
        organisation=organisation,
        job_title="Executive secretary",
        coalition_role=CoalitionRole.STEERING_COMMITTEE,
    )
    html = client.get(URL).content.decode()
    assert "Thomas Schwarz" in html
    assert "Executive secretary" in html
    assert "Medicus Mundi International" in html
    assert "Switzerland" in html
    assert "Steering Committee member" in html
    assert ">TS</span>" in html


@pytest.mark.django_db
def test_photo_has_alt_text(client):
    PersonFactory(name="Linda Mans", photo=ImageFactory())
    html = client.get(URL).content.decode()
    assert 'alt="Linda Mans"' in html


@pytest.mark.django_db
def test_filters_by_role_and_country_of_organisation(client):
    belgian = OrganisationFactory(country="BE")
    polish = OrganisationFactory(country="PL")
    PersonFactory(
        name="Belgian steering", organisation=belgian, coalition_role=CoalitionRole.STEERING_COMMITTEE
    )
    PersonFactory(
        name="Polish steering", organisation=polish, coalition_role=CoalitionRole.STEERING_COMMITTEE
    )
    PersonFactory(name="Polish member", organisation=polish, coalition_role=CoalitionRole.MEMBER)
    html = client.get(URL, {"role": "steering_committee", "country": "PL"}).content.decode()
    assert "Polish steering" in html
    assert "Belgian steering" not in html
    assert "Polish member" not in html


@pytest.mark.django_db
def test_htmx_gets_results_only(client):
    PersonFactory(name="Linda Mans")
    html = client.get(URL, {"role": "member"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    assert "0 people" in html


@pytest.mark.django_db
def test_paginated(client):
    PersonFactory.create_batch(26, organisation=None)
    html = client.get(URL).content.decode()
    assert html.count('class="card card-figure person-card"') == 24
    assert "page=2" in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_people(client, django_assert_max_num_queries):
    for _ in range(2):
        PersonFactory(photo=ImageFactory())
    client.get(URL)
    with CaptureQueriesContext(connection) as context:
        client.get(URL)
    baseline = len(context.captured_queries)
    for _ in range(20):
        PersonFactory(photo=ImageFactory())
    client.get(URL)
    with django_assert_max_num_queries(baseline):
        client.get(URL)


@pytest.mark.django_db
def test_hostile_text_is_escaped(client, hostile):
    organisation = OrganisationFactory(name=hostile)
    person_create(name=hostile, organisation=organisation, job_title=hostile, bio=hostile)
    html = client.get(URL).content.decode()
    assert "<script>" not in html
    assert "<img src=x" not in html


@pytest.mark.django_db
def test_no_email_address_is_shown(client, make_user):
    user = make_user(email_verified=True)
    PersonFactory(name="Has an account", user=user)
    html = client.get(URL).content.decode()
    assert user.email not in html
