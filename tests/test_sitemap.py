"""/sitemap.xml: every page an anonymous visitor may open, in every language, with its
alternates; and nothing a visitor may not open. These tests live outside the apps because the
sitemap crosses them all (each app registers its section with core.sitemaps)."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from hw4all.coalition.factories import OrganisationFactory
from hw4all.codereports.models import ReportStatus
from hw4all.codereports.tests.published import report_in, round_with_questionnaire
from hw4all.events.factories import EventPageFactory
from hw4all.forum.factories import SpaceFactory
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Status
from hw4all.news.factories import ArticlePageFactory
from hw4all.pages.services import locales_ensure, standard_page_create
from hw4all.practices.factories import CaseStudyFactory
from hw4all.workforce.factories import country_create, series_create

pytestmark = pytest.mark.django_db

COUNTRIES = ["KE", "TZ", "GH", "UG", "MW", "ZM"]
# The XML parsed is this site's own sitemap.
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def sitemap_urls(client) -> dict[str, dict]:
    """Every <url> of every section the index lists: location -> its lastmod and alternates."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    urls: dict[str, dict] = {}
    for section in ElementTree.fromstring(index.content).findall("s:sitemap/s:loc", NS):  # noqa: S314
        response = client.get(urlsplit(section.text).path)
        assert response.status_code == 200
        for url in ElementTree.fromstring(response.content).findall("s:url", NS):  # noqa: S314
            lastmod = url.find("s:lastmod", NS)
            urls[url.find("s:loc", NS).text] = {
                "lastmod": lastmod.text if lastmod is not None else None,
                "alternates": {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)},
            }
    return urls


def paths(client) -> set[str]:
    return {urlsplit(location).path for location in sitemap_urls(client)}


@pytest.fixture
def small_site(home_page, news_index, events_index):
    """One published thing of each kind the sitemap lists."""
    about = standard_page_create(parent=home_page, title="About us", slug="about")
    ArticlePageFactory(parent=news_index, title="Nurses </script> “quoted”", slug="nurses")
    EventPageFactory(parent=events_index, title="Dialogue", slug="dialogue")
    locales_ensure(languages=["en", "fr"])
    country_create("KEN")
    series_create("KEN", "HWF_0001", {2018: 1.6})
    report = report_in(round_with_questionnaire(5), country="KE")
    return {
        "about": about,
        "organisation": OrganisationFactory(slug="kenya-health-action"),
        "resource": ResourceFactory(title="Nurses leaving Ghana", countries=["GH"]),
        "case": CaseStudyFactory(published=True, title="Rural nurses"),
        "report": report,
        "space": SpaceFactory(slug="kenya-nurses", is_open=True),
    }


def test_the_index_lists_a_section_per_kind_of_content(client, small_site):
    index = client.get("/sitemap.xml")
    sections = {
        urlsplit(loc.text).path
        for loc in ElementTree.fromstring(index.content).findall("s:sitemap/s:loc", NS)  # noqa: S314
    }
    assert index["Content-Type"].startswith("application/xml")
    assert sections == {
        f"/sitemap-{name}.xml"
        for name in ("pages", "members", "library", "practices", "code-reporting", "forum", "workforce")
    }


def test_every_listed_address_answers_an_anonymous_visitor(client, small_site):
    listed = paths(client)
    for language in LANGUAGE_CODES:
        for expected in (
            f"/{language}/members/kenya-health-action/",
            f"/{language}/library/",
            small_site["resource"].get_absolute_url().replace("/en/", f"/{language}/", 1),
            small_site["case"].get_absolute_url().replace("/en/", f"/{language}/", 1),
            f"/{language}/code-reporting/",
            f"/{language}/code-reporting/rounds/5/",
            f"/{language}/code-reporting/countries/KE/",
            f"/{language}/code-reporting/reports/{small_site['report'].pk}/",
            f"/{language}/forum/spaces/kenya-nurses/",
            f"/{language}/workforce/",
            f"/{language}/workforce/countries/ken/",
        ):
            assert expected in listed
    for language in ("en", "fr"):
        for page in ("", "about/", "news/", "news/nurses/", "events/", "events/dialogue/"):
            assert f"/{language}/{page}" in listed
    for path in sorted(listed):
        assert client.get(path).status_code == 200, path


