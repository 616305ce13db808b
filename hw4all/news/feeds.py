"""RSS 2.0 and Atom feeds of a news index, optionally of one kind ("statements only")."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import ArticleKind, ArticlePage, NewsIndexPage
from .queries import articles_filter

FEED_LENGTH = 20


class ArticleRssFeed(Feed):
    feed_type: type[Rss201rev2Feed | Atom1Feed] = Rss201rev2Feed

    def __init__(self, *, index: NewsIndexPage, kind: str = "") -> None:
        super().__init__()
        self.index = index
        self.kind = kind
        self.request: HttpRequest | None = None

    def get_object(self, request: HttpRequest, *args, **kwargs) -> NewsIndexPage:
        # One instance serves one request, so keeping it here is safe; links need its host.
        self.request = request
        self.language = self.index.locale.language_code
        return self.index

    def title(self, obj: NewsIndexPage) -> str:
        if self.kind:
            return f"{obj.title}: {ArticleKind(self.kind).label}"
        return obj.title

    def link(self, obj: NewsIndexPage) -> str:
        return obj.get_url(request=self.request)

    def description(self, obj: NewsIndexPage) -> str:
        return obj.intro or _("News, statements, blog posts and member spotlights of Health Workers for All.")

    def items(self, obj: NewsIndexPage) -> list[ArticlePage]:
        articles = articles_filter(index=obj, kind=self.kind).prefetch_related("tags")
        return list(articles[:FEED_LENGTH])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        # Readers render the description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(request=self.request)

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime | None:
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author_name

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: NewsIndexPage) -> str:
        return self.description(obj)
