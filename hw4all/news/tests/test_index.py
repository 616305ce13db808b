import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hw4all.core.pagecache import pagecache_invalidate
from hw4all.news.factories import ArticlePageFactory

INDEX = "/en/news/"


def titles(response) -> list[str]:
    return [article.title for article in response.context["articles"]]


@pytest.fixture
def mixed(make_article, author):
    """Four articles that differ in kind, tag, country and author."""
    return {
        "kenya_statement": make_article(
            title="Kenya statement", kind="statement", countries=["KE"], tags=["Migration"], author=author
        ),
        "uganda_news": make_article(title="Uganda news", kind="news", countries=["UG"], tags=["Migration"]),
        "kenya_blog": make_article(
            title="Kenya blog", kind="blog", countries=["KE", "UG"], tags=["Financing"]
        ),
        "spotlight": make_article(title="Spotlight", kind="spotlight", author=author),
    }


def test_lists_live_articles_newest_first(client, mixed):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert titles(response) == ["Spotlight", "Kenya blog", "Uganda news", "Kenya statement"]
    assert "4 articles" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=statement", ["Kenya statement"]),
        ("kind=spotlight", ["Spotlight"]),
        ("tag=migration", ["Uganda news", "Kenya statement"]),
        ("country=KE", ["Kenya blog", "Kenya statement"]),
        ("country=ke", ["Kenya blog", "Kenya statement"]),
        ("country=UG", ["Kenya blog", "Uganda news"]),
        ("author=amina-diallo", ["Spotlight", "Kenya statement"]),
        ("kind=statement&country=KE&tag=migration&author=amina-diallo", ["Kenya statement"]),
        ("country=KE&tag=financing", ["Kenya blog"]),
        ("kind=news&country=KE", []),
    ],
)
def test_filters_and_their_combinations(client, mixed, query, expected):
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_heading_and_title_say_what_is_filtered(client, mixed):
    content = client.get(f"{INDEX}?kind=statement&country=KE&author=amina-diallo").content.decode()
    assert "Statement · Kenya · by Amina Diallo" in content
    assert "<title>News: Statement · Kenya · by Amina Diallo" in content


def test_filter_menus_offer_what_exists(client, mixed):
    form = client.get(INDEX).context["filter_form"]
    assert [value for value, _ in form.fields["country"].widget.choices] == ["", "KE", "UG"]
    assert [value for value, _ in form.fields["tag"].widget.choices] == ["", "financing", "migration"]


def test_no_results_message(client, mixed):
    content = client.get(f"{INDEX}?kind=news&country=KE").content.decode()
    assert "No articles match these filters." in content


def test_empty_index_says_so(client, news_index):
    assert "No articles have been published yet." in client.get(INDEX).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "kind=opinion",
        "country=XX",
        "country=KEN",
        "tag=%3Cscript%3E",
        "author=no%20such%20person",
        "kind[]=x&kind=zz",
    ],
)
def test_bad_filter_values_give_an_empty_list_and_a_message(client, mixed, query):
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    assert titles(response) == []
    content = response.content.decode()
    assert "These filters could not be applied" in content
    assert 'role="alert"' in content
    assert "<script>" not in content.split("<main", 1)[1]


def test_unknown_but_well_formed_values_just_match_nothing(client, mixed):
    for query in ("tag=nothing-here", "author=somebody-else", "country=FR"):
        response = client.get(f"{INDEX}?{query}")
        assert titles(response) == []
        assert "No articles match these filters." in response.content.decode()


def test_paginates_twelve_per_page(client, news_index):
    ArticlePageFactory.create_batch(13, parent=news_index)
    first = client.get(INDEX)
    assert len(first.context["articles"]) == 12
    content = first.content.decode()
    assert 'aria-label="Pages of articles"' in content
    assert 'aria-current="page"' in content
    assert 'href="?page=2"' in content
    second = client.get(f"{INDEX}?page=2")
    assert len(second.context["articles"]) == 1
    assert "(page 2)" in second.content.decode()


def test_pagination_keeps_the_filters(client, news_index):
    ArticlePageFactory.create_batch(13, parent=news_index, kind="statement")
    content = client.get(f"{INDEX}?kind=statement").content.decode()
    assert 'href="?kind=statement&amp;page=2"' in content


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", ""])
def test_out_of_range_or_malformed_page_shows_a_real_page(client, news_index, page):
    ArticlePageFactory.create_batch(13, parent=news_index)
    response = client.get(f"{INDEX}?page={page}")
    assert response.status_code == 200
    assert len(response.context["articles"]) in (1, 12)


def _queries_for_index(client, news_index, count: int) -> int:
    ArticlePageFactory.create_batch(count, parent=news_index, tags=["migration"], countries=["KE"])
    client.get(INDEX)  # warm the site-root cache the first request fills
    pagecache_invalidate()  # as after a publish: the filter menus are read again
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{INDEX}?tag=migration").status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_articles(client, news_index, django_assert_max_num_queries):
    few = _queries_for_index(client, news_index, 5)
    ArticlePageFactory.create_batch(25, parent=news_index, tags=["migration"], countries=["UG"])
    pagecache_invalidate()
    with django_assert_max_num_queries(few):
        response = client.get(f"{INDEX}?tag=migration")
    assert len(response.context["articles"]) == 12
    assert response.context["articles"].paginator.count == 30


def test_htmx_request_gets_only_the_results(client, mixed):
    response = client.get(f"{INDEX}?kind=statement", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "news/results.html"
    content = response.content.decode()
    assert "<html" not in content
    assert "<form" not in content
    assert "Kenya statement" in content
    assert "Uganda news" not in content
    assert 'hx-swap-oob="true"' in content
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, mixed):
    response = client.get(INDEX, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_filter_form_works_without_javascript_and_is_labelled(client, mixed):
    content = client.get(INDEX).content.decode()
    assert 'method="get" action="/en/news/"' in content
    for name in ("kind", "tag", "country"):
        assert f'<label for="id_{name}">' in content
    assert 'hx-target="#article-results"' in content
    assert 'hx-push-url="true"' in content


def test_titles_and_summaries_are_escaped_in_the_list(client, make_article):
    make_article(title="<script>alert(1)</script>", summary="<img src=x onerror=alert(2)>")
    content = client.get(INDEX).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<img src=x" not in content


def test_only_this_indexs_locale_and_children_are_listed(client, make_article, news_index):
    make_article(title="Here", date=datetime.date(2024, 5, 1))
    assert titles(client.get(INDEX)) == ["Here"]


def test_unknown_slug_under_the_index_is_404(client, news_index):
    assert client.get(f"{INDEX}no-such-article/").status_code == 404
