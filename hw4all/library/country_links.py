"""The library's published resources covering a country, for the workforce profile's "On this
platform" (registered with core.country_links in LibraryConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.country_links import CountryLink

from .models import Resource

LIMIT = 10


def library_country_links(iso2: str, user: Any) -> list[CountryLink]:
    """Published (approved) resources only: submissions waiting for approval or declined are
    nobody's to see here."""
    if iso2 not in countries:
        return []
    # The countries are stored as "KE,TZ": a two-letter code cannot match across the commas.
    resources = (
        Resource.objects.published()
        .filter(countries__contains=iso2)
        .only("title", "slug", "year")
        .order_by("-year", "title", "pk")[:LIMIT]
    )
    return [
        CountryLink(
            kind=_("Library resource"),
            title=resource.title,
            url=resource.get_absolute_url()
            if resource.slug
            else reverse("library:resource_detail_short", kwargs={"pk": resource.pk}),
        )
        for resource in resources
    ]
