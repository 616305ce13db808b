"""The whole-response cache for anonymous visitors (hw4all/core/pagecache.py)."""

import time

import pytest

from hw4all.campaigns.services import campaign_create, campaigns_index_ensure
from hw4all.users.services import user_create


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.cache
@pytest.mark.django_db
def test_second_anonymous_get_is_a_hit_without_queries(client, home_page, django_assert_num_queries):
    first = client.get("/en/")
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get("/en/")

    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "max-age=0" in second["Cache-Control"]
    assert "must-revalidate" in second["Cache-Control"]


@pytest.mark.cache
@pytest.mark.django_db
def test_publishing_makes_the_next_response_fresh(client, home_page):
    client.get("/en/")
    home_page.intro = "A new purpose, just published."
    home_page.save_revision().publish()

    response = client.get("/en/")

    assert response["X-Cache"] == "miss"
    assert b"A new purpose, just published." in response.content


@pytest.mark.cache
@pytest.mark.django_db
def test_signed_in_people_are_never_served_from_or_into_the_cache(client, home_page):
    client.get("/en/")  # fills the cache with the anonymous page
    client.force_login(user_create(email="member@example.org"))

    response = client.get("/en/")
    again = client.get("/en/")

    assert "X-Cache" not in response
    assert "X-Cache" not in again
    assert b"Log out" in response.content


@pytest.mark.cache
@pytest.mark.django_db
@pytest.mark.urls("hw4all.pages.tests.urls_test")
def test_responses_setting_a_cookie_are_not_cached(client, home_page):
    first = client.get("/test/form/")
    second = client.get("/test/form/")

    assert "csrftoken" in first.cookies
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "miss"


@pytest.mark.cache
@pytest.mark.django_db
def test_etag_gives_304_not_modified(client, home_page):
    first = client.get("/en/")
    etag = first["ETag"]

    response = client.get("/en/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/en/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.cache
@pytest.mark.django_db
def test_gzip_and_plain_clients_get_their_own_entries(client, home_page):
    gzipped = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip, br")
    plain = client.get("/en/")
    gzipped_again = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")
    plain_again = client.get("/en/")

    assert gzipped["Content-Encoding"] == "gzip"
    assert gzipped["X-Cache"] == "miss"
    assert plain["X-Cache"] == "miss"
    assert "Content-Encoding" not in plain
    assert gzipped_again["X-Cache"] == "hit"
    assert gzipped_again["Content-Encoding"] == "gzip"
    assert plain_again["X-Cache"] == "hit"
    assert plain_again.content.startswith(b"<!DOCTYPE html>")


@pytest.mark.cache
@pytest.mark.django_db
def test_htmx_requests_and_posts_bypass_the_cache(client, home_page):
    client.get("/en/")

    assert "X-Cache" not in client.get("/en/", HTTP_HX_REQUEST="true")
    assert "X-Cache" not in client.post("/en/accounts/login/", {})


@pytest.mark.cache
@pytest.mark.django_db
def test_each_language_and_query_string_is_its_own_entry(client, home_page):
    client.get("/en/")

    assert client.get("/en/?page=2")["X-Cache"] == "miss"
    assert client.get("/en/accounts/login/").get("X-Cache") is None


@pytest.mark.cache
@pytest.mark.django_db
def test_disabled_when_seconds_is_zero(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/")

    assert "X-Cache" not in client.get("/en/")


def _home_after(client, monkeypatch, seconds: float, started: float) -> str:
    monkeypatch.setattr(time, "time", lambda: started + seconds)
    return client.get("/en/")["X-Cache"]


# These two move the clock of the process (time.time), which the cache in memory reads for
# expiry; Redis expires keys by its own clock, so they have no `cache` marker.
@pytest.mark.django_db
def test_while_a_campaign_is_shown_the_home_page_is_kept_no_longer_than_its_count(
    client, home_page, settings, monkeypatch
):
    settings.CAMPAIGNS_COUNT_SECONDS = 30
    index = campaigns_index_ensure(home=home_page)
    campaign_create(index=index, title="Invest in health workers", summary="Fund the workforce.")
    started = time.time()
    assert client.get("/en/")["X-Cache"] == "miss"

    assert _home_after(client, monkeypatch, 20, started) == "hit"
    assert _home_after(client, monkeypatch, 31, started) == "miss"


@pytest.mark.django_db
def test_without_a_campaign_the_home_page_is_kept_for_the_page_cache_time(
    client, home_page, settings, monkeypatch
):
    settings.CAMPAIGNS_COUNT_SECONDS = 30
    started = time.time()
    assert client.get("/en/")["X-Cache"] == "miss"

    assert _home_after(client, monkeypatch, 31, started) == "hit"
    assert _home_after(client, monkeypatch, 301, started) == "miss"
