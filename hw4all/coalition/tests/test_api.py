import datetime

import pytest

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.coalition.models import ProjectRole
from hw4all.coalition.services import project_create, project_participation_add

API = "/api/v1/directory"


@pytest.mark.django_db
def test_organisations_with_filters_and_pagination(client):
    OrganisationFactory(name="Wemos", slug="wemos", country="NL", type="ngo")
    OrganisationFactory(name="Dutch union", country="NL", type="union")
    OrganisationFactory(name="Partner", country="NL", type="ngo", is_member=False)
    data = client.get(f"{API}/organisations", {"country": "nl", "type": "ngo", "member": "true"}).json()
    assert data["count"] == 1
    [item] = data["items"]
    assert item["slug"] == "wemos"
    assert item["country"] == "NL"
    assert item["country_name"] == "Netherlands"
    assert item["url"].endswith("/en/members/wemos/")
    assert client.get(f"{API}/organisations", {"type": "cartel"}).status_code == 422
    OrganisationFactory.create_batch(30, country="RO")
    page = client.get(f"{API}/organisations", {"country": "RO", "page": 2}).json()
    assert page["count"] == 30
    assert len(page["items"]) == 6


@pytest.mark.permission("hw4all_coalition_api_organisation_get", "public")
@pytest.mark.django_db
def test_organisation_detail_and_404(client):
    OrganisationFactory(name="Wemos", slug="wemos")
    assert client.get(f"{API}/organisations/wemos").json()["name"] == "Wemos"
    assert client.get(f"{API}/organisations/nothing").status_code == 404


@pytest.mark.permission("hw4all_coalition_api_person_get", "public")
@pytest.mark.permission("hw4all_coalition_api_person_list", "public")
@pytest.mark.django_db
def test_people_expose_public_profile_only(client, make_user):
    user = make_user()
    PersonFactory(
        name="Linda Mans", slug="linda-mans", user=user, organisation=OrganisationFactory(slug="wemos")
    )
    listing = client.get(f"{API}/people")
    detail = client.get(f"{API}/people/linda-mans")
    for response in (listing, detail):
        assert response.status_code == 200
        assert user.email not in response.content.decode()
        assert "@" not in response.content.decode()
    assert set(detail.json()) == {"slug", "name", "job_title", "coalition_role", "bio", "organisation", "url"}
    assert detail.json()["organisation"]["slug"] == "wemos"
    assert client.get(f"{API}/people/nobody").status_code == 404


@pytest.mark.django_db
def test_projects_with_participations(client):
    project = project_create(
        title="Health workers for all",
        acronym="HW4All",
        slug="hw4all",
        start_date=datetime.date(2013, 1, 1),
        grant_number="DCI-NSAED/2011/106",
    )
    project_participation_add(
        project=project,
        organisation=OrganisationFactory(slug="wemos", country="NL"),
        role=ProjectRole.COORDINATOR,
    )
    assert client.get(f"{API}/projects").json()["items"][0]["slug"] == "hw4all"
    detail = client.get(f"{API}/projects/hw4all").json()
    assert detail["grant_number"] == "DCI-NSAED/2011/106"
    assert detail["participations"] == [
        {
            "organisation": {
                "slug": "wemos",
                "name": detail["participations"][0]["organisation"]["name"],
                "acronym": detail["participations"][0]["organisation"]["acronym"],
            },
            "role": "coordinator",
            "country": "NL",
        }
    ]
    assert client.get(f"{API}/projects/nothing").status_code == 404


@pytest.mark.django_db
def test_organisation_list_query_count_is_constant(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for organisation in OrganisationFactory.create_batch(2):
        PersonFactory(organisation=organisation)
    with CaptureQueriesContext(connection) as context:
        client.get(f"{API}/people")
        client.get(f"{API}/organisations")
    baseline = len(context.captured_queries)
    for organisation in OrganisationFactory.create_batch(15):
        PersonFactory(organisation=organisation)
    with django_assert_max_num_queries(baseline):
        client.get(f"{API}/people")
        client.get(f"{API}/organisations")
