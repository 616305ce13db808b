"""The home page's WebSite and Organization data and its link preview."""

from hw4all.core.tests.metadata import json_ld, meta


def test_home_page_describes_the_site_and_the_coalition(client, home_page):
    response = client.get(home_page.url)
    website, organisation = json_ld(response)["@graph"]
    assert website["@type"] == "WebSite"
    assert website["url"] == f"http://testserver{home_page.url}"
    assert organisation == {
        "@type": "Organization",
        "name": "Health Workers for All",
        "url": "http://testserver/",
        "description": home_page.intro,
    }
    assert meta(response, "og:title") == ["Health Workers for All"]
    assert meta(response, "og:site_name") == ["Health Workers for All"]
    assert meta(response, "og:url") == [f"http://testserver{home_page.url}"]
