"""What a person is told and what they follow, as they may see it now: a notification about
something later hidden, deleted, or in a space they no longer see, is never shown or emailed."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.urls import reverse

from ..models import Activity, Follow, MembershipStatus, Notification, ProposalStatus, SpaceMembership
from ..services import access


def moderated_space_ids(user) -> set[int] | None:
    """The spaces whose hidden content `user` still sees: None for all of them (the
    Secretariat); the spaces they moderate, and for the Steering Committee every space it sees."""
    if not user.is_authenticated:
        return set()
    if access.is_secretariat(user):
        return None
    ids = set(
        SpaceMembership.objects.filter(
            user=user, status=MembershipStatus.ACTIVE, is_moderator=True
        ).values_list("space_id", flat=True)
    )
    if access.is_steering_committee(user):
        ids |= set(access.spaces_visible(user).values_list("pk", flat=True))
    return ids


def activities_visible(activities: QuerySet, user, prefix: str = "") -> QuerySet:
    """Keep the activities (or rows pointing at them through `prefix`, such as "activity__") that
    `user` may see now: in a space they see, about nothing hidden (but for its moderators),
    deleted, or a draft they do not write."""
    viewer = user if user is not None else AnonymousUser()
    rows = activities.filter(**{f"{prefix}space__in": access.spaces_visible(viewer)})
    hidden = (
        Q(**{f"{prefix}proposal__is_hidden": True})
        | Q(**{f"{prefix}thread__is_hidden": True})
        | Q(**{f"{prefix}comment__is_hidden": True})
        | Q(**{f"{prefix}comment__thread__is_hidden": True})
        | Q(**{f"{prefix}comment__proposal__is_hidden": True})
    )
    moderated = moderated_space_ids(viewer)
    if moderated is not None:
        rows = rows.exclude(hidden & ~Q(**{f"{prefix}space_id__in": moderated}))
    rows = rows.exclude(**{f"{prefix}comment__is_deleted": True})
    drafts = Q(**{f"{prefix}proposal__status": ProposalStatus.DRAFT}) | Q(
        **{f"{prefix}comment__proposal__status": ProposalStatus.DRAFT}
    )
    if viewer.is_authenticated:
        written = Q(**{f"{prefix}proposal__author_links__user": viewer}) | Q(
            **{f"{prefix}comment__proposal__author_links__user": viewer}
        )
        rows = rows.exclude(drafts & ~written)
    else:
        rows = rows.exclude(drafts)
    return rows


def notifications_visible(user) -> QuerySet[Notification]:
    return activities_visible(Notification.objects.filter(user=user), user, prefix="activity__")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_visible(user).filter(read_at__isnull=True).count()


def activity_url(activity: Activity) -> str:
    """Where an activity is read: the comment in its thread or proposal, or what it is about."""
    comment = activity.comment
    if comment is not None:
        if comment.thread_id:
            target = reverse("forum:thread_detail", kwargs={"pk": comment.thread_id})
        else:
            target = reverse("forum:proposal_detail", kwargs={"pk": comment.proposal_id})
        return f"{target}#comment-{comment.pk}"
    if activity.poll_id:
        return reverse("forum:poll_detail", kwargs={"pk": activity.poll_id})
    if activity.thread_id:
        return reverse("forum:thread_detail", kwargs={"pk": activity.thread_id})
    if activity.proposal_id:
        return reverse("forum:proposal_detail", kwargs={"pk": activity.proposal_id})
    return reverse("forum:space", kwargs={"slug": activity.space.slug})


@dataclass
class NotificationItem:
    pk: int
    unread: bool
    created_at: object
    actor: str
    what: str
    summary: str
    space: str
    url: str
    reason: str


def notification_items(notifications) -> list[NotificationItem]:
    """The notifications as the page and the emails tell them: who did what, where, and why."""
    notifications = list(notifications)
    names = access.display_names(
        [n.activity.actor_id for n in notifications if n.activity.actor_id is not None]
    )
    return [
        NotificationItem(
            pk=notification.pk,
            unread=notification.read_at is None,
            created_at=notification.created_at,
            actor=names.get(notification.activity.actor_id, ""),
            what=notification.activity.get_kind_display(),
            summary=notification.activity.summary,
            space=notification.activity.space.name,
            url=activity_url(notification.activity),
            reason=notification.get_reason_display(),
        )
        for notification in notifications
    ]


def notifications_for_page(user) -> QuerySet[Notification]:
    return (
        notifications_visible(user)
        .select_related("activity__space", "activity__comment")
        .order_by("-created_at", "-pk")
    )


@dataclass
class FollowItem:
    kind: str
    target: object
    label: str
    space: str
    url: str


def follows_of(user) -> list[FollowItem]:
    """What `user` follows that they may still see, spaces first."""
    visible = set(access.spaces_visible(user).values_list("pk", flat=True))
    moderated = moderated_space_ids(user)
    items: list[FollowItem] = []
    follows = Follow.objects.filter(user=user).select_related("space", "proposal__space", "thread__space")
    for follow in follows.order_by("created_at", "pk"):
        content = follow.proposal or follow.thread
        if follow.space is not None:
            space, kind, label, url = (
                follow.space,
                "space",
                follow.space.name,
                follow.space.get_absolute_url(),
            )
        elif content is not None:
            space, label, url = content.space, content.title, content.get_absolute_url()
            kind = "proposal" if follow.proposal else "thread"
        else:
            continue
        if space.pk not in visible:
            continue
        if content is not None and content.is_hidden and moderated is not None and space.pk not in moderated:
            continue
        items.append(
            FollowItem(kind=kind, target=follow.space or content, label=label, space=space.name, url=url)
        )
    items.sort(key=lambda item: (item.kind != "space", item.space, item.label))
    return items
