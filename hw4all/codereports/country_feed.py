"""Published civil-society Code reports on a country, for the country feeds (registered with
core.country_feed in CodeReportsConfig.ready)."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.country_feed import CountryFeedItem

from .queries import published_reports_of_country


def codereports_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    """Published reports only: drafts, reports in review and submitted ones stay with their
    organisation and the Secretariat."""
    if iso2 not in countries:
        return []
    reports = (
        published_reports_of_country(iso2)
        .prefetch_related(None)
        .annotate(shown_at=Coalesce("published_at", "submitted_at", "created_at"))
        .order_by("-shown_at", "-pk")[:limit]
    )
    country = countries.name(iso2)
    return [
        CountryFeedItem(
            kind=_("Code report"),
            title=_("%(round)s: report by %(organisation)s")
            % {"round": report.round, "organisation": report.organisation.name},
            url=reverse("codereports:report", kwargs={"pk": report.pk}),
            summary=_(
                "%(organisation)s's civil-society report on %(country)s's implementation of the "
                "WHO Global Code of Practice, %(round)s."
            )
            % {"organisation": report.organisation.name, "country": country, "round": report.round},
            published=report.shown_at,
        )
        for report in reports
    ]
