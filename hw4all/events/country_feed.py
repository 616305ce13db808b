"""Live events taking place in a country, in the feed's language, for the country feeds
(registered with core.country_feed in EventsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Locale

from hw4all.core.country_feed import CountryFeedItem

from .queries import events_live


def events_country_feed(iso2: str, language: str, limit: int) -> list[CountryFeedItem]:
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    # Newest announced first: a feed tells its readers what is new, past events included.
    events = events_live(locale=locale).filter(country=iso2).order_by("-first_published_at", "-pk")
    return [
        CountryFeedItem(
            kind=_("Event"),
            title=event.title,
            url=event.url,
            summary=" · ".join(part for part in (event.when_local, event.venue, event.summary) if part),
            published=event.first_published_at or event.start,
            language=locale.language_code,
        )
        for event in events[:limit]
    ]
