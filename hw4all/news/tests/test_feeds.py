import xml.etree.ElementTree as ET

import pytest

from hw4all.news.factories import ArticlePageFactory

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own feed, built in this test)


def test_rss_items_carry_what_readers_need(client, make_article, author):
    make_article(title="Older", summary="Plain <b>summary</b>", tags=["Migration", "Ethics"], author=author)
    make_article(title="Newer", kind="statement")
    response = client.get("/en/news/feed/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response.content).find("channel")
    assert channel.findtext("title") == "News"
    assert channel.findtext("link") == "http://testserver/en/news/"
    assert channel.findtext("language") == "en"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Newer", "Older"]
    older = items[1]
    assert older.findtext("link").startswith("http://testserver/en/news/older")
    # Readers treat the description as HTML, so the plain-text summary arrives escaped.
    assert older.findtext("description") == "Plain &lt;b&gt;summary&lt;/b&gt;"
    assert older.findtext(f"{DC}creator") == "Amina Diallo"
    assert sorted(category.text for category in older.findall("category")) == ["Ethics", "Migration"]
    assert older.findtext("pubDate").endswith("00:00:00 +0000")
    assert items[0].findtext(f"{DC}creator") == "Secretariat"


def test_atom_feed(client, make_article):
    make_article(title="Statement one", kind="statement", tags=["Migration"])
    response = client.get("/en/news/feed/atom/")
    assert response.status_code == 200
    feed = parse(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Statement one"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/en/news/")
    assert entry.findtext(f"{ATOM}summary")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Secretariat"
    assert entry.find(f"{ATOM}category").get("term") == "Migration"
    assert entry.findtext(f"{ATOM}published")


@pytest.mark.parametrize("kind_feed", ["rss", "atom"])
def test_feed_of_one_kind(client, make_article, kind_feed):
    make_article(title="A statement", kind="statement")
    make_article(title="Some news", kind="news")
    response = client.get(f"/en/news/feed/{kind_feed}/?kind=statement")
    root = parse(response.content)
    titles = [element.text for element in root.iter() if element.tag in ("title", f"{ATOM}title")]
    assert "A statement" in titles
    assert "Some news" not in titles
    assert "News: Statement" in titles


def test_unknown_kind_feed_is_404(client, news_index):
    assert client.get("/en/news/feed/rss/?kind=opinion").status_code == 404


def test_feed_holds_the_latest_twenty(client, news_index):
    ArticlePageFactory.create_batch(22, parent=news_index)
    items = parse(client.get("/en/news/feed/rss/").content).find("channel").findall("item")
    dates = [item.findtext("pubDate") for item in items]
    assert len(items) == 20
    # The newest twenty: the two oldest factory articles are left out.
    oldest = news_index.get_children().specific().order_by("articlepage__date")[:2]
    first_two = {article.title for article in oldest}
    assert first_two.isdisjoint(item.findtext("title") for item in items)
    assert len(set(dates)) == 20


def test_drafts_are_not_in_feeds(client, make_article):
    make_article(title="Published")
    make_article(title="Draft", publish=False)
    rss = client.get("/en/news/feed/rss/").content.decode()
    atom = client.get("/en/news/feed/atom/").content.decode()
    assert "Published" in rss and "Published" in atom
    assert "Draft" not in rss and "Draft" not in atom


def test_index_advertises_its_feeds(client, news_index):
    content = client.get("/en/news/?kind=blog").content.decode()
    rss = '<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="/en/news/feed/rss/">'
    atom = '<link rel="alternate" type="application/atom+xml" title="News (Atom)" href="/en/news/feed/atom/">'
    assert rss in content
    assert atom in content
    assert 'href="/en/news/feed/rss/?kind=blog"' in content
    assert ">RSS feed</a>" in content
