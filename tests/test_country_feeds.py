"""A country's RSS and Atom feeds: everything public the platform publishes about it (news,
events, case studies, library resources, Code reports, the open national space's proposals and
discussions), newest first, as an anonymous feed reader sees it. Each app gives its items through
core.country_feed; these tests live outside the apps because they cross them all."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hw4all.coalition.factories import OrganisationFactory
from hw4all.codereports.models import ReportStatus
from hw4all.codereports.tests.published import report_in, round_with_questionnaire
from hw4all.events.factories import EventPageFactory
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Proposal, ProposalAuthor, ProposalLevel, ProposalStatus, SpaceKind, Thread
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Status
from hw4all.news.factories import ArticlePageFactory
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.services.reviews import facets_rebuild
from hw4all.workforce.factories import country_create, series_create

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = "</script><script>alert(1)</script> & <b>bold</b>"


def rss_url(iso3: str = "ken") -> str:
    return reverse("countries:feed_rss", kwargs={"iso3": iso3})


def atom_url(iso3: str = "ken") -> str:
    return reverse("countries:feed_atom", kwargs={"iso3": iso3})


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, built in this test)


def rss_items(client, iso3: str = "ken") -> list[ET.Element]:
    response = client.get(rss_url(iso3))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return parse(response).findall("./channel/item")


def rss_titles(client, iso3: str = "ken") -> list[str]:
    return [item.findtext("title") for item in rss_items(client, iso3)]


def published_case(**fields):
    case = CaseStudyFactory(published=True, **fields)
    facets_rebuild(case)
    return case


def proposal_in(space, author, title: str, *, status=ProposalStatus.OPEN, **fields) -> Proposal:
    proposal = Proposal.objects.create(
        space=space,
        title=title,
        problem=fields.pop("problem", "Nurses leave rural Kenya for lack of housing."),
        proposed="Housing allowances in the county budgets.",
        level=ProposalLevel.NATIONAL,
        status=status,
        created_by=author,
        opened_at=None if status == ProposalStatus.DRAFT else timezone.now(),
        **fields,
    )
    ProposalAuthor.objects.create(proposal=proposal, user=author)
    return proposal


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def kenya(news_index, events_index):
    """One public item of each kind about Kenya, a day apart (the news article is the oldest),
    and, beside each, one that must never show."""
    ArticlePageFactory(parent=news_index, title="Kenya's nurses strike", countries=["KE"], date=days_ago(8))
    ArticlePageFactory(parent=news_index, title="Draft on Kenya", countries=["KE"], live=False)
    ArticlePageFactory(parent=news_index, title="News from Ghana", countries=["GH"])

    event = EventPageFactory(parent=events_index, title="Nairobi workshop", country="KE", venue="Nairobi")
    EventPageFactory(parent=events_index, title="Unpublished Nairobi event", country="KE", live=False)
    EventPageFactory(parent=events_index, title="Accra meeting", country="GH")
    type(event).objects.filter(pk=event.pk).update(first_published_at=days_ago(6))

    published_case(title="Rural retention in Kenya", countries=["KE"], published_at=days_ago(5))
    CaseStudyFactory(title="Unpublished case on Kenya", countries=["KE"])

    ResourceFactory(title="Kenya workforce report", countries=["KE"])
    ResourceFactory(title="Submission waiting on Kenya", countries=["KE"], status=Status.SUBMITTED)
    ResourceFactory(title="Declined on Kenya", countries=["KE"], status=Status.DECLINED)
    from hw4all.library.models import Resource

    Resource.objects.filter(title="Kenya workforce report").update(created_at=days_ago(4))

    round = round_with_questionnaire(5)
    report = report_in(round, country="KE", organisation=OrganisationFactory(name="Kenya Health Action"))
    type(report).objects.filter(pk=report.pk).update(published_at=days_ago(3))
    report_in(
        round, country="KE", organisation=OrganisationFactory(name="Draft Org"), status=ReportStatus.DRAFT
    )
    report_in(
        round,
        country="KE",
        organisation=OrganisationFactory(name="Submitted Org"),
        status=ReportStatus.SUBMITTED,
    )

    space = SpaceFactory(name="Kenya", kind=SpaceKind.COUNTRY, country="KE")
    closed = SpaceFactory(name="Kenya members", kind=SpaceKind.COUNTRY, country="KE", is_open=False)
    author = member_of(space, country="KE")
    proposal = proposal_in(space, author, "Housing for rural nurses")
    Proposal.objects.filter(pk=proposal.pk).update(opened_at=days_ago(2))
    proposal_in(space, author, "A draft proposal", status=ProposalStatus.DRAFT)
    proposal_in(space, author, "A hidden proposal", is_hidden=True)
    proposal_in(closed, member_of(closed), "A closed space's proposal")
    Thread.objects.create(
        space=space, title="Kenya's budget talks", created_by=author, created_at=days_ago(1)
    )
    Thread.objects.create(space=space, title="A hidden thread", created_by=author, is_hidden=True)
    Thread.objects.create(space=closed, title="A closed space's thread", created_by=author)


NEWEST_FIRST = [
    "Discussion: Kenya's budget talks",
    "Proposal: Housing for rural nurses",
    "Code report: Round 5 (NRI 2024): report by Kenya Health Action",
    "Library resource: Kenya workforce report",
    "Case study: Rural retention in Kenya",
    "Event: Nairobi workshop",
    "News: Kenya's nurses strike",
]


@pytest.mark.permission("countries:feed_rss", "public")
def test_the_rss_feed_lists_everything_public_about_the_country_newest_first(client, kenya):
    assert rss_titles(client) == NEWEST_FIRST


@pytest.mark.permission("countries:feed_atom", "public")
def test_the_atom_feed_lists_the_same_items(client, kenya):
    response = client.get(atom_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.findtext(f"{ATOM}title") == "Kenya: news, events, case studies and reports"
    # The feed belongs to the country's workforce profile.
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
    assert alternate == ["http://testserver" + reverse("workforce:country", kwargs={"iso3": "ken"})]
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == NEWEST_FIRST
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all(link.startswith("http://testserver/") for link in links)
    # The news and the event are the feed's language; the others say none.
    languages = {entry.findtext(f"{ATOM}title"): entry.get(XML_LANG) for entry in entries}
    assert languages["News: Kenya's nurses strike"] == "en"
    assert languages["Event: Nairobi workshop"] == "en"
    assert languages["Case study: Rural retention in Kenya"] is None


def test_nothing_unpublished_closed_or_hidden_appears(client, kenya):
    feeds = client.get(rss_url()).content.decode() + client.get(atom_url()).content.decode()
    for never in (
        "Draft on Kenya",
        "Unpublished Nairobi event",
        "Unpublished case on Kenya",
        "Submission waiting on Kenya",
        "Declined on Kenya",
        "Draft Org",
        "Submitted Org",
        "A draft proposal",
        "A hidden proposal",
        "closed space",
        "A hidden thread",
        "Kenya members",
        "Ghana",
        "Accra",
    ):
        assert never not in feeds, never


def test_a_member_of_the_closed_space_gets_the_same_public_feed(client, kenya):
    from hw4all.forum.models import Space

    client.force_login(member_of(Space.objects.get(name="Kenya members")))
    assert rss_titles(client) == NEWEST_FIRST


def test_an_item_links_to_its_page_with_its_summary_and_kind(client, kenya):
    items = {item.findtext("title"): item for item in rss_items(client)}
    case = items["Case study: Rural retention in Kenya"]
    assert case.findtext("link").startswith("http://testserver/en/practices/")
    assert case.findtext("category") == "Case study"
    assert case.findtext("pubDate")
    event = items["Event: Nairobi workshop"]
    assert "Nairobi" in event.findtext("description")
    assert event.findtext(f"{DC}language") == "en"
    assert items["News: Kenya's nurses strike"].findtext("link").startswith("http://testserver/en/news/")


def test_titles_and_summaries_are_escaped(client, news_index):
    ArticlePageFactory(parent=news_index, title=HOSTILE, summary=HOSTILE, countries=["KE"])
    for url in (rss_url(), atom_url()):
        body = client.get(url).content.decode()
        assert "<script>" not in body and "<b>" not in body
    item = rss_items(client)[0]
    assert item.findtext("title") == f"News: {HOSTILE}"
    # The description is HTML to readers: the summary's markup arrives as text.
    assert item.findtext("description") == (
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    )


def test_the_feed_is_in_the_language_of_its_address(client, kenya):
    response = client.get(rss_url().replace("/en/", "/fr/", 1))
    channel = parse(response).find("channel")
    assert channel.findtext("language") == "fr"
    # No article or event exists in French; the rest has no language of its own.
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert not any("Nairobi workshop" in title or "nurses strike" in title for title in titles)
    assert any("Rural retention in Kenya" in title for title in titles)


@pytest.mark.parametrize("code", ["xxx", "ke", "k1n", "kenya", "000"])
def test_an_unknown_code_is_not_found(client, db, code):
    assert client.get(rss_url(code)).status_code == 404
    assert client.get(atom_url(code)).status_code == 404


def test_an_upper_case_code_redirects_to_the_lower_case_address(client, db):
    response = client.get(rss_url("KEN"))
    assert response.status_code == 301
    assert response["Location"] == rss_url("ken")


def test_a_country_with_nothing_yet_has_an_empty_feed(client, db):
    assert rss_titles(client, "per") == []


def test_the_feed_is_read_only(client, db):
    assert client.post(rss_url()).status_code == 405


def test_the_feed_costs_the_same_queries_however_many_items(client, news_index, events_index):
    space = SpaceFactory(name="Kenya", kind=SpaceKind.COUNTRY, country="KE")
    author = member_of(space, country="KE")
    round = round_with_questionnaire(5)

    def add(n: int) -> None:
        for i in range(n):
            ArticlePageFactory(parent=news_index, countries=["KE"])
            EventPageFactory(parent=events_index, country="KE")
            published_case(countries=["KE"])
            ResourceFactory(countries=["KE"])
            report_in(round, country="KE")
            proposal_in(space, author, f"Proposal {i}")
            Thread.objects.create(space=space, title=f"Thread {i}", created_by=author)

    add(1)
    client.get(rss_url())  # the site's root paths are cached after the first request
    with CaptureQueriesContext(connection) as few:
        assert len(rss_items(client)) == 7
    add(4)
    with CaptureQueriesContext(connection) as many:
        assert len(rss_items(client)) == 35
    assert len(many) == len(few)


def test_the_feed_holds_at_most_fifty_items(client, news_index):
    for _ in range(55):
        ArticlePageFactory(parent=news_index, countries=["KE"])
    assert len(rss_items(client)) == 50


def test_the_country_profile_links_its_feeds(client):
    country_create("KEN")
    series_create("KEN", "HWF_0001", {2018: 1.6})
    page = client.get(reverse("workforce:country", kwargs={"iso3": "ken"})).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert f'href="{rss_url()}"' in page and f'href="{atom_url()}"' in page
    assert 'type="application/atom+xml"' in page
    assert "Follow Kenya:" in page
