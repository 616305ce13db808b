"""The library search in the API in cursor pages: every result once, in the search's order, at
a cost that does not grow with the results; the facets beside it; labels in ?lang=."""

import pytest

from hw4all.library import search
from hw4all.library.factories import ResourceFactory, ResourceFileFactory
from hw4all.library.models import Status

pytestmark = pytest.mark.django_db

API = "/api/v1/library"


def walk(client, address):
    items = []
    while address:
        response = client.get(address)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        address = body["next"]
    return items


@pytest.fixture
def shelf():
    """Seven published resources over four years, each with an English file that mentions
    recruitment (one in its title), and one waiting for approval."""
    resources = [
        ResourceFactory(
            title="Recruitment report" if number == 3 else f"Report {number}",
            year=2010 + number % 4,
        )
        for number in range(7)
    ]
    for resource in resources:
        ResourceFileFactory(resource=resource, language="en", text="Ethical recruitment of nurses.")
    ResourceFactory(title="Waiting recruitment", status=Status.SUBMITTED)
    search.index_rebuild()
    return resources


@pytest.mark.parametrize("limit", [1, 3, 7, 100])
def test_walking_the_pages_newest_first_gives_every_resource_once(client, shelf, limit):
    items = walk(client, f"{API}/resources?limit={limit}")
    assert sorted(item["id"] for item in items) == sorted(resource.pk for resource in shelf)
    years = [item["year"] for item in items]
    assert years == sorted(years, reverse=True)
    everything = client.get(f"{API}/resources", {"limit": 100}).json()["items"]
    assert [item["id"] for item in items] == [item["id"] for item in everything]


def test_walking_the_pages_by_relevance_keeps_the_ranking(client, shelf):
    ranked = client.get(f"{API}/resources", {"q": "recruitment", "limit": 100}).json()["items"]
    assert ranked[0]["title"] == "Recruitment report"
    walked = walk(client, f"{API}/resources?q=recruitment&limit=2")
    assert [item["id"] for item in walked] == [item["id"] for item in ranked]
    assert len(walked) == len(shelf)


def test_the_next_address_keeps_the_filters(client, shelf):
    first = client.get(f"{API}/resources", {"year": [2010, 2011], "limit": 1}).json()
    assert "year=2010" in first["next"] and "year=2011" in first["next"]
    items = walk(client, first["next"])
    assert {item["year"] for item in first["items"] + items} == {2010, 2011}
    assert len(first["items"] + items) == 4


@pytest.mark.parametrize("cursor", ["nonsense", "eyJhdCI6LTF9", "WzEsMl0", "eyJhdCI6IngifQ"])
def test_a_cursor_the_api_did_not_give_is_a_400(client, shelf, cursor):
    response = client.get(f"{API}/resources", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_a_cursor_past_the_end_gives_an_empty_page(client, shelf):
    last = client.get(f"{API}/resources", {"limit": 6}).json()
    assert len(client.get(last["next"]).json()["items"]) == 1
    # {"at": 1000}
    beyond = client.get(f"{API}/resources", {"cursor": "eyJhdCI6MTAwMH0"}).json()
    assert beyond == {"items": [], "next": None}


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_a_bad_limit_is_a_422(client, shelf, limit):
    response = client.get(f"{API}/resources", {"limit": limit})
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


@pytest.mark.permission("hw4all_library_api_resource_facets", "public")
def test_the_facets_count_the_published_resources_only(client, shelf):
    data = client.get(f"{API}/resources/facets", {"q": "recruitment"}).json()
    assert data["total"] == 7
    years = {facet["value"]: facet["count"] for facet in data["facets"]["year"]}
    assert years == {"2010": 2, "2011": 2, "2012": 2, "2013": 1}


def test_lang_gives_the_labels_in_that_language(client, shelf):
    english = client.get(f"{API}/resources/facets").json()["facets"]["language"]
    french = client.get(f"{API}/resources/facets", {"lang": "fr"}).json()["facets"]["language"]
    assert [facet["label"] for facet in english] == ["English"]
    assert [facet["label"] for facet in french] == ["Anglais"]
    assert [facet["count"] for facet in french] == [7]


def test_the_query_count_does_not_grow_with_the_results(client, django_assert_max_num_queries):
    def count(limit):
        with django_assert_max_num_queries(50) as captured:
            response = client.get(f"{API}/resources", {"q": "recruitment", "limit": limit})
            assert response.status_code == 200
        return len(captured), len(response.json()["items"])

    for _ in range(5):
        ResourceFileFactory(resource=ResourceFactory(), text="Recruitment.")
    search.index_rebuild()
    few, shown = count(5)
    assert shown == 5
    for _ in range(20):
        ResourceFileFactory(resource=ResourceFactory(), text="Recruitment.")
    search.index_rebuild()
    many, shown = count(25)
    assert shown == 25
    assert many <= few
