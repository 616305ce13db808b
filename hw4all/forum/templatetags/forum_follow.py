"""The follow button of spaces, proposals and threads, the unread notifications count, and the
feed links of an open space."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..queries import notifications as queries
from ..services import follows

register = template.Library()


def follow_button_context(request, target, *, following: bool, next_url: str) -> dict:
    kind = follows.target_kind(target)
    return {
        "kind": kind,
        "target": target,
        "following": following,
        "next": next_url,
        "action": reverse("forum:follow", kwargs={"kind": kind, "pk": target.pk}),
        "label": target.name if kind == "space" else target.title,
    }


@register.simple_tag(takes_context=True)
def follow_button(context, target) -> str:
    """A follow / unfollow button for a space, proposal or thread (a POST form; htmx in place),
    for signed-in people who may see it; nothing for anybody else."""
    request = context.get("request")
    if request is None or target is None or not follows.may_follow(request.user, target):
        return ""
    following = follows.is_following(request.user, target)
    button = follow_button_context(request, target, following=following, next_url=request.get_full_path())
    return render_to_string("forum/notifications/follow_button.html", button, request=request)


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> str:
    """A link to the signed-in person's notifications with the number not read yet."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return render_to_string(
        "forum/notifications/unread.html", {"unread": queries.unread_count(request.user)}, request=request
    )


@register.simple_tag
def space_feed_link(space) -> str:
    """The Atom and RSS feeds' <link>s for a page's <head>: open spaces only, as closed ones have
    none."""
    if space is None or not space.is_open:
        return ""
    return format_html(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">\n'
        '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">',
        space.name,
        reverse("forum:space_feed", kwargs={"slug": space.slug}),
        _("%(space)s (RSS)") % {"space": space.name},
        reverse("forum:space_feed_rss", kwargs={"slug": space.slug}),
    )
