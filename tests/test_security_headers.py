"""Every answer outside the admins carries a Content-Security-Policy that allows only the site's
own files, and only the embeddable signing form may be framed by another site."""

import pytest
from django.test import Client, override_settings

from hw4all.campaigns import services as campaigns

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def petition(home_page):
    index = campaigns.campaigns_index_ensure(home=home_page)
    return campaigns.campaign_create(index=index, title="Invest in health workers", summary="x")


def test_a_page_runs_only_the_sites_own_scripts_and_styles(client, home_page):
    for _ in range(2):  # the second answer comes from the page cache
        response = client.get("/en/")
        assert response.status_code == 200
        directives = _directives(response)
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"
        assert "geolocation=()" in response["Permissions-Policy"]


def test_the_signing_form_may_be_framed_by_partner_sites(client, petition):
    for _ in range(2):
        response = client.get(f"/en/campaigns/{petition.pk}/sign/?embed=1")
        assert response.status_code == 200
        assert _directives(response)["frame-ancestors"] == "*"
        assert _directives(response)["script-src"] == "'self'"
        assert "X-Frame-Options" not in response


def test_the_api_answers_may_run_nothing(client):
    response = client.get("/api/v1/articles/")
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_the_admin_is_left_to_its_own_markup(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "script-src 'self'" not in response.get("Content-Security-Policy", "")


def test_media_on_object_storage_may_be_shown(home_page):
    with override_settings(CSP_MEDIA_ORIGINS=["https://media.example.org"]):
        response = Client().get("/en/")
    assert _directives(response)["img-src"] == "'self' data: https://media.example.org"
