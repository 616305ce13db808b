"""Reading a page's link-preview metadata the way a crawler does."""

import json
import re
from html.parser import HTMLParser


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[tuple[str, str]] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.meta.append((values.get("property") or values["name"], values.get("content") or ""))
        if tag == "script":
            self._script_type = values.get("type") or ""
            self.scripts.append((self._script_type, ""))

    def handle_data(self, data):
        if self._script_type is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None


def head_of(response) -> _Head:
    parser = _Head()
    parser.feed(response.content.decode())
    return parser


def json_ld(response) -> dict:
    """The page's one JSON-LD object."""
    scripts = [text for kind, text in head_of(response).scripts if kind == "application/ld+json"]
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


def meta(response, name: str) -> list[str]:
    return [content for key, content in head_of(response).meta if key == name]


def script_count(response) -> int:
    return len(re.findall(r"<script\b", response.content.decode()))
