"""What changed between two versions of a proposal, field by field, word by word. Texts are
compared as their authors typed them (Markdown), so a reader sees every changed word and mark.

`word_diff` and `Diff` know nothing of proposals: any two texts or lists of items compare with
them."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_countries import countries

from hw4all.practices.models import CODE_ARTICLES, code_article_label

from .models import VERSIONED_FIELDS, Addressee, Proposal, ProposalLevel

WORD = re.compile(r"\s+|[^\s]+")
SAME, ADDED, REMOVED = "same", "added", "removed"


def words(text: str) -> list[str]:
    """Words with the spaces between them kept as tokens, so joined parts read like the text."""
    return WORD.findall(text or "")


def items(values: Sequence[str]) -> list[str]:
    """A list's items as whole tokens separated by commas: "Kenya" and "Kenya, Uganda" differ by
    one item, not by letters."""
    tokens: list[str] = []
    for value in values:
        tokens += [", ", value] if tokens else [value]
    return tokens


@dataclass(frozen=True)
class Diff:
    # (kind, text): kind is SAME, ADDED or REMOVED.
    parts: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> bool:
        return any(kind != SAME for kind, _text in self.parts)

    def as_html(self) -> SafeString:
        """<ins> and <del> around the changed words; every word escaped."""
        tags = {SAME: "{}", ADDED: "<ins>{}</ins>", REMOVED: "<del>{}</del>"}
        return format_html_join("", "{}", ((format_html(tags[kind], text),) for kind, text in self.parts))


def word_diff(old: Sequence[str], new: Sequence[str]) -> Diff:
    """The tokens of `old` and `new` (see `words` and `items`) as runs kept, removed and added."""
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append((SAME, "".join(old[a_start:a_end])))
            continue
        if a_end > a_start:
            parts.append((REMOVED, "".join(old[a_start:a_end])))
        if b_end > b_start:
            parts.append((ADDED, "".join(new[b_start:b_end])))
    return Diff(parts=tuple(parts))


# Proposals


def field_labels() -> dict[str, str]:
    return {
        name: str(getattr(Proposal._meta.get_field(name), "verbose_name", name)) for name in VERSIONED_FIELDS
    }


def _shown(name: str, value) -> list[str]:
    """A versioned value as the tokens a reader compares."""
    if name == "addressees":
        labels = dict(Addressee.choices)
        return items([str(labels.get(value_, value_)) for value_ in value or []])
    if name == "countries":
        names = dict(countries)
        return items([str(names.get(code, code)) for code in value or []])
    if name == "code_articles":
        return items([code_article_label(number) for number in value or [] if number in CODE_ARTICLES])
    if name == "level":
        labels = dict(ProposalLevel.choices)
        return [str(labels.get(value, value))] if value else []
    return words(value or "")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    diff: Diff


def version_diff(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two versions' content, in reading order."""
    labels = field_labels()
    changes = []
    for name in VERSIONED_FIELDS:
        change = word_diff(_shown(name, old.get(name)), _shown(name, new.get(name)))
        if change.changed:
            changes.append(FieldChange(name=name, label=labels[name], diff=change))
    return changes
