import datetime

import pytest

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.coalition.models import ProjectRole
from hw4all.coalition.services import project_create, project_participation_add

API = "/api/v1/directory"


def walk(client, address, params):
    items = []
    response = client.get(address, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if body["next"] is None:
            return items
        response = client.get(body["next"])


@pytest.mark.django_db
def test_organisations_with_filters(client):
    OrganisationFactory(name="Wemos", slug="wemos", country="NL", type="ngo")
    OrganisationFactory(name="Dutch union", country="NL", type="union")
    partner = OrganisationFactory(name="Partner", country="NL", type="ngo", is_member=False)
    project_participation_add(
        project=project_create(title="Project", slug="project"),
        organisation=partner,
        role=ProjectRole.PARTNER,
    )
    data = client.get(f"{API}/organisations", {"country": "nl", "type": "ngo"}).json()
    assert data["next"] is None
    [item] = data["items"]
    assert item["slug"] == "wemos"
    assert item["country"] == "NL"
    assert item["country_name"] == "Netherlands"
    assert item["url"].endswith("/en/members/wemos/")
    everyone = client.get(f"{API}/organisations", {"country": "NL", "scope": "all"}).json()["items"]
    assert [item["name"] for item in everyone] == ["Dutch union", "Partner", "Wemos"]
    french = client.get(f"{API}/organisations", {"country": "NL", "lang": "fr"}).json()["items"]
    assert french[0]["country_name"] == "Pays-Bas"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query", "field", "status"),
    [
        ("organisations", {"type": "cartel"}, "type", 422),
        ("organisations", {"scope": "everyone"}, "scope", 422),
        ("organisations", {"country": "NLD"}, "country", 422),
        ("organisations", {"lang": "xx"}, "lang", 400),
        ("organisations", {"cursor": "eA"}, "cursor", 400),
        ("organisations", {"limit": 0}, "limit", 422),
        ("people", {"role": "king"}, "role", 422),
        ("people", {"lang": "xx"}, "lang", 400),
        ("people", {"cursor": "WzEsMl0"}, "cursor", 400),
        ("people", {"limit": 101}, "limit", 422),
        ("projects", {"lang": "xx"}, "lang", 400),
        ("projects", {"cursor": "WyJ4IiwieCIsMV0"}, "cursor", 400),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_field(client, path, query, field, status):
    OrganisationFactory()
    response = client.get(f"{API}/{path}", query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.django_db
def test_walking_the_organisations_gives_each_once_by_name(client):
    created = [OrganisationFactory(name=f"Union {number % 3}", country="RO") for number in range(8)]
    OrganisationFactory(name="Aaa non-member", country="RO", is_member=False)
    items = walk(client, f"{API}/organisations", {"country": "RO", "limit": 3})
    assert sorted(item["slug"] for item in items) == sorted(organisation.slug for organisation in created)
    names = [item["name"] for item in items]
    assert names == sorted(names)


@pytest.mark.django_db
def test_walking_the_people_gives_role_holders_first_then_by_name(client):
    holders = [
        PersonFactory(name="Zoe", coalition_role="secretariat"),
        PersonFactory(name="Yann", coalition_role="member"),
    ]
    others = [PersonFactory(name=f"Person {number % 2}") for number in range(5)]
    items = walk(client, f"{API}/people", {"limit": 2})
    assert [item["slug"] for item in items[:2]] == [holders[1].slug, holders[0].slug]
    assert sorted(item["slug"] for item in items[2:]) == sorted(person.slug for person in others)
    assert [item["name"] for item in items[2:]] == sorted(item["name"] for item in items[2:])
    secretariat = client.get(f"{API}/people", {"role": "secretariat"}).json()["items"]
    assert [item["slug"] for item in secretariat] == [holders[0].slug]


@pytest.mark.django_db
def test_walking_the_projects_gives_latest_started_first_and_undated_last(client):
    for number, year in enumerate([2010, 2014, None, 2012, 2014]):
        project_create(
            title=f"Project {number}",
            slug=f"project-{number}",
            start_date=datetime.date(year, 1, 1) if year else None,
        )
    items = walk(client, f"{API}/projects", {"limit": 2})
    assert [item["slug"] for item in items] == [
        "project-1",
        "project-4",
        "project-3",
        "project-0",
        "project-2",
    ]


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

    for organisation in OrganisationFactory.create_batch(5):
        PersonFactory(organisation=organisation)
        project_create(title=organisation.name, slug=organisation.slug, funder=organisation)
    with CaptureQueriesContext(connection) as context:
        client.get(f"{API}/people", {"limit": 5})
        client.get(f"{API}/organisations", {"limit": 5})
        client.get(f"{API}/projects", {"limit": 5})
    baseline = len(context.captured_queries)
    for organisation in OrganisationFactory.create_batch(20):
        PersonFactory(organisation=organisation)
        project_create(title=organisation.name, slug=organisation.slug, funder=organisation)
    with django_assert_max_num_queries(baseline):
        assert len(client.get(f"{API}/people", {"limit": 25}).json()["items"]) == 25
        assert len(client.get(f"{API}/organisations", {"limit": 25}).json()["items"]) == 25
        assert len(client.get(f"{API}/projects", {"limit": 25}).json()["items"]) == 25
