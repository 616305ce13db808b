"""The practices index and published case studies, for the sitemap (registered with
core.sitemaps in PracticesConfig.ready)."""

from __future__ import annotations

from datetime import datetime

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .models import CaseStudy


class PracticesSitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        # Drafts, cases under review and withdrawn ones are their authors' and reviewers' only.
        cases = CaseStudy.objects.published().only("slug", "updated_at").order_by("pk")
        return ["practices:index", *cases]

    def lastmod(self, item: SitemapItem) -> datetime | None:
        return item.updated_at if isinstance(item, CaseStudy) else None
