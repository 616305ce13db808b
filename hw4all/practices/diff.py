"""What changed between two revisions of a case, field by field, word by word: authors, reviewers
and the Secretariat read it to see how a revised case answered the comments."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_countries import countries

from .models import CODE_ARTICLES, READING_ORDER, SECTION_FIELDS, Level, Theme

BLOCK_END = re.compile(r"</(p|li|h2|h3|h4|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def text_of(value: str) -> str:
    """Sanitised HTML as the words a reader sees, one paragraph per line."""
    return html.unescape(TAG.sub("", BLOCK_END.sub("\n", value))).strip()


def _list_items(name: str, values: list) -> list[str]:
    if name == "countries":
        names = dict(countries)
        return [str(names.get(code, code)) for code in values]
    if name == "levels":
        return [str(Level(value).label) for value in values if value in Level.values]
    if name == "themes":
        return [str(Theme(value).label) for value in values if value in Theme.values]
    if name == "code_articles":
        return [f"{number} ({CODE_ARTICLES[number]})" for number in values if number in CODE_ARTICLES]
    return [str(value) for value in values]


def _tokens(name: str, value) -> list[str]:
    """Words with the spaces between them kept as tokens, so joined parts read like the original;
    a list's items are whole tokens, so "Kenya" and "Kenya, Uganda" differ by one item."""
    if isinstance(value, list):
        tokens: list[str] = []
        for item in _list_items(name, value):
            tokens += [", ", item] if tokens else [item]
        return tokens
    text = text_of(value or "") if name in SECTION_FIELDS else (value or "")
    return re.findall(r"\s+|[^\s]+", text)


@dataclass(frozen=True)
class FieldDiff:
    name: str
    # (kind, words): kind is "same", "added" or "removed".
    parts: tuple[tuple[str, str], ...]

    def as_html(self) -> SafeString:
        """<ins> and <del> around the changed words; everything else escaped."""
        tags = {"same": "{}", "added": "<ins>{}</ins>", "removed": "<del>{}</del>"}
        return format_html_join("", "{}", ((format_html(tags[kind], words),) for kind, words in self.parts))


def field_diff(name: str, old, new) -> FieldDiff | None:
    old_words, new_words = _tokens(name, old), _tokens(name, new)
    if old_words == new_words:
        return None
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(("same", "".join(old_words[a_start:a_end])))
            continue
        if a_end > a_start:
            parts.append(("removed", "".join(old_words[a_start:a_end])))
        if b_end > b_start:
            parts.append(("added", "".join(new_words[b_start:b_end])))
    return FieldDiff(name=name, parts=tuple(parts))


def revision_diff(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two revisions' content, in reading order."""
    return [
        change
        for name in READING_ORDER
        if (change := field_diff(name, old.get(name), new.get(name))) is not None
    ]
