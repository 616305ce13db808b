"""Fixed-window rate limits kept in the cache (Redis in production, shared by every server)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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
