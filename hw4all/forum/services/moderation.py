"""Reports and moderators' actions on content: anyone who sees a comment, proposal or thread may
report it with a reason; moderators hide or restore it, lock or unlock a thread, or dismiss the
reports. Each action is logged with who and why in the same transaction, and settles the open
reports on the item."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import Comment, ModerationKind, Proposal, ProposalAuthor, ProposalStatus, Report, Space, Thread
from . import access
from .spaces import REASON_MAX, log_write

KINDS: dict[str, type[Comment] | type[Proposal] | type[Thread]] = {
    "comment": Comment,
    "proposal": Proposal,
    "thread": Thread,
}
# What each action may be applied to.
ACTIONS: dict[str, tuple[str, ...]] = {
    ModerationKind.HIDE: ("comment", "proposal", "thread"),
    ModerationKind.RESTORE: ("comment", "proposal", "thread"),
    ModerationKind.LOCK: ("thread",),
    ModerationKind.UNLOCK: ("thread",),
    ModerationKind.DISMISS: ("comment", "proposal", "thread"),
}


def target_get(kind: str, pk: int) -> tuple[Comment | Proposal | Thread, Space]:
    """The comment, proposal or thread and its space; Http404 for an unknown kind or id."""
    target: Comment | Proposal | Thread | None
    if kind == "comment":
        target = Comment.objects.select_related("thread__space", "proposal__space").filter(pk=pk).first()
        if target is None:
            raise Http404
        return target, container_of(target).space
    if kind == "proposal":
        target = Proposal.objects.select_related("space").filter(pk=pk).first()
    elif kind == "thread":
        target = Thread.objects.select_related("space").filter(pk=pk).first()
    else:
        raise Http404
    if target is None:
        raise Http404
    return target, target.space


def container_of(comment: Comment) -> Thread | Proposal:
    """The thread or proposal a comment is on (exactly one, by a database constraint)."""
    container = comment.thread if comment.thread_id else comment.proposal
    assert container is not None  # noqa: S101 - the constraint forum_comment_one_target
    return container


def kind_of(target) -> str:
    for kind, model in KINDS.items():
        if isinstance(target, model):
            return kind
    raise TypeError(type(target).__name__)


def _is_author(user, target) -> bool:
    if isinstance(target, Comment):
        return target.author_id == user.pk
    if isinstance(target, Thread):
        return target.created_by_id == user.pk
    return ProposalAuthor.objects.filter(proposal=target, user=user).exists()


def may_see(user, target, space: Space) -> bool:
    """Whether the person sees the item itself (not a placeholder)."""
    if not access.may_view_space(user, space):
        return False
    if access.is_moderator(user, space):
        return True
    if target.is_hidden:
        return False
    if isinstance(target, Comment):
        return not target.is_deleted and not container_of(target).is_hidden
    if isinstance(target, Proposal) and target.status == ProposalStatus.DRAFT:
        return user.is_authenticated and _is_author(user, target)
    return True


def summary_of(target) -> str:
    if isinstance(target, Comment):
        container = container_of(target)
        excerpt = Truncator(" ".join(target.body.split())).chars(120)
        return _("Comment on “%(title)s”: %(excerpt)s") % {"title": container.title, "excerpt": excerpt}
    return target.title


def _reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("At most %(max)s characters (there are %(count)s).")
                % {"max": REASON_MAX, "count": len(reason)}
            }
        )
    return reason


def report_create(*, reporter, target, reason: str) -> Report:
    """Ask the moderators to look at an item; one open report per person and item."""
    kind = kind_of(target)
    target, space = target_get(kind, target.pk)
    if not reporter.is_authenticated:
        raise PermissionDenied(_("Sign in to report."))
    if not may_see(reporter, target, space):
        raise Http404
    reason = _reason_clean(reason)
    try:
        with transaction.atomic():
            return Report.objects.create(space=space, reporter=reporter, reason=reason, **{kind: target})
    except IntegrityError:
        # The database keeps one open report per person and item, even from two clicks at once.
        raise ValidationError(_("You have already reported this; the moderators will look at it.")) from None


def moderate(*, by, target, action: str, reason: str) -> None:
    """Hide, restore, lock, unlock or dismiss the reports; logged and settling open reports."""
    kind = kind_of(target)
    if action not in ACTIONS or kind not in ACTIONS[action]:
        raise Http404
    target, space = target_get(kind, target.pk)
    if not access.may_view_space(by, space):
        raise Http404
    if not access.is_moderator(by, space):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    reason = _reason_clean(reason)
    with transaction.atomic():
        target = type(target).objects.select_for_update().get(pk=target.pk)
        open_reports = Report.objects.filter(resolved_at__isnull=True, **{kind: target})
        if action in (ModerationKind.HIDE, ModerationKind.RESTORE):
            hidden = action == ModerationKind.HIDE
            if target.is_hidden == hidden:
                raise ValidationError(_("It is already hidden.") if hidden else _("It is not hidden."))
            target.is_hidden = hidden
            target.save(update_fields=["is_hidden"])
        elif action in (ModerationKind.LOCK, ModerationKind.UNLOCK):
            locked = action == ModerationKind.LOCK
            if target.is_locked == locked:
                raise ValidationError(_("It is already locked.") if locked else _("It is not locked."))
            target.is_locked = locked
            target.save(update_fields=["is_locked"])
        elif not open_reports.exists():
            raise ValidationError(_("There is no open report to dismiss."))
        log_write(
            space=space,
            by=by,
            kind=action,
            reason=reason,
            target_summary=summary_of(target),
            **{kind: target},
        )
        open_reports.update(resolved_at=timezone.now(), resolved_by=by)
