"""The site's sitemap: every page an anonymous visitor may open, in every language.

Wagtail pages are listed here; each app that publishes outside Wagtail registers its own
`Sitemap` section (in its AppConfig.ready), so that core reaches them without importing them
(the pattern of country_links)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from wagtail.models import Page

_sections: dict[str, type[Sitemap]] = {}


def sitemap_register(section: str, sitemap: type[Sitemap]) -> None:
    """Add `sitemap` as `/sitemap-<section>.xml`, listed in the index `/sitemap.xml`."""
    _sections[section] = sitemap


def sitemaps() -> dict[str, type[Sitemap]]:
    return {"pages": PageSitemap, **dict(sorted(_sections.items()))}


# What a LocalisedSitemap lists: a URL name, a URL name with its arguments, or an object with
# get_absolute_url.
SitemapItem = str | tuple[str, dict[str, Any]] | Any


class LocalisedSitemap(Sitemap):
    """Views under the language prefix: each item once per site language, each with every
    language as an alternate and x-default (the unprefixed address, which picks the visitor's
    language). `location` runs with the item's language active, so reverse() gives its prefix."""

    i18n = True
    alternates = True
    x_default = True

    def location(self, item: SitemapItem) -> str:
        if isinstance(item, str):
            return reverse(item)
        if isinstance(item, tuple):
            name, kwargs = item
            return reverse(name, kwargs=kwargs)
        return item.get_absolute_url()


class PageSitemap(Sitemap):
    """Live Wagtail pages nobody restricted, in each locale they exist in (the page tree is
    mirrored per language), with the page's copies in the other languages as alternates.

    A page restricted in one language is left out in all: its copies carry the same content."""

    def items(self) -> list[Page]:
        hidden_keys = set(Page.objects.not_public().values_list("translation_key", flat=True))
        languages = {code for code, _name in settings.LANGUAGES}
        pages = []
        for page in (
            Page.objects.live()
            .filter(depth__gt=1, locale__language_code__in=languages)
            .select_related("locale")
            .only("url_path", "path", "translation_key", "last_published_at", "locale__language_code")
            .order_by("path", "pk")
        ):
            if page.translation_key in hidden_keys:
                continue
            parts = page.get_url_parts()
            if parts is None or parts[2] is None:
                continue  # outside every site: no address to list
            page.sitemap_path = parts[2]
            pages.append(page)
        self._copies: dict[Any, dict[str, str]] = defaultdict(dict)
        for page in pages:
            self._copies[page.translation_key][page.locale.language_code] = page.sitemap_path
        return pages

    def location(self, item: Page) -> str:
        return item.sitemap_path

    def lastmod(self, item: Page):
        return item.last_published_at

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        urls = super().get_urls(page, site, protocol)
        protocol, domain = self.get_protocol(protocol), self.get_domain(site)
        for url in urls:
            copies = self._copies[url["item"].translation_key]
            url["alternates"] = [
                {"lang_code": code, "location": f"{protocol}://{domain}{copies[code]}"}
                for code, _name in settings.LANGUAGES
                if code in copies
            ]
            if settings.LANGUAGE_CODE in copies:
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": f"{protocol}://{domain}{copies[settings.LANGUAGE_CODE]}",
                    }
                )
        return urls
