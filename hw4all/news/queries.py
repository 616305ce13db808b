from dataclasses import dataclass, field

from django.db.models import Q
from django_countries import countries as all_countries
from taggit.models import Tag
from wagtail.models import Locale, Page

from hw4all.core.wagtail_types import PageQuerySet

from .models import ArticleKind, ArticlePage, ArticlePageTag


def articles_live(*, locale: Locale | None = None) -> PageQuerySet[ArticlePage]:
    articles = ArticlePage.objects.live().public().select_related("author", "image")
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles.order_by("-date", "-first_published_at", "-pk")


def articles_latest(*, locale: Locale | None = None, limit: int = 6) -> list[ArticlePage]:
    return list(articles_live(locale=locale)[:limit])


def articles_filter(
    *,
    index: Page | None = None,
    locale: Locale | None = None,
    kind: str = "",
    tag: str = "",
    country: str = "",
    author: str = "",
) -> PageQuerySet[ArticlePage]:
    """Live articles, newest first, narrowed by any combination of filters; empty values mean all.

    `country` is an ISO 3166 alpha-2 code, `tag` a tag slug, `author` a person's slug."""
    articles = articles_live(locale=locale)
    if index is not None:
        articles = articles.child_of(index)
    if kind:
        articles = articles.filter(kind=kind)
    if tag:
        articles = articles.filter(tagged_items__tag__slug=tag)
    if country:
        # The codes are stored as "KE,UG"; a two-letter code cannot straddle a comma,
        # so a substring match is exact once the code itself is valid.
        country = country.upper()
        if len(country) != 2 or country not in all_countries:
            return articles.none()
        articles = articles.filter(countries__contains=country)
    if author:
        articles = articles.filter(author__slug=author)
    return articles


@dataclass
class ArticleFacets:
    """What the filter menus offer: only values that some live article carries."""

    kinds: list[tuple[str, str]] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)


def article_facets(*, index: Page) -> ArticleFacets:
    articles = articles_filter(index=index).order_by()
    present_kinds = set(articles.values_list("kind", flat=True).distinct())
    codes: set[str] = set()
    for stored in articles.values_list("countries", flat=True).distinct():
        codes.update(code for code in stored.split(",") if code)
    tags = (
        Tag.objects.filter(news_articlepagetag_items__content_object__in=articles.values("pk"))
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    authors = (
        articles.filter(author__isnull=False)
        .values_list("author__slug", "author__name")
        .distinct()
        .order_by("author__name")
    )
    return ArticleFacets(
        kinds=[(value, str(label)) for value, label in ArticleKind.choices if value in present_kinds],
        countries=sorted(((code, all_countries.name(code)) for code in codes), key=lambda item: item[1]),
        tags=list(tags),
        authors=list(authors),
    )


def articles_related(*, article: ArticlePage, limit: int = 3) -> list[ArticlePage]:
    """Other live articles of the same kind or sharing a tag, newest first."""
    shared_tags = ArticlePageTag.objects.filter(content_object_id=article.pk).values("tag_id")
    related = (
        articles_live()
        .filter(locale_id=article.locale_id)
        .exclude(pk=article.pk)
        .filter(Q(kind=article.kind) | Q(tagged_items__tag_id__in=shared_tags))
        .distinct()
    )
    return list(related[:limit])
