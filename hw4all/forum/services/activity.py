"""Recording what happens in a space and telling the people it concerns: the followers of the
space and of the proposal or thread, the people mentioned, the authors. Nobody is told of
anything in a space they may not see, nor of their own doing."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from ..models import Activity, ActivityKind, Follow, Notification, NotificationReason, Space
from . import access, delivery


def activity_record(
    *,
    space: Space,
    kind: ActivityKind,
    actor,
    summary: str,
    proposal=None,
    thread=None,
    comment=None,
    poll=None,
    mentioned: Iterable = (),
    authors: Iterable = (),
    replied_to=None,
) -> Activity:
    """Store the activity and one notification per person concerned (one each, with the most
    specific reason), then hand them to delivery once the transaction commits."""
    activity = Activity.objects.create(
        space=space,
        kind=kind,
        actor=actor,
        proposal=proposal,
        thread=thread,
        comment=comment,
        poll=poll,
        summary=summary[:300],
    )
    reasons: dict[int, str] = {}
    follows = Q(space=space)
    if proposal is not None:
        follows |= Q(proposal=proposal)
    if thread is not None:
        follows |= Q(thread=thread)
    for user_id in Follow.objects.filter(follows).values_list("user_id", flat=True):
        reasons[user_id] = NotificationReason.FOLLOWING
    for user in authors:
        reasons[user.pk] = NotificationReason.AUTHOR
    if replied_to is not None:
        reasons[replied_to.pk] = NotificationReason.REPLY
    for user in mentioned:
        reasons[user.pk] = NotificationReason.MENTIONED
    if actor is not None:
        reasons.pop(actor.pk, None)
    if not reasons:
        return activity
    users = access.users_who_may_view(space, get_user_model().objects.filter(pk__in=reasons, is_active=True))
    notifications = Notification.objects.bulk_create(
        [Notification(user=user, activity=activity, reason=reasons[user.pk]) for user in users],
        ignore_conflicts=True,
    )
    if notifications:
        transaction.on_commit(lambda: delivery.notifications_deliver(activity_id=activity.pk))
    return activity
