"""Reads for the forum's home, a space's overview, members and activity pages, and the
moderators' page. Callers have already checked that the person may see the space."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    Comment,
    MembershipStatus,
    ModerationAction,
    Poll,
    Proposal,
    ProposalAuthor,
    ProposalStatus,
    Report,
    Space,
    SpaceKind,
    SpaceMembership,
    Thread,
)
from ..services import access

ACTIVITY_PER_PAGE = 50
OVERVIEW_ITEMS = 5
MEMBERS_PER_PAGE = 50
# How the log words the decisions about people that ModerationKind does not list.
GROUPS = (
    (SpaceKind.GLOBAL, _("Global")),
    (SpaceKind.EUROPEAN, _("European")),
    (SpaceKind.COUNTRY, _("National")),
    (SpaceKind.WORKING_GROUP, _("Working groups")),
)


def _with_counts(spaces: QuerySet[Space]) -> QuerySet[Space]:
    """Each space with its number of members and the time of its latest activity (subqueries,
    so the two never multiply each other's rows)."""
    members = (
        SpaceMembership.objects.filter(space=OuterRef("pk"), status=MembershipStatus.ACTIVE)
        .order_by()
        .values("space")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest = (
        Activity.objects.filter(space=OuterRef("pk")).order_by("-created_at", "-id").values("created_at")[:1]
    )
    return spaces.annotate(member_count=Coalesce(Subquery(members), 0), latest_activity_at=Subquery(latest))


@dataclass
class SpaceGroup:
    kind: str
    heading: str
    spaces: list[Space]


def home_groups(user) -> list[SpaceGroup]:
    """The spaces the person may see, by kind, each with its member count and latest activity."""
    spaces = list(_with_counts(access.spaces_visible(user)).order_by("name"))
    return [
        SpaceGroup(kind=str(kind), heading=str(heading), spaces=[s for s in spaces if s.kind == kind])
        for kind, heading in GROUPS
        if any(s.kind == kind for s in spaces)
    ]


def memberships_of(user) -> dict[int, SpaceMembership]:
    """The person's memberships, invitations and requests, by space."""
    if not user.is_authenticated:
        return {}
    return {m.space_id: m for m in SpaceMembership.objects.filter(user=user)}


def invitations_of(user) -> list[SpaceMembership]:
    return list(
        SpaceMembership.objects.filter(user=user, status=MembershipStatus.INVITED)
        .select_related("space")
        .order_by("-created_at")
    )


def requests_of(user) -> list[SpaceMembership]:
    return list(
        SpaceMembership.objects.filter(user=user, status=MembershipStatus.REQUESTED)
        .select_related("space")
        .order_by("-created_at")
    )


def moderator_names(space: Space) -> list[str]:
    ids = list(
        SpaceMembership.objects.filter(
            space=space, status=MembershipStatus.ACTIVE, is_moderator=True
        ).values_list("user_id", flat=True)
    )
    return sorted(access.display_names(ids).values(), key=str.casefold)


def member_count(space: Space) -> int:
    return SpaceMembership.objects.filter(space=space, status=MembershipStatus.ACTIVE).count()


# A space's overview.


def proposals_visible(space: Space, user, *, is_moderator: bool) -> QuerySet[Proposal]:
    """Proposals the person sees: not hidden (unless they moderate), drafts only their authors'."""
    proposals = Proposal.objects.filter(space=space)
    if not is_moderator:
        proposals = proposals.filter(is_hidden=False)
    if user.is_authenticated:
        is_author = Exists(ProposalAuthor.objects.filter(proposal=OuterRef("pk"), user=user))
        return proposals.filter(~Q(status=ProposalStatus.DRAFT) | is_author)
    return proposals.exclude(status=ProposalStatus.DRAFT)


def overview(space: Space, user, *, is_moderator: bool) -> dict:
    now = timezone.now()
    proposals = (
        proposals_visible(space, user, is_moderator=is_moderator)
        .only("pk", "title", "status", "support_count", "opened_at", "created_at", "is_hidden")
        .order_by("-created_at", "-pk")[:OVERVIEW_ITEMS]
    )
    threads = Thread.objects.filter(space=space)
    if not is_moderator:
        threads = threads.filter(is_hidden=False)
    polls = Poll.objects.filter(space=space, opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")
    return {
        "proposals": list(proposals),
        "threads": list(threads.order_by("-last_activity_at", "-pk")[:OVERVIEW_ITEMS]),
        "polls": list(polls[:OVERVIEW_ITEMS]),
    }


# Members.


@dataclass
class Member:
    membership: SpaceMembership
    name: str


def _named(memberships: list[SpaceMembership]) -> list[Member]:
    names = access.display_names([m.user_id for m in memberships])
    return [Member(membership=m, name=names.get(m.user_id, "")) for m in memberships]


def members(space: Space) -> QuerySet[SpaceMembership]:
    """Active members, moderators first, then by when they joined."""
    return SpaceMembership.objects.filter(space=space, status=MembershipStatus.ACTIVE).order_by(
        "-is_moderator", "joined_at", "pk"
    )


def members_named(memberships) -> list[Member]:
    return _named(list(memberships))


def pending(space: Space, status: str) -> list[Member]:
    return _named(
        list(SpaceMembership.objects.filter(space=space, status=status).order_by("created_at", "pk"))
    )


# The activity page: newest first, keyset pagination on (created_at, id).


def cursor_of(activity: Activity) -> str:
    moment = activity.created_at.astimezone(datetime.UTC)
    return f"{moment.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}_{activity.pk}"


def cursor_parse(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    """The (moment, id) a cursor names, or None for a missing or malformed one."""
    if not cursor or "_" not in cursor:
        return None
    moment, _sep, pk = cursor.rpartition("_")
    try:
        parsed = datetime.datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.UTC)
        return parsed, int(pk)
    except ValueError:
        return None


@dataclass
class ActivityLine:
    activity: Activity
    actor: str
    verb: str
    title: str
    url: str
    hidden: bool


@dataclass
class ActivityPage:
    lines: list[ActivityLine] = field(default_factory=list)
    older: str | None = None
    newer: str | None = None


def _activity_rows(space: Space) -> QuerySet[Activity]:
    # Only what a line shows: the flags of what it is about, not whole proposals.
    return (
        Activity.objects.filter(space=space)
        .select_related("proposal", "thread", "comment", "poll")
        .only(
            "pk", "kind", "actor_id", "summary", "created_at", "space_id",
            "proposal__id", "proposal__is_hidden", "proposal__status",
            "thread__id", "thread__is_hidden",
            "comment__id", "comment__is_hidden", "comment__is_deleted", "comment__thread_id", "comment__proposal_id",
            "poll__id",
        )
    )  # fmt: skip


def _older_than(moment: datetime.datetime, pk: int) -> Q:
    # Written so that the database bounds its walk of the (space, -created_at, -id) index with
    # "created_at <= moment" rather than filter every row newer than the cursor.
    return Q(created_at__lte=moment) & (Q(created_at__lt=moment) | Q(pk__lt=pk))


def _newer_than(moment: datetime.datetime, pk: int) -> Q:
    return Q(created_at__gte=moment) & (Q(created_at__gt=moment) | Q(pk__gt=pk))


def activity_page(
    space: Space, *, before: str | None = None, after: str | None = None, is_moderator: bool = False
) -> ActivityPage:
    """One page of the space's activity: the newest, the ones older than `before`, or the ones
    newer than `after`. Costs the same on the first page and the five hundredth."""
    rows = _activity_rows(space)
    size = ACTIVITY_PER_PAGE
    older_bound, newer_bound = cursor_parse(before), cursor_parse(after)
    if newer_bound is not None:
        items = list(rows.filter(_newer_than(*newer_bound)).order_by("created_at", "id")[: size + 1])
        if len(items) <= size:
            # Back at the newest: the first page, full, rather than a short page above it.
            return activity_page(space, is_moderator=is_moderator)
        has_newer = True
        items = list(reversed(items[:size]))
        has_older = rows.filter(_older_than(items[-1].created_at, items[-1].pk)).exists()
    else:
        query = rows.order_by("-created_at", "-id")
        if older_bound is not None:
            query = query.filter(_older_than(*older_bound))
        items = list(query[: size + 1])
        has_older = len(items) > size
        items = items[:size]
        has_newer = older_bound is not None and (
            not items or rows.filter(_newer_than(items[0].created_at, items[0].pk)).exists()
        )
    page = ActivityPage(lines=activity_lines(items, is_moderator=is_moderator))
    if items:
        page.older = cursor_of(items[-1]) if has_older else None
        page.newer = cursor_of(items[0]) if has_newer else None
    return page


def _comment_url(comment: Comment) -> str:
    if comment.thread_id:
        base = reverse("forum:thread_detail", kwargs={"pk": comment.thread_id})
    else:
        base = reverse("forum:proposal_detail", kwargs={"pk": comment.proposal_id})
    return f"{base}#comment-{comment.pk}"


def activity_lines(items: list[Activity], *, is_moderator: bool) -> list[ActivityLine]:
    names = access.display_names([item.actor_id for item in items if item.actor_id])
    lines = []
    for item in items:
        hidden = any(
            (
                item.proposal is not None and item.proposal.is_hidden,
                item.thread is not None and item.thread.is_hidden,
                item.comment is not None and (item.comment.is_hidden or item.comment.is_deleted),
            )
        )
        if item.comment is not None:
            url = _comment_url(item.comment)
        elif item.proposal is not None:
            url = reverse("forum:proposal_detail", kwargs={"pk": item.proposal.pk})
        elif item.thread is not None:
            url = reverse("forum:thread_detail", kwargs={"pk": item.thread.pk})
        elif item.poll is not None:
            url = reverse("forum:poll_detail", kwargs={"pk": item.poll.pk})
        else:
            url = ""
        lines.append(
            ActivityLine(
                activity=item,
                actor=names.get(item.actor_id, "") if item.actor_id else "",
                verb=item.get_kind_display(),
                title=item.summary,
                url=url,
                # Moderators see what was hidden, marked as such; others a placeholder.
                hidden=hidden and not is_moderator,
            )
        )
    return lines


# The moderators' page.


@dataclass
class ReportedItem:
    kind: str
    target: Comment | Proposal | Thread
    # Each open report with the public name of who made it.
    reports: list[tuple[Report, str]]

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.target.pk}"


def open_reports(space: Space) -> list[ReportedItem]:
    """The space's open reports, one entry per reported item, the oldest report first."""
    reports = list(
        Report.objects.filter(space=space, resolved_at__isnull=True)
        .select_related("comment", "proposal", "thread", "comment__thread", "comment__proposal")
        .order_by("created_at", "pk")
    )
    names = access.display_names([r.reporter_id for r in reports if r.reporter_id])
    items: dict[tuple[str, int], ReportedItem] = {}
    for report in reports:
        for kind in ("comment", "proposal", "thread"):
            target = getattr(report, kind)
            if target is not None:
                entry = items.setdefault(
                    (kind, target.pk), ReportedItem(kind=kind, target=target, reports=[])
                )
                entry.reports.append((report, names.get(report.reporter_id or 0, "")))
    return list(items.values())


def moderation_log(space: Space) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(space=space).order_by("-created_at", "-pk")


def log_lines(actions) -> list[dict]:
    actions = list(actions)
    names = access.display_names([a.moderator_id for a in actions if a.moderator_id])
    return [
        {
            "action": action,
            "moderator": names.get(action.moderator_id, ""),
            "label": action.get_kind_display(),
        }
        for action in actions
    ]
