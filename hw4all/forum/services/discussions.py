"""Discussions: starting a thread, and commenting on a thread or a proposal (replying, editing with
the earlier text kept, deleting). Every function checks who may act itself; the views only decide
what to show."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hw4all.core.ratelimit import rate_limit_exceeded

from .. import mentions
from ..markdown import markdown_html
from ..models import ActivityKind, Comment, CommentRevision, Follow, Proposal, ProposalStatus, Thread
from . import access
from .activity import activity_record

TITLE_MAX = 200
BODY_MAX = 20_000
# Comments (and new threads) one person may post in a minute: enough for a lively exchange, not
# for a script.
COMMENTS_PER_MINUTE = 10


def comment_refusal(user, *, thread: Thread | None = None, proposal: Proposal | None = None) -> str:
    """Why `user` may not comment on the thread or proposal now, or "" if they may. Moderators
    still write in a locked thread (to say why it is locked, for one); nobody comments on a draft
    or a decided proposal."""
    target = thread if thread is not None else proposal
    if target is None:
        raise ValueError("A comment is on a thread or on a proposal.")
    space = target.space
    if not user.is_authenticated:
        return _("Sign in to comment.")
    if not access.may_view_space(user, space):
        return _("You cannot take part in this space.")
    if access.is_suspended(user, space):
        return _("You are suspended from this space and cannot comment for now.")
    if not access.may_participate(user, space):
        return _("Join this space to take part in its discussions.")
    moderator = access.is_moderator(user, space)
    if target.is_hidden and not moderator:
        return _("It was hidden by a moderator: no new comments.")
    if thread is not None and thread.is_locked and not moderator:
        return _("This discussion is locked: no new comments.")
    if proposal is not None and proposal.status == ProposalStatus.DRAFT:
        return _("Comments open when the proposal is opened for comments.")
    if proposal is not None and proposal.is_closed:
        return _("This proposal is closed: no new comments.")
    return ""


def _body_clean(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write your comment first.")})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {
                "body": _(
                    "A comment holds at most %(max)s characters; this one has %(count)s. "
                    "Shorten it or post it in two parts."
                )
                % {"max": f"{BODY_MAX:,}", "count": f"{len(body):,}"}
            }
        )
    return body


def _title_clean(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the discussion a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("A title holds at most %(max)s characters.") % {"max": TITLE_MAX}})
    return title


def _rate_limit(user) -> None:
    if rate_limit_exceeded(
        scope="forum-comment", key=str(user.pk), limit=COMMENTS_PER_MINUTE, window_seconds=60
    ):
        raise ValidationError(
            _(
                "You have posted %(count)s comments in the last minute. Wait a minute, then post "
                "this one again: your text is kept below."
            )
            % {"count": COMMENTS_PER_MINUTE}
        )


def _rendered(body: str, space) -> tuple[str, dict]:
    """The body's HTML with the mentions of people who may see the space marked, and them."""
    html = markdown_html(body)
    mentioned = mentions.mentioned_users(html, space)
    return mentions.mentions_mark(html, mentioned), mentioned


def _comment_add(*, author, body: str, thread=None, proposal=None, parent=None, now=None) -> tuple:
    target = thread if thread is not None else proposal
    body_html, mentioned = _rendered(body, target.space)
    now = now or timezone.now()
    comment = Comment.objects.create(
        thread=thread,
        proposal=proposal,
        parent=parent,
        author=author,
        body=body,
        body_html=body_html,
        created_at=now,
    )
    if thread is not None:
        Thread.objects.filter(pk=thread.pk).update(comment_count=F("comment_count") + 1, last_activity_at=now)
    return comment, mentioned


