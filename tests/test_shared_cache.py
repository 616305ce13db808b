"""Counters several servers keep in the shared cache stay exact when the servers write at once.
Each thread has its own cache connection (Django keeps one per thread), as each app server has
on Redis; CI runs these on Redis too (marker `cache`)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from hw4all.core.pagecache import page_generation, pagecache_invalidate
from hw4all.core.ratelimit import rate_limit_exceeded

pytestmark = pytest.mark.cache

SERVERS = 8
WINDOW = 3600


def _at_once(function, calls: int) -> list:
    with ThreadPoolExecutor(max_workers=SERVERS) as pool:
        return list(pool.map(lambda _: function(), range(calls)))


def _clear_of_a_window_boundary() -> None:
    # The limit's window is in its key: a burst that straddles two windows is counted twice.
    if WINDOW - time.time() % WINDOW < 10:
        time.sleep(WINDOW - time.time() % WINDOW + 0.1)


def test_a_burst_from_every_server_is_allowed_exactly_the_limit(settings):
    settings.RATE_LIMITS_ENABLED = True
    _clear_of_a_window_boundary()

    refused = _at_once(
        lambda: rate_limit_exceeded(scope="burst", key="203.0.113.9", limit=50, window_seconds=WINDOW), 400
    )

    assert refused.count(False) == 50
    assert refused.count(True) == 350


def test_one_address_over_its_limit_does_not_limit_another(settings):
    settings.RATE_LIMITS_ENABLED = True
    _clear_of_a_window_boundary()
    _at_once(
        lambda: rate_limit_exceeded(scope="burst", key="203.0.113.9", limit=5, window_seconds=WINDOW), 40
    )

    assert not rate_limit_exceeded(scope="burst", key="198.51.100.7", limit=5, window_seconds=WINDOW)
    assert rate_limit_exceeded(scope="burst", key="203.0.113.9", limit=5, window_seconds=WINDOW)


def test_publishes_on_every_server_at_once_each_make_cached_pages_stale():
    before = page_generation()

    _at_once(pagecache_invalidate, 200)

    assert page_generation() == before + 200


def test_what_one_server_caches_the_others_read():
    with ThreadPoolExecutor(max_workers=1) as other_server:
        other_server.submit(cache.set, "shared:greeting", {"text": "Bonjour"}, 60).result()

    assert cache.get("shared:greeting") == {"text": "Bonjour"}
