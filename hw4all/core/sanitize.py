"""The one place where user-written HTML is made safe to render."""

import html

import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "cite",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "strong",
    "sub",
    "sup",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def html_sanitize(value: str) -> str:
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def text_plain(value: str) -> str:
    """Strip every tag: for fields that must hold text only. The result is text, not HTML (nh3
    writes &, < and > as entities; they are turned back), so templates escape it once."""
    return html.unescape(nh3.clean(value, tags=set()))
