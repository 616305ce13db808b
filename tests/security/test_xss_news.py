"""News articles as the article service stores them (rich-text paragraphs sanitised, title and
summary as text), written with the OWASP vectors, then shown on the article, the news index,
the feeds and in the API."""

import datetime

import pytest
from django.test import Client

from hw4all.news.services import article_create

from .xss import SHORT, TYPEABLE, assert_feed_inert, assert_json_html_inert, assert_pages_inert

pytestmark = pytest.mark.django_db


def news_pages(news_index, *, short: str, corpus: str) -> dict[str, str]:
    article = article_create(
        index=news_index,
        title=short[:255],
        kind="news",
        date=datetime.date(2024, 1, 2),
        summary=short,
        body=[("paragraph", corpus), ("paragraph", short)],
        slug="article",
    )
    visitor = Client()
    for feed in ("/en/news/feed/rss/", "/en/news/feed/atom/"):
        response = visitor.get(feed)
        assert response.status_code == 200
        assert_feed_inert(response.content.decode(), feed)
    response = visitor.get(f"/api/v1/articles/{article.pk}")
    assert response.status_code == 200
    assert_json_html_inert(response.json(), "article API", ("body",))
    return {
        "article": visitor.get(article.url).content.decode(),
        "news": visitor.get(news_index.url).content.decode(),
    }


def test_articles_are_shown_inert(news_index):
    assert_pages_inert(
        lambda **values: news_pages(news_index, **values), short=" ".join(SHORT), corpus="\n\n".join(TYPEABLE)
    )
