"""An article's link preview (Open Graph) and its schema.org data, as crawlers read them."""

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

from hw4all.core.tests.metadata import json_ld, meta, script_count

HOSTILE = "</script><script>alert(1)</script> \"quoted\" & 'single'"


def test_article_json_ld_equals_the_article(client, make_article, author):
    image = Image.objects.create(title="Nurses", file=get_test_image_file())
    article = make_article(title="Nurses leave", summary="Why it matters.", author=author, image=image)
    response = client.get(article.url)
    data = json_ld(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Nurses leave"
    assert data["description"] == "Why it matters."
    assert data["datePublished"] == article.date.isoformat()
    assert data["dateModified"].startswith(str(article.last_published_at.date()))
    assert data["author"]["name"] == "Amina Diallo"
    assert data["publisher"]["name"] == "Health Workers for All"
    assert data["inLanguage"] == "en"
    assert data["url"] == f"http://testserver{article.url}"
    assert data["image"].startswith("http://testserver/")
    assert meta(response, "og:image") == [data["image"]]
    assert meta(response, "twitter:card") == ["summary_large_image"]
    assert meta(response, "og:type") == ["article"]
    assert meta(response, "og:title") == ["Nurses leave"]
    assert meta(response, "og:description") == ["Why it matters."]
    assert meta(response, "og:url") == [f"http://testserver{article.url}"]


def test_a_statement_is_an_article_by_the_secretariat_without_an_image(client, make_article):
    response = client.get(make_article(kind="statement").url)
    data = json_ld(response)
    assert data["@type"] == "Article"
    assert data["author"]["name"] == "Health Workers for All"
    assert "image" not in data
    assert meta(response, "og:image") == []
    assert meta(response, "twitter:card") == ["summary"]


def test_a_hostile_title_stays_inside_the_data(client, make_article):
    response = client.get(make_article(title=HOSTILE, summary=HOSTILE).url)
    content = response.content.decode()
    assert "<script>alert(1)" not in content
    assert json_ld(response)["headline"] == HOSTILE
    assert meta(response, "og:title") == [HOSTILE]
    plain = client.get(make_article(title="Plain").url)
    assert script_count(response) == script_count(plain)


def test_each_language_has_its_own_og_locale(client, make_article, home_page, news_index):
    article = make_article()
    french = Locale.objects.create(language_code="fr")
    for page in (home_page, news_index, article):
        page.copy_for_translation(french).save_revision().publish()
    english = client.get(article.url)
    assert meta(english, "og:locale") == ["en_GB"]
    assert meta(english, "og:locale:alternate") == ["fr_FR"]
    translated = client.get(article.get_translation(french).url)
    assert meta(translated, "og:locale") == ["fr_FR"]
    assert meta(translated, "og:locale:alternate") == ["en_GB"]
    assert json_ld(translated)["inLanguage"] == "fr"


def test_unpublished_articles_are_not_served(client, make_article):
    article = make_article(title="Draft")
    article.unpublish()
    assert client.get(article.url).status_code == 404
