"""The demo's Code reporting: the shipped rounds and questionnaire, the survey example, a call to
report for the fifth round, two published reports from what the seeds say and a draft; once."""

import pytest

from hw4all.coalition.factories import OrganisationFactory, PersonFactory
from hw4all.coalition.models import Organisation
from hw4all.codereports.models import Report, ReportingCall, ReportStatus, Round
from hw4all.demo.codereports import SURVEY_SLUG, codereports_demo_load
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus
from hw4all.users.models import User
from hw4all.users.roles import MEMBER
from hw4all.users.services import user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(db):
    """The partners and accounts the rest of the demo makes before Code reporting."""
    for name, country in (
        ("Center for Health Policies and Services", "RO"),
        ("Wemos", "NL"),
        ("Health Poverty Action", "GB"),
    ):
        OrganisationFactory(name=name, country=country)
    for email, organisation in (
        ("member@hw4all.example", "Center for Health Policies and Services"),
        ("author@hw4all.example", "Wemos"),
    ):
        user = user_create(email=email, roles=(MEMBER,))
        PersonFactory(user=user, organisation=Organisation.objects.get(name=organisation))


def test_the_demo_has_the_rounds_the_survey_a_call_and_reports(partners):
    codereports_demo_load(password="demo-password")  # noqa: S106 - a demo account's password

    current = Round.objects.get(is_current=True)
    assert current.number == 5 and current.accepts_reports
    assert Round.objects.count() == 5

    survey = Questionnaire.objects.get(slug=SURVEY_SLUG)
    assert (survey.access, survey.status, survey.results_public) == (
        Access.PUBLIC,
        QuestionnaireStatus.OPEN,
        False,
    )

    call = ReportingCall.objects.get(round=current)
    assert call.sent_at is None and not call.organisations.exists()

    published = {
        report.country.code: report for report in Report.objects.filter(status=ReportStatus.PUBLISHED)
    }
    assert set(published) == {"RO", "NL"}
    romania = published["RO"].response.answers
    assert romania["org_name"] == "Center for Health Policies and Services"
    assert "Romanian" in romania["code_disseminated_explain"]
    # What the seeds do not say stays unanswered.
    assert "consulted" not in romania and "ssl_recruitment" not in romania
    assert published["NL"].organisation.name == "Wemos"

    draft = Report.objects.get(status=ReportStatus.DRAFT)
    assert (draft.country.code, draft.organisation.name) == ("GB", "Health Poverty Action")
    assert User.objects.get(email="hpa@hw4all.example").person.organisation == draft.organisation


def test_loading_the_demo_twice_adds_nothing(partners):
    codereports_demo_load(password="demo-password")  # noqa: S106 - a demo account's password
    counts = (Report.objects.count(), ReportingCall.objects.count(), Questionnaire.objects.count())
    codereports_demo_load(password="demo-password")  # noqa: S106 - a demo account's password
    assert counts == (Report.objects.count(), ReportingCall.objects.count(), Questionnaire.objects.count())
    assert counts == (3, 1, 2)
