"""What the Code reporting tests share: an open round with a small civil-society questionnaire,
members of two member organisations, a member of a non-member organisation, a secretary and a
reviewer, and reports built through the workflow's own services."""

import pytest
from django.core.cache import cache

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import Round, RoundStatus
from hw4all.codereports.services import reports as services
from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, QuestionnaireStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create
from hw4all.users.roles import MEMBER, REVIEWER, SECRETARIAT

SMALL_REPORT = {
    "title": {"en": "Civil-society report", "fr": "Rapport de la société civile"},
    "languages": ["en", "fr"],
    "default_language": "en",
    "sections": [
        {
            "name": "organisation",
            "label": {"en": "Reporting organisation", "fr": "Organisation qui rapporte"},
            "questions": [
                {
                    "name": "org_type",
                    "type": "select_one",
                    "label": {"en": "Type of organisation", "fr": "Type d'organisation"},
                    "required": True,
                    "list_name": "org_types",
                    "choices": [
                        {"name": "ngo", "label": {"en": "NGO", "fr": "ONG"}},
                        {"name": "union", "label": {"en": "Trade union", "fr": "Syndicat"}},
                    ],
                    "tags": ["art-9"],
                },
                {
                    "name": "consulted",
                    "type": "yes_no",
                    "label": {"en": "Were you consulted for the national report?"},
                    "required": True,
                    "tags": ["art-9"],
                },
                {
                    "name": "consulted_how",
                    "type": "long_text",
                    "label": {"en": "How were you consulted?"},
                    "relevant": "${consulted} = 'yes'",
                },
            ],
        },
        {
            "name": "observations",
            "label": {"en": "Observations", "fr": "Observations"},
            "questions": [
                {
                    "name": "recruitment",
                    "type": "long_text",
                    "label": {"en": "Recruitment practices observed"},
                    "tags": ["art-3.5", "art-4"],
                },
                {
                    "name": "cases",
                    "type": "integer",
                    "label": {"en": "Cases of active recruitment observed"},
                    "minimum": 0,
                    "maximum": 1000,
                    "tags": ["art-3.5"],
                },
                {"name": "evidence", "type": "file", "label": {"en": "Evidence"}, "tags": ["art-5"]},
            ],
        },
    ],
}

# Answers that pass the complete validation.
COMPLETE = {
    "org_type": "ngo",
    "consulted": "no",
    "recruitment": "Agencies recruit nurses from listed countries.",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and the page cache live in the process-wide cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def questionnaire(db):
    return questionnaire_create(
        slug="civil-society-report-test",
        name="Civil-society report (test)",
        definition=Definition.from_json(SMALL_REPORT),
        access=Access.EMBEDDED,
        status=QuestionnaireStatus.OPEN,
    )


@pytest.fixture
def round(questionnaire):
    return Round.objects.create(
        number=5,
        instrument="NRI 2024",
        period="2024–2025",
        status=RoundStatus.OPEN,
        is_current=True,
        questionnaire=questionnaire,
    )


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Nurses for Kenya", country="KE")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Doctors of Ghana", country="GH")


@pytest.fixture
def member(organisation):
    return user_in(MEMBER, organisation=organisation, email="amina@example.org")


@pytest.fixture
def colleague(organisation):
    """A second member of the same organisation, who reads French."""
    return user_in(MEMBER, organisation=organisation, language="fr", email="jean@example.org")


@pytest.fixture
def other_member(other_organisation):
    return user_in(MEMBER, organisation=other_organisation, email="kofi@example.org")


@pytest.fixture
def outsider(db):
    """A member account whose organisation is not a member of the coalition."""
    return user_in(MEMBER, organisation=OrganisationFactory(is_member=False, name="Not Yet Members"))


@pytest.fixture
def secretary(db):
    return user_in(SECRETARIAT, email="secretariat@example.org")


@pytest.fixture
def reviewer(db):
    return user_in(REVIEWER)


@pytest.fixture
def draft(round, member):
    return services.report_create(round=round, country="KE", user=member, language="en")


def reached(report, status: str, user):
    """Take `report` from draft to `status` through the services (complete answers first)."""
    from hw4all.codereports.models import ReportStatus

    if status == ReportStatus.DRAFT:
        return report
    services.report_save(
        report=report, data=dict(COMPLETE), files={}, base_revision=report.response.revision, user=user
    )
    services.report_to_review(report=report, user=user)
    if status == ReportStatus.REVIEW:
        return report
    outcome = services.report_submit(report=report, user=user)
    assert outcome.submitted, outcome.errors
    if status == ReportStatus.SUBMITTED:
        return report
    services.report_publish(report=report, user=user)
    return report


@pytest.fixture
def in_review(draft, member):
    return reached(draft, "review", member)


@pytest.fixture
def submitted(draft, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reached(draft, "submitted", member)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def published(draft, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reached(draft, "published", member)
    draft.refresh_from_db()
    return draft
