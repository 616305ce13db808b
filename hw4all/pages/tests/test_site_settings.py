"""What editors set under Settings › Site settings appears in every page's footer, escaped, and
reaches pages already in the page cache."""

import pytest
from wagtail.models import Site

from hw4all.pages.models import SiteSettings

pytestmark = pytest.mark.cache


@pytest.fixture
def site_settings(home_page):
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.mark.django_db
def test_the_footer_shows_the_site_settings_escaped(client, site_settings, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert b"mailto:" not in client.get("/en/").content  # now in the page cache

    site_settings.tagline = "Health workers <for> all"
    site_settings.contact_email = "secretariat@hw4all.example"
    site_settings.footer_text = "Rue de l'Hôpital 1\n1000 Bruxelles <script>alert(1)</script>"
    site_settings.save()

    for path in ("/en/", "/en/members/"):
        html = client.get(path).content.decode()
        assert "<strong>Health workers &lt;for&gt; all</strong>" in html
        assert 'Contact: <a href="mailto:secretariat@hw4all.example">' in html
        assert "Rue de l&#x27;Hôpital 1<br>1000 Bruxelles &lt;script&gt;" in html
        assert "<script>alert(1)" not in html
    french = client.get("/fr/members/").content.decode()
    assert 'Contact\u00a0: <a href="mailto:secretariat@hw4all.example">' in french


@pytest.mark.django_db
def test_empty_settings_show_nothing_extra(client, site_settings):
    html = client.get("/en/").content.decode()

    assert "mailto:" not in html
    assert "site-footer__tagline" not in html
