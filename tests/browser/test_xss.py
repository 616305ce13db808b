"""The OWASP vectors as a member types them into a discussion and as an organisation's
description holds them, opened in Chromium: no dialog opens even with the Content-Security-Policy
switched off (so the sanitising and escaping alone stop them), and with the policy on nothing from
the user's text even tries to run."""

import re
import subprocess
import sys

import pytest

from tests.security.xss import SHORT, TYPEABLE

from .conftest import ROOT
from .test_practices_authoring import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SPACE = "browser-xss"
ORGANISATION = "browser-xss-organisation"
SETUP = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from hw4all.coalition import services
from hw4all.coalition.models import Organisation
from hw4all.forum.factories import SpaceFactory
from hw4all.forum.models import MembershipStatus, Space, SpaceMembership
from tests.security.xss import SHORT, TYPEABLE
space = Space.objects.filter(slug="{SPACE}").first() or SpaceFactory(name="Hostile text", slug="{SPACE}")
user = get_user_model().objects.get(email="member@hw4all.example")
SpaceMembership.objects.get_or_create(
    space=space, user=user, defaults={{"status": MembershipStatus.ACTIVE, "joined_at": timezone.now()}}
)
if not Organisation.objects.filter(slug="{ORGANISATION}").exists():
    services.organisation_create(
        name=" ".join(SHORT)[:200], slug="{ORGANISATION}", country="KE", is_member=True,
        description="\\n".join(TYPEABLE),
    )
"""

INJECTED = (
    "main iframe, main object, main embed, main [onerror], main [onload], main [onmouseover], main [onfocus]"
)
RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def hostile_site(site_env, base_url) -> str:
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SETUP],
        env=site_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return base_url


def provoke(page) -> None:
    """What a reader does that handlers wait for: pointing at things and moving the focus."""
    page.wait_for_load_state("networkidle")
    size = page.viewport_size or {"width": 1280, "height": 720}
    for y in range(0, size["height"], 40):
        page.mouse.move(size["width"] / 2, y)
        page.mouse.move(20, y)
    for _ in range(30):
        page.keyboard.press("Tab")
    page.wait_for_timeout(300)


def visit(page, url: str) -> list[str]:
    dialogs: list[str] = []

    def dismissed(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismissed)
    page.goto(url)
    provoke(page)
    return dialogs


def start_discussion(page, base_url: str) -> str:
    page.goto(f"{base_url}/en/forum/spaces/{SPACE}/discussions/new/")
    page.get_by_label("Title").fill(" ".join(SHORT)[:200])
    page.get_by_label("First comment").fill("\n\n".join(TYPEABLE))
    page.get_by_role("button", name="Start the discussion").click()
    page.wait_for_url(re.compile(r"/forum/discussions/\d+/$"))
    return page.url


def test_no_vector_runs_even_without_the_content_security_policy(browser, hostile_site):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    sign_in(page, hostile_site)
    thread = start_discussion(page, hostile_site)
    assert "alert(" in page.locator("main").inner_text()
    for url in (thread, f"{hostile_site}/en/members/{ORGANISATION}/", f"{hostile_site}/en/members/"):
        assert visit(page, url) == [], url
        assert page.evaluate(f"document.querySelectorAll({INJECTED!r}).length") == 0, url
    context.close()


def test_with_the_policy_nothing_from_user_text_tries_to_run(page, hostile_site):
    page.add_init_script(RECORD)
    sign_in(page, hostile_site)
    thread = start_discussion(page, hostile_site)
    for url in (thread, f"{hostile_site}/en/members/{ORGANISATION}/", f"{hostile_site}/en/members/"):
        assert visit(page, url) == [], url
        assert page.evaluate("window.__violations") == [], url
