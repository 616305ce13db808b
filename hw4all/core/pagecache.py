"""A whole-response cache for anonymous visitors.

Public pages are the same for every anonymous visitor in one language, so a hit skips the
session, the database and the template engine. The key carries a generation number that any
publish bumps, so editors never wait for an expiry to see their change.

A page that expires by time (a campaign's count) is served stale while it is rendered again:
the first request after its time renders it, and until that one has stored it the others get
the copy there is. Without that, every reader arriving in the same instant rendered the page
(a campaign page under a petition's load: sixteen renders at once every thirty seconds, each
worker's threads queued behind them)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "pagecache:generation"
# How long a copy past its time is kept to be served while one request renders the page
# again, and the longest a render may hold that turn before another request may take it.
STALE_KEPT_SECONDS = 60
REFRESH_TURN_SECONDS = 10
# The forum changes with every comment and shows each member their own buttons: never cached.
UNCACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/api/",
    "/static/",
    "/media/",
    "/forum/",
    "/health/",
)


def cache_generation(key: str) -> int:
    """A generation number kept in the shared cache under `key`. When it is missing (never set,
    culled or evicted, the cache emptied) it starts again from the clock, past every number used
    before, so that nothing stored under an earlier generation is taken for the current one."""
    generation = cache.get(key)
    if generation is None:
        cache.add(key, time.time_ns(), None)
        generation = cache.get(key, 0)
    return int(generation)


def cache_generation_next(key: str) -> int:
    try:
        return int(cache.incr(key))
    except ValueError:
        cache_generation(key)
        return int(cache.incr(key))


def pagecache_invalidate() -> None:
    """Make every cached page stale, across processes that share the cache."""
    cache_generation_next(GENERATION_KEY)


def page_generation() -> int:
    return cache_generation(GENERATION_KEY)


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    # A session (a signed-in user) or pending messages make the page personal.
    private_cookies = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGES_COOKIE_NAME", "messages"))
    if any(name in request.COOKIES for name in private_cookies):
        return False
    if request.headers.get("HX-Request"):
        return False
    path = request.path
    if any(path.startswith(prefix) or path[3:].startswith(prefix) for prefix in UNCACHED_PREFIXES):
        return False
    return "/accounts/" not in path


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha1(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
    # "v2": an entry is (fresh until, response).
    return f"pagecache:{page_generation()}:{encoding}:{digest}:v2"


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)
        refresh_turn = f"{key}:refresh"
        if entry is not None:
            fresh_until, cached = entry
            if time.time() < fresh_until:
                cached["X-Cache"] = "hit"
                return cached
            if not cache.add(refresh_turn, 1, REFRESH_TURN_SECONDS):
                cached["X-Cache"] = "stale"
                return cached
        try:
            response = self.get_response(request)
            # HEAD responses may lack a body, so only a GET fills the cache; both read it.
            if request.method == "GET" and self._cacheable_response(response):
                self._store(key, response)
        finally:
            if entry is not None:
                cache.delete(refresh_turn)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _store(key: str, response: HttpResponse) -> None:
        # Browsers revalidate every time (a cheap 304 through the ETag) so that a visitor who
        # signs in, or an editor who publishes, never sees a stale copy from their own browser
        # cache; the saving is on the server.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ("Cookie",))
        # A page whose content changes without a publish (a campaign's count) says how long it
        # may be kept.
        seconds = getattr(response, "page_cache_seconds", settings.PAGE_CACHE_SECONDS)
        cache.set(key, (time.time() + seconds, response), seconds + STALE_KEPT_SECONDS)

    @staticmethod
    def _cacheable_response(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-cache" not in response.get("Cache-Control", "")
        )
