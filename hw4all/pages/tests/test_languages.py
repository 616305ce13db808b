import re

import pytest
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization

from hw4all.pages.models import HomePage
from hw4all.pages.services import locales_ensure, standard_page_create

LANGUAGE_CODES = ["en", "fr", "es", "pt", "nl", "it", "ro", "pl", "de"]


@pytest.fixture
def about(home_page):
    return standard_page_create(parent=home_page, title="About us", slug="about", show_in_menus=True)


@pytest.mark.django_db
def test_locales_ensure_mirrors_the_english_tree(home_page, about):
    locales = locales_ensure()

    assert [locale.language_code for locale in locales] == LANGUAGE_CODES
    assert LocaleSynchronization.objects.count() == len(LANGUAGE_CODES) - 1
    french = Locale.objects.get(language_code="fr")
    french_home = HomePage.objects.get(locale=french)
    assert french_home.alias_of_id == home_page.pk
    assert Page.objects.get(locale=french, translation_key=about.translation_key).alias_of_id == about.pk


@pytest.mark.django_db
def test_locales_ensure_is_idempotent_and_picks_up_new_pages(home_page):
    locales_ensure()
    later = standard_page_create(parent=home_page, title="Later", slug="later")

    locales_ensure()

    assert Page.objects.filter(translation_key=later.translation_key).count() == len(LANGUAGE_CODES)
    assert HomePage.objects.count() == len(LANGUAGE_CODES)


@pytest.mark.django_db
def test_locales_ensure_refuses_unknown_languages(home_page):
    with pytest.raises(ValueError, match="xx"):
        locales_ensure(languages=["fr", "xx"])
    assert not Locale.objects.filter(language_code="fr").exists()


@pytest.mark.django_db
def test_french_home_page(client, home_page, about):
    locales_ensure()

    response = client.get("/fr/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    for code in LANGUAGE_CODES:
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/">' in html
    # The French menu leads to the French copy of the page.
    assert 'href="/fr/about/"' in html
    assert client.get("/fr/about/").status_code == 200


@pytest.mark.django_db
def test_language_switcher_links_to_the_translation_of_this_page(client, home_page, about):
    locales_ensure(languages=["en", "fr"])

    html = client.get("/en/about/").content.decode()

    switcher = html[html.index('class="language-nav"') :]
    assert 'href="/fr/about/" hreflang="fr"' in switcher
    # Languages without a copy of this page lead to their home page, and get no hreflang link.
    assert 'href="/de/" hreflang="de"' in switcher
    assert 'hreflang="de" href=' not in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/about/">' in html
    # Links, not a form, so that the page stays cacheable.
    assert "<form" not in switcher.split("</nav>")[0]


@pytest.mark.django_db
def test_switcher_on_a_view_that_is_not_a_page(client, home_page):
    html = client.get("/en/accounts/login/").content.decode()

    assert 'href="/fr/accounts/login/" hreflang="fr"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("fr-FR,fr;q=0.9", "/fr/"), ("pt-BR", "/pt/"), ("sw, de;q=0.5", "/de/"), ("", "/en/")],
)
def test_root_redirects_by_accept_language(client, home_page, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_unknown_language_prefix_is_a_404(client, home_page):
    locales_ensure()

    response = client.get("/xx/", follow=True)

    assert response.status_code == 404
    assert not re.search(r'<html lang="xx"', response.content.decode())


@pytest.mark.django_db
def test_switcher_keeps_the_query_of_a_view_that_is_not_a_page(client, home_page):
    html = client.get("/en/accounts/login/?next=/en/library/%3Fq%3Dsant%C3%A9").content.decode()

    assert 'href="/de/accounts/login/?next=/en/library/%3Fq%3Dsant%C3%A9" hreflang="de"' in html
