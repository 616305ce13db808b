"""Fixtures every app's tests share: a site whose tree is built by the real services."""

import pytest


def pytest_collection_modifyitems(items):
    """A transactional test that does not restore the database as it found it flushes it and
    lets Django create the content types again; the next test that does restore it then fails on
    every one of them. So every transactional test restores it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request or a test in another language leaves that language
    active in the thread, and reverse() and gettext would follow it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and the page cache live in the process-wide cache, counted per account id; the
    database is rolled back after each test and the ids come again, so each test starts with an
    empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def home_page(db):
    from hw4all.pages.services import home_page_ensure

    return home_page_ensure(
        title="Health Workers for All",
        intro="Civil society working for a sustainable health workforce worldwide.",
    )


@pytest.fixture
def news_index(home_page):
    from hw4all.news.models import NewsIndexPage

    index = NewsIndexPage(title="News", slug="news", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def events_index(home_page):
    from hw4all.events.models import EventIndexPage

    index = EventIndexPage(title="Events", slug="events", show_in_menus=True)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium through Playwright, for the apps' browser tests that use Django's
    live_server."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM

    # Playwright's sync API runs an event loop in this thread, and the test reads and writes the
    # database beside it (the live server has its own thread).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()
