"""The forum's open spaces, for the sitemap (registered with core.sitemaps in ForumConfig.ready).
Closed spaces are for their members only, and are never listed."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .services.access import spaces_visible


class ForumSitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        return list(spaces_visible(AnonymousUser()).only("slug").order_by("slug"))
