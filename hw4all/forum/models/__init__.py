"""The collaboration space's data: spaces and their members and activity (spaces.py), proposals
(proposals.py), discussions (discussions.py), polls (polls.py), following and notifications
(notifications.py), reports and the moderation log (moderation.py)."""

from .discussions import Comment, CommentRevision, Thread
from .moderation import ModerationAction, ModerationKind, Report
from .notifications import Follow, Notification, NotificationReason
from .polls import Ballot, Electorate, Poll, PollKind, PollOption, PollParticipation
from .proposals import (
    CLOSED_STATUSES,
    VERSIONED_FIELDS,
    Addressee,
    Proposal,
    ProposalAuthor,
    ProposalLevel,
    ProposalStatus,
    ProposalSupport,
    ProposalVersion,
)
from .spaces import Activity, ActivityKind, MembershipStatus, Participant, Space, SpaceKind, SpaceMembership

__all__ = [
    "CLOSED_STATUSES",
    "VERSIONED_FIELDS",
    "Activity",
    "ActivityKind",
    "Addressee",
    "Ballot",
    "Comment",
    "CommentRevision",
    "Electorate",
    "Follow",
    "MembershipStatus",
    "ModerationAction",
    "ModerationKind",
    "Notification",
    "NotificationReason",
    "Participant",
    "Poll",
    "PollKind",
    "PollOption",
    "PollParticipation",
    "Proposal",
    "ProposalAuthor",
    "ProposalLevel",
    "ProposalStatus",
    "ProposalSupport",
    "ProposalVersion",
    "Report",
    "Space",
    "SpaceKind",
    "SpaceMembership",
    "Thread",
]
