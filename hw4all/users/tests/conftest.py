import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth's rate limits and the page cache live in the (process-wide) locmem cache."""
    cache.clear()
    yield
    cache.clear()
