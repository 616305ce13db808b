"""The workforce pages, for the sitemap (registered with core.sitemaps in WorkforceConfig.ready):
the overview, the global views, the sources and the profile of every country the data holds
figures on."""

from __future__ import annotations

from hw4all.core.sitemaps import LocalisedSitemap, SitemapItem

from .dataset import dataset_current

GLOBAL_VIEWS = [
    "workforce:index",
    "workforce:ranking",
    "workforce:shortage",
    "workforce:safeguard",
    "workforce:migration",
    "workforce:trends",
    "workforce:countries",
    "workforce:sources",
]


class WorkforceSitemap(LocalisedSitemap):
    def items(self) -> list[SitemapItem]:
        data = dataset_current()
        with_data = sorted({iso3 for iso3, _indicator in data.series})
        return [
            *GLOBAL_VIEWS,
            *(("workforce:country", {"iso3": iso3.lower()}) for iso3 in with_data if iso3 in data.countries),
        ]
