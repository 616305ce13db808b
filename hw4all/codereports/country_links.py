"""The published civil-society Code reports on a country and the country's page, for the
workforce profile's "On this platform" (registered with core.country_links in
CodeReportsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.country_links import CountryLink

from .queries import published_reports_of_country

LIMIT = 10


def codereports_country_links(iso2: str, user: Any) -> list[CountryLink]:
    """Published reports only, whoever asks (drafts are on their organisation's own pages), and
    the country's page of reports, which every visitor may read."""
    if iso2 not in countries:
        return []
    reports = list(published_reports_of_country(iso2).prefetch_related(None)[:LIMIT])
    links = [
        CountryLink(
            kind=_("Code report"),
            title=_("%(round)s: report by %(organisation)s")
            % {"round": report.round, "organisation": report.organisation.name},
            url=reverse("codereports:report", kwargs={"pk": report.pk}),
        )
        for report in reports
    ]
    links.append(
        CountryLink(
            kind=_("Code reports"),
            title=_("Every civil-society report on %(country)s") % {"country": countries.name(iso2)},
            url=reverse("codereports:country", kwargs={"code": iso2}),
        )
    )
    return links
