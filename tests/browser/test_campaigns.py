"""A supporter signs the demo declaration with JavaScript off, confirms from the emailed link,
sees the count change and withdraws; a partner page on another origin frames the form; the
pages pass axe and fit a 360-px screen."""

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from .conftest import axe_violations

CAMPAIGN = "/en/campaigns/come-together-declaration/"


def _mail_text(mail_dir: Path) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(mail_dir.glob("*.log")))


def _link(mail_dir: Path, email: str, kind: str) -> str:
    """The path of the newest confirm or withdraw link sent to this address."""
    messages = [m for m in re.split(r"\n-{20,}\n", _mail_text(mail_dir)) if f"To: {email}" in m]
    assert messages, f"no email to {email}"
    return re.findall(rf"(/[a-z]{{2}}/signatures/{kind}/[^\s]+)", messages[-1])[-1]


def _count(page) -> int:
    return int(page.locator(".campaign-count__number strong").inner_text())


def test_sign_confirm_count_and_withdraw_without_javascript(page_without_js, base_url, mail_dir):
    page = page_without_js
    page.goto(base_url + CAMPAIGN)
    before = _count(page)
    page.get_by_label("Your name").fill("Grace Namuli")
    page.get_by_label("Email", exact=True).fill("grace@nwb-uganda.example")
    page.select_option("select[name=country]", "UG")
    page.get_by_label("Show my name in the list of signers").check()
    page.locator(".sign-form button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Check your email"

    page.goto(base_url + _link(mail_dir, "grace@nwb-uganda.example", "confirm"))
    page.get_by_role("button", name="Confirm my signature").click()
    assert "your signature counts" in page.locator("h1").inner_text()

    page.goto(base_url + CAMPAIGN)
    assert _count(page) == before + 1
    assert "Grace Namuli" in page.locator(".campaign-latest").inner_text()
    assert "Uganda" in page.locator(".campaign-table").inner_text()
    assert page.locator("svg.campaign-map path title", has_text="Uganda: 1").count() == 1

    page.goto(base_url + _link(mail_dir, "grace@nwb-uganda.example", "withdraw"))
    page.get_by_role("button", name="Withdraw my signature").click()
    assert "withdrawn" in page.locator("h1").inner_text()
    page.goto(base_url + CAMPAIGN)
    assert _count(page) == before
    assert (
        page.locator(".campaign-latest").count() == 0
        or "Grace Namuli" not in page.locator(".campaign-latest").inner_text()
    )


def test_errors_are_shown_beside_the_fields_and_input_is_kept(page_without_js, base_url):
    page = page_without_js
    page.goto(base_url + CAMPAIGN)
    page.get_by_label("Your name").fill("Grace Namuli")
    page.get_by_label("Email", exact=True).fill("not-an-email")
    page.locator(".sign-form button[type=submit]").click()
    assert page.get_by_label("Your name").input_value() == "Grace Namuli"
    assert page.locator(".field--error .errorlist").count() == 2  # email, and the country not chosen


@pytest.fixture
def partner_origin(base_url, tmp_path):
    """A partner's web page, served from another local origin, framing our form."""
    campaign_id = _campaign_id(base_url)
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Partner</title></head><body><main>"
        "<h1>Our partner page</h1>"
        f'<iframe src="{base_url}/en/campaigns/{campaign_id}/sign/?embed=1&amp;source=partner-test" '
        'title="Sign the declaration" width="100%" height="900" style="border:0"></iframe>'
        "</main></body></html>"
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _campaign_id(base_url) -> int:
    import urllib.request

    html = urllib.request.urlopen(base_url + CAMPAIGN).read().decode()  # noqa: S310 - loopback
    return int(re.search(r'action="/en/campaigns/(\d+)/sign/', html).group(1))


def test_sign_inside_a_frame_on_a_partner_site(page, partner_origin, base_url, mail_dir):
    page.goto(partner_origin + "/index.html")
    frame = page.frame_locator("iframe")
    frame.get_by_label("Your name").fill("Framed Supporter")
    frame.get_by_label("Email", exact=True).fill("framed@partner.example")
    frame.locator("select[name=country]").select_option("GH")
    frame.locator(".sign-form button[type=submit]").click()
    frame.locator("h1", has_text="Check your email").wait_for(timeout=5000)
    assert "framed@partner.example" in _mail_text(mail_dir)


@pytest.mark.parametrize("path", [CAMPAIGN, CAMPAIGN + "?as=organisation", "/en/campaigns/"])
def test_no_serious_accessibility_violations(page, base_url, path):
    page.goto(base_url + path)
    assert axe_violations(page) == []


def test_the_sign_form_page_has_no_serious_accessibility_violations(page, base_url):
    page.goto(base_url + f"/en/campaigns/{_campaign_id(base_url)}/sign/")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", [CAMPAIGN, "/en/campaigns/"])
def test_no_horizontal_scrolling_at_360px(phone_page, base_url, path):
    phone_page.goto(base_url + path)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide"
