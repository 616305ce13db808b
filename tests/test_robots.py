"""/robots.txt: crawlers may read the public site but not the admin, the accounts, the survey
forms or the members' Code report pages, and learn where the sitemap is."""

import pytest

pytestmark = pytest.mark.django_db


def robots(client) -> tuple[list[str], list[str]]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    return [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")], lines


@pytest.mark.permission("robots_txt", "public")
def test_private_areas_are_disallowed_and_the_public_site_allowed(client):
    disallowed, lines = robots(client)
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for path in (
        "/admin/",
        "/django-admin/",
        "/*/accounts/",
        "/*/surveys/*/invitation/",
        "/*/surveys/*/r/",
        "/*/code-reporting/mine/",
        "/*/code-reporting/reports/*/edit/",
    ):
        assert path in disallowed
    # Nothing public is shut: published reports, the API docs, the pages themselves.
    for public in ("/api/", "/*/code-reporting/reports/", "/*/library/", "/*/"):
        assert public not in disallowed


def test_the_sitemap_line_is_absolute_from_the_site_url(client, settings):
    settings.SITE_URL = "https://healthworkers4all.eu/"
    _disallowed, lines = robots(client)
    assert lines[-1] == "Sitemap: https://healthworkers4all.eu/sitemap.xml"
    assert client.get("/sitemap.xml").status_code == 200


def test_without_a_site_url_the_request_gives_the_host(client, settings):
    settings.SITE_URL = ""
    _disallowed, lines = robots(client)
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"
