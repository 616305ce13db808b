"""The whole-response cache for anonymous visitors (hw4all/core/pagecache.py)."""

import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from hw4all.campaigns.services import campaign_create, campaigns_index_ensure
from hw4all.core.pagecache import GENERATION_KEY, PageCacheMiddleware
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
def test_a_lost_generation_number_never_brings_back_an_older_page(client, home_page):
    # Each time, the number is culled or evicted (the cached pages are not), then an editor
    # publishes and a visitor comes.
    for intro in ("The first purpose.", "The second purpose."):
        cache.delete(GENERATION_KEY)
        home_page.intro = intro
        home_page.save_revision().publish()

        response = client.get("/en/")

        assert response["X-Cache"] == "miss"
        assert intro.encode() in response.content


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


class _CountedPage:
    """A page that expires by time, like a campaign's count: each render says which it was.
    `during_render`, if set, runs inside the next render (another visitor arriving then)."""

    def __init__(self) -> None:
        self.renders = 0
        self.during_render: Callable[[], None] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.renders += 1
        if self.during_render is not None:
            arriving, self.during_render = self.during_render, None
            arriving()
        response = HttpResponse(f"render {self.renders}")
        response.page_cache_seconds = 30  # type: ignore[attr-defined]
        return response


def _visit(middleware: PageCacheMiddleware) -> HttpResponse:
    return middleware(RequestFactory().get("/en/counted/"))


def _cached_then_expired(page: _CountedPage, monkeypatch) -> tuple[PageCacheMiddleware, HttpResponse]:
    """The page behind the cache, visited once, then the clock moved past its time."""
    middleware = PageCacheMiddleware(page)
    started = time.time()
    first = _visit(middleware)
    monkeypatch.setattr(time, "time", lambda: started + 31)
    return middleware, first


@pytest.mark.cache
@pytest.mark.django_db
def test_a_page_past_its_time_is_rendered_once_while_visitors_meanwhile_get_the_copy_there_is(monkeypatch):
    page = _CountedPage()
    middleware, first = _cached_then_expired(page, monkeypatch)
    meanwhile: list[HttpResponse] = []
    page.during_render = lambda: meanwhile.append(_visit(middleware))

    refreshed = _visit(middleware)
    after = _visit(middleware)

    assert (first["X-Cache"], first.content) == ("miss", b"render 1")
    assert (meanwhile[0]["X-Cache"], meanwhile[0].content) == ("stale", b"render 1")
    assert (refreshed["X-Cache"], refreshed.content) == ("miss", b"render 2")
    assert (after["X-Cache"], after.content) == ("hit", b"render 2")
    assert page.renders == 2


@pytest.mark.cache
@pytest.mark.django_db
def test_a_render_that_fails_leaves_the_next_visitor_to_render_the_page(monkeypatch):
    page = _CountedPage()
    middleware, _first = _cached_then_expired(page, monkeypatch)

    def database_gone() -> None:
        raise OperationalError("database is locked")

    page.during_render = database_gone
    with pytest.raises(OperationalError):
        _visit(middleware)
    next_visit = _visit(middleware)

    assert (next_visit["X-Cache"], next_visit.content) == ("miss", b"render 3")
