"""Spaces and who belongs to them: the Secretariat creates spaces; people join an open space at
once and ask to join a closed one; moderators approve or refuse requests, invite, suspend, expel
and appoint moderators. Every such decision is written to the space's moderation log with who
made it and why."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hw4all.core.audit import audit_record

from ..models import (
    ActivityKind,
    MembershipStatus,
    ModerationAction,
    ModerationKind,
    Space,
    SpaceKind,
    SpaceMembership,
)
from . import access, activity

SPACE_FIELDS = ("name", "slug", "kind", "country", "description", "is_open")
MESSAGE_MAX = 1000
REASON_MAX = 2000


def _require_moderator(user, space: Space) -> None:
    if not access.is_moderator(user, space):
        raise PermissionDenied(_("Only the space's moderators may do this."))


def _reason_clean(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Say why: the moderation log keeps it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("At most %(max)s characters (there are %(count)s).")
                % {"max": REASON_MAX, "count": len(reason)}
            }
        )
    return reason


def log_write(
    *, space: Space, by, kind: str, reason: str, target_user=None, target_summary: str = "", **content
) -> ModerationAction:
    """One line of the moderation log; never edited afterwards."""
    if target_user is not None and not target_summary:
        target_summary = access.display_names([target_user.pk]).get(target_user.pk, "")
    action = ModerationAction.objects.create(
        space=space,
        moderator=by,
        kind=kind,
        target_user=target_user,
        target_summary=target_summary[:300],
        reason=reason,
        **content,
    )
    audit_record(f"forum.{kind}", obj=action, user=by, summary=f"{kind}: {space.name}")
    return action


def _membership_locked(space: Space, user) -> SpaceMembership | None:
    return SpaceMembership.objects.select_for_update().filter(space=space, user=user).first()


def _activate(membership: SpaceMembership, *, actor) -> SpaceMembership:
    """Make a membership active and tell the space's followers."""
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    access.forget_membership(membership.user, membership.space)
    activity.activity_record(
        space=membership.space,
        kind=ActivityKind.MEMBER_JOINED,
        actor=membership.user,
        summary=membership.space.name,
    )
    return membership


# Spaces (the Secretariat, in the admin).


def _space_clean(space: Space) -> None:
    space.name = space.name.strip()
    space.description = space.description.strip()
    if space.kind == SpaceKind.COUNTRY and not space.country:
        raise ValidationError({"country": _("A national space needs its country.")})
    if space.kind != SpaceKind.COUNTRY:
        space.country = ""
    space.full_clean()


def space_create(
    *,
    name: str,
    slug: str,
    kind: str,
    country: str = "",
    description: str = "",
    is_open: bool = True,
    by,
) -> Space:
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat creates spaces."))
    space = Space(
        name=name,
        slug=slug,
        kind=kind,
        country=country,
        description=description,
        is_open=is_open,
        created_by=by,
    )
    _space_clean(space)
    with transaction.atomic():
        space.save()
    return space


