import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_url_is_a_404_in_the_site_design(client, home_page):
    response = client.get("/en/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in html
    assert 'class="site-nav"' in html
    assert "Page not found" in html
    assert '<html lang="en"' in html


@pytest.mark.django_db
def test_404_is_in_the_visitors_language_prefix(client, home_page):
    response = client.get("/fr/no-such-page/")

    assert response.status_code == 404
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_unprefixed_unknown_url_ends_in_a_404(client, home_page):
    response = client.get("/no-such-page/", follow=True)

    assert response.status_code == 404
    assert response.redirect_chain[-1][0] == "/en/no-such-page/"


@pytest.mark.django_db
@pytest.mark.urls("hw4all.pages.tests.urls_test")
def test_a_failing_view_gives_the_500_page(settings, home_page):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "A bug" not in html
