"""The published case studies about a country, for the workforce profile's "On this platform"
(registered with core.country_links in PracticesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hw4all.core.country_links import CountryLink

from .models import FacetKind
from .queries import case_filters_parse, cases_published

LIMIT = 10


def practices_country_links(iso2: str, user: Any) -> list[CountryLink]:
    """Published cases only, whoever asks: drafts and cases under review belong to their
    authors' and reviewers' own pages."""
    filters = case_filters_parse({FacetKind.COUNTRY: [iso2]})
    if not filters.active:
        return []
    cases = list(cases_published(filters).only("title", "slug")[:LIMIT])
    return [
        CountryLink(kind=_("Case study"), title=case.title, url=case.get_absolute_url()) for case in cases
    ]
