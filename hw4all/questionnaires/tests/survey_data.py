"""A questionnaire with one question of every type, and responses to it, built by hand for the
analysis, export and results tests."""

from typing import Any

from django.utils import timezone

from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus, Response, ResponseStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create, version_add

SURVEY: dict[str, Any] = {
    "title": {"en": "Health workforce survey", "fr": "Enquête sur les personnels de santé"},
    "languages": ["en", "fr"],
    "default_language": "en",
    "sections": [
        {
            "name": "about",
            "label": {"en": "About you"},
            "questions": [
                {"name": "intro", "type": "note", "label": {"en": "Thank you for answering."}},
                {"name": "role", "type": "text", "label": {"en": "Your role"}},
                {"name": "story", "type": "long_text", "label": {"en": "Your story"}},
                {
                    "name": "profession",
                    "type": "select_one",
                    "label": {"en": "Profession", "fr": "Profession"},
                    "list_name": "professions",
                    "other": True,
                    "choices": [
                        {"name": "nurse", "label": {"en": "Nurse", "fr": "Infirmier·ère"}},
                        {"name": "doctor", "label": {"en": "Doctor", "fr": "Médecin"}},
                        {"name": "midwife", "label": {"en": "Midwife", "fr": "Sage-femme"}},
                    ],
                },
                {
                    "name": "sectors",
                    "type": "select_multiple",
                    "label": {"en": "Sectors"},
                    "list_name": "sectors",
                    "other": True,
                    "choices": [
                        {"name": "public", "label": {"en": "Public"}},
                        {"name": "private", "label": {"en": "Private"}},
                        {"name": "ngo", "label": {"en": "NGO"}},
                    ],
                },
                {"name": "migrated", "type": "yes_no", "label": {"en": "Have you migrated?"}},
                {"name": "country", "type": "country", "label": {"en": "Country"}},
                {"name": "countries", "type": "countries", "label": {"en": "Countries worked in"}},
            ],
        },
        {
            "name": "work",
            "label": {"en": "Your work"},
            "questions": [
                {
                    "name": "years",
                    "type": "integer",
                    "label": {"en": "Years of practice"},
                    "unit": {"en": "years"},
                },
                {"name": "salary", "type": "decimal", "label": {"en": "Monthly salary"}},
                {"name": "started", "type": "date", "label": {"en": "Started on"}},
                {
                    "name": "satisfaction",
                    "type": "matrix",
                    "label": {"en": "Satisfaction"},
                    "list_name": "agree",
                    "rows": [
                        {"name": "pay", "label": {"en": "Pay"}},
                        {"name": "hours", "label": {"en": "Hours"}},
                    ],
                    "choices": [
                        {"name": "low", "label": {"en": "Low"}},
                        {"name": "high", "label": {"en": "High"}},
                    ],
                },
                {"name": "cv", "type": "file", "label": {"en": "Your CV"}},
                {
                    "name": "agreements",
                    "type": "repeat",
                    "label": {"en": "Agreements"},
                    "questions": [
                        {"name": "partner", "type": "country", "label": {"en": "Partner country"}},
                        {"name": "signed", "type": "integer", "label": {"en": "Year signed"}},
                        {"name": "agreement_note", "type": "text", "label": {"en": "Note"}},
                    ],
                },
            ],
        },
    ],
}

ANSWERS: list[dict[str, Any]] = [
    {
        "role": "Head nurse",
        "story": "I left in 2019.",
        "profession": "nurse",
        "sectors": ["public", "ngo"],
        "migrated": "yes",
        "country": "KE",
        "countries": ["KE", "GB"],
        "years": 12,
        "salary": 850.5,
        "started": "2012-03-01",
        "satisfaction": {"pay": "low", "hours": "high"},
        "cv": {"id": 1, "name": "cv.pdf", "size": 1000},
        "agreements": [
            {"partner": "GB", "signed": 2015, "agreement_note": "Nurses"},
            {"partner": "DE", "signed": 2019},
        ],
    },
    {
        "role": '=HYPERLINK("http://evil")',
        "profession": "other",
        "profession_other": "Pharmacist",
        "sectors": ["private", "other"],
        "sectors_other": "Faith-based",
        "migrated": "no",
        "country": "GB",
        "countries": ["GB"],
        "years": 3,
        "salary": 2400,
        "started": "2021-09-15",
        "satisfaction": {"pay": "high"},
        "agreements": [{"partner": "GB", "signed": 2020}],
    },
    {
        "role": "<script>alert(1)</script>",
        "profession": "nurse",
        "sectors": ["public"],
        "migrated": "yes",
        "country": "KE",
        "years": 7,
        "started": "2021-01-10",
        "satisfaction": {"pay": "low", "hours": "low"},
    },
    {"profession": "doctor", "migrated": "dont_know"},
]


def survey_definition() -> Definition:
    return Definition.from_json(SURVEY)


def survey_create(*, slug: str = "workforce", **settings: Any) -> Questionnaire:
    settings.setdefault("access", Access.PUBLIC)
    settings.setdefault("status", QuestionnaireStatus.OPEN)
    questionnaire = questionnaire_create(
        slug=slug,
        name="Health workforce survey",
        definition=survey_definition(),
        access=settings.pop("access"),
        status=settings.pop("status"),
    )
    if settings:
        for name, value in settings.items():
            setattr(questionnaire, name, value)
        questionnaire.save()
    return questionnaire


def responses_add(
    questionnaire: Questionnaire,
    answers_list: list[dict[str, Any]],
    *,
    status: str = ResponseStatus.SUBMITTED,
) -> list[Response]:
    """Responses as the filling-in leaves them (stored directly: these tests are about reading)."""
    now = timezone.now()
    return [
        Response.objects.create(
            questionnaire=questionnaire,
            version=questionnaire.current_version,
            answers=answers,
            status=status,
            submitted_at=now if status == ResponseStatus.SUBMITTED else None,
        )
        for answers in answers_list
    ]


def version_without(questionnaire: Questionnaire, removed: str) -> Questionnaire:
    """A new current version without the question `removed`."""
    data = survey_definition().as_json()
    for section in data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["name"] != removed]
    version_add(questionnaire=questionnaire, definition=Definition.from_json(data), source="loader")
    return questionnaire
