"""The browser tests run against a real server process: the demo site, migrated and loaded by
the same commands `make run` uses, served by granian on loopback, driven by Debian's Chromium."""

import functools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_env(tmp_path_factory) -> dict[str, str]:
    var_dir = tmp_path_factory.mktemp("browser-site")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hw4all.settings.dev",
        "DEBUG": "0",
        "HW4ALL_VAR_DIR": str(var_dir),
        "TASKS_BACKEND": "immediate",
        "EMAIL_URL": f"file://{var_dir / 'mail'}",
        "PAGE_CACHE_SECONDS": "0",
        "CAMPAIGNS_COUNT_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT, capture_output=True)
    return env


def granian_serve(env: dict[str, str], port: int, *options: str) -> subprocess.Popen:
    """The production server (2 workers) on loopback, once it answers."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "hw4all.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            *options,
        ],
        env=env,
        cwd=ROOT,
    )
    # A fresh site answers its first page slowly while the other test worker loads the machine.
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=2)  # noqa: S310 - loopback
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("The test server did not start") from None
            time.sleep(0.3)


@pytest.fixture(scope="session")
def base_url(site_env) -> str:
    port = _free_port()
    server = granian_serve(site_env, port, "--log-level", "warning")
    url = f"http://127.0.0.1:{port}"
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def mail_dir(site_env) -> Path:
    return Path(site_env["EMAIL_URL"].removeprefix("file://"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


# The smallest phone the site is designed for.
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def phone(chromium, *, javascript: bool, bypass_csp: bool = False):
    """A page on a phone, and the list that collects its script and console errors."""
    page = chromium.new_context(java_script_enabled=javascript, bypass_csp=bypass_csp, **PHONE).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def wait_until(page, expression: str, timeout: float = 10) -> None:
    """Wait until `expression` is true in the page. page.wait_for_function compiles its
    predicate with `new Function`, which the site's Content-Security-Policy refuses; this asks
    through page.evaluate, which the debugging protocol runs outside the policy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)


def fits(page) -> bool:
    """Nothing is wider than the screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page and return the violations of the given impacts."""
    # After a click that navigates, the new document may not be parsed yet: wait for it.
    page.wait_for_load_state()
    # Evaluated through the debugging protocol, which the page's Content-Security-Policy does not
    # govern; an injected <script> would be refused by it.
    page.evaluate(_axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))
