"""An article as schema.org NewsArticle (news) or Article (statements, blogs, spotlights)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import translation

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty

if TYPE_CHECKING:
    from .models import ArticlePage

# The size of the Open Graph image too, so that one rendition serves both.
IMAGE_FILTER = "width-1200"


def article_structured_data(article: ArticlePage, request: HttpRequest | None) -> dict[str, Any]:
    publisher = coalition(request)
    if article.author is not None:
        author: dict[str, Any] = without_empty(
            {"@type": "Person", "name": article.author.name, "url": absolute_url(request, article.author_url)}
        )
    else:
        author = publisher
    modified = article.last_published_at or article.latest_revision_created_at
    return without_empty(
        {
            "@context": SCHEMA_CONTEXT,
            "@type": "NewsArticle" if article.kind == "news" else "Article",
            "headline": article.title,
            "description": article.summary,
            "url": absolute_url(request, article.url),
            "datePublished": article.date.isoformat(),
            "dateModified": modified.isoformat() if modified else article.date.isoformat(),
            "author": author,
            "publisher": publisher,
            "image": absolute_url(request, article.image.get_rendition(IMAGE_FILTER).url)
            if article.image
            else "",
            "inLanguage": translation.get_language(),
        }
    )
