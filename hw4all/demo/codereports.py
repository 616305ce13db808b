"""The demo's Code reporting and questionnaires: the rounds and the civil-society questionnaire as
shipped, the national health-workforce survey example, a call to report for the fifth round, and
reports by the demo's member organisations, all built through the apps' own services.

The published reports say only what the seeds say about each organisation's work on the Code
(Center for Health Policies and Services in Romania, Wemos as the project's coordinator in the
Netherlands); a question the seeds say nothing about is left unanswered."""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from hw4all.coalition import services as coalition
from hw4all.coalition.models import Organisation, Person
from hw4all.codereports.loader import civil_society_questionnaire_load, rounds_load
from hw4all.codereports.models import Report, ReportingCall, Round
from hw4all.codereports.services import reports as code_reports
from hw4all.codereports.services.calls import call_create
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus, VersionSource
from hw4all.questionnaires.services.questionnaires import questionnaire_create
from hw4all.users.models import User
from hw4all.users.roles import MEMBER
from hw4all.users.services import user_create

SURVEY_SLUG = "hrh-national-survey"
SURVEY_EXAMPLE = "hrh_national_survey"
CURRENT_ROUND = 5

CALL_MESSAGE = (
    "The fifth round of reporting on the implementation of the WHO Global Code of Practice on the "
    "International Recruitment of Health Personnel (NRI 2024) invites civil society explicitly to "
    "report. Please write your organisation's report for each country you work in: the "
    "questionnaire follows the structure of WHO's reporting instruments, so your answers can stand "
    "beside your government's."
)

# An account that speaks for a partner and has only begun its report.
DRAFT_ACCOUNT = ("hpa@hw4all.example", "Demo", "Member (HPA)", "Health Poverty Action")

# (account, country, `state`, answers as a posted form). `state`: draft or published.
REPORTS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "member@hw4all.example",
        "RO",
        "published",
        {
            "org_name": "Center for Health Policies and Services",
            "org_type": "ngo",
            "countries_of_work": ["RO"],
            "code_disseminated": "yes",
            "code_disseminated_explain": (
                "In 2013, within the project “Health Workers for All and All for Health Workers”, we "
                "prepared for publication an operational set for users: tools to start a constructive "
                "dialogue among the stakeholders on viable solutions to the migration crisis of the "
                "medical staff from Romania, and to the same issue at European and global level. Its "
                "key WHO reference materials are now also available in Romanian: the WHO Global Code "
                "of Practice, A user’s guide for the European decision makers, and the Kampala "
                "Declaration."
            ),
            "dissemination_actions": ["translated", "research"],
            "obs_sustainability": (
                "When the project was launched in 2013, Romania had the smallest number of medical "
                "personnel in proportion to its population of the EU member states, and the migration "
                "of medical staff continued at an alarming pace."
            ),
            "obs_data": (
                "We developed a health-care human resources analysis at national level: a "
                "comprehensive study based on a national survey, semi-structured interviews and the "
                "consultation of key stakeholders and experts in the area of health-care human "
                "resources."
            ),
            "recommendations": (
                "The national analysis identified and wrote up recommendations to develop and "
                "advocate for coherent and sustainable health policies, strategies and interventions "
                "that help ensure adequate levels of human resources for health in the long term at "
                "national level, while accounting for the European context and the global trends."
            ),
            "comments": (
                "With the project partners we launched an online collaboration platform where all "
                "stakeholders are invited to exchange ideas and best practices and to spell out "
                "proposals on the health-care human resources issue at national, European and "
                "international levels."
            ),
        },
    ),
    (
        "author@hw4all.example",
        "NL",
        "published",
        {
            "org_name": "Wemos",
            "org_type": "ngo",
            "countries_of_work": ["NL"],
            "code_disseminated": "yes",
            "code_disseminated_explain": (
                "Wemos coordinated the European civil society project “Health workers for all and all "
                "for health workers” (HW4All) from 2013 until early 2016, a collaboration between "
                "eight countries that called upon politicians and policymakers to implement the WHO "
                "Code of Practice. We collected case studies from different countries, and organised "
                "expert meetings and a petition."
            ),
            "dissemination_actions": ["advocacy"],
            "obs_sustainability": (
                "In Europe the ageing population is growing and fuelling demand for health workers "
                "who can deliver long-term care. A globalised labour market and rising demand drive "
                "the migration and mobility of health personnel: recruiting health workers abroad can "
                "meet domestic demand, but can worsen the shortage of qualified personnel in low- and "
                "middle-income countries and in Europe."
            ),
            "recommendations": (
                "Increase the coherence between development cooperation policies, domestic health "
                "policies and EU Member States’ practices, and implement the WHO Code of Practice on "
                "the International Recruitment of Health Personnel."
            ),
            "comments": (
                "After the end of the project, civil society engagement for the implementation of the "
                "WHO Code of Practice has been sustained within the working group on Human Resources "
                "for Health (MMI HRH) of the Medicus Mundi International Network."
            ),
        },
    ),
    (
        DRAFT_ACCOUNT[0],
        "GB",
        "draft",
        {"org_name": "Health Poverty Action", "org_type": "ngo", "countries_of_work": ["GB"]},
    ),
]


