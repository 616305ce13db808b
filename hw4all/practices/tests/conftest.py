import pytest
from django.core.cache import cache

from hw4all.coalition.factories import user_in
from hw4all.practices import services
from hw4all.practices.models import CriterionGroup
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and the page cache live in the process-wide cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft(db):
    """A draft version 1 with one criterion of each group."""
    criteria_set = services.criteria_set_create(name="Partnership criteria")
    version = services.criteria_version_create(criteria_set=criteria_set)
    services.criterion_add(version=version, group=CriterionGroup.EXCLUSION, title="Relevance")
    services.criterion_add(version=version, group=CriterionGroup.CORE, title="Effectiveness", weight=2)
    services.criterion_add(version=version, group=CriterionGroup.QUALIFIER, title="Sustainability")
    return version


@pytest.fixture
def published(draft):
    return services.criteria_version_publish(version=draft)


@pytest.fixture
def author(db):
    """A member of a Kenyan member organisation."""
    return user_in(MEMBER, country="KE")


@pytest.fixture
def coauthor(author):
    """A member of the same organisation."""
    return user_in(MEMBER, organisation=author.person.organisation)


@pytest.fixture
def secretary(db):
    return user_in(SECRETARIAT, country="BE")


@pytest.fixture
def reviewers(db):
    """Three reviewers from three countries, none from the author's organisation."""
    return [user_in(REVIEWER, country=country) for country in ("BE", "RO", "PH")]


def complete_fields() -> dict:
    return {
        "summary": "Housing and career paths kept nurses in rural districts.",
        "countries": ["KE"],
        "levels": ["local"],
        "themes": ["retention"],
        "code_articles": [5],
        "context": "<p>Rural districts lost a third of their nurses.</p>",
        "practice": "<p>Staff housing and a rural allowance.</p>",
        "results": "<p>Vacancies fell from 30% to 12%.</p>",
    }


@pytest.fixture
def submitted(author):
    case = services.case_create(user=author, title="Retaining rural nurses", **complete_fields())
    return services.case_submit(case=case, user=author)


@pytest.fixture
def in_review(submitted, secretary, reviewers, published):
    """Screened and given two reviewers from Belgium and Romania."""
    services.case_screen_accept(case=submitted, by=secretary)
    services.reviewers_assign(case=submitted, by=secretary, reviewers=reviewers[:2])
    return submitted


def answers_for(case, *, passed: bool = True, score: int = 4) -> dict:
    """A complete review of `case`: every exclusion passed (or failed), every scored criterion `score`."""
    return {
        criterion.pk: (passed if criterion.group == CriterionGroup.EXCLUSION else score, "Well documented.")
        for criterion in case.criteria_version.criteria.all()
    }
