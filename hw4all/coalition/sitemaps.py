"""The member directory and its organisations' pages, for the sitemap (registered with
core.sitemaps in CoalitionConfig.ready)."""

from __future__ import annotations

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .queries import organisations_directory


class CoalitionSitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        # The organisations the directory lists by default: the coalition's members.
        organisations = organisations_directory(country="", type="", include_partners=False)
        return ["coalition:directory", *organisations.prefetch_related(None).only("slug").order_by("slug")]
