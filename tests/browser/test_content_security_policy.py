"""The site's own scripts, styles and charts run under its Content-Security-Policy: nothing a
page needs is refused, and an injected inline script would be."""

import pytest

# The pages whose scripts do the most: htmx swaps, Vega charts, the signing form, the forum.
PAGES = [
    "/en/",
    "/en/library/?q=health",
    "/en/workforce/",
    "/en/workforce/countries/KEN/",
    "/en/campaigns/come-together-declaration/",
    "/en/forum/",
]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.parametrize("path", PAGES)
def test_nothing_the_page_needs_is_refused(page, base_url, path):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []


def test_an_injected_inline_script_does_not_run(page, base_url):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(base_url + "/en/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true";
            document.body.append(script);
        }"""
    )
    assert page.evaluate("window.__injected === undefined")
    assert page.evaluate("window.__violations")[0].startswith("script-src")
