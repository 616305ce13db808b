"""A case study written with the OWASP vectors through the authoring form (plain fields and the
rich-text sections), submitted, read by the Secretariat and a reviewer, published, then shown on
the public page, in the listing and in the API."""

import pytest
from django.test import Client

from hw4all.coalition.factories import user_in
from hw4all.practices import services
from hw4all.practices.models import CaseStudy, CriterionGroup, ReviewAssignment
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT

from .xss import SHORT, TYPEABLE, assert_json_html_inert, assert_pages_inert

pytestmark = pytest.mark.django_db

SECTIONS = ("context", "practice", "results", "costs", "lessons", "transferability", "sources")


@pytest.fixture(autouse=True)
def _one_reviewer_is_enough(settings):
    settings.RATE_LIMITS_ENABLED = False
    settings.PRACTICES_MIN_REVIEWERS = 1
    settings.PRACTICES_MIN_REVIEWER_COUNTRIES = 1


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def practices_pages(*, short: str, medium: str, corpus: str) -> dict[str, str]:
    author = user_in(MEMBER, country="KE")
    secretary = user_in(SECRETARIAT, country="BE")
    reviewer = user_in(REVIEWER, country="RO")
    criteria = services.criteria_set_create(name="Partnership criteria")
    version = services.criteria_version_create(criteria_set=criteria)
    services.criterion_add(version=version, group=CriterionGroup.CORE, title="Effectiveness")
    services.criteria_version_publish(version=version)

    writer = signed_in(author)
    case = services.case_create(user=author, title="Draft")
    form = {
        "edit_number": str(case.edit_number),
        "editor": "page-one",
        "title": short[:255],
        "summary": medium,
        "countries": ["KE"],
        "levels": ["local"],
        "themes": ["retention"],
        "code_articles": ["5"],
        "actors": medium,
        "contact_name": short[:200],
        "contact_email": "author@example.org",
        **dict.fromkeys(SECTIONS, corpus),
    }
    response = writer.post(f"/en/practices/{case.pk}/edit/", form)
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    case.refresh_from_db()
    shown = {
        "editor": writer.get(f"/en/practices/{case.pk}/edit/").content.decode(),
        "my cases": writer.get("/en/practices/mine/").content.decode(),
    }
    response = writer.post(f"/en/practices/{case.pk}/submit/", form | {"edit_number": str(case.edit_number)})
    assert response.status_code in (200, 302)
    case = CaseStudy.objects.get(pk=case.pk)
    assert case.status == "submitted", case.status
    shown["status"] = writer.get(f"/en/practices/{case.pk}/edit/").content.decode()

    office = signed_in(secretary)
    services.case_screen_accept(case=case, by=secretary)
    services.reviewers_assign(case=case, by=secretary, reviewers=[reviewer])
    assignment = ReviewAssignment.objects.get(case=case)
    shown["review"] = signed_in(reviewer).get(f"/en/practices/reviews/{assignment.pk}/").content.decode()
    shown["screening"] = office.get(f"/admin/practices/cases/{case.pk}/").content.decode()
    services.case_publish(case=case, by=secretary)
    case.refresh_from_db()

    visitor = Client()
    shown["case"] = visitor.get(case.get_absolute_url()).content.decode()
    shown["listing"] = visitor.get("/en/practices/").content.decode()
    shown["history"] = writer.get(f"/en/practices/{case.pk}/history/").content.decode()
    response = visitor.get(f"/api/v1/practices/cases/{case.pk}")
    assert response.status_code == 200
    assert_json_html_inert(response.json(), "case API")
    return shown


def test_a_case_study_is_shown_inert():
    assert_pages_inert(
        practices_pages, short=" ".join(SHORT), medium="\n".join(SHORT), corpus="\n\n".join(TYPEABLE)
    )