def space_update(*, space: Space, by, **fields) -> Space:
    """Change a space's name, kind, country, description or whether it is open."""
    if not access.is_secretariat(by):
        raise PermissionDenied(_("Only the Secretariat changes spaces."))
    unknown = set(fields) - set(SPACE_FIELDS)
    if unknown:
        raise TypeError(f"not a space field: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(space, field, value)
    _space_clean(space)
    with transaction.atomic():
        space.save()
    return space


# Joining and leaving.


def space_join(*, space: Space, user, message: str = "") -> SpaceMembership:
    """An open space: a member at once. A closed one: a request the moderators decide on. An
    invitation waiting for the person is accepted. Two requests at once make one membership."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to join a space."))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            {
                "message": _("At most %(max)s characters (there are %(count)s).")
                % {"max": MESSAGE_MAX, "count": len(message)}
            }
        )
    try:
        with transaction.atomic():
            membership = _membership_locked(space, user)
            if membership is None:
                # The Secretariat already reads every closed space: it joins without asking.
                joins = space.is_open or access.is_secretariat(user)
                status = MembershipStatus.ACTIVE if joins else MembershipStatus.REQUESTED
                membership = SpaceMembership.objects.create(
                    space=space, user=user, status=MembershipStatus.REQUESTED, message=message
                )
                access.forget_membership(user, space)
                if status == MembershipStatus.ACTIVE:
                    _activate(membership, actor=user)
                return membership
            if membership.status == MembershipStatus.ACTIVE:
                raise ValidationError(_("You are already a member of this space."))
            if membership.status == MembershipStatus.REQUESTED:
                raise ValidationError(_("You have already asked to join; the moderators will decide."))
            return _activate(membership, actor=user)
    except IntegrityError:
        # The other request of a double click made the membership first.
        access.forget_membership(user, space)
        existing = SpaceMembership.objects.get(space=space, user=user)
        raise ValidationError(
            _("You are already a member of this space.")
            if existing.status == MembershipStatus.ACTIVE
            else _("You have already asked to join; the moderators will decide.")
        ) from None


def space_leave(*, space: Space, user) -> None:
    """Leave a space, withdraw a request to join, or decline an invitation."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if membership is None:
            raise ValidationError(_("You are not a member of this space."))
        if membership.is_suspended():
            # Leaving and joining again would lift a suspension.
            raise ValidationError(_("You cannot leave the space while you are suspended from it."))
        membership.delete()
    access.forget_membership(user, space)


def invitation_accept(*, space: Space, user) -> SpaceMembership:
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if membership is None or membership.status != MembershipStatus.INVITED:
            raise ValidationError(_("There is no invitation to this space waiting for you."))
        return _activate(membership, actor=user)


def invitation_decline(*, space: Space, user) -> None:
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if membership is None or membership.status != MembershipStatus.INVITED:
            raise ValidationError(_("There is no invitation to this space waiting for you."))
        membership.delete()
    access.forget_membership(user, space)


# What moderators decide.


def membership_request_decide(*, space: Space, user, approve: bool, by, reason: str = "") -> None:
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=False)
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if membership is None or membership.status != MembershipStatus.REQUESTED:
            raise ValidationError(_("This person has no request to join waiting."))
        if approve:
            _activate(membership, actor=user)
        else:
            membership.delete()
            access.forget_membership(user, space)
        log_write(
            space=space,
            by=by,
            kind=ModerationKind.APPROVE if approve else ModerationKind.REFUSE,
            reason=reason,
            target_user=user,
        )


def invitee_find(who: str):
    """The account a moderator means by an @handle or an email address (never shown back)."""
    from ..models import Participant

    who = (who or "").strip()
    user_model = get_user_model()
    if "@" in who.lstrip("@"):
        return user_model.objects.filter(email__iexact=who, is_active=True).first()
    participant = Participant.objects.filter(handle__iexact=who.lstrip("@")).select_related("user").first()
    if participant is not None and participant.user.is_active:
        return participant.user
    return None


def member_invite(*, space: Space, invitee, by, message: str = "") -> SpaceMembership:
    """Invite an existing account; a person who had asked to join is approved instead."""
    _require_moderator(by, space)
    if invitee is None:
        raise ValidationError({"who": _("No account has this @handle or email address.")})
    message = (message or "").strip()[:MESSAGE_MAX]
    with transaction.atomic():
        membership = _membership_locked(space, invitee)
        if membership is not None and membership.status == MembershipStatus.REQUESTED:
            _activate(membership, actor=invitee)
            log_write(space=space, by=by, kind=ModerationKind.APPROVE, reason=message, target_user=invitee)
            return membership
        if membership is not None:
            raise ValidationError(
                {
                    "who": _("This person is already a member.")
                    if membership.status == MembershipStatus.ACTIVE
                    else _("This person is already invited.")
                }
            )
        try:
            with transaction.atomic():
                membership = SpaceMembership.objects.create(
                    space=space,
                    user=invitee,
                    status=MembershipStatus.INVITED,
                    invited_by=by,
                    message=message,
                )
        except IntegrityError:
            raise ValidationError({"who": _("This person is already invited.")}) from None
        access.forget_membership(invitee, space)
        log_write(space=space, by=by, kind=ModerationKind.INVITE, reason=message, target_user=invitee)
    return membership


