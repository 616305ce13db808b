"""Who sees a space, who takes part in it and who moderates it. Every view, feed, search, API
route and notification asks these, so a closed space's content reaches nobody outside it."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from hw4all.users.roles import SECRETARIAT, STEERING_COMMITTEE, is_secretariat, user_has_role

from ..models import MembershipStatus, Participant, Space, SpaceMembership


def _has_role(user, role: str) -> bool:
    """user_has_role (which also admits superusers), asked once per user object: a page asks
    it for every comment and button."""
    cache = user.__dict__.setdefault("_forum_roles", {})
    if role not in cache:
        cache[role] = user_has_role(user, role)
    return cache[role]


def is_steering_committee(user) -> bool:
    return _has_role(user, STEERING_COMMITTEE)


def membership_of(user, space: Space) -> SpaceMembership | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_forum_memberships", {})
    if space.pk not in cache:
        cache[space.pk] = SpaceMembership.objects.filter(space=space, user=user).first()
    return cache[space.pk]


def forget_membership(user, space: Space) -> None:
    """After a membership changed within one request."""
    user.__dict__.get("_forum_memberships", {}).pop(space.pk, None)


def is_member(user, space: Space) -> bool:
    membership = membership_of(user, space)
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def may_view_space(user, space: Space) -> bool:
    """An open space is read by everyone; a closed one by its members and the Secretariat."""
    return space.is_open or is_member(user, space) or is_secretariat(user)


def spaces_visible(user) -> QuerySet[Space]:
    if is_secretariat(user):
        return Space.objects.all()
    if not user.is_authenticated:
        return Space.objects.filter(is_open=True)
    member_of = SpaceMembership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values("space_id")
    return Space.objects.filter(Q(is_open=True) | Q(pk__in=member_of))


def users_who_may_view(space: Space, users: QuerySet) -> QuerySet:
    """`users` narrowed, in one query, to those who may see the space."""
    if space.is_open:
        return users
    members = SpaceMembership.objects.filter(space=space, status=MembershipStatus.ACTIVE).values("user_id")
    return users.filter(Q(pk__in=members) | Q(is_superuser=True) | Q(groups__name=SECRETARIAT)).distinct()


def is_suspended(user, space: Space) -> bool:
    membership = membership_of(user, space)
    return membership is not None and membership.is_suspended()


def may_participate(user, space: Space) -> bool:
    """Write, comment, support and vote: an active member who is not suspended. The Secretariat
    takes part everywhere without joining."""
    if not user.is_authenticated or is_suspended(user, space):
        return False
    return is_member(user, space) or is_secretariat(user)


def is_moderator(user, space: Space) -> bool:
    """The space's own moderators, the Steering Committee (in spaces it may see) and the
    Secretariat."""
    if not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    membership = membership_of(user, space)
    if membership is not None and membership.is_suspended():
        return False
    if membership is not None and membership.status == MembershipStatus.ACTIVE and membership.is_moderator:
        return True
    return is_steering_committee(user) and may_view_space(user, space)


def may_decide_proposals(user) -> bool:
    """Adopting a proposal as the coalition's position, or declining it, is the Steering
    Committee's decision (the Secretariat records it when asked)."""
    return is_steering_committee(user) or is_secretariat(user)


def _handle_base(user) -> str:
    name = user.get_full_name() or user.email.split("@")[0]
    return (slugify(name) or "member")[:30]


def participant_for(user) -> Participant:
    """The user's forum profile, made the first time it is needed with a free @handle."""
    participant = Participant.objects.filter(user=user).first()
    if participant is not None:
        return participant
    base = _handle_base(user)
    # An account's first and last names may each be as long as the profile's whole name.
    display_name = (user.get_full_name() or base)[: Participant._meta.get_field("display_name").max_length]
    for attempt in range(50):
        handle = base if attempt == 0 else f"{base}-{attempt + 1}"
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    user=user,
                    handle=handle,
                    display_name=display_name,
                    unsubscribe_token=secrets.token_urlsafe(32),
                )
        except IntegrityError:
            existing = Participant.objects.filter(user=user).first()
            if existing is not None:
                return existing
    return Participant.objects.create(
        user=user,
        handle=f"{base}-{secrets.token_hex(4)}",
        display_name=display_name,
        unsubscribe_token=secrets.token_urlsafe(32),
    )


def display_names(user_ids) -> dict[int, str]:
    """Public names of several users in one query (never their emails)."""
    user_ids = set(user_ids) - {None}
    names = dict(Participant.objects.filter(user_id__in=user_ids).values_list("user_id", "display_name"))
    missing = user_ids - set(names)
    if missing:
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.filter(pk__in=missing):
            names[user.pk] = participant_for(user).display_name
    return names
