"""Everything public the platform publishes about one country, gathered for its feeds.

The country feeds (core.feeds) list news, events, case studies, library resources, Code reports
and forum proposals and discussions, but core may import none of those apps. Each of them
registers a provider here (in its AppConfig.ready) that reads through its own queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

# Items per feed; each provider gives at most this many, the newest.
FEED_LENGTH = 50


@dataclass(frozen=True)
class CountryFeedItem:
    kind: str  # what it is, translated: "News", "Case study", ...
    title: str  # plain text: the feed escapes it
    url: str  # the item's page, absolute or from the site's root
    summary: str  # plain text
    published: datetime.datetime
    language: str = ""  # the item's language code, when it has one


# (ISO 3166-1 alpha-2 code, language code of the feed, at most how many) -> what an anonymous
# visitor may see about the country, in any order.
CountryFeedProvider = Callable[[str, str, int], list[CountryFeedItem]]
_providers: list[CountryFeedProvider] = []


def country_feed_register(provider: CountryFeedProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def country_feed_items(iso2: str, language: str, *, limit: int = FEED_LENGTH) -> list[CountryFeedItem]:
    """The newest `limit` items of every provider together, newest first (ties by title, then
    address, so that the order is stable)."""
    items = [item for provider in _providers for item in provider(iso2, language, limit)]
    items.sort(key=lambda item: (item.title, item.url))
    items.sort(key=lambda item: item.published, reverse=True)
    return items[:limit]
