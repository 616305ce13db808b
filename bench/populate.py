"""Add the benchmark's volume to a demo site: 1,000 articles and 200 events, through the services."""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hw4all.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from hw4all.events import services as events  # noqa: E402
from hw4all.events.models import EventIndexPage  # noqa: E402
from hw4all.news import services as news  # noqa: E402
from hw4all.news.models import ArticleKind, NewsIndexPage  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "1000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "200"))
KINDS = [kind.value for kind in ArticleKind]
TAGS = ["WHO Code", "Migration", "UHC", "Financing", "Decent work"]
COUNTRIES = ["KE", "NL", "RO", "PL", "ZW", "UG", "BE", "DE"]


def main() -> None:
    english = Locale.get_default()
    news_index = NewsIndexPage.objects.get(locale=english)
    events_index = EventIndexPage.objects.get(locale=english)
    start = datetime.date(2022, 1, 1)
    with transaction.atomic():
        for number in range(ARTICLES):
            news.article_create(
                index=news_index,
                title=f"Benchmark article {number}: health workforce briefing",
                kind=KINDS[number % len(KINDS)],
                date=start + datetime.timedelta(days=number % 1400),
                summary="A generated article for the benchmark. " * 4,
                body=[("paragraph", "<p>" + "Generated paragraph for the benchmark. " * 30 + "</p>")],
                tags=[TAGS[number % len(TAGS)]],
                countries=[COUNTRIES[number % len(COUNTRIES)]],
            )
    now = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        for number in range(EVENTS):
            begins = now + datetime.timedelta(days=number - EVENTS // 2)
            events.event_create(
                index=events_index,
                title=f"Benchmark event {number}",
                start=begins,
                end=begins + datetime.timedelta(hours=2),
                time_zone="Europe/Brussels",
                summary="A generated event for the benchmark.",
                venue="Online" if number % 2 else "Brussels",
                capacity=50,
                registration_open=True,
            )
    print(f"Added {ARTICLES} articles and {EVENTS} events.")


if __name__ == "__main__":
    main()
