"""Every OWASP filter-evasion vector through every path that makes user text into HTML: the one
sanitiser (user HTML), the forum's Markdown (rendered, then the same sanitiser), and the plain
text that templates escape. The pages that show each field are in the other files here."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils.html import conditional_escape
from wagtail.rich_text import expand_db_html

from hw4all.core.sanitize import html_sanitize, text_plain
from hw4all.forum.markdown import markdown_html

from .xss import VECTORS, assert_inert_fragment, fragment_active_content

ROOT = Path(__file__).resolve().parents[2]

# How templates show plain text: as text, in attributes, and with the line-break filters.
PLAIN_TEMPLATE = Template(
    '<p>{{ value }}</p><p title="{{ value }}">{{ value|linebreaksbr }}</p>{{ value|linebreaks }}'
    '<input value="{{ value }}"><a href="/search/?q={{ value|urlencode }}">{{ value|truncatewords:30 }}</a>'
    "<textarea>{{ value }}</textarea><title>{{ value }}</title>"
)


def test_the_corpus_holds_the_cheat_sheet():
    assert 120 <= len(VECTORS) == len(set(VECTORS))
    # Each one is hostile when shown raw: the checker itself sees what it is meant to find.
    active = [vector for vector in VECTORS if fragment_active_content(vector)]
    assert len(active) > len(VECTORS) // 2


@pytest.mark.parametrize("vector", VECTORS)
def test_the_sanitiser_leaves_nothing_that_runs(vector):
    cleaned = html_sanitize(vector)
    assert_inert_fragment(cleaned, vector)
    # Sanitising is stable: cleaning again (as an edit of saved text does) changes nothing.
    assert html_sanitize(cleaned) == cleaned
    # Wagtail's richtext filter, which shows sanitised fields, adds nothing either.
    assert_inert_fragment(expand_db_html(cleaned), vector)


@pytest.mark.parametrize("vector", VECTORS)
def test_markdown_leaves_nothing_that_runs(vector):
    assert_inert_fragment(markdown_html(vector), vector)
    assert_inert_fragment(markdown_html(f"Before\n\n{vector}\n\n- after *{vector}*"), vector)


@pytest.mark.parametrize("vector", VECTORS)
def test_plain_text_is_shown_as_text(vector):
    plain = text_plain(vector)
    assert_inert_fragment(str(conditional_escape(plain)), vector)
    assert_inert_fragment(PLAIN_TEMPLATE.render(Context({"value": plain})), vector)
    assert_inert_fragment(PLAIN_TEMPLATE.render(Context({"value": vector})), vector)


def test_links_keep_only_web_and_mail_addresses():
    cleaned = html_sanitize(
        '<a href="https://example.org/a">a</a><a href="mailto:x@example.org">b</a>'
        '<a href="javascript:alert(1)">c</a><a href="/relative">d</a>'
    )
    assert 'href="https://example.org/a"' in cleaned and 'href="mailto:x@example.org"' in cleaned
    assert "javascript" not in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def python_sources():
    return [path for path in (ROOT / "hw4all").rglob("*.py") if "tests" not in path.parts]


def test_one_sanitiser_for_all_user_html():
    """Only core.sanitize imports an HTML cleaner; everything else goes through it."""
    cleaners = {}
    for path in python_sources():
        text = path.read_text(encoding="utf-8")
        if any(f"import {name}" in text or f"from {name}" in text for name in ("nh3", "bleach", "lxml.html")):
            cleaners[path.relative_to(ROOT).as_posix()] = True
    assert list(cleaners) == ["hw4all/core/sanitize.py"]


def test_markdown_is_rendered_without_raw_html_and_then_sanitised():
    assert markdown_html("<b onclick=alert(1)>x</b>") == "<p>&lt;b onclick=alert(1)&gt;x&lt;/b&gt;</p>\n"
    assert markdown_html("[x](https://example.org)") == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">x</a></p>\n'
    )
