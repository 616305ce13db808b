"""The Code reporting pages everyone reads, for the sitemap (registered with core.sitemaps in
CodeReportsConfig.ready): the index, each round's dashboard, the page of each country with a
published report, and the published reports."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .models import Report, ReportStatus, Round


class CodeReportsSitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        rounds = Round.objects.order_by("number").values_list("number", flat=True)
        # Drafts, reports in review, submitted ones and those withdrawn from publication are
        # their organisation's only.
        reports = list(
            Report.objects.filter(status=ReportStatus.PUBLISHED)
            .only("country", "published_at")
            .order_by("pk")
        )
        countries = sorted({report.country.code for report in reports})
        return [
            "codereports:index",
            *(("codereports:round", {"number": number}) for number in rounds),
            *(("codereports:country", {"code": code}) for code in countries),
            *reports,
        ]

    def location(self, item: SitemapItem) -> str:
        if isinstance(item, Report):
            return reverse("codereports:report", kwargs={"pk": item.pk})
        return super().location(item)

    def lastmod(self, item: SitemapItem) -> datetime | None:
        return item.published_at if isinstance(item, Report) else None
