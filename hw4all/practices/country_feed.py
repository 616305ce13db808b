"""Published case studies about a country, for the country feeds (registered with
core.country_feed in PracticesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hw4all.core.country_feed import CountryFeedItem

from .models import FacetKind
from .queries import case_filters_parse, cases_published


def practices_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    """Published cases only: drafts and cases in review are their authors' and reviewers'."""
    filters = case_filters_parse({FacetKind.COUNTRY: [iso2]})
    if not filters.active:
        return []
    return [
        CountryFeedItem(
            kind=_("Case study"),
            title=case.title,
            url=case.get_absolute_url(),
            summary=case.summary,
            published=case.published_at,
        )
        for case in cases_published(filters)[:limit]
        if case.published_at is not None
    ]
