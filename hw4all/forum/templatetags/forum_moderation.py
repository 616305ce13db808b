"""{% report_link target %} and {% moderation_controls target %} for a comment, proposal or
thread. A page of 2,000 comments calls them 2,000 times: who may see and who moderates are
worked out once per request and space."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import Comment, ModerationKind, Proposal, ProposalStatus, Space, Thread
from ..services import access

register = template.Library()


def _kind(target) -> str | None:
    if isinstance(target, Comment):
        return "comment"
    if isinstance(target, Proposal):
        return "proposal"
    if isinstance(target, Thread):
        return "thread"
    return None


def _space_id(context, target) -> int | None:
    if not isinstance(target, Comment):
        return target.space_id
    # The page's own thread or proposal, when the comment is on it, saves a query per comment.
    for name, field in (("thread", "thread_id"), ("proposal", "proposal_id")):
        container = context.get(name)
        if (
            getattr(target, field)
            and isinstance(container, Thread | Proposal)
            and container.pk == getattr(target, field)
        ):
            return container.space_id
    container = target.thread if target.thread_id else target.proposal
    return container.space_id if container is not None else None


def _rights(context, target) -> tuple[Space | None, bool, bool]:
    """The target's space, whether the person may see the space, whether they moderate it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None, False, False
    space_id = _space_id(context, target)
    if space_id is None:
        return None, False, False
    cache = user.__dict__.setdefault("_forum_moderation_rights", {})
    if space_id not in cache:
        space = context.get("space")
        if not isinstance(space, Space) or space.pk != space_id:
            space = Space.objects.filter(pk=space_id).first()
        if space is None:
            cache[space_id] = (None, False, False)
        else:
            cache[space_id] = (space, access.may_view_space(user, space), access.is_moderator(user, space))
    return cache[space_id]


def _next(context) -> str:
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


def _own(user, target) -> bool:
    if isinstance(target, Comment):
        return target.author_id == user.pk
    return target.created_by_id == user.pk


@register.simple_tag(takes_context=True)
def report_link(context, target) -> str:
    """A "Report" link for a comment, proposal or thread, for signed-in people who may see it
    (not its own author, and not the moderators, who have their controls instead)."""
    kind = _kind(target)
    if kind is None:
        return ""
    _space, may_view, is_moderator = _rights(context, target)
    if not may_view or is_moderator or target.is_hidden:
        return ""
    if getattr(target, "is_deleted", False) or _own(context["request"].user, target):
        return ""
    if isinstance(target, Proposal) and target.status == ProposalStatus.DRAFT:
        return ""
    url = reverse("forum:report", kwargs={"kind": kind, "pk": target.pk})
    return format_html(
        '<a class="forum-report-link" href="{}?{}" rel="nofollow">{}<span class="visually-hidden"> {}</span></a>',
        url,
        urlencode({"next": _next(context)}),
        pgettext("ask the moderators to look at content", "Report"),
        _("this comment")
        if kind == "comment"
        else _("this proposal")
        if kind == "proposal"
        else _("this discussion"),
    )


@register.simple_tag(takes_context=True)
def moderation_controls(context, target) -> str:
    """Hide / restore (and lock / unlock for a thread) links for the space's moderators; each
    leads to a page asking the reason."""
    kind = _kind(target)
    if kind is None:
        return ""
    _space, _may_view, is_moderator = _rights(context, target)
    if not is_moderator:
        return ""
    actions = [ModerationKind.RESTORE if target.is_hidden else ModerationKind.HIDE]
    if kind == "thread":
        actions.append(ModerationKind.UNLOCK if target.is_locked else ModerationKind.LOCK)
    labels = {
        ModerationKind.HIDE: _("Hide"),
        ModerationKind.RESTORE: _("Restore"),
        ModerationKind.LOCK: _("Lock"),
        ModerationKind.UNLOCK: _("Unlock"),
    }
    query = urlencode({"next": _next(context)})
    links = [
        format_html(
            '<a class="button button--secondary" href="{}?{}">{}</a>',
            reverse("forum:moderate", kwargs={"kind": kind, "pk": target.pk, "action": action}),
            query,
            labels[action],
        )
        for action in actions
    ]
    status = ""
    if target.is_hidden:
        status = format_html('<span class="badge">{}</span> ', _("Hidden from members"))
    return format_html(
        '<div class="forum-moderation-controls" role="group" aria-label="{}">{}{}</div>',
        _("Moderation"),
        status,
        format_html_join("", "{}", ((link,) for link in links)),
    )
