"""A Code report's free-text answers and its organisation's name written with the OWASP vectors
through the service the report editor saves with, taken through review to publication, then shown
on the report, the country comparison, the round's dashboard and in the API."""

import pytest
from django.test import Client
from django.urls import reverse

from hw4all.coalition.factories import OrganisationFactory, user_in
from hw4all.codereports.models import Round, RoundStatus
from hw4all.codereports.services import reports as services
from hw4all.codereports.tests.conftest import SMALL_REPORT
from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, QuestionnaireStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create
from hw4all.users.roles import MEMBER

from .xss import SHORT, TYPEABLE, assert_json_html_inert, assert_pages_inert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def codereports_pages(capture, *, short: str, medium: str, corpus: str) -> dict[str, str]:
    questionnaire = questionnaire_create(
        slug="civil-society-report-test",
        name="Civil-society report (test)",
        definition=Definition.from_json(SMALL_REPORT),
        access=Access.EMBEDDED,
        status=QuestionnaireStatus.OPEN,
    )
    round_ = Round.objects.create(
        number=5,
        instrument="NRI 2024",
        period="2024–2025",
        status=RoundStatus.OPEN,
        is_current=True,
        questionnaire=questionnaire,
    )
    organisation = OrganisationFactory(name=short[:200], country="KE")
    member = user_in(MEMBER, organisation=organisation, email="amina@example.org")
    report = services.report_create(round=round_, country="KE", user=member, language="en")
    services.report_save(
        report=report,
        data={"org_type": "ngo", "consulted": "yes", "consulted_how": medium, "recruitment": corpus},
        files={},
        base_revision=report.response.revision,
        user=member,
    )
    writer = Client()
    writer.force_login(member)
    shown = {"draft": writer.get(reverse("codereports:report", args=[report.pk])).content.decode()}
    shown["editor"] = writer.get(reverse("codereports:report_edit", args=[report.pk])).content.decode()
    with capture(execute=True):
        services.report_to_review(report=report, user=member)
        outcome = services.report_submit(report=report, user=member)
        assert outcome.submitted, outcome.errors
        services.report_publish(report=report, user=member)
    visitor = Client()
    shown["report"] = visitor.get(reverse("codereports:report", args=[report.pk])).content.decode()
    shown["country"] = visitor.get(reverse("codereports:country", args=["KE"])).content.decode()
    shown["round"] = visitor.get(reverse("codereports:round", args=[5])).content.decode()
    response = visitor.get(f"/api/v1/code-reports/reports/{report.pk}")
    assert response.status_code == 200
    assert_json_html_inert(response.json(), "report API")
    return shown


def test_report_answers_are_shown_inert(django_capture_on_commit_callbacks):
    assert_pages_inert(
        lambda **values: codereports_pages(django_capture_on_commit_callbacks, **values),
        short=" ".join(SHORT),
        medium="\n".join(SHORT),
        corpus="\n\n".join(TYPEABLE),
    )
