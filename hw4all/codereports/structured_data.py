"""A published civil-society Code report as schema.org Report: the country it reports on, the
organisation that wrote it and those that co-signed it, the round it belongs to and its PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty

from .queries import cosigners_of

if TYPE_CHECKING:
    from hw4all.coalition.models import Organisation

    from .models import Report

WHO_CODE = "WHO Global Code of Practice on the International Recruitment of Health Personnel"


def _organisation(organisation: Organisation, request: HttpRequest | None) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(request, organisation.get_absolute_url()),
    }


def report_structured_data(report: Report, request: HttpRequest | None) -> dict[str, Any]:
    code = str(report.country)
    country = countries.name(code)
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "Report",
            "name": _("Civil-society report on %(country)s by %(organisation)s")
            % {"country": country, "organisation": report.organisation.name},
            "url": absolute_url(request, reverse("codereports:report", kwargs={"pk": report.pk})),
            "about": [
                {"@type": "Country", "name": country, "identifier": code},
                {"@type": "Legislation", "name": WHO_CODE, "legislationIdentifier": "WHA63.16"},
            ],
            "isPartOf": {
                "@type": "CreativeWorkSeries",
                "name": str(report.round),
                "url": absolute_url(
                    request, reverse("codereports:round", kwargs={"number": report.round.number})
                ),
            },
            "author": _organisation(report.organisation, request),
            "contributor": [_organisation(organisation, request) for organisation in cosigners_of(report)],
            "publisher": coalition(request),
            "dateCreated": report.submitted_at.isoformat() if report.submitted_at else "",
            "datePublished": report.published_at.isoformat() if report.published_at else "",
            "encoding": {
                "@type": "MediaObject",
                "contentUrl": absolute_url(
                    request, reverse("codereports:report_pdf", kwargs={"pk": report.pk})
                ),
                "encodingFormat": "application/pdf",
            },
            "isAccessibleForFree": True,
        }
    )
