import datetime

import pytest

from hw4all.news.factories import AuthorFactory
from hw4all.news.services import article_create


@pytest.fixture
def make_article(news_index):
    """Articles made through the real service, with defaults a test may override."""
    counter = iter(range(1, 10_000))

    def make(**kwargs):
        n = next(counter)
        values = {
            "index": news_index,
            "title": f"Article {n}",
            "kind": "news",
            "date": datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            "summary": f"Summary {n}.",
        }
        values.update(kwargs)
        return article_create(**values)

    return make


@pytest.fixture
def author(db):
    return AuthorFactory(name="Amina Diallo", slug="amina-diallo")
