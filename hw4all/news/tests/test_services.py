import datetime

import pytest
from django.core.exceptions import ValidationError

from hw4all.news.models import ArticlePage, NewsIndexPage
from hw4all.news.services import article_create, news_index_ensure


def test_news_index_ensure_is_idempotent(home_page):
    first = news_index_ensure(home=home_page, intro="What the coalition says.")
    again = news_index_ensure(home=home_page, title="Other title")
    assert first.pk == again.pk
    assert NewsIndexPage.objects.count() == 1
    assert (first.slug, first.title, first.show_in_menus, first.live) == ("news", "News", True, True)
    assert first.intro == "What the coalition says."


def test_article_create_publishes_with_a_revision(news_index, author):
    article = article_create(
        index=news_index,
        title="Side event at the World Health Assembly",
        kind="news",
        date=datetime.date(2013, 5, 21),
        summary="A side event on the WHO Code.",
        body=[("paragraph", "<p>Text</p>")],
        author=author,
        countries=["BE", "NL"],
        tags=["WHA", "Code"],
        slug="wha-side-event",
    )
    article.refresh_from_db()
    assert article.live
    assert article.slug == "wha-side-event"
    assert article.get_parent().pk == news_index.pk
    assert article.locale_id == news_index.locale_id
    assert article.revisions.count() == 1
    assert article.live_revision_id is not None
    assert [country.code for country in article.countries] == ["BE", "NL"]
    assert sorted(article.tags.names()) == ["Code", "WHA"]
    assert article.author == author


def test_article_create_can_leave_a_draft(news_index):
    article = article_create(
        index=news_index,
        title="Draft",
        kind="blog",
        date=datetime.date(2024, 1, 1),
        summary="s",
        publish=False,
    )
    article.refresh_from_db()
    assert not article.live
    assert article.revisions.count() == 1
    assert not ArticlePage.objects.live().filter(pk=article.pk).exists()


def test_rich_text_from_outside_is_sanitised(news_index):
    article = article_create(
        index=news_index,
        title="t",
        kind="news",
        date=datetime.date(2024, 1, 1),
        summary="s",
        body=[
            ("paragraph", '<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:x()">a</a></p>')
        ],
    )
    stored = article.body[0].value.source
    assert "<script>" not in stored
    assert "onclick" not in stored
    assert "javascript:" not in stored
    assert "Hi" in stored


@pytest.mark.parametrize("bad", [{"kind": "opinion"}, {"countries": ["XX"]}, {"summary": ""}, {"title": ""}])
def test_invalid_articles_are_refused(news_index, bad):
    values = {
        "index": news_index,
        "title": "t",
        "kind": "news",
        "date": datetime.date(2024, 1, 1),
        "summary": "s",
    }
    values.update(bad)
    with pytest.raises(ValidationError):
        article_create(**values)
    assert not ArticlePage.objects.exists()
