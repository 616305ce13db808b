"""A person in the collaboration space: their profile, memberships, follows and notifications,
what they wrote (discussions, comments, proposals, polls), their support, votes and reports.

Erasing deletes what is only about the person (profile, memberships, follows, notifications, the
record that they voted or supported) and keeps what they wrote for the others in a conversation,
shown as a former member's: the text stays, nothing ties it to them any more (earlier versions of
their comments go). docs/decisions/0013-personal-data.md gives the reasons."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from hw4all.coalition.models import Person
from hw4all.core.personaldata import PersonalDataProvider, Record
from hw4all.users.personaldata import user_ids_for_address

from .models import (
    Activity,
    Ballot,
    Comment,
    CommentRevision,
    Follow,
    ModerationAction,
    Notification,
    Participant,
    Poll,
    PollParticipation,
    Proposal,
    ProposalAuthor,
    ProposalSupport,
    ProposalVersion,
    Report,
    Space,
    SpaceMembership,
    Thread,
)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _export(address: str) -> list[Record]:
    user_ids = user_ids_for_address(address)
    records: list[Record] = [
        {
            "type": str(_("Forum profile")),
            "handle": row.handle,
            "name_shown": row.display_name,
            "email_frequency": row.email_frequency,
        }
        for row in Participant.objects.filter(user_id__in=user_ids)
    ]
    records.extend(
        {
            "type": str(_("Space membership")),
            "space": row.space.name,
            "status": row.status,
            "moderator": row.is_moderator,
            "suspended_until": _iso(row.suspended_until),
            "message": row.message,
            "joined_at": _iso(row.joined_at),
        }
        for row in SpaceMembership.objects.filter(user_id__in=user_ids).select_related("space").order_by("pk")
    )
    records.extend(
        {"type": str(_("Discussion started")), "title": row.title, "at": _iso(row.created_at)}
        for row in Thread.objects.filter(created_by_id__in=user_ids).order_by("pk")
    )
    records.extend(
        {
            "type": str(_("Comment")),
            "on": str(row.thread or row.proposal),
            "text": row.body,
            "deleted": row.is_deleted,
            "at": _iso(row.created_at),
        }
        for row in Comment.objects.filter(author_id__in=user_ids)
        .select_related("thread", "proposal")
        .order_by("pk")
    )
    records.extend(
        {"type": str(_("Proposal (as an author)")), "title": row.title, "status": row.status}
        for row in Proposal.objects.filter(author_links__user_id__in=user_ids).distinct().order_by("pk")
    )
    records.extend(
        {
            "type": str(_("Support of a proposal")),
            "proposal": str(row.proposal),
            "for_an_organisation": row.organisation_id is not None,
            "at": _iso(row.created_at),
        }
        for row in ProposalSupport.objects.filter(user_id__in=user_ids)
        .select_related("proposal")
        .order_by("pk")
    )
    records.extend(
        {"type": str(_("Poll created")), "question": row.question, "at": _iso(row.created_at)}
        for row in Poll.objects.filter(created_by_id__in=user_ids).order_by("pk")
    )
    records.extend(
        {"type": str(_("Vote")), "poll": str(row.poll), "at": _iso(row.created_at)}
        for row in PollParticipation.objects.filter(user_id__in=user_ids)
        .select_related("poll")
        .order_by("pk")
    )
    records.extend(
        {"type": str(_("Open ballot")), "poll": str(row.poll), "choices": row.choices}
        for row in Ballot.objects.filter(voter_id__in=user_ids).select_related("poll")
    )
    records.extend(
        {"type": str(_("Report to the moderators")), "reason": row.reason, "at": _iso(row.created_at)}
        for row in Report.objects.filter(reporter_id__in=user_ids).order_by("pk")
    )
    records.extend(
        {"type": str(_("Following")), "what": str(row.space or row.proposal or row.thread)}
        for row in Follow.objects.filter(user_id__in=user_ids).select_related("space", "proposal", "thread")
    )
    records.extend(
        {"type": str(_("Notification")), "reason": row.reason, "at": _iso(row.created_at)}
        for row in Notification.objects.filter(user_id__in=user_ids).order_by("pk")
    )
    return records


def _colleague(organisation_id: int | None, user_ids: list[int]) -> int | None:
    """Another active account of the organisation, if it has one."""
    if organisation_id is None:
        return None
    return (
        Person.objects.filter(organisation_id=organisation_id, user__is_active=True)
        .exclude(user_id__in=user_ids)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )


def _erase(address: str) -> int:
    user_ids = user_ids_for_address(address)
    if not user_ids:
        return 0
    erased = 0
    # A person's own support goes, and the proposal's count with it. An organisation's support or
    # vote stays the organisation's, recorded under a colleague's account: deleting it would let
    # the organisation support or vote a second time.
    for support in ProposalSupport.objects.filter(user_id__in=user_ids):
        colleague = _colleague(support.organisation_id, user_ids)
        if colleague is not None:
            ProposalSupport.objects.filter(pk=support.pk).update(user_id=colleague)
        else:
            Proposal.objects.filter(pk=support.proposal_id).update(support_count=F("support_count") - 1)
            support.delete()
        erased += 1
    for participation in PollParticipation.objects.filter(user_id__in=user_ids):
        colleague = _colleague(participation.organisation_id, user_ids)
        if colleague is not None:
            PollParticipation.objects.filter(pk=participation.pk).update(user_id=colleague)
        else:
            participation.delete()
        erased += 1
    # The ballot stays in the count, no longer naming its voter.
    erased += Ballot.objects.filter(voter_id__in=user_ids).update(voter=None)
    comments = Comment.objects.filter(author_id__in=user_ids)
    erased += CommentRevision.objects.filter(comment__in=comments).delete()[0]
    erased += comments.update(author=None)
    erased += Thread.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    erased += Proposal.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    erased += Proposal.objects.filter(decided_by_id__in=user_ids).update(decided_by=None)
    erased += ProposalAuthor.objects.filter(user_id__in=user_ids).delete()[0]
    erased += ProposalVersion.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    erased += Poll.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    erased += Space.objects.filter(created_by_id__in=user_ids).update(created_by=None)
    erased += Report.objects.filter(reporter_id__in=user_ids).update(reporter=None)
    erased += Report.objects.filter(resolved_by_id__in=user_ids).update(resolved_by=None)
    # The moderation log keeps every action, but no longer names the person it was about.
    with override(None):
        former = _gettext("Former member")
    erased += ModerationAction.objects.filter(target_user_id__in=user_ids).update(
        target_user=None, target_summary=former
    )
    erased += ModerationAction.objects.filter(moderator_id__in=user_ids).update(moderator=None)
    erased += Activity.objects.filter(actor_id__in=user_ids).update(actor=None)
    erased += SpaceMembership.objects.filter(invited_by_id__in=user_ids).update(invited_by=None)
    erased += SpaceMembership.objects.filter(user_id__in=user_ids).delete()[0]
    erased += Follow.objects.filter(user_id__in=user_ids).delete()[0]
    erased += Notification.objects.filter(user_id__in=user_ids).delete()[0]
    erased += Participant.objects.filter(user_id__in=user_ids).delete()[0]
    return erased


PARTICIPANTS = PersonalDataProvider(key="forum", label=_("Collaboration space"), export=_export, erase=_erase)
