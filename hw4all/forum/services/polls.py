"""Polls: a moderator opens one, eligible voters vote once each (or once per member
organisation), and the closing is recorded once. Every ballot gets a receipt that only its voter
holds; the database keeps its SHA-256, so anyone can find their ballot in the published list and
nobody else can tell whose it is."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import string
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hw4all.coalition.models import Organisation
from hw4all.coalition.queries import organisation_of
from hw4all.core.ratelimit import rate_limit_exceeded

from ..models import (
    Activity,
    ActivityKind,
    Ballot,
    Electorate,
    Poll,
    PollKind,
    PollOption,
    PollParticipation,
    Space,
)
from ..queries.polls import member_organisations
from . import access, activity

MIN_OPTIONS = 2
MAX_OPTIONS = 20
OPTION_MAX_LENGTH = 200
# Unambiguous characters (no 0/O, 1/I/L): a receipt is copied by hand as often as pasted.
RECEIPT_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01ILO")
RECEIPT_LENGTH = 20  # about 100 bits
# Moderators open a few polls a month; more than this in an hour is a mistake or a stolen account.
POLLS_PER_HOUR = 20


# Who may vote


def vote_refusal(poll: Poll, user, now: datetime.datetime | None = None) -> str | None:
    """Why `user` may not vote in `poll` now, in words for them; None when they may."""
    now = now or timezone.now()
    space = poll.space
    if not user.is_authenticated:
        return _("Sign in to vote.")
    if not access.may_view_space(user, space):
        return _("You are not a member of this space.")
    if access.is_suspended(user, space):
        return _("You are suspended from this space and cannot vote until the suspension ends.")
    if not access.may_participate(user, space):
        return _("Only members of this space vote. Join the space to vote in its next polls.")
    if now < poll.opens_at:
        return _("This poll is not open yet.")
    if poll.is_closed(now):
        return _("This poll is closed.")
    if poll.electorate == Electorate.ORGANISATIONS:
        organisation = organisation_of(user)
        if organisation is None:
            return _(
                "In this poll each member organisation votes once, and your account is not linked "
                "to an organisation. Ask the Secretariat to link it."
            )
        if not member_organisations(space).filter(pk=organisation.pk).exists():
            return _(
                "In this poll each member organisation of the space votes once; %(name)s is not one."
            ) % {"name": organisation.name}
        if PollParticipation.objects.filter(poll=poll, organisation=organisation).exists():
            return _("%(name)s has already voted in this poll: each organisation votes once.") % {
                "name": organisation.name
            }
    elif PollParticipation.objects.filter(poll=poll, user=user, organisation__isnull=True).exists():
        return _("You have already voted in this poll.")
    return None


# Opening a poll


def _options_clean(labels: list[str]) -> list[str]:
    cleaned = [" ".join(label.split()) for label in labels]
    cleaned = [label for label in cleaned if label]
    if len(cleaned) < MIN_OPTIONS:
        raise ValidationError({"options": _("Give at least two options.")})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": _("Give at most %(count)d options.") % {"count": MAX_OPTIONS}})
    too_long = [label for label in cleaned if len(label) > OPTION_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            {
                "options": _("An option may have at most %(count)d characters: “%(label)s…”")
                % {"count": OPTION_MAX_LENGTH, "label": too_long[0][:40]}
            }
        )
    seen: set[str] = set()
    for label in cleaned:
        if label.casefold() in seen:
            raise ValidationError(
                {"options": _("“%(label)s” is given twice: each option once.") % {"label": label}}
            )
        seen.add(label.casefold())
    return cleaned


def poll_create(
    *,
    space: Space,
    by,
    question: str,
    description: str = "",
    kind: str = PollKind.SINGLE,
    max_choices: int | None = None,
    electorate: str = Electorate.MEMBERS,
    is_secret: bool = True,
    results_live: bool = False,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime,
    options: list[str],
) -> Poll:
    """Open a poll in `space` (a moderator of it). A start in the past, or none, means now."""
    if not access.is_moderator(by, space):
        raise PermissionDenied(_("Only the space's moderators open polls."))
    now = timezone.now()
    labels = _options_clean(list(options))
    if opens_at is None or opens_at < now:
        opens_at = now
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("Poll times must be timezone-aware.")
    if closes_at <= opens_at:
        errors["closes_at"] = [_("The poll must close after it opens.")]
    if kind != PollKind.MULTIPLE:
        max_choices = None
    elif max_choices is not None and not 1 <= max_choices <= len(labels):
        errors["max_choices"] = [
            _("Between 1 and the number of options (%(count)d).") % {"count": len(labels)}
        ]
    if errors:
        raise ValidationError(errors)
    poll = Poll(
        space=space,
        question=" ".join(question.split()),
        description=description.strip(),
        kind=kind,
        max_choices=max_choices,
        electorate=electorate,
        is_secret=is_secret,
        results_live=results_live,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=by,
        created_at=now,
    )
    poll.full_clean(exclude=["created_by"])
    # Counted once the poll is valid: correcting a form is no abuse.
    if rate_limit_exceeded(scope="forum-poll", key=str(by.pk), limit=POLLS_PER_HOUR, window_seconds=3600):
        raise ValidationError(
            _(
                "You have opened %(count)d polls in the last hour. Wait a while, then try again: your text is kept below."
            )
            % {"count": POLLS_PER_HOUR}
        )
    with transaction.atomic():
        poll.save()
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, label=label, position=number) for number, label in enumerate(labels)]
        )
        summary = poll.question
        if opens_at > now:
            summary = _("%(question)s (opens %(when)s UTC)") % {
                "question": poll.question,
                "when": date_format(opens_at.astimezone(datetime.UTC), "Y-m-d H:i"),
            }
        activity.activity_record(
            space=space, kind=ActivityKind.POLL_OPENED, actor=by, summary=summary, poll=poll
        )
    return poll


# Voting


def receipt_hash(code: str) -> str:
    """The stored form of a receipt, from what the voter typed (case, spaces and dashes ignored)."""
    normalised = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _receipt_new() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _position in range(RECEIPT_LENGTH))
    return "-".join(code[start : start + 4] for start in range(0, RECEIPT_LENGTH, 4))


def choices_clean(poll: Poll, choices: list[int]) -> list[int]:
    """The option ids of a valid ballot for `poll`, or a ValidationError saying what is wrong."""
    valid = set(poll.options.values_list("pk", flat=True))
    try:
        chosen = [int(choice) for choice in choices]
    except (TypeError, ValueError):
        raise ValidationError(_("That is not one of the options."), code="invalid") from None
    if any(choice not in valid for choice in chosen):
        raise ValidationError(_("That is not one of the options."), code="invalid")
    if len(set(chosen)) != len(chosen):
        message = (
            _("Give each option one rank at most.")
            if poll.kind == PollKind.RANKED
            else _("Choose each option once.")
        )
        raise ValidationError(message, code="duplicate")
    if not chosen:
        message = {
            PollKind.SINGLE: _("Choose one option."),
            PollKind.MULTIPLE: _("Choose at least one option."),
            PollKind.RANKED: _("Rank at least your first choice."),
        }[PollKind(poll.kind)]
        raise ValidationError(message, code="empty")
    if poll.kind == PollKind.SINGLE and len(chosen) != 1:
        raise ValidationError(_("Choose only one option."), code="too_many")
    if poll.kind == PollKind.MULTIPLE and poll.max_choices and len(chosen) > poll.max_choices:
        raise ValidationError(
            _("Choose at most %(count)d options.") % {"count": poll.max_choices}, code="too_many"
        )
    return chosen


@dataclass(frozen=True)
class VoteReceipt:
    """What the voter is shown once: the code to find their ballot by."""

    code: str
    organisation: Organisation | None


def poll_vote(
    *, poll: Poll, user, choices: list[int], on_behalf_of_organisation: Organisation | None = None
) -> VoteReceipt:
    """Cast `user`'s ballot, or their organisation's when the poll has one vote per organisation
    (whoever of its people votes first). The participation, the ballot and the count are written
    together; the database refuses a second participation even from two requests at once."""
    now = timezone.now()
    refusal = vote_refusal(poll, user, now)
    if refusal is not None:
        if not access.may_participate(user, poll.space):
            raise PermissionDenied(refusal)
        raise ValidationError(refusal, code="refused")
    organisation = None
    if poll.electorate == Electorate.ORGANISATIONS:
        organisation = organisation_of(user)
        if on_behalf_of_organisation is not None and on_behalf_of_organisation != organisation:
            raise PermissionDenied(_("You can only vote for your own organisation."))
    elif on_behalf_of_organisation is not None:
        raise ValidationError(_("In this poll each member votes for themselves."), code="refused")
    chosen = choices_clean(poll, choices)
    code = _receipt_new()
    try:
        with transaction.atomic():
            PollParticipation.objects.create(poll=poll, user=user, organisation=organisation, created_at=now)
            Ballot.objects.create(
                poll=poll,
                receipt_hash=receipt_hash(code),
                choices=chosen,
                voter=None if poll.is_secret else user,
                organisation=None if poll.is_secret else organisation,
            )
            Poll.objects.filter(pk=poll.pk).update(ballot_count=F("ballot_count") + 1)
    except IntegrityError:
        # The other request of a double click, or a colleague who voted for the organisation
        # at the same moment: its vote stands.
        if organisation is not None:
            message = _("%(name)s has already voted in this poll: each organisation votes once.") % {
                "name": organisation.name
            }
        else:
            message = _("You have already voted in this poll.")
        raise ValidationError(message, code="refused") from None
    return VoteReceipt(code=code, organisation=organisation)


# Closing


def polls_close_due(*, now: datetime.datetime | None = None) -> int:
    """Record the closing of every poll past its closing time, once each, even when two workers
    run this at the same moment. Returns how many it recorded."""
    now = now or timezone.now()
    recorded = Activity.objects.filter(kind=ActivityKind.POLL_CLOSED, poll__isnull=False).values("poll_id")
    due = list(Poll.objects.filter(closes_at__lte=now).exclude(pk__in=recorded).values_list("pk", flat=True))
    count = 0
    for pk in due:
        with transaction.atomic():
            # The row lock (a write lock on SQLite) makes a second worker wait here, then see the
            # first one's record.
            poll = Poll.objects.select_for_update().select_related("space").filter(pk=pk).first()
            if poll is None:
                continue
            if Activity.objects.filter(kind=ActivityKind.POLL_CLOSED, poll=poll).exists():
                continue
            activity.activity_record(
                space=poll.space, kind=ActivityKind.POLL_CLOSED, actor=None, summary=poll.question, poll=poll
            )
            count += 1
    return count
