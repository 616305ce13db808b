"""Approved library resources covering a country, newest on the platform first, for the country
feeds (registered with core.country_feed in LibraryConfig.ready)."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from hw4all.core.country_feed import CountryFeedItem

from .queries import resources_about_country


def library_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    resources = (
        resources_about_country(iso2)
        .annotate(added_at=Coalesce("decided_at", "created_at"))
        .order_by("-added_at", "-pk")
        .prefetch_related("files")[:limit]
    )
    items = []
    for resource in resources:
        languages = resource.languages()
        items.append(
            CountryFeedItem(
                kind=_("Library resource"),
                title=resource.title,
                url=resource.get_absolute_url()
                if resource.slug
                else reverse("library:resource_detail_short", kwargs={"pk": resource.pk}),
                summary=resource.summary,
                published=resource.added_at,
                language=languages[0] if len(languages) == 1 else "",
            )
        )
    return items
