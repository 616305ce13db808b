"""`manage.py load_demo` builds the site from the seeds' facts, once."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from wagtail.models import Locale, Page

from hw4all.coalition.models import ApiToken, Organisation, Person, Project, ProjectRole
from hw4all.events.models import EventPage
from hw4all.library.models import Extraction, Resource, ResourceFile
from hw4all.news.models import ArticlePage
from hw4all.practices.models import CriteriaSet, CriteriaSetVersion, Criterion
from hw4all.users.models import User


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo as `make run` leaves it once the task worker has read the files and indexed them,
    loaded once for the module (it takes half a minute) in a transaction that ends rolled back;
    each test runs inside it and undoes its own changes as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    pass


def test_the_project_has_its_coordinator_partners_funder_and_grant(demo):
    project = Project.objects.get(acronym="HW4All")
    assert project.grant_number == "DCI-NSAED/2011/106"
    assert (project.start_date, project.end_date) == (datetime.date(2013, 1, 1), datetime.date(2015, 12, 31))
    assert project.funder.name.startswith("European Union")
    participations = {p.organisation.name: (p.role, p.country.code) for p in project.participations.all()}
    assert participations["Wemos"] == (ProjectRole.COORDINATOR, "NL")
    assert participations["Center for Health Policies and Services"] == (ProjectRole.PARTNER, "RO")
    assert participations["terre des hommes"] == (ProjectRole.PARTNER, "DE")
    assert len(participations) == 9


def test_the_2013_side_event_is_on_22_may_from_1745_to_1945_gmt_with_its_co_promoters(demo):
    event = EventPage.objects.get(slug="wha66-side-event-who-global-code", locale=Locale.get_default())
    assert event.start == datetime.datetime(2013, 5, 22, 17, 45, tzinfo=datetime.UTC)
    assert event.end == datetime.datetime(2013, 5, 22, 19, 45, tzinfo=datetime.UTC)
    assert event.venue == "Salle IX, Palais des Nations"
    co_promoters = set(event.co_promoters.values_list("acronym", flat=True))
    assert {"ACOSHED", "EQUINET", "HWAI", "GHWA"} <= co_promoters
    assert list(event.organisers.values_list("acronym", flat=True)) == ["MMI"]


def test_statements_blog_posts_and_the_member_spotlight_come_from_the_seeds(demo):
    english = ArticlePage.objects.filter(locale=Locale.get_default()).live()
    assert english.count() == 15
    declaration = english.get(
        title="Come Together for Bold Civil Society Action for Human Resources for Health"
    )
    assert declaration.kind == "statement"
    assert declaration.date == datetime.date(2021, 4, 7)
    assert declaration.author is None
    assert english.get(kind="spotlight").title == "Member Spotlight: Denis Bukenya"
    assert english.get(title__startswith="Isn’t it time").author.name == "Dr. Ouma Oluga"
    bukenya = Person.objects.get(name="Denis Bukenya")
    assert bukenya.coalition_role == "steering_committee"
    assert bukenya.organisation.acronym == "HURIC"


def test_every_language_mirrors_the_english_site(demo):
    for code in ("fr", "es", "pt", "nl", "it", "ro", "pl", "de"):
        locale = Locale.objects.get(language_code=code)
        assert Page.objects.filter(locale=locale, depth=2).exists(), code
        assert ArticlePage.objects.filter(locale=locale).count() == 15, code


def test_the_demo_administrator_can_log_in(demo, client):
    assert client.login(email="admin@hw4all.example", password="hw4all-demo-admin")
    assert User.objects.get(email="admin@hw4all.example").is_superuser


def test_a_member_organisation_has_an_api_token_whose_secret_is_nowhere(demo, capsys):
    token = ApiToken.objects.select_related("organisation").get()
    assert token.organisation.name == "Wemos" and token.organisation.is_member
    assert token.scopes == ["signatures", "library"]
    assert token.is_active and token.origins == ""
    assert token.created_by.email == "secretariat@hw4all.example"
    call_command("load_demo")
    assert token.prefix not in capsys.readouterr().out
    assert ApiToken.objects.count() == 1


def test_loading_twice_loads_nothing_twice(demo, capsys):
    counts = (Organisation.objects.count(), ArticlePage.objects.count(), EventPage.objects.count())
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert counts == (Organisation.objects.count(), ArticlePage.objects.count(), EventPage.objects.count())


def test_a_demo_loaded_before_the_library_and_the_criteria_gets_them(demo, capsys):
    from hw4all.practices.models import CaseStudy, ReviewScore

    ReviewScore.objects.all().delete()
    CaseStudy.objects.all().delete()
    ResourceFile.objects.all().delete()
    Resource.objects.all().delete()
    Criterion.objects.all().delete()
    CriteriaSetVersion.objects.all().delete()
    CriteriaSet.objects.all().delete()
    articles = ArticlePage.objects.count()
    call_command("load_demo")
    assert "Added what it lacked: library, eligibility criteria, case studies." in capsys.readouterr().out
    assert Resource.objects.count() == 5 and CriteriaSet.objects.count() == 1
    assert ArticlePage.objects.count() == articles
    call_command("load_demo")
    assert "Added" not in capsys.readouterr().out
    assert Resource.objects.count() == 5


def test_the_library_holds_the_publications_the_seeds_name(demo):
    resources = {
        resource.title: resource for resource in Resource.objects.published().exclude(kind="case-study")
    }
    assert len(resources) == 5
    # The published case studies are in the library too, each linking to its page.
    case_studies = Resource.objects.published().filter(kind="case-study")
    assert sorted(case_studies.values_list("title", flat=True)) == [
        "A national analysis of human resources for health in Romania",
        "Sustained civil-society engagement after the project ended",
    ]
    assert all("/practices/" in entry.url for entry in case_studies)
    code = resources["WHO Global Code of Practice on the International Recruitment of Health Personnel"]
    assert (code.kind, code.year, code.month, code.day) == ("who-reference", 2010, 5, 21)
    assert [author.display_name() for author in code.authors.all()] == ["World Health Organization"]
    assert "WHA63.16" in code.summary
    assert "does not hold the publication itself" in code.summary
    assert not code.doi and not code.url and not code.isbn
    outline = code.files.get()
    assert outline.language == "en"
    assert outline.extraction == Extraction.DONE
    assert "Article 10: Partnerships, technical collaboration and financial support" in outline.text
    kampala = resources["Kampala Declaration and Agenda for Global Action"]
    assert (kampala.year, kampala.publisher) == (2008, "Global Health Workforce Alliance")
    analysis = resources["Health-care human resources analysis at national level: Romania"]
    assert [country.code for country in analysis.countries] == ["RO"]
    assert "semi-structured interviews" in analysis.files.get().text
    kit = resources["Operational set of tools for users (user’s kit)"]
    assert kit.kind == "toolkit"
    assert set(kit.related.values_list("title", flat=True)) == {
        code.title,
        kampala.title,
        "A user’s guide for the European decision makers",
    }


def test_the_demo_library_is_found_by_search(demo):
    from hw4all.library import search

    def titles(query: str) -> list[str]:
        hits = search.search(query=query).hits
        return [Resource.objects.get(pk=hit.resource_id).title for hit in hits]

    assert titles("Kampala")[0] == "Kampala Declaration and Agenda for Global Action"
    # A word only in a file's text: the outline of the Code's articles.
    assert titles("Partnerships")[0].startswith("WHO Global Code of Practice")
    assert "Health-care human resources analysis at national level: Romania" in titles("interviews")
    assert search.search().total == 7
    # The case study is found by a word of its text, beside the report it draws on.
    assert set(titles("semi-structured")[:2]) == {
        "Health-care human resources analysis at national level: Romania",
        "A national analysis of human resources for health in Romania",
    }


def test_the_demo_criteria_set_is_published_with_its_four_exclusion_three_core_four_qualifiers(demo):
    from hw4all.practices import queries as practices
    from hw4all.practices.outcomes import Result, outcome

    criteria_set = CriteriaSet.objects.get(name="Partnership eligibility criteria")
    version = practices.criteria_version_current(criteria_set=criteria_set)
    assert version is not None and version.number == 1
    assert (version.core_threshold_percent, version.qualifier_threshold_percent) == (60, 60)
    titles = {
        group: [c.title for c in version.criteria.filter(group=group)]
        for group in ("exclusion", "core", "qualifier")
    }
    assert titles == {
        "exclusion": ["Relevance", "Clear description", "Evidence", "Ethics"],
        "core": ["Effectiveness", "Equity", "Alignment with the WHO Code"],
        "qualifier": ["Transferability", "Sustainability", "Participation", "Cross-sector work"],
    }
    assert all(c.guidance and c.weight == 1 for c in version.criteria.all())
    specs = version.criterion_specs()
    top = {s.key: True if s.group == "exclusion" else s.scale_max for s in specs}
    assert outcome(specs, {"a": top, "b": top}).result is Result.BEST_PRACTICE


def test_the_demo_case_studies_stand_at_every_step_of_the_workflow(demo):
    from hw4all.practices.models import CaseStatus, CaseStudy

    by_status = dict(CaseStudy.objects.values_list("title", "status"))
    assert sorted(by_status.values()) == sorted(
        [
            CaseStatus.VALIDATED,
            CaseStatus.IN_REVIEW,
            CaseStatus.SUBMITTED,
            CaseStatus.DRAFT,
            CaseStatus.SUBMITTED,
        ]
    )
    validated = CaseStudy.objects.get(status=CaseStatus.VALIDATED)
    assert validated.is_published and validated.reviews_counted == 2
    assert validated.criteria_version.criteria_set.name == "Partnership eligibility criteria"
    published = CaseStudy.objects.published()
    assert published.count() == 2
    waiting = CaseStudy.objects.get(status=CaseStatus.IN_REVIEW)
    # The demo reviewer has a review to do; the second reviewer has submitted theirs.
    assert sorted(waiting.assignments.values_list("reviewer__email", "status")) == [
        ("reviewer2@hw4all.example", "submitted"),
        ("reviewer@hw4all.example", "assigned"),
    ]
    member = User.objects.get(email="member@hw4all.example")
    assert member.person.organisation.acronym == "CHPS"
    assert member.case_studies.filter(status=CaseStatus.DRAFT).count() == 1


def test_the_forum_has_its_spaces_proposals_discussions_and_a_poll(demo):
    from hw4all.forum.models import Poll, Proposal, Space, SpaceMembership, Thread

    assert dict(Space.objects.values_list("slug", "is_open")) == {
        "global": True,
        "europe": True,
        "romania": True,
        "mmi-hrh": False,
    }
    assert Space.objects.get(slug="romania").country == "RO"
    statuses = dict(Proposal.objects.values_list("space__slug", "status"))
    assert statuses == {"global": "adopted", "europe": "open", "romania": "consideration"}
    adopted = Proposal.objects.get(status="adopted")
    assert adopted.decision_reasons and adopted.versions.count() == 1
    european = Proposal.objects.get(space__slug="europe")
    # The other member of the space supported it, personally and for their organisation.
    assert european.support_count == 2
    assert SpaceMembership.objects.filter(space__slug="mmi-hrh", status="active").count() == 2
    assert Thread.objects.get(space__slug="europe").comment_count == 2
    assert Poll.objects.get().electorate == "organisations"