def test_each_address_has_every_language_and_x_default_as_alternates(client, small_site):
    urls = sitemap_urls(client)
    resource = small_site["resource"].get_absolute_url()  # /en/library/<pk>-<slug>/
    french = urls[f"http://testserver{resource.replace('/en/', '/fr/', 1)}"]
    assert french["alternates"] == {
        **{code: f"http://testserver{resource.replace('/en/', f'/{code}/', 1)}" for code in LANGUAGE_CODES},
        "x-default": f"http://testserver{resource.replace('/en/', '/', 1)}",
    }
    assert french["lastmod"] is not None
    # A Wagtail page exists once per locale; its copies are its alternates, English the default.
    about = urls["http://testserver/fr/about/"]
    assert about["alternates"] == {
        "en": "http://testserver/en/about/",
        "fr": "http://testserver/fr/about/",
        "x-default": "http://testserver/en/about/",
    }
    assert about["lastmod"] is not None
    # x-default picks the visitor's language.
    assert client.get(
        urlsplit(french["alternates"]["x-default"]).path, HTTP_ACCEPT_LANGUAGE="pt"
    ).url.startswith("/pt/library/")


def test_a_draft_page_is_absent(client, home_page):
    draft = standard_page_create(parent=home_page, title="Draft", slug="draft-plans")
    draft.unpublish()
    assert not any("draft-plans" in path for path in paths(client))


def test_a_private_page_and_its_copies_are_absent(client, home_page):
    private = standard_page_create(parent=home_page, title="Board papers", slug="board")
    standard_page_create(parent=private, title="Minutes", slug="minutes")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    locales_ensure(languages=["en", "fr"])
    assert Page.objects.filter(slug="board").count() == 2
    assert not any("board" in path for path in paths(client))


def test_unpublished_library_resources_are_absent(client):
    ResourceFactory(slug="waiting", status=Status.SUBMITTED)
    ResourceFactory(slug="declined", status=Status.DECLINED)
    listed = paths(client)
    assert "/en/library/" in listed
    assert not any("waiting" in path or "declined" in path for path in listed)


def test_unpublished_case_studies_are_absent(client):
    draft = CaseStudyFactory(title="Draft case")
    listed = paths(client)
    assert "/en/practices/" in listed
    assert not any(f"/practices/{draft.pk}" in path for path in listed)


def test_code_reports_not_or_no_longer_published_are_absent(client):
    round = round_with_questionnaire(5)
    hidden = [
        report_in(round, country="KE", status=ReportStatus.DRAFT),
        report_in(round, country="TZ", status=ReportStatus.REVIEW),
        # Withdrawn from publication: back to submitted.
        report_in(round, country="GH", status=ReportStatus.SUBMITTED),
    ]
    listed = paths(client)
    assert "/en/code-reporting/rounds/5/" in listed
    for report in hidden:
        assert f"/en/code-reporting/reports/{report.pk}/" not in listed
        assert f"/en/code-reporting/countries/{report.country.code}/" not in listed


def test_closed_forum_spaces_are_absent(client):
    SpaceFactory(slug="open-space", is_open=True)
    SpaceFactory(slug="closed-space", is_open=False)
    listed = paths(client)
    assert "/en/forum/spaces/open-space/" in listed
    assert not any("closed-space" in path for path in listed)


def test_countries_without_figures_are_absent(client):
    country_create("KEN")
    series_create("KEN", "HWF_0001", {2018: 1.6})
    country_create("TUV", who_region="WPR")
    listed = paths(client)
    assert "/en/workforce/countries/ken/" in listed
    assert "/en/workforce/countries/tuv/" not in listed


def test_organisations_outside_the_member_directory_are_absent(client):
    OrganisationFactory(slug="member")
    OrganisationFactory(slug="not-a-member", is_member=False)
    listed = paths(client)
    assert "/en/members/member/" in listed
    assert "/en/members/not-a-member/" not in listed


@pytest.mark.parametrize("section", ["library", "practices", "code-reporting", "forum", "members", "pages"])
def test_a_section_reads_a_bounded_number_of_queries(client, home_page, section):
    def count_for(items: int) -> int:
        for n in range(items):
            ResourceFactory()
            CaseStudyFactory(published=True)
            OrganisationFactory()
            SpaceFactory()
            standard_page_create(parent=home_page, title=f"Page {n}")
            report_in(round, country=COUNTRIES[n])
        # Wagtail keeps the sites' root paths in the cache: each count starts without them.
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/sitemap-{section}.xml").status_code == 200
        return len(queries)

    round = round_with_questionnaire(5)
    few = count_for(1)
    assert count_for(5) == few
