"""RSS 2.0 and Atom feeds of everything public about one country (core.country_feed), at
/<lang>/countries/<iso3>/feed.rss and feed.atom: the code the workforce country profile uses."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_countries import countries

from .country_feed import CountryFeedItem, country_feed_items

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class _RssWithLanguages(Rss201rev2Feed):
    """RSS has no language per item; Dublin Core's is the one readers know."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class _AtomWithLanguages(Atom1Feed):
    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class CountryRssFeed(Feed):
    feed_type: type[Rss201rev2Feed | Atom1Feed] = _RssWithLanguages

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return kwargs["iso2"]

    def title(self, obj: str) -> str:
        return _("%(country)s: news, events, case studies and reports") % {"country": countries.name(obj)}

    def link(self, obj: str) -> str:
        # The country's workforce profile is the page these feeds belong to; reversed by name
        # because core imports no app.
        return reverse("workforce:country", kwargs={"iso3": countries.alpha3(obj).lower()})

    def description(self, obj: str) -> str:
        return _(
            "What Health Workers for All publishes about %(country)s: news, events, case studies, "
            "library resources, civil-society Code reports and the national space's proposals "
            "and discussions."
        ) % {"country": countries.name(obj)}

    def items(self, obj: str) -> list[CountryFeedItem]:
        return country_feed_items(obj, translation.get_language() or "")

    def item_title(self, item: CountryFeedItem) -> str:
        return f"{item.kind}: {item.title}"

    def item_description(self, item: CountryFeedItem) -> str:
        # Readers render the description as HTML; the summaries are plain text.
        return escape(item.summary)

    def item_link(self, item: CountryFeedItem) -> str:
        return item.url

    def item_pubdate(self, item: CountryFeedItem) -> datetime.datetime:
        return item.published

    def item_categories(self, item: CountryFeedItem) -> list[str]:
        return [item.kind]

    def item_extra_kwargs(self, item: CountryFeedItem) -> dict[str, Any]:
        return {"language": item.language}


class CountryAtomFeed(CountryRssFeed):
    feed_type = _AtomWithLanguages

    def subtitle(self, obj: str) -> str:
        return self.description(obj)


def _feed(feed: type[CountryRssFeed], name: str):
    @require_safe
    def view(request: HttpRequest, iso3: str) -> HttpResponse:
        iso2 = countries.alpha2(iso3) if len(iso3) == 3 and iso3.isalpha() else ""
        if not iso2:
            raise Http404
        if iso3 != iso3.lower():
            return HttpResponsePermanentRedirect(reverse(f"countries:{name}", kwargs={"iso3": iso3.lower()}))
        return feed()(request, iso2=iso2)

    return view


app_name = "countries"
urlpatterns = [
    path("countries/<str:iso3>/feed.rss", _feed(CountryRssFeed, "feed_rss"), name="feed_rss"),
    path("countries/<str:iso3>/feed.atom", _feed(CountryAtomFeed, "feed_atom"), name="feed_atom"),
]
