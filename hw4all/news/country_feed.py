"""Live articles tagged with a country, in the feed's language, for the country feeds (registered
with core.country_feed in NewsConfig.ready)."""

from __future__ import annotations

import datetime

from wagtail.models import Locale

from hw4all.core.country_feed import CountryFeedItem

from .queries import articles_filter


def news_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    articles = articles_filter(locale=locale, country=iso2).select_related(None)
    return [
        CountryFeedItem(
            kind=str(article.get_kind_display()),
            title=article.title,
            url=article.url,
            summary=article.summary,
            published=datetime.datetime.combine(article.date, datetime.time(), tzinfo=datetime.UTC),
            language=locale.language_code,
        )
        for article in articles[:limit]
    ]
