"""What the forum's browser tests share (with the `chromium` fixture of conftest.py): pages signed
in as a test account on the live server, on a 360-px phone."""

from django.conf import settings
from django.test import Client

from tests.browser.conftest import PHONE


def context_as(chromium, live_server, user, *, javascript: bool):
    """A phone-sized browser context signed in as `user` (the session made by the test client)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(java_script_enabled=javascript, **PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def page_as(chromium, live_server, user, *, javascript: bool):
    return context_as(chromium, live_server, user, javascript=javascript).new_page()


def main_text(page) -> str:
    return page.locator("main").inner_text()
