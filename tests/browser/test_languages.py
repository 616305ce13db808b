"""Switching language keeps the visitor on the same page, in the interface's language."""

import pytest

INTERFACE = {"fr": "Membres", "es": "Miembros", "pt": "Membros"}


@pytest.mark.parametrize("lang", sorted(INTERFACE))
def test_switching_language_from_an_article(page, base_url, lang):
    page.goto(base_url + "/en/news/statement-on-abduction-dr-magombeyi/")
    page.get_by_role("navigation", name="Language").locator(f"a[hreflang={lang}]").click()
    assert page.url.startswith(f"{base_url}/{lang}/news/statement-on-abduction-dr-magombeyi")
    assert page.locator("html").get_attribute("lang") == lang
    assert INTERFACE[lang] in page.get_by_role("navigation").first.inner_text()


def test_partner_language_has_content_and_hreflang(page, base_url):
    page.goto(base_url + "/nl/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("link[rel=alternate][hreflang=de]").count() == 1
