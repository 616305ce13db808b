"""The library's API: search with the page's facets, and one resource's metadata and files."""

import pytest

from hw4all.library import search
from hw4all.library.factories import ResourceAuthorFactory, ResourceFactory, ResourceFileFactory
from hw4all.library.models import Status, Topic

pytestmark = pytest.mark.django_db

API = "/api/v1/library"


@pytest.fixture
def resources():
    recruitment = Topic.objects.get(slug="recruitment")
    guide = ResourceFactory(
        title="User's guide to the Code",
        kind="who-reference",
        year=2015,
        month=5,
        countries=["RO"],
        regions=["EUR"],
        topics=[recruitment],
        doi="10.1234/guide",
    )
    ResourceAuthorFactory(resource=guide, name="World Health Organization")
    ResourceFileFactory(resource=guide, language="en", text="Ethical recruitment of health personnel.")
    ResourceFileFactory(resource=guide, language="ro", text="Recrutarea etică a personalului medical.")
    brief = ResourceFactory(
        title="Policy brief on retention", kind="policy-brief", year=2020, countries=["KE"]
    )
    ResourceFileFactory(resource=brief, language="en", text="Retention in rural areas.")
    draft = ResourceFactory(title="Draft on recruitment", status=Status.SUBMITTED)
    search.index_rebuild()
    return {"guide": guide, "brief": brief, "draft": draft}


def test_search_returns_items_and_the_facets_their_counts(client, resources):
    data = client.get(f"{API}/resources", {"q": "ethical"}).json()
    assert data["next"] is None
    [item] = data["items"]
    guide = resources["guide"]
    assert item["id"] == guide.pk
    assert item["kind"] == "who-reference"
    assert item["year"] == 2015
    assert item["url"].endswith(guide.get_absolute_url())
    assert item["languages"] == ["en", "ro"]
    assert "<mark>" in item["snippet"]
    data = client.get(f"{API}/resources/facets", {"q": "ethical"}).json()
    assert data["total"] == 1
    languages = {facet["value"]: facet["count"] for facet in data["facets"]["language"]}
    assert languages == {"en": 1, "ro": 1}
    assert data["facets"]["topic"][0]["label"] == "Recruitment"


def test_search_filters_combine_like_the_page(client, resources):
    query = {"kind": ["who-reference", "policy-brief"], "country": "ke"}
    data = client.get(f"{API}/resources", query).json()
    assert [item["id"] for item in data["items"]] == [resources["brief"].pk]
    data = client.get(f"{API}/resources/facets", query).json()
    kinds = {facet["value"]: facet["count"] for facet in data["facets"]["kind"]}
    # A selected value stays listed, with what it would add under the other facets' selection.
    assert kinds == {"policy-brief": 1, "who-reference": 0}
    both = client.get(f"{API}/resources", {"year": [2015, 2020], "sort": "date"}).json()
    assert [item["id"] for item in both["items"]] == [resources["brief"].pk, resources["guide"].pk]
    assert (
        client.get(f"{API}/resources/facets", {"topic": "recruitment", "language": "ro"}).json()["total"] == 1
    )


@pytest.mark.permission("hw4all_library_api_resource_detail", "public")
@pytest.mark.permission("hw4all_library_api_resource_search", "public")
def test_search_never_shows_unpublished_resources(client, resources):
    ids = [item["id"] for item in client.get(f"{API}/resources", {"q": "draft"}).json()["items"]]
    assert resources["draft"].pk not in ids
    everything = client.get(f"{API}/resources").json()["items"]
    assert sorted(item["id"] for item in everything) == sorted([resources["guide"].pk, resources["brief"].pk])
    assert client.get(f"{API}/resources/facets", {"q": "draft"}).json()["total"] == 0
    assert client.get(f"{API}/resources/{resources['draft'].pk}").status_code == 404


@pytest.mark.parametrize("query", ['"', "NEAR(", "x" * 1000, "\x00", "😀", "a OR b -c title:d"])
def test_search_accepts_any_text(client, resources, query):
    assert client.get(f"{API}/resources", {"q": query}).status_code == 200


@pytest.mark.parametrize("path", ["resources", "resources/facets"])
@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        ({"kind": "cartel"}, "kind", 422),
        ({"sort": "sideways"}, "sort", 422),
        ({"q": "x" * 1001}, "q", 422),
        ({"year": "recent"}, "year", 422),
        ({"lang": "zz"}, "lang", 400),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_field(client, resources, path, query, field, status):
    response = client.get(f"{API}/{path}", query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


def test_detail_gives_metadata_authors_topics_files_and_citations(client, resources):
    guide = resources["guide"]
    data = client.get(f"{API}/resources/{guide.pk}").json()
    assert data["title"] == "User's guide to the Code"
    assert data["date"] == "2015-05"
    assert data["doi"] == "10.1234/guide"
    assert data["countries"] == ["RO"]
    assert data["regions"] == ["EUR"]
    assert data["authors"] == [{"name": "World Health Organization", "url": None}]
    assert data["topics"] == [{"slug": "recruitment", "name": "Recruitment"}]
    assert [file["language"] for file in data["files"]] == ["en", "ro"]
    first = data["files"][0]
    assert first["url"].startswith("http://testserver/en/library/")
    assert first["size"] > 0
    assert set(data["citations"]) == {"bib", "ris", "json"}
    assert data["citations"]["bib"].endswith(f"/library/{guide.pk}-{guide.slug}/cite.bib")
    assert client.get(f"{API}/resources/999999").status_code == 404
