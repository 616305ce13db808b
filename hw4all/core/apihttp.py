"""HTTP caching and CORS for the public API under /api/v1/.

Reads (GET and HEAD) carry a strong ETag, a Cache-Control that says whether shared caches may
keep them, and `Access-Control-Allow-Origin: *`: anyone's page may read what the platform
publishes. Writes get CORS headers only for the origins the operator lists and those registered
on the organisations' API tokens (an app registers a provider of them; see write_origins_register).
A preflight cannot carry the token, so it admits any registered origin; the write itself is
refused by the token's authentication when its own origins do not include the request's.

A conditional read from an anonymous client is answered from a memo of the ETag each address last
had, without running the view: the memo is keyed by the page-cache generation, which every
publish bumps, and lives no longer than the max-age that shared caches are already allowed."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

from .pagecache import page_generation

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
READ_METHODS = ("GET", "HEAD")
# Responses to the same address differ by language, and by who asks when credentials are sent.
READ_VARY = ("Accept-Language", "Authorization", "Cookie")
READ_REQUEST_HEADERS = "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since"
WRITE_REQUEST_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type, Authorization"
# Not CORS-safelisted, so a script on another origin sees them only when listed.
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After"
PREFLIGHT_MAX_AGE = "86400"
# How long the date an answer was first seen is remembered; after that it is dated anew.
UNCHANGED_SINCE_SECONDS = 7 * 24 * 3600


# Providers of the origins that may write (the apps' API tokens), and what happens after each
# write (logging a token's use with the answer's status); filled in the apps' AppConfig.ready.
WriteOriginsProvider = Callable[[], frozenset[str]]
WriteObserver = Callable[[HttpRequest, HttpResponseBase], None]
_write_origins_providers: list[WriteOriginsProvider] = []
_write_observers: list[WriteObserver] = []
WRITE_ORIGINS_CACHE_KEY = "apihttp:write-origins"


def write_origins_register(provider: WriteOriginsProvider) -> None:
    if provider not in _write_origins_providers:
        _write_origins_providers.append(provider)


def write_observer_register(observer: WriteObserver) -> None:
    if observer not in _write_observers:
        _write_observers.append(observer)


def write_origins() -> frozenset[str]:
    """The origins whose pages may write: the operator's and the providers', kept in the cache
    until write_origins_forget so that a preflight costs no query."""
    registered = cache.get(WRITE_ORIGINS_CACHE_KEY)
    if registered is None:
        registered = frozenset().union(*(provider() for provider in _write_origins_providers))
        cache.set(WRITE_ORIGINS_CACHE_KEY, registered, None)
    return frozenset(settings.API_CORS_WRITE_ORIGINS) | registered


def write_origins_forget() -> None:
    cache.delete(WRITE_ORIGINS_CACHE_KEY)


def _sends_no_credentials(request: HttpRequest) -> bool:
    return "Authorization" not in request.headers and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _representation(request: HttpRequest) -> str:
    # One ETag per representation: the body differs by address, language and compression.
    varying = "\n".join((request.get_full_path(), request.headers.get("Accept-Language", "")))
    digest = hashlib.sha1(varying.encode(), usedforsecurity=False).hexdigest()
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
    return f"{encoding}:{digest}"


def _memo_key(request: HttpRequest) -> str:
    return f"apihttp:{page_generation()}:{_representation(request)}"


def _unchanged_since(request: HttpRequest, etag: str) -> str | None:
    """Last-Modified for an answer that has no date of its own: when this address was first seen
    answering with this ETag, and stays that until the answer changes. HTTP dates count whole
    seconds, so an answer that changes in the second its predecessor was dated is dated the next
    second, and goes undated until that second has come: an If-Modified-Since never confirms a
    changed answer."""
    key = f"apihttp-since:{_representation(request)}"
    now = int(time.time())
    seen = cache.get(key)
    if seen and seen["etag"] == etag:
        since = seen["since"]
    else:
        since = max(now, seen["since"] + 1) if seen else now
        cache.set(key, {"etag": etag, "since": since}, UNCHANGED_SINCE_SECONDS)
    return http_date(since) if since <= now else None


def _public_cache_control() -> str:
    return f"public, max-age={settings.API_PUBLIC_MAX_AGE}"


def _read_cors(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


class ApiHttpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self._preflight(request)
        if request.method in READ_METHODS:
            return self._read(request)
        return self._write(request)

    def _read(self, request: HttpRequest) -> HttpResponseBase:
        memo_key = _memo_key(request) if _sends_no_credentials(request) else None
        memo = cache.get(memo_key) if memo_key else None
        if memo and "If-None-Match" in request.headers and self._etag_matches(request, memo["etag"]):
            return _read_cors(self._not_modified(memo))
        # The API declares GET operations only; HEAD is the same answer without its body.
        head = request.method == "HEAD"
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD" if head else "GET"
        # A streamed answer's body is not at hand to hash.
        if response.status_code != 200 or not isinstance(response, HttpResponse):
            return _read_cors(response)
        # Tagged from its uncompressed body by ApiContentTagMiddleware, inside GZipMiddleware.
        etag = response["ETag"]
        # An answer the memo already holds, dated: nothing to look up or write (a cache write
        # costs an anonymous read more than the rest of its caching).
        remembered = memo["last_modified"] if memo and memo["etag"] == etag else None
        if not response.has_header("Last-Modified"):
            since = remembered or _unchanged_since(request, etag)
            if since:
                response["Last-Modified"] = since
        if head:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        if "Authorization" in request.headers or _signed_in(request):
            response["Cache-Control"] = "private, no-store"
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = _public_cache_control()
        patch_vary_headers(response, READ_VARY)
        if memo_key and not remembered and not response.cookies:
            memo = {"etag": etag, "last_modified": response.get("Last-Modified")}
            cache.set(memo_key, memo, settings.API_PUBLIC_MAX_AGE)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return _read_cors(conditional or response)

    @staticmethod
    def _etag_matches(request: HttpRequest, etag: str) -> bool:
        # If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
        wanted = {tag.removeprefix("W/") for tag in parse_etags(request.headers["If-None-Match"])}
        return "*" in wanted or etag.removeprefix("W/") in wanted

    @staticmethod
    def _not_modified(memo: dict[str, str | None]) -> HttpResponseNotModified:
        response = HttpResponseNotModified()
        response["ETag"] = memo["etag"] or ""
        if last_modified := memo["last_modified"]:
            response["Last-Modified"] = last_modified
        response["Cache-Control"] = _public_cache_control()
        patch_vary_headers(response, READ_VARY)
        return response

    def _preflight(self, request: HttpRequest) -> HttpResponse:
        """Reads are allowed from anywhere; other methods only from the listed and registered
        origins. A refused preflight is a 204 without CORS headers, which the browser treats as a
        refusal."""
        response = HttpResponse(status=204)
        method = request.headers["Access-Control-Request-Method"].upper()
        origin = request.headers.get("Origin", "")
        if method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
            response["Access-Control-Allow-Headers"] = READ_REQUEST_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        elif origin and origin in write_origins():
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = ", ".join((*READ_METHODS, method))
            response["Access-Control-Allow-Headers"] = WRITE_REQUEST_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        patch_vary_headers(response, ("Origin", "Access-Control-Request-Method"))
        return response

    def _write(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for observer in _write_observers:
            # The write is done and committed: what an observer records about it must not turn
            # it into an error, which the client would take for a write that did not happen.
            try:
                with transaction.atomic():
                    observer(request, response)
            except DatabaseError:
                logger.exception("An API write observer failed on %s %s", request.method, request.path)
        origin = request.headers.get("Origin", "")
        if origin and origin in write_origins():
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            patch_vary_headers(response, ("Origin",))
        return response


class ApiContentTagMiddleware:
    """The ETag of an API read, from its body before compression (inside GZipMiddleware).

    Django's gzip adds random padding against BREACH, so compressed bodies differ on every
    request: a tag of the compressed bytes would change each time, defeating every revalidation
    and rewriting the memo on every read. GZipMiddleware marks this tag weak (W/) when it
    compresses: the same content, not the same bytes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and isinstance(response, HttpResponse)
            and request.path.startswith(API_PREFIX)
            and not response.has_header("ETag")
        ):
            response["ETag"] = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
        return response