def codereports_demo_load(*, password: str) -> None:
    """Everything above, once: a second run finds what the first made and adds nothing."""
    rounds_load()
    civil_society_questionnaire_load()
    _survey()
    current = Round.objects.get(number=CURRENT_ROUND)
    if not ReportingCall.objects.filter(round=current).exists():
        # Not sent: the Secretariat sends it from the admin, after checking whom it reaches.
        call_create(
            round=current, deadline=timezone.localdate() + datetime.timedelta(weeks=6), message=CALL_MESSAGE
        )
    _draft_account(password)
    for email, country, state, answers in REPORTS:
        _report(current, User.objects.get(email=email), country, state, answers)


def _survey() -> None:
    """The national health-workforce survey, imported from its XLSForm like an editor's upload."""
    from hw4all.questionnaires.examples import example_xlsform
    from hw4all.questionnaires.xlsform import definition_from_xlsform

    if Questionnaire.objects.filter(slug=SURVEY_SLUG).exists():
        return
    data = example_xlsform(SURVEY_EXAMPLE)
    definition = definition_from_xlsform(data)
    questionnaire_create(
        slug=SURVEY_SLUG,
        name=definition.title.get("en") or "National health-workforce survey",
        definition=definition,
        source=VersionSource.XLSFORM,
        access=Access.PUBLIC,
        status=QuestionnaireStatus.OPEN,
        source_file=ContentFile(data, name=f"{SURVEY_EXAMPLE}.xlsx"),
    )


def _draft_account(password: str) -> None:
    email, first_name, last_name, organisation_name = DRAFT_ACCOUNT
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, password=password, first_name=first_name, last_name=last_name, roles=(MEMBER,)
        )
    if not Person.objects.filter(user=user).exists():
        coalition.person_create(
            name=user.get_full_name(),
            organisation=Organisation.objects.get(name=organisation_name),
            user=user,
        )


def _report(round: Round, user: User, country: str, state: str, answers: dict[str, Any]) -> None:
    organisation = user.person.organisation
    if Report.objects.filter(round=round, country=country, organisation=organisation).exists():
        return
    report = code_reports.report_create(round=round, country=country, user=user, language="en")
    result = code_reports.report_save(
        report=report, data=answers, files={}, base_revision=report.response.revision, user=user
    )
    if result.errors:
        raise RuntimeError(f"The demo's report on {country} does not fit the questionnaire: {result.errors}")
    if state == "draft":
        return
    code_reports.report_to_review(report=report, user=user)
    outcome = code_reports.report_submit(report=report, user=user)
    if outcome.errors:
        raise RuntimeError(f"The demo's report on {country} cannot be submitted: {outcome.errors}")
    code_reports.report_publish(report=report, user=user)
