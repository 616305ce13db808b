"""The library's search page as a visitor gets it: with and without JavaScript (htmx)."""

import re

import pytest

from hw4all.library import search
from hw4all.library.factories import ResourceAuthorFactory, ResourceFactory, ResourceFileFactory
from hw4all.library.models import Status, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    migration = Topic.objects.get(slug="migration")
    english = ResourceFactory(
        title="Nurses leaving Kenya",
        kind="report",
        year=2014,
        countries=["KE"],
        regions=["AFR"],
        topics=[migration],
    )
    ResourceAuthorFactory(resource=english, name="Kamau, Wanjiru")
    ResourceFileFactory(resource=english, language="en", text="Nurses leave for better salaries abroad.")
    romanian = ResourceFactory(
        title="Medici care pleacă", kind="toolkit", year=2016, countries=["RO"], regions=["EUR"]
    )
    ResourceFileFactory(resource=romanian, language="ro", text="Medicii pleacă din România.")
    ResourceFactory(title="Nurses draft", status=Status.SUBMITTED)
    search.index_rebuild()
    return {"en": english, "ro": romanian}


def page(client, **params):
    return client.get("/en/library/", params)


def test_browsing_lists_every_published_resource_newest_first(client, library):
    response = page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="library-q">' in html
    assert html.index("Medici care pleacă") < html.index("Nurses leaving Kenya")
    assert "Nurses draft" not in html
    assert "2 resources" in html
    assert '<a href="/en/library/submit/">Add a resource to the library</a>' in html


def test_a_result_shows_its_title_link_kind_year_authors_languages_and_snippet(client, library):
    html = page(client, q="salaries").content.decode()
    resource = library["en"]
    assert f'href="{resource.get_absolute_url()}"' in html
    assert "Report" in html and "2014" in html and "Kamau" in html and "English" in html
    assert "<mark>salaries</mark>" in html
    assert "Medici" not in html.split('id="library-results-heading"')[1]


def test_facets_are_links_with_counts_and_combine(client, library):
    html = page(client).content.decode()
    assert re.search(
        r'href="/en/library/\?kind=toolkit"[^>]*>Toolkit <span class="library-facet__count" aria-hidden="true">\(1\)</span><span class="visually-hidden"> \(1 resource\)',
        html,
    )
    assert "Romanian" in html and "Kenya" in html and "Africa (WHO region)" in html and "Migration" in html
    filtered = page(client, kind=["report", "toolkit"], country="KE").content.decode()
    assert "1 resource" in filtered
    assert 'aria-current="true"' in filtered
    assert "Clear filters" in filtered
    # A facet's counts ignore its own selection: with reports chosen, the toolkit is still
    # offered with its count, while the countries count reports only.
    reports = page(client, kind="report").content.decode()
    assert re.search(
        r'kind=report&amp;kind=toolkit"[^>]*>Toolkit <span class="library-facet__count" aria-hidden="true">\(1\)</span><span class="visually-hidden"> \(1 resource\)',
        reports,
    )
    assert "?kind=report&amp;country=KE" in reports
    assert "country=RO" not in reports


def test_facet_labels_follow_the_interface_language(client, library):
    html = client.get("/fr/library/").content.decode()
    assert "Roumain" in html or "roumain" in html
    assert "Kenya" in html
    assert "Migration" in html


def test_htmx_gets_only_the_results(client, library):
    full = page(client, q="nurses")
    fragment = client.get("/en/library/", {"q": "nurses"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode()
    assert 'id="library-results-heading"' in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    # Pagination links are boosted at the results region: they get the fragment too.
    boosted = client.get(
        "/en/library/",
        {"q": "nurses", "page": "1"},
        headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "library-results"},
    )
    assert "<html" not in boosted.content.decode()


def test_facet_links_update_in_place_with_htmx(client, library):
    html = page(client).content.decode()
    assert 'hx-target="#library-results"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-get="/en/library/?kind=toolkit"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unclosed NEAR( * -x title:y'},
        {"q": "\x00"},
        {"q": "x" * 10_240},
        {"q": "😀", "page": "-4"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"kind": "nonsense", "year": "not-a-year", "country": "<script>"},
        {"sort": "sideways"},
    ],
)
def test_hostile_input_never_fails(client, library, params):
    response = page(client, **params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>")[1].split("<script src")[0]


def test_markup_in_resources_is_shown_as_text(client):
    resource = ResourceFactory(
        title="<script>alert('title')</script> workforce", summary="<script>alert('summary')</script>"
    )
    ResourceFileFactory(resource=resource, text="The <script>alert('text')</script> workforce plan.")
    search.resource_index(resource.pk)
    for params in ({}, {"q": "workforce"}, {"q": "script"}, {"q": "alert"}):
        html = page(client, **params).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html


def test_twenty_results_a_page(client):
    for number in range(23):
        ResourceFactory(title=f"Harare report {number}", year=2000 + number)
    search.index_rebuild()
    first = page(client, q="harare").content.decode()
    assert first.count('class="card library-result"') == 20
    second = page(client, q="harare", page="2").content.decode()
    assert second.count('class="card library-result"') == 3
    assert 'rel="prev"' in second


def test_the_main_navigation_links_to_the_library(client, library):
    navigation = page(client).content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/en/library/"' in navigation
