import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.models import Page

from hw4all.core.pagetree import child_page_ensure
from hw4all.core.sanitize import html_sanitize

from .models import ArticlePage, NewsIndexPage

if TYPE_CHECKING:
    from hw4all.coalition.models import Person

# StreamField blocks whose value is rich text, which must be sanitised when it comes from outside.
RICH_TEXT_BLOCKS = {"paragraph"}


@transaction.atomic
def news_index_ensure(*, home: Page, title: str = "News", intro: str = "") -> NewsIndexPage:
    """The news index under `home`; an existing one is returned unchanged."""
    return child_page_ensure(
        parent=home, page=NewsIndexPage(title=title, slug="news", intro=intro, show_in_menus=True)
    )


@transaction.atomic
def article_create(
    *,
    index: NewsIndexPage,
    title: str,
    kind: str,
    date: datetime.date,
    summary: str,
    body: list[tuple[str, object]] | None = None,
    author: "Person | None" = None,
    countries: Sequence[str] = (),
    tags: Sequence[str] = (),
    image=None,
    publish: bool = True,
    slug: str | None = None,
    go_live_at: datetime.datetime | None = None,
) -> ArticlePage:
    """Create an article under `index` with a first revision, then publish it or leave a draft.

    With a future `go_live_at` and `publish`, the article is scheduled: Wagtail's
    `publish_scheduled` command makes it live when the time comes."""
    article = ArticlePage(
        title=title,
        kind=kind,
        date=date,
        summary=summary,
        body=[
            (block_type, html_sanitize(str(value)) if block_type in RICH_TEXT_BLOCKS else value)
            for block_type, value in body or []
        ],
        author=author,
        countries=list(countries),
        image=image,
        go_live_at=go_live_at,
        live=False,
    )
    if slug:
        article.slug = slug
    if tags:
        article.tags.add(*tags)
    # Page.save() runs full_clean(), so invalid kinds or country codes are refused here.
    index.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article
