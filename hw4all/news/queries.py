from django.db.models import QuerySet
from wagtail.models import Locale

from .models import ArticlePage


def articles_live(*, locale: Locale | None = None) -> QuerySet[ArticlePage]:
    articles = ArticlePage.objects.live().public().select_related("author", "image")
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles.order_by("-date", "-first_published_at")


def articles_latest(*, locale: Locale | None = None, limit: int = 6) -> list[ArticlePage]:
    return list(articles_live(locale=locale)[:limit])