def _active_membership(space: Space, user) -> SpaceMembership:
    membership = _membership_locked(space, user)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("This person is not a member of the space."))
    return membership


def member_suspend(*, space: Space, user, until: datetime.datetime, reason: str, by) -> SpaceMembership:
    """The member keeps reading the space but may not write, support or vote in it until then."""
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=True)
    if until <= timezone.now():
        raise ValidationError({"until": _("The end of the suspension must be in the future.")})
    if user == by:
        raise ValidationError(_("You cannot suspend yourself."))
    with transaction.atomic():
        membership = _active_membership(space, user)
        if membership.is_moderator and not access.is_secretariat(by):
            raise PermissionDenied(_("Only the Secretariat suspends a moderator."))
        membership.suspended_until = until
        membership.suspension_reason = reason
        membership.save(update_fields=["suspended_until", "suspension_reason"])
        log_write(space=space, by=by, kind=ModerationKind.SUSPEND, reason=reason, target_user=user)
    access.forget_membership(user, space)
    return membership


def member_unsuspend(*, space: Space, user, by, reason: str = "") -> SpaceMembership:
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=False)
    with transaction.atomic():
        membership = _active_membership(space, user)
        if not membership.is_suspended():
            raise ValidationError(_("This member is not suspended."))
        membership.suspended_until = None
        membership.suspension_reason = ""
        membership.save(update_fields=["suspended_until", "suspension_reason"])
        log_write(space=space, by=by, kind=ModerationKind.UNSUSPEND, reason=reason, target_user=user)
    access.forget_membership(user, space)
    return membership


def member_expel(*, space: Space, user, by, reason: str) -> None:
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=True)
    if user == by:
        raise ValidationError(_("To leave the space, use “Leave”."))
    with transaction.atomic():
        membership = _active_membership(space, user)
        if membership.is_moderator and not access.is_secretariat(by):
            raise PermissionDenied(_("Only the Secretariat expels a moderator."))
        membership.delete()
        log_write(space=space, by=by, kind=ModerationKind.EXPEL, reason=reason, target_user=user)
    access.forget_membership(user, space)


def moderator_appoint(*, space: Space, user, by, reason: str = "") -> SpaceMembership:
    """Make someone a moderator of the space (a member first, if they were not). The Secretariat
    appoints a space's first moderators; moderators then appoint others."""
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=False)
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if (
            membership is not None
            and membership.is_moderator
            and membership.status == MembershipStatus.ACTIVE
        ):
            raise ValidationError(_("This person is already a moderator."))
        is_member = membership is not None and membership.status == MembershipStatus.ACTIVE
        if not is_member and not access.is_secretariat(by):
            raise ValidationError(_("Only a member of the space can be made a moderator."))
        if membership is None:
            membership = SpaceMembership.objects.create(
                space=space, user=user, status=MembershipStatus.INVITED, invited_by=by
            )
        membership.is_moderator = True
        membership.save(update_fields=["is_moderator"])
        if membership.status != MembershipStatus.ACTIVE:
            _activate(membership, actor=user)
        log_write(space=space, by=by, kind=ModerationKind.APPOINT, reason=reason, target_user=user)
    access.forget_membership(user, space)
    return membership


def moderator_remove(*, space: Space, user, by, reason: str = "") -> SpaceMembership:
    """The person stays a member; they no longer moderate."""
    _require_moderator(by, space)
    reason = _reason_clean(reason, required=False)
    with transaction.atomic():
        membership = _membership_locked(space, user)
        if membership is None or not membership.is_moderator:
            raise ValidationError(_("This person is not a moderator of the space."))
        membership.is_moderator = False
        membership.save(update_fields=["is_moderator"])
        log_write(space=space, by=by, kind=ModerationKind.DEMOTE, reason=reason, target_user=user)
    access.forget_membership(user, space)
    return membership