def thread_create(*, space, author, title: str, body: str) -> Thread:
    """A new discussion with its first comment. Its author follows it."""
    if not access.may_view_space(author, space) or not access.may_participate(author, space):
        raise PermissionDenied(_("Join this space to start a discussion."))
    errors: dict[str, list[str]] = {}
    try:
        title = _title_clean(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        body = _body_clean(body)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _rate_limit(author)
    access.participant_for(author)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(
            space=space, title=title, created_by=author, created_at=now, last_activity_at=now
        )
        comment, mentioned = _comment_add(author=author, body=body, thread=thread, now=now)
        Follow.objects.get_or_create(user=author, thread=thread)
        activity_record(
            space=space,
            kind=ActivityKind.THREAD_STARTED,
            actor=author,
            summary=title,
            thread=thread,
            comment=comment,
            mentioned=mentioned.values(),
        )
    thread.refresh_from_db()
    return thread


def comment_create(
    *, author, body: str, thread: Thread | None = None, proposal: Proposal | None = None, parent=None
) -> Comment:
    """A comment on a thread or a proposal, maybe a reply to one of its comments. The people
    mentioned (who may see the space), the author replied to and a proposal's authors are told."""
    target: Thread | Proposal
    if thread is not None and proposal is None:
        target = thread
    elif proposal is not None and thread is None:
        target = proposal
    else:
        raise ValueError("A comment is on a thread or on a proposal.")
    refusal = comment_refusal(author, thread=thread, proposal=proposal)
    if refusal:
        raise PermissionDenied(refusal)
    body = _body_clean(body)
    if parent is not None:
        same_target = parent.thread_id == (thread.pk if thread else None) and parent.proposal_id == (
            proposal.pk if proposal else None
        )
        if not same_target:
            raise ValidationError(_("The comment you reply to is not in this conversation."))
        if parent.is_deleted or parent.is_hidden:
            raise ValidationError(
                _("The comment you reply to is no longer shown; reply to the conversation.")
            )
    _rate_limit(author)
    access.participant_for(author)
    with transaction.atomic():
        comment, mentioned = _comment_add(
            author=author, body=body, thread=thread, proposal=proposal, parent=parent
        )
        authors = list(proposal.authors.all()) if proposal is not None else []
        activity_record(
            space=target.space,
            kind=ActivityKind.COMMENT_POSTED,
            actor=author,
            summary=target.title,
            thread=thread,
            proposal=proposal,
            comment=comment,
            mentioned=mentioned.values(),
            authors=authors,
            replied_to=parent.author if parent is not None else None,
        )
    return comment


def _target(comment: Comment):
    return comment.thread if comment.thread_id else comment.proposal


def _author_check(comment: Comment, user) -> None:
    """Only its author changes a comment, while it is shown and they may still comment there."""
    if not user.is_authenticated or comment.author_id != user.pk:
        raise PermissionDenied(_("Only its author can change a comment."))
    if comment.is_deleted or comment.is_hidden:
        raise PermissionDenied(_("This comment is no longer shown: it cannot be changed."))
    target = _target(comment)
    refusal = comment_refusal(
        user,
        thread=target if comment.thread_id else None,
        proposal=None if comment.thread_id else target,
    )
    if refusal:
        raise PermissionDenied(refusal)


def comment_change_refusal(comment: Comment, user) -> str:
    """Why `user` may not edit or delete the comment now, or "" if they may."""
    try:
        _author_check(comment, user)
    except PermissionDenied as error:
        return str(error)
    return ""


def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """The author's new text; the earlier one is kept as a revision anyone who may read the
    comment can see. Mentions added by an edit are marked, but nobody is notified again."""
    _author_check(comment, user)
    body = _body_clean(body)
    if body == comment.body:
        return comment
    body_html, _mentioned = _rendered(body, _target(comment).space)
    with transaction.atomic():
        now = timezone.now()
        CommentRevision.objects.create(
            comment=comment, body=comment.body, created_at=comment.edited_at or comment.created_at
        )
        comment.body = body
        comment.body_html = body_html
        comment.edited_at = now
        comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_delete(*, comment: Comment, user) -> None:
    """The author deletes their comment. With replies it stays as a placeholder (its text and
    earlier versions gone) so the conversation still reads; without, it goes, and so do the
    placeholders above it that it was the last reply to."""
    _author_check(comment, user)
    with transaction.atomic():
        if comment.replies.exists():
            comment.is_deleted = True
            comment.body = ""
            comment.body_html = ""
            comment.save(update_fields=["is_deleted", "body", "body_html"])
            comment.revisions.all().delete()
        else:
            parent_id = comment.parent_id
            comment.delete()
            while parent_id is not None:
                parent = Comment.objects.filter(pk=parent_id, is_deleted=True).first()
                if parent is None or parent.replies.exists():
                    break
                parent_id = parent.parent_id
                parent.delete()
        if comment.thread_id:
            Thread.objects.filter(pk=comment.thread_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
