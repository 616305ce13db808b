"""A questionnaire for the filling-in tests: every type, required questions, skip logic (on a
question, a section and inside a repeat), a choice filter and numbers with bounds."""

from typing import Any

from hw4all.questionnaires.definition import Definition
from hw4all.questionnaires.models import Access, Questionnaire, QuestionnaireStatus
from hw4all.questionnaires.services.questionnaires import questionnaire_create

FORM: dict[str, Any] = {
    "title": {"en": "Health workforce survey", "fr": "Enquête sur les personnels de santé"},
    "languages": ["en", "fr"],
    "default_language": "en",
    "sections": [
        {
            "name": "about",
            "label": {"en": "About you", "fr": "Vous"},
            "questions": [
                {"name": "intro", "type": "note", "label": {"en": "Thank you for answering."}},
                {
                    "name": "role",
                    "type": "text",
                    "label": {"en": "Your role", "fr": "Votre rôle"},
                    "required": True,
                },
                {
                    "name": "story",
                    "type": "long_text",
                    "label": {"en": "Your story"},
                    "hint": {"en": "In a few lines"},
                },
                {
                    "name": "profession",
                    "type": "select_one",
                    "label": {"en": "Profession"},
                    "other": True,
                    "choices": [
                        {"name": "nurse", "label": {"en": "Nurse", "fr": "Infirmier·ère"}},
                        {"name": "doctor", "label": {"en": "Doctor"}},
                        {"name": "other", "label": {"en": "Other"}},
                    ],
                },
                {
                    "name": "sectors",
                    "type": "select_multiple",
                    "label": {"en": "Sectors"},
                    "choices": [
                        {"name": "public", "label": {"en": "Public"}},
                        {"name": "private", "label": {"en": "Private"}},
                        {"name": "ngo", "label": {"en": "NGO"}},
                    ],
                },
                {
                    "name": "migrated",
                    "type": "yes_no",
                    "label": {"en": "Have you migrated?"},
                    "required": True,
                },
                {
                    "name": "destination",
                    "type": "country",
                    "label": {"en": "Where to?"},
                    "required": True,
                    "relevant": "${migrated} = 'yes'",
                },
                {"name": "countries", "type": "countries", "label": {"en": "Countries worked in"}},
                {
                    "name": "region",
                    "type": "select_one",
                    "label": {"en": "Region"},
                    "choices": [
                        {"name": "afr", "label": {"en": "Africa"}},
                        {"name": "eur", "label": {"en": "Europe"}},
                    ],
                },
                {
                    "name": "city",
                    "type": "select_one",
                    "label": {"en": "City"},
                    "choice_filter": "region = ${region}",
                    "choices": [
                        {"name": "nairobi", "label": {"en": "Nairobi"}, "columns": {"region": "afr"}},
                        {"name": "accra", "label": {"en": "Accra"}, "columns": {"region": "afr"}},
                        {"name": "london", "label": {"en": "London"}, "columns": {"region": "eur"}},
                    ],
                },
            ],
        },
        {
            "name": "work",
            "label": {"en": "Your work"},
            "relevant": "${role} != 'student'",
            "questions": [
                {
                    "name": "years",
                    "type": "integer",
                    "label": {"en": "Years of practice"},
                    "unit": {"en": "years"},
                    "minimum": 0,
                    "maximum": 100,
                },
                {"name": "salary", "type": "decimal", "label": {"en": "Monthly salary"}},
                {"name": "started", "type": "date", "label": {"en": "Started on"}},
                {
                    "name": "satisfaction",
                    "type": "matrix",
                    "label": {"en": "Satisfaction"},
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
                        {
                            "name": "partner",
                            "type": "country",
                            "label": {"en": "Partner country"},
                            "required": True,
                        },
                        {"name": "active", "type": "yes_no", "label": {"en": "Still active?"}},
                        {
                            "name": "ended",
                            "type": "integer",
                            "label": {"en": "Year it ended"},
                            "relevant": "${active} = 'no'",
                        },
                    ],
                },
            ],
        },
    ],
}


def form_definition(data: dict[str, Any] | None = None) -> Definition:
    return Definition.from_json(data or FORM)


def form_create(
    *, slug: str = "workforce", definition: Definition | None = None, **settings: Any
) -> Questionnaire:
    return questionnaire_create(
        slug=slug,
        name="Health workforce survey",
        definition=definition or form_definition(),
        access=settings.pop("access", Access.PUBLIC),
        status=settings.pop("status", QuestionnaireStatus.OPEN),
    )
