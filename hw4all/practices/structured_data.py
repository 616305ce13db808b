"""A published case study as schema.org Report: the countries it is about, its themes, the
submitting organisation as author and, for a validated case, its result as an award."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty

from .outcomes import Result

if TYPE_CHECKING:
    from .models import CaseStudy


def _award(case: CaseStudy) -> str:
    if not case.is_validated or case.outcome is None:
        return ""
    try:
        result = Result(case.outcome)
    except ValueError:
        return ""
    if result == Result.NOT_ELIGIBLE:
        return ""
    if case.criteria_version is None:
        return result.label
    return _("%(result)s, validated against %(criteria)s (version %(number)s)") % {
        "result": result.label,
        "criteria": case.criteria_version.criteria_set.name,
        "number": case.criteria_version.number,
    }


def case_structured_data(case: CaseStudy, request: HttpRequest | None) -> dict[str, Any]:
    organisation = case.organisation
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Report",
            "name": case.title,
            "headline": case.title,
            "description": case.summary,
            "url": absolute_url(request, case.get_absolute_url()),
            "about": [
                {"@type": "Country", "name": countries.name(code), "identifier": code}
                for code in (str(country) for country in case.countries)
                if code in countries
            ],
            "keywords": case.theme_labels(),
            "datePublished": case.published_at.isoformat() if case.published_at else "",
            "dateModified": case.updated_at.isoformat() if case.updated_at else "",
            "author": without_empty(
                {
                    "@type": "Organization",
                    "name": organisation.name,
                    "url": absolute_url(request, organisation.get_absolute_url()),
                }
            )
            if organisation is not None
            else None,
            "publisher": coalition(request),
            "award": _award(case),
            "isAccessibleForFree": True,
        }
    )
