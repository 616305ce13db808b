"""Rounds and reports in a given state for the tests of the public pages, the exports and the
API: written straight to the models, as the workflow's services would leave them."""

import datetime

from django.utils import timezone

from hw4all.coalition.factories import OrganisationFactory
from hw4all.codereports.models import CoSignature, Report, ReportStatus, Round, RoundStatus
from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, QuestionnaireStatus, Response, ResponseStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create

SCALE = [
    {"name": "good", "label": {"en": "Good", "fr": "Bonne"}},
    {"name": "poor", "label": {"en": "Poor", "fr": "Mauvaise"}},
]

DEFINITION = {
    "title": {"en": "Civil-society report", "fr": "Rapport de la société civile"},
    "languages": ["en", "fr"],
    "default_language": "en",
    "sections": [
        {
            "name": "organisation",
            "label": {"en": "The reporting organisation", "fr": "L'organisation"},
            "questions": [
                {
                    "name": "org_type",
                    "type": "select_one",
                    "label": {"en": "Type of organisation", "fr": "Type d'organisation"},
                    "other": True,
                    "choices": [
                        {"name": "ngo", "label": {"en": "NGO", "fr": "ONG"}},
                        {"name": "union", "label": {"en": "Trade union", "fr": "Syndicat"}},
                        {"name": "academic", "label": {"en": "Academic", "fr": "Universitaire"}},
                    ],
                },
                {
                    "name": "consulted",
                    "type": "yes_no",
                    "label": {"en": "Were you consulted for the national report?", "fr": "Consultés ?"},
                },
                {"name": "intro", "type": "note", "label": {"en": "Now the practices."}},
            ],
        },
        {
            "name": "practices",
            "label": {"en": "Recruitment practices", "fr": "Pratiques de recrutement"},
            "questions": [
                {
                    "name": "measures",
                    "type": "select_multiple",
                    "label": {"en": "Measures observed", "fr": "Mesures observées"},
                    "choices": [
                        {"name": "fair", "label": {"en": "Fair recruitment", "fr": "Recrutement équitable"}},
                        {"name": "fees", "label": {"en": "No fees", "fr": "Pas de frais"}},
                        {"name": "equal", "label": {"en": "Equal treatment", "fr": "Égalité"}},
                    ],
                },
                {
                    "name": "ratings",
                    "type": "matrix",
                    "label": {"en": "How well is each article applied?", "fr": "Application des articles"},
                    "rows": [
                        {"name": "art3", "label": {"en": "Article 3", "fr": "Article 3"}},
                        {"name": "art5", "label": {"en": "Article 5", "fr": "Article 5"}},
                    ],
                    "choices": SCALE,
                },
                {
                    "name": "agreements",
                    "type": "repeat",
                    "label": {"en": "Bilateral agreements", "fr": "Accords bilatéraux"},
                    "questions": [
                        {"name": "partner", "type": "country", "label": {"en": "Partner country"}},
                        {"name": "year", "type": "integer", "label": {"en": "Year signed"}},
                    ],
                },
                {"name": "comments", "type": "long_text", "label": {"en": "Comments", "fr": "Commentaires"}},
            ],
        },
    ],
}


def round_with_questionnaire(number: int = 5, **fields) -> Round:
    questionnaire = questionnaire_create(
        slug=f"code-report-round-{number}",
        name=f"Civil-society report, round {number}",
        definition=Definition.from_json(DEFINITION),
        access=Access.EMBEDDED,
        status=QuestionnaireStatus.OPEN,
    )
    values = {
        "instrument": f"NRI {2009 + 3 * number}",
        "period": "2024–2025",
        "deadline": datetime.date(2024, 8, 31),
        "reported_to": "WHA78",
        "status": RoundStatus.OPEN,
        "is_current": True,
        "questionnaire": questionnaire,
        **fields,
    }
    return Round.objects.create(number=number, **values)


def report_in(
    round: Round,
    *,
    country: str,
    organisation=None,
    answers: dict | None = None,
    status: str = ReportStatus.PUBLISHED,
    cosigners=(),
) -> Report:
    organisation = organisation or OrganisationFactory()
    frozen = status in (ReportStatus.SUBMITTED, ReportStatus.PUBLISHED)
    now = timezone.now()
    response = Response.objects.create(
        questionnaire=round.questionnaire,
        version=round.questionnaire.current_version,
        organisation=organisation,
        answers=answers or {},
        status=ResponseStatus.SUBMITTED if frozen else ResponseStatus.DRAFT,
        submitted_at=now if frozen else None,
    )
    report = Report.objects.create(
        round=round,
        country=country,
        organisation=organisation,
        response=response,
        status=status,
        submitted_at=now if frozen else None,
        published_at=now if status == ReportStatus.PUBLISHED else None,
    )
    for cosigner in cosigners:
        CoSignature.objects.create(report=report, organisation=cosigner)
    return report


# Texts and names only unpublished reports hold: no public page, export or API answer may show them.
SECRETS = (
    "SECRET-DRAFT",
    "SECRET-REVIEW",
    "SECRET-SUBMITTED",
    "Hidden Ghana Org",
    "Hidden Peru Org",
    "Hidden Zambia Org",
    "Hidden Kenya Org",
)


def published_and_hidden(round: Round) -> dict:
    kenya_org = OrganisationFactory(name="Kenya Health Action", country="KE")
    romania_org = OrganisationFactory(name="Medici pentru toți", country="RO")
    """Published: Kenya (co-signed by the Romanian organisation) and Romania. Not published: a
    draft on Ghana, one in internal review on Peru, one submitted on Zambia and one submitted on
    Kenya by another organisation."""
    kenya = report_in(
        round,
        country="KE",
        organisation=kenya_org,
        cosigners=[romania_org],
        answers={
            "org_type": "ngo",
            "consulted": "yes",
            "measures": ["fair", "fees"],
            "ratings": {"art3": "good", "art5": "poor"},
            "agreements": [{"partner": "DE", "year": 2019}, {"partner": "GB", "year": 2021}],
            "comments": "Nurses leave for the Gulf.",
        },
    )
    romania = report_in(
        round,
        country="RO",
        organisation=romania_org,
        answers={
            "org_type": "other",
            "org_type_other": "Diaspora network",
            "consulted": "no",
            "measures": ["fair"],
            "ratings": {"art3": "poor"},
            "agreements": [{"partner": "DE", "year": 2015}],
        },
    )
    hidden = [
        report_in(
            round,
            country=country,
            organisation=OrganisationFactory(name=name),
            status=status,
            answers={"org_type": "union", "consulted": "dont_know", "comments": secret},
        )
        for country, name, status, secret in (
            ("GH", "Hidden Ghana Org", ReportStatus.DRAFT, "SECRET-DRAFT"),
            ("PE", "Hidden Peru Org", ReportStatus.REVIEW, "SECRET-REVIEW"),
            ("ZM", "Hidden Zambia Org", ReportStatus.SUBMITTED, "SECRET-SUBMITTED"),
        )
    ]
    hidden.append(
        report_in(
            round,
            country="KE",
            organisation=OrganisationFactory(name="Hidden Kenya Org"),
            status=ReportStatus.SUBMITTED,
            answers={"org_type": "academic", "comments": "SECRET-SUBMITTED"},
        )
    )
    return {"kenya": kenya, "romania": romania, "hidden": hidden}
