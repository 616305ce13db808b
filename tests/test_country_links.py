"""What the platform holds about a country, as the workforce profile lists it under "On this
platform": each app's provider (registered with core.country_links when the app is ready) gives
only what the person asking may see. These tests live outside the apps because they cross them
all (the workforce app may import none of the others)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.country_links import codereports_country_links
from hw4all.codereports.models import ReportStatus
from hw4all.codereports.tests.published import report_in, round_with_questionnaire
from hw4all.core.country_links import country_links
from hw4all.forum.country_links import forum_country_links
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import SpaceKind
from hw4all.library.country_links import library_country_links
from hw4all.library.factories import ResourceFactory
from hw4all.library.models import Status
from hw4all.practices.country_links import practices_country_links
from hw4all.practices.factories import CaseStudyFactory
from hw4all.practices.services.reviews import facets_rebuild
from hw4all.users.roles import MEMBER, SECRETARIAT
from hw4all.workforce.factories import country_create, series_create

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def titles(links) -> list[str]:
    return [link.title for link in links]


def published_case(**fields):
    case = CaseStudyFactory(published=True, **fields)
    facets_rebuild(case)
    return case


def test_case_studies_published_about_the_country_only():
    kenya = published_case(title="Rural nurses in Kenya", countries=["KE", "TZ"])
    published_case(title="Retention in Malawi", countries=["MW"])
    CaseStudyFactory(title="A draft about Kenya", countries=["KE"])  # not published: no facets
    links = practices_country_links("KE", ANONYMOUS)
    assert titles(links) == ["Rural nurses in Kenya"]
    assert links[0].url == kenya.get_absolute_url()
    assert links[0].kind == "Case study"
    assert titles(practices_country_links("TZ", ANONYMOUS)) == ["Rural nurses in Kenya"]


def test_an_unknown_code_gives_no_case_study():
    published_case(countries=["KE"])
    assert practices_country_links("XX", ANONYMOUS) == []


def test_library_resources_published_and_covering_the_country():
    covering = ResourceFactory(title="Nurses leaving Ghana", countries=["GH"], year=2014)
    ResourceFactory(title="Waiting for approval", countries=["GH"], status=Status.SUBMITTED)
    ResourceFactory(title="Declined", countries=["GH"], status=Status.DECLINED)
    ResourceFactory(title="About Kenya and Germany", countries=["KE", "DE"])
    links = library_country_links("GH", ANONYMOUS)
    assert titles(links) == ["Nurses leaving Ghana"]
    assert links[0].url == covering.get_absolute_url()
    # A code is matched whole, never as part of the stored list "KE,DE".
    assert titles(library_country_links("ED", ANONYMOUS)) == []
    assert titles(library_country_links("DE", ANONYMOUS)) == ["About Kenya and Germany"]


def test_code_reports_published_on_the_country_and_its_page():
    round = round_with_questionnaire(5)
    published = report_in(round, country="KE", organisation=OrganisationFactory(name="Kenya Health Action"))
    report_in(
        round, country="KE", organisation=OrganisationFactory(name="Hidden Org"), status=ReportStatus.DRAFT
    )
    report_in(
        round,
        country="KE",
        organisation=OrganisationFactory(name="Submitted Org"),
        status=ReportStatus.SUBMITTED,
    )
    member = user_in(MEMBER, country="KE")
    for user in (ANONYMOUS, member):
        links = codereports_country_links("KE", user)
        assert [link.url for link in links] == [
            reverse("codereports:report", kwargs={"pk": published.pk}),
            reverse("codereports:country", kwargs={"code": "KE"}),
        ]
        assert "Kenya Health Action" in links[0].title
        assert not any("Hidden" in link.title or "Submitted" in link.title for link in links)
    # A country without reports still has its page of reports (which says there are none yet).
    assert [link.url for link in codereports_country_links("PE", ANONYMOUS)] == [
        reverse("codereports:country", kwargs={"code": "PE"})
    ]


def test_a_closed_national_space_shows_to_its_members_and_the_secretariat_only():
    open_space = SpaceFactory(name="Kenya open", kind=SpaceKind.COUNTRY, country="KE", is_open=True)
    closed = SpaceFactory(name="Kenya closed", kind=SpaceKind.COUNTRY, country="KE", is_open=False)
    SpaceFactory(name="Global", kind=SpaceKind.GLOBAL)
    SpaceFactory(name="Ghana", kind=SpaceKind.COUNTRY, country="GH")
    outsider = user_in(MEMBER)
    member = member_of(closed)
    secretariat = user_in(SECRETARIAT)
    assert titles(forum_country_links("KE", ANONYMOUS)) == ["Kenya open"]
    assert titles(forum_country_links("KE", outsider)) == ["Kenya open"]
    assert titles(forum_country_links("KE", member)) == ["Kenya closed", "Kenya open"]
    assert titles(forum_country_links("KE", secretariat)) == ["Kenya closed", "Kenya open"]
    assert forum_country_links("KE", member)[0].url == closed.get_absolute_url()
    assert forum_country_links("KE", ANONYMOUS)[0].url == open_space.get_absolute_url()


def test_core_gathers_every_apps_links():
    published_case(title="Rural nurses in Kenya", countries=["KE"])
    ResourceFactory(title="Kenya's workforce", countries=["KE"])
    SpaceFactory(name="Kenya", kind=SpaceKind.COUNTRY, country="KE")
    kinds = {link.kind for link in country_links("KE", ANONYMOUS)}
    assert kinds == {"Case study", "Library resource", "Code reports", "Forum space"}


def test_the_profile_lists_only_what_the_visitor_may_see(client):
    country_create("KEN")
    series_create("KEN", "HWF_0001", {2018: 1.6})
    published_case(title="Rural nurses in Kenya", countries=["KE"])
    CaseStudyFactory(title="A draft case on Kenya", countries=["KE"])
    ResourceFactory(title="Kenya's workforce", countries=["KE"])
    ResourceFactory(title="A submission on Kenya", countries=["KE"], status=Status.SUBMITTED)
    SpaceFactory(name="Kenya open space", kind=SpaceKind.COUNTRY, country="KE")
    closed = SpaceFactory(name="Kenya closed space", kind=SpaceKind.COUNTRY, country="KE", is_open=False)
    url = reverse("workforce:country", kwargs={"iso3": "ken"})

    page = client.get(url).content.decode()
    for shown in ("Rural nurses in Kenya", "Kenya&#x27;s workforce", "Kenya open space"):
        assert shown in page
    for hidden in ("A draft case on Kenya", "A submission on Kenya", "Kenya closed space"):
        assert hidden not in page

    client.force_login(member_of(closed))
    page = client.get(url).content.decode()
    assert "Kenya closed space" in page
    assert "A draft case on Kenya" not in page
