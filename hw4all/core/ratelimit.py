"""Fixed-window rate limits kept in the cache (Redis in production, shared by every server)."""

import functools
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from hw4all.core.apierrors import ApiProblem

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key` and say whether it went over `limit` in the current window."""
    if not settings.RATE_LIMITS_ENABLED:
        return False
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{window}:{digest}"
    if cache.add(cache_key, 1, window_seconds + 5):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds + 5)
        return False


def client_network(request: HttpRequest) -> str:
    """The address the request came from; behind the proxy, the one it saw (set
    TRUSTED_PROXY_COUNT to the number of proxies in front of the application)."""
    # From META: `request.headers` copies every header first, a noticeable share of a signature.
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def network_hash(address: str) -> str:
    """Addresses are kept only as keyed hashes: enough to see a burst, not to identify anyone."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


# Writes that anyone may send (public forms, members' actions, API writes) are limited through
# `rate_limited` (views) and `api_rate_limit` (API operations), with the limits of
# settings.RATE_LIMITS. A view so marked carries `rate_limit_scope`, which the coverage test in
# core/tests/test_rate_limits_coverage.py looks for on every write any visitor can reach.

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PER = ("network", "account")
# Never shown back: the page that gives the input back carries a token of its own.
_NOT_SHOWN = frozenset({"csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: int
    per: str


def rates_parse(text: str) -> tuple[Rate, ...]:
    """ "10/1h/account,30/1h/network" -> two rates; a window is a number of s, m, h or d ("15m")."""
    rates = []
    for part in text.split(","):
        limit, window, per = part.strip().split("/")
        amount, unit = window[:-1] or "1", window[-1]
        if unit not in _UNITS or per not in _PER:
            raise ImproperlyConfigured(f"Rate limit {part!r}: write <count>/<n><s|m|h|d>/<network|account>")
        rates.append(Rate(int(limit), int(amount) * _UNITS[unit], per))
    return tuple(rates)


def _scope_rates(scope: str) -> tuple[Rate, ...]:
    try:
        return rates_parse(settings.RATE_LIMITS[scope])
    except KeyError:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no limits for {scope!r}") from None


def rate_limit_wait(request: HttpRequest, scope: str, *, account: str | None = None) -> int | None:
    """Count one write of `scope` by this client (its network, and its account: the signed-in
    user unless `account` names another, an API token) and answer, when it went over one of the
    scope's limits, how many seconds until it may write again; None when it may write now."""
    if account is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        account = f"user:{request.user.pk}"
    wait = None
    now = time.time()
    for rate in _scope_rates(scope):
        key = f"network:{client_network(request)}" if rate.per == "network" else account
        if key is None:
            continue
        if rate_limit_exceeded(
            scope=f"{scope}:{rate.per}:{rate.window_seconds}",
            key=key,
            limit=rate.limit,
            window_seconds=rate.window_seconds,
        ):
            # Windows are fixed: the count starts again when the current one ends.
            left = rate.window_seconds - int(now % rate.window_seconds)
            wait = max(wait or 0, left)
    return wait


def rate_limit_message(wait_seconds: int) -> str:
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ngettext(
        "You have sent this too many times in a short while. To protect the site from abuse, "
        "please wait %(minutes)d minute before sending it again.",
        "You have sent this too many times in a short while. To protect the site from abuse, "
        "please wait %(minutes)d minutes before sending it again.",
        minutes,
    ) % {"minutes": minutes}


def _posted_fields(request: HttpRequest) -> tuple[list[dict], list[tuple[str, str]]]:
    """What the person sent, to give it back: text they wrote to see, edit and copy; the rest
    (choices, codes, the form's own numbers) kept as hidden fields, to be sent again unchanged."""
    shown: list[dict] = []
    kept: list[tuple[str, str]] = []
    for name, values in request.POST.lists():
        if name in _NOT_SHOWN:
            continue
        if len(values) == 1 and any(space in values[0].strip() for space in " \n"):
            value = values[0]
            label = name.rsplit("-", 1)[-1].replace("_", " ").capitalize()
            shown.append(
                {"name": name, "label": label, "value": value, "long": len(value) > 80 or "\n" in value}
            )
        else:
            kept.extend((name, value) for value in values)
    return shown, kept


def rate_limited_response(request: HttpRequest, wait_seconds: int) -> HttpResponse:
    """429 with Retry-After and a clear message; a page gives back everything that was sent, in a
    form that sends it again, so that nothing typed is lost."""
    message = rate_limit_message(wait_seconds)
    if "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json":
        response: HttpResponse = JsonResponse({"error": message}, status=429)
    elif request.headers.get("HX-Request"):
        response = render(request, "core/rate_limited_fragment.html", {"message": message}, status=429)
    else:
        shown, kept = _posted_fields(request)
        context = {
            "message": message,
            "shown": shown,
            "kept": kept,
            "files_dropped": bool(request.FILES),
            "action": request.get_full_path(),
        }
        response = render(request, "core/rate_limited.html", context, status=429)
    response["Retry-After"] = str(wait_seconds)
    add_never_cache_headers(response)
    return response


def rate_limited(scope: str) -> Callable[[_View], _View]:
    """Limits a view's writes (POST, PUT, PATCH, DELETE) with the limits of
    settings.RATE_LIMITS[scope]; reads are never counted. Put it nearest the function, below the
    decorators that check who may write, so that refused requests count nothing."""
    _scope_rates(scope)  # a scope missing from the settings fails at import, not on a request

    def decorator(view: _View) -> _View:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> HttpResponseBase:
            # The request comes first for a view, second for a page's route method.
            request = next(arg for arg in args if isinstance(arg, HttpRequest))
            if request.method in WRITE_METHODS:
                wait = rate_limit_wait(request, scope)
                if wait is not None:
                    return rate_limited_response(request, wait)
            return view(*args, **kwargs)

        wrapper.rate_limit_scope = scope  # type: ignore[attr-defined]
        return cast(_View, wrapper)

    return decorator


def api_rate_limit(request: HttpRequest, scope: str, *, account: str) -> None:
    """For an API write: raises the API's 429 problem when `account` (a token) or its network
    has written too often."""
    wait = rate_limit_wait(request, scope, account=account)
    if wait is not None:
        raise ApiProblem(429, rate_limit_message(wait), headers={"Retry-After": str(wait)})
