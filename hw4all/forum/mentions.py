"""@mentions in comments: the handles a text names, the people they are (only those who may see
the space, so nobody outside a closed space is told of it or named in it), and the rendered HTML
with each of those handles marked. A mention links nowhere: a profile page is nothing the forum
shows, and the mark is built from the handle alone (letters, digits, "-" and "_"), never from
what was typed around it."""

from __future__ import annotations

import re

from django.utils.html import format_html

from .models import Participant, Space
from .services import access

# At most this many people are told of one comment: a list of every member's handle is not a
# way to reach everybody.
MENTIONS_LIMIT = 20
# "@handle" at the start or after a character that cannot be part of an address or a word, so
# "someone@example.org" is not a mention.
_MENTION = re.compile(r"(?<![\w@./-])@([A-Za-z0-9][A-Za-z0-9_-]{0,39})")
# Tags whose text is shown as typed: no mention is marked inside them.
_LITERAL_TAGS = {"code", "pre", "a"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def _text_parts(html: str):
    """The HTML split at its tags, and for each part whether it is text to look for mentions in
    (outside tags, code and links)."""
    parts = _TAG.split(html)
    literal_depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            found = _TAG_NAME.match(part)
            if found and found.group(2).lower() in _LITERAL_TAGS:
                literal_depth = max(literal_depth + (-1 if found.group(1) else 1), 0)
            yield part, False
        else:
            yield part, not literal_depth and "@" in part


def mention_handles(html: str) -> list[str]:
    """The handles named in rendered HTML, lowercase, once each, in the order they appear."""
    seen: dict[str, None] = {}
    for part, is_text in _text_parts(html):
        if is_text:
            for match in _MENTION.finditer(part):
                seen.setdefault(match.group(1).lower(), None)
    return list(seen)[:MENTIONS_LIMIT]


def mentioned_users(html: str, space: Space) -> dict[str, object]:
    """{handle: user} for the handles in rendered HTML that name an active user who may see
    `space`."""
    handles = mention_handles(html)
    if not handles:
        return {}
    participants = Participant.objects.filter(handle__in=handles, user__is_active=True).select_related("user")
    return {
        participant.handle: participant.user
        for participant in participants
        if access.may_view_space(participant.user, space)
    }


def mentions_mark(html: str, handles) -> str:
    """Mark "@handle" for each of `handles` in sanitised HTML, outside code and links."""
    handles = {handle.lower() for handle in handles}
    if not handles:
        return html

    def mark(match) -> str:
        if match.group(1).lower() not in handles:
            return match.group(0)
        return format_html('<strong class="forum-mention">@{}</strong>', match.group(1))

    return "".join(_MENTION.sub(mark, part) if is_text else part for part, is_text in _text_parts(html))
