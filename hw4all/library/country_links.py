"""The library's published resources covering a country, for the workforce profile's "On this
platform" (registered with core.country_links in LibraryConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hw4all.core.country_links import CountryLink

from .queries import resources_about_country

LIMIT = 10


def library_country_links(iso2: str, user: Any) -> list[CountryLink]:
    resources = (
        resources_about_country(iso2).only("title", "slug", "year").order_by("-year", "title", "pk")[:LIMIT]
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
