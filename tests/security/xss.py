"""The XSS corpus, and what in rendered HTML could run script or take over the page.

Pages are parsed with html5lib, which follows the WHATWG parsing rules browsers use, so a
malformed tag is read here as a browser would read it. A page with hostile text is compared with
the same page holding harmless text: whatever active content the hostile page has beyond the
harmless one came from the user."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import html5lib

CORPUS = Path(__file__).with_name("xss_vectors.txt")
_PLACEHOLDERS = {"{TAB}": "\t", "{LF}": "\n", "{CR}": "\r", "{NUL}": "\0"}


def _load() -> list[str]:
    vectors = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        for placeholder, character in _PLACEHOLDERS.items():
            line = line.replace(placeholder, character)
        vectors.append(line)
    return vectors


VECTORS = _load()
# Form fields refuse NUL (PostgreSQL cannot store it): those vectors are for the sanitisers.
TYPEABLE = [vector for vector in VECTORS if "\0" not in vector]
# For fields too short for the whole corpus: one of each kind of attack, each under 60 characters.
SHORT = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</textarea><svg/onload=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    '<iframe src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="http://example.invalid/">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<p style="width:expression(alert(1))">x</p>',
    "{{ request.user }}{% debug %}",
]
HARMLESS = "Nurses and midwives"

# Elements that must never come from user text.
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "style",
    "form",
    "bgsound",
}
# Attributes a browser follows as a URL (xlink:href is read under its local name, href).
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "dynsrc",
    "lowsrc",
    "cite",
    "codebase",
    "longdesc",
    "ping",
    "manifest",
    "icon",
}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STYLE_DANGERS = ("expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "@import")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _url_runs_script(value: str) -> bool:
    # Browsers drop tabs and line breaks anywhere in a URL and control characters and spaces
    # around it before reading its scheme.
    url = re.sub(r"[\t\n\r]", "", value).strip("".join(chr(code) for code in range(33))).lower()
    return url.startswith(_SCRIPT_SCHEMES)


def _style_runs_script(value: str) -> bool:
    css = _CSS_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
    css = re.sub(r"\s", "", _CSS_COMMENT.sub("", css).replace("\\", "")).lower()
    return any(danger in css for danger in _STYLE_DANGERS)


def active_content(root) -> Counter:
    """What in a parsed tree could run script, each described without the text around it so that
    the same page with other text gives the same description."""
    found: Counter = Counter()
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = _local(element.tag)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        if tag in ACTIVE_TAGS:
            found[
                (tag, attributes.get("src", ""), attributes.get("type", ""), attributes.get("rel", ""))
            ] += 1
        if tag == "script" and attributes.get("type") in ("application/ld+json", "application/json"):
            try:
                json.loads(element.text or "")
            except ValueError:
                found[("script with broken JSON",)] += 1
        for name, value in attributes.items():
            if name.startswith("on"):
                found[(tag, name)] += 1
            elif name == "srcdoc":
                found[(tag, "srcdoc")] += 1
            elif name in URL_ATTRIBUTES and _url_runs_script(value):
                found[(tag, name, "script URL")] += 1
            elif name == "style" and _style_runs_script(value):
                found[(tag, "style", "script in CSS")] += 1
            elif tag == "meta" and name == "http-equiv" and value.lower() == "refresh":
                found[(tag, "refresh")] += 1
    return found


def page_active_content(document: str) -> Counter:
    return active_content(html5lib.parse(document, treebuilder="etree", namespaceHTMLElements=False))


def fragment_active_content(fragment: str) -> Counter:
    return active_content(html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False))


def assert_inert_fragment(fragment: str, source: str = "") -> None:
    found = fragment_active_content(fragment)
    assert not found, f"active content {dict(found)} in {fragment!r} (from {source!r})"


def assert_no_more_active_content(hostile: str, harmless: str, where: str) -> None:
    """The page with hostile text has no active content the page with harmless text lacks."""
    added = page_active_content(hostile) - page_active_content(harmless)
    assert not added, f"{where}: user text added {dict(added)}"


def packed(vectors: list[str], limit: int, separator: str = "\n\n") -> list[str]:
    """The vectors joined into as few values as fit in a field of `limit` characters."""
    values: list[str] = []
    for vector in vectors:
        if values and len(values[-1]) + len(separator) + len(vector) <= limit:
            values[-1] += separator + vector
        elif len(vector) <= limit:
            values.append(vector)
    return values


def assert_json_html_inert(data, where: str, html_keys: tuple[str, ...] = (), key: str = "") -> None:
    """Every HTML value of an API answer (the fields named html or ..._html, and `html_keys`)
    holds nothing active."""
    if isinstance(data, dict):
        for name, value in data.items():
            assert_json_html_inert(value, where, html_keys, name)
    elif isinstance(data, list):
        for value in data:
            assert_json_html_inert(value, where, html_keys, key)
    elif isinstance(data, str) and (key.endswith("html") or key in html_keys):
        assert_inert_fragment(data, f"{where} {key}")


def _harmless_like(value):
    # Harmless values differ from one another as the hostile ones do (names must be unique).
    return [f"{HARMLESS} {number}" for number in range(len(value))] if isinstance(value, list) else HARMLESS


def assert_pages_inert(build: Callable[..., dict[str, str]], **hostile) -> dict[str, str]:
    """`build` writes the values through the forms or services people use and returns the pages
    that show them ({what: HTML}). It runs once with harmless text, rolled back, then with the
    hostile values; each hostile page must show the text and hold no active content the harmless
    one lacks."""
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        harmless_pages = build(**{name: _harmless_like(value) for name, value in hostile.items()})
        transaction.set_rollback(True)
    cache.clear()
    hostile_pages = build(**hostile)
    assert hostile_pages.keys() == harmless_pages.keys()
    for where, page in hostile_pages.items():
        assert "alert" in page, f"{where} does not show the text written"
        assert_no_more_active_content(page, harmless_pages[where], where)
    return hostile_pages


def assert_feed_inert(feed: str, where: str) -> None:
    """The HTML of a feed's items (RSS descriptions, Atom contents and summaries) holds nothing
    active: feed readers show it as HTML. The feed's own description is text."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(feed)  # noqa: S314 (our own feed, built in the test)
    for item in root.iter():
        if _local(item.tag) not in ("item", "entry"):
            continue
        for element in item:
            if _local(element.tag) in ("description", "content", "summary", "encoded") and element.text:
                assert_inert_fragment(element.text, where)
