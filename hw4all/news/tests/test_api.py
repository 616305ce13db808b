import pytest

from hw4all.news.factories import ArticlePageFactory


def test_list_articles(client, make_article, author):
    make_article(title="First", kind="statement", countries=["KE"], tags=["Migration"], author=author)
    make_article(title="Second")
    response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    data = response.json()
    assert data["next"] is None
    second, first = data["items"]
    assert second["title"] == "Second"
    assert second["author"] == "Secretariat"
    assert first == {
        "id": first["id"],
        "title": "First",
        "kind": "statement",
        "date": first["date"],
        "summary": "Summary 1.",
        "author": "Amina Diallo",
        "countries": ["KE"],
        "tags": ["Migration"],
        "language": "en",
        "url": "http://testserver/en/news/first/",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=statement", ["Kenyan statement"]),
        ("tag=migration", ["Kenyan statement"]),
        ("country=UG", ["Ugandan blog"]),
        ("author=amina-diallo", ["Kenyan statement"]),
        ("kind=blog&country=UG", ["Ugandan blog"]),
        ("kind=blog&country=KE", []),
        ("country=XX", []),
        ("lang=en", ["Ugandan blog", "Kenyan statement"]),
        ("lang=fr", []),
    ],
)
def test_list_filters(client, make_article, author, query, expected):
    make_article(
        title="Kenyan statement", kind="statement", countries=["KE"], tags=["Migration"], author=author
    )
    make_article(title="Ugandan blog", kind="blog", countries=["UG"])
    response = client.get(f"/api/v1/articles/?{query}")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == expected


def test_unknown_kind_is_rejected_with_a_message(client, news_index):
    response = client.get("/api/v1/articles/?kind=opinion")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["kind"]


def test_unknown_language_is_rejected_with_a_message(client, news_index):
    response = client.get("/api/v1/articles/?lang=zz")
    assert response.status_code == 400
    assert "zz" in response.json()["errors"]["lang"][0]


def test_cursor_pagination_walks_every_article_once_newest_first(client, news_index):
    articles = ArticlePageFactory.create_batch(21, parent=news_index)
    first = client.get("/api/v1/articles/").json()
    assert len(first["items"]) == 20
    second = client.get(first["next"]).json()
    assert second["next"] is None
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert sorted(ids) == sorted(article.pk for article in articles)
    dates = [item["date"] for item in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)


def test_a_page_keeps_its_place_when_an_article_is_published_meanwhile(client, news_index, make_article):
    articles = ArticlePageFactory.create_batch(3, parent=news_index)
    first = client.get("/api/v1/articles/?limit=2").json()
    make_article(title="Published meanwhile")
    rest = client.get(first["next"]).json()
    seen = [item["id"] for item in first["items"] + rest["items"]]
    assert len(seen) == len(set(seen))
    assert {article.pk for article in articles} <= set(seen)


def test_list_query_count_is_constant(client, news_index, django_assert_max_num_queries):
    ArticlePageFactory.create_batch(5, parent=news_index, tags=["migration"])
    with django_assert_max_num_queries(8) as captured:
        client.get("/api/v1/articles/")
    few = len(captured)
    ArticlePageFactory.create_batch(15, parent=news_index, tags=["migration"])
    with django_assert_max_num_queries(few):
        assert len(client.get("/api/v1/articles/").json()["items"]) == 20


def test_detail_has_sanitised_body(client, make_article):
    article = make_article(
        title="<b>Bold title</b>",
        body=[
            ("paragraph", '<p>Safe <a href="javascript:alert(1)">x</a></p>'),
            ("heading", "<script>x</script>"),
        ],
    )
    response = client.get(f"/api/v1/articles/{article.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "<b>Bold title</b>"
    assert "<p>Safe" in data["body"]
    assert "javascript:" not in data["body"]
    assert "<script>" not in data["body"]


@pytest.mark.permission("hw4all_news_api_article_detail", "public")
def test_detail_404_for_unknown_and_unpublished(client, make_article, news_index):
    draft = make_article(publish=False)
    assert client.get(f"/api/v1/articles/{draft.pk}").status_code == 404
    assert client.get("/api/v1/articles/999999").status_code == 404
    # The index is a page but not an article.
    assert client.get(f"/api/v1/articles/{news_index.pk}").status_code == 404


@pytest.mark.permission("hw4all_news_api_article_list", "public")
def test_drafts_are_not_listed(client, make_article):
    make_article(title="Draft", publish=False)
    assert client.get("/api/v1/articles/").json()["items"] == []


def test_openapi_documents_the_paths_and_schemas(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/articles/" in schema["paths"]
    assert "/api/v1/articles/{article_id}" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {"kind", "tag", "country", "author", "lang", "cursor", "limit"} <= parameters
    components = schema["components"]["schemas"]
    assert {"ArticleOut", "ArticleDetailOut"} <= set(components)
    assert "body" in components["ArticleDetailOut"]["properties"]
