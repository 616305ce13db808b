"""Following spaces, proposals and threads; how often a person wants email; unsubscribing and
marking notifications read. Each checks again who may do it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Follow, Notification, Participant, Proposal, ProposalStatus, Space, Thread
from . import access

FOLLOW_KINDS = ("space", "proposal", "thread")


def target_space(target) -> Space:
    return target if isinstance(target, Space) else target.space


def target_kind(target) -> str:
    if isinstance(target, Space):
        return "space"
    if isinstance(target, Proposal):
        return "proposal"
    if isinstance(target, Thread):
        return "thread"
    raise ValueError(f"Nobody follows a {type(target).__name__}")


def may_follow(user, target) -> bool:
    """A signed-in person who may see it: the space, and for a proposal or thread, not hidden
    (but for moderators) and not a draft they do not write."""
    if not user.is_authenticated:
        return False
    space = target_space(target)
    if not access.may_view_space(user, space):
        return False
    if isinstance(target, Space):
        return True
    if target.is_hidden and not access.is_moderator(user, space):
        return False
    if isinstance(target, Proposal) and target.status == ProposalStatus.DRAFT:
        return target.author_links.filter(user=user).exists()
    return True


def is_following(user, target) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, **{target_kind(target): target}).exists()


def follow_set(*, user, target, following: bool) -> bool:
    """Follow or stop following; returns whether `user` follows it now. Twice is once."""
    if following and not may_follow(user, target):
        raise PermissionDenied
    if not user.is_authenticated:
        raise PermissionDenied
    lookup = {"user": user, target_kind(target): target}
    with transaction.atomic():
        if not following:
            Follow.objects.filter(**lookup).delete()
            return False
        try:
            with transaction.atomic():
                Follow.objects.get_or_create(**lookup)
        except IntegrityError:  # the same person's other request made it first
            pass
    return True


def follow_toggle(*, user, target) -> bool:
    return follow_set(user=user, target=target, following=not is_following(user, target))


def email_frequency_set(*, user, frequency: str) -> Participant:
    if not user.is_authenticated:
        raise PermissionDenied
    if frequency not in Participant.EmailFrequency.values:
        raise ValidationError({"email_frequency": _("Choose how often you want email.")})
    with transaction.atomic():
        participant = access.participant_for(user)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.email_frequency != frequency:
            # Email turned back on starts from now: what came while it was off stays on the site.
            if participant.email_frequency == Participant.EmailFrequency.NEVER:
                participant.last_digest_at = timezone.now()
            participant.email_frequency = frequency
            participant.save(update_fields=["email_frequency", "last_digest_at"])
    return participant


def participant_by_token(token: str) -> Participant | None:
    if not token or len(token) > 64:
        return None
    return Participant.objects.select_related("user").filter(unsubscribe_token=token).first()


def unsubscribe(*, token: str) -> Participant:
    """The one-click unsubscribe of every email: no more forum email (notifications stay on the
    site). The token is the only credential, as the mail client that posts it has no session."""
    participant = participant_by_token(token)
    if participant is None:
        raise PermissionDenied
    if participant.email_frequency != Participant.EmailFrequency.NEVER:
        participant.email_frequency = Participant.EmailFrequency.NEVER
        participant.save(update_fields=["email_frequency"])
    return participant


def notifications_mark_read(*, user) -> int:
    if not user.is_authenticated:
        raise PermissionDenied
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
