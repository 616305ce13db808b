"""The library's index and published resources, for the sitemap (registered with core.sitemaps
in LibraryConfig.ready)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .models import Resource


class LibrarySitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        # Submissions waiting for approval and declined ones are nobody's to see.
        resources = Resource.objects.published().only("slug", "updated_at").order_by("pk")
        return ["library:index", *resources]

    def location(self, item: SitemapItem) -> str:
        if isinstance(item, Resource) and not item.slug:
            return reverse("library:resource_detail_short", kwargs={"pk": item.pk})
        return super().location(item)

    def lastmod(self, item: SitemapItem) -> datetime | None:
        return item.updated_at if isinstance(item, Resource) else None
