"""Scheduled articles appear when their time comes; drafts appear nowhere."""

import datetime
import time

from django.core.management import call_command
from django.utils import timezone

from hw4all.news.queries import articles_latest


def visible_everywhere(client, title: str) -> list[bool]:
    return [
        title in client.get("/en/news/").content.decode(),
        title in client.get("/en/news/feed/rss/").content.decode(),
        title in client.get("/api/v1/articles/").content.decode(),
        title in [article.title for article in articles_latest(limit=10)],
    ]


def test_scheduled_article_goes_live_at_its_time(client, make_article):
    go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    article = make_article(title="Scheduled statement", go_live_at=go_live_at)
    article.refresh_from_db()
    assert not article.live
    assert visible_everywhere(client, "Scheduled statement") == [False] * 4
    call_command("publish_scheduled")
    assert visible_everywhere(client, "Scheduled statement") == [False] * 4
    time.sleep(max(0.0, (go_live_at - timezone.now()).total_seconds()) + 0.1)
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live
    assert visible_everywhere(client, "Scheduled statement") == [True] * 4
    assert client.get(article.url).status_code == 200


def test_drafts_are_shown_nowhere(client, make_article):
    make_article(title="Published piece")
    draft = make_article(title="Secret draft", publish=False, tags=["hidden"], countries=["KE"])
    assert visible_everywhere(client, "Published piece") == [True] * 4
    assert visible_everywhere(client, "Secret draft") == [False] * 4
    assert client.get(f"/api/v1/articles/{draft.pk}").status_code == 404
    assert client.get(f"/en/news/{draft.slug}/").status_code == 404
    # Its tag and country do not leak into the filter menus either.
    form = client.get("/en/news/").context["filter_form"]
    assert "hidden" not in dict(form.fields["tag"].widget.choices)
    assert "KE" not in dict(form.fields["country"].widget.choices)


def test_unpublished_article_leaves_the_lists(client, make_article):
    article = make_article(title="Withdrawn")
    assert visible_everywhere(client, "Withdrawn") == [True] * 4
    article.unpublish()
    assert visible_everywhere(client, "Withdrawn") == [False] * 4
