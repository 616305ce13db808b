"""Reading polls: a space's open, upcoming and closed polls, the electorate and turnout, the
results (counts, and the instant-runoff rounds of a ranked poll) and the published ballots."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from hw4all.coalition.models import Organisation
from hw4all.coalition.queries import organisation_of

from ..models import (
    Ballot,
    Electorate,
    MembershipStatus,
    Poll,
    PollKind,
    PollOption,
    PollParticipation,
    Space,
)
from ..services import access

# The part of a receipt's hash the ballot list shows: enough to find one's own among thousands.
HASH_PREFIX = 16
RESULTS_CACHE_SECONDS = 24 * 3600


def _voting_memberships(space: Space, *, closed_at: datetime.datetime | None = None):
    """The space's active members who may vote now (not suspended); for a closed poll, those who
    had joined by its closing (a suspension then is not known, nor who has left since)."""
    memberships = space.memberships.filter(status=MembershipStatus.ACTIVE)
    if closed_at is None:
        return memberships.exclude(suspended_until__gt=timezone.now())
    return memberships.filter(Q(joined_at__isnull=True) | Q(joined_at__lte=closed_at))


def member_organisations(space: Space, *, closed_at: datetime.datetime | None = None):
    """The organisations of the space's members who may vote: the electorate of a poll with one
    vote per organisation."""
    voters = _voting_memberships(space, closed_at=closed_at).values("user_id")
    return Organisation.objects.filter(people__user__in=voters).distinct()


@dataclass(frozen=True)
class SpacePolls:
    open: list[Poll]
    upcoming: list[Poll]
    closed: QuerySet[Poll]


def polls_of_space(space: Space, *, now: datetime.datetime | None = None) -> SpacePolls:
    """Open polls closing soonest first, upcoming ones opening soonest first, closed ones newest
    first (a QuerySet, for the caller to paginate)."""
    now = now or timezone.now()
    polls = Poll.objects.filter(space=space)
    return SpacePolls(
        open=list(polls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")),
        upcoming=list(polls.filter(opens_at__gt=now).order_by("opens_at", "pk")),
        closed=polls.filter(closes_at__lte=now).order_by("-closes_at", "-pk"),
    )


def polls_voted(user, polls: Iterable[Poll]) -> set[int]:
    """The ids of those polls where `user` voted, or their organisation did in a poll with one
    vote per organisation."""
    ids = [poll.pk for poll in polls]
    if not user.is_authenticated or not ids:
        return set()
    mine = Q(user=user, organisation__isnull=True)
    organisation = organisation_of(user)
    if organisation is not None:
        mine |= Q(organisation=organisation)
    return set(PollParticipation.objects.filter(mine, poll_id__in=ids).values_list("poll_id", flat=True))


def participation_of(poll: Poll, user) -> PollParticipation | None:
    """The participation that counts for `user`: their own, or their organisation's."""
    if not user.is_authenticated:
        return None
    if poll.electorate == Electorate.ORGANISATIONS:
        organisation = organisation_of(user)
        if organisation is None:
            return None
        return PollParticipation.objects.filter(poll=poll, organisation=organisation).first()
    return PollParticipation.objects.filter(poll=poll, user=user, organisation__isnull=True).first()


def eligible_count(poll: Poll) -> int:
    """How many may vote: the space's members who may vote (or their organisations), together
    with those who voted and have left since. Once the poll is closed, those who joined later
    are not counted."""
    closed_at = poll.closes_at if poll.is_closed() else None
    voted = PollParticipation.objects.filter(poll=poll)
    if poll.electorate == Electorate.ORGANISATIONS:
        organisations = set(
            member_organisations(poll.space, closed_at=closed_at).values_list("pk", flat=True)
        )
        organisations.update(voted.values_list("organisation_id", flat=True))
        return len(organisations - {None})
    users = set(_voting_memberships(poll.space, closed_at=closed_at).values_list("user_id", flat=True))
    users.update(voted.values_list("user_id", flat=True))
    return len(users)


def results_visible(poll: Poll, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return poll.is_closed(now) or (poll.results_live and poll.opens_at <= now)


# Counting


@dataclass(frozen=True)
class RunoffRound:
    # Ballots counted for each option still in the race.
    counts: dict[int, int]
    # Ballots that rank none of the options still in the race.
    exhausted: int
    eliminated: tuple[int, ...] = ()


@dataclass(frozen=True)
class Runoff:
    rounds: tuple[RunoffRound, ...]
    winner: int | None
    # The options still tied when no further elimination can separate them.
    tied: tuple[int, ...] = ()


def instant_runoff(options: Sequence[int], rankings: Iterable[Sequence[int]]) -> Runoff:
    """Instant-runoff count. Each round gives every ballot to its highest-ranked option still in
    the race; an option with more than half of the ballots still counting wins; otherwise the
    option with fewest ballots is eliminated. A tie for fewest is broken by the earlier rounds
    (fewest there goes), latest first; options still tied are eliminated together. When every
    option left has the same count, the result is a tie between them."""
    ballots = [tuple(ranking) for ranking in rankings]
    continuing = list(dict.fromkeys(options))
    rounds: list[RunoffRound] = []
    if not ballots or not continuing:
        return Runoff(rounds=(), winner=None)
    while True:
        in_race = set(continuing)
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in ballots:
            for option in ranking:
                if option in in_race:
                    counts[option] += 1
                    break
            else:
                exhausted += 1
        counting = len(ballots) - exhausted
        top = max(counts.values())
        if top * 2 > counting:
            rounds.append(RunoffRound(counts=counts, exhausted=exhausted))
            leader = next(option for option in continuing if counts[option] == top)
            return Runoff(rounds=tuple(rounds), winner=leader)
        lowest = min(counts.values())
        losers = [option for option in continuing if counts[option] == lowest]
        if len(losers) == len(continuing):
            rounds.append(RunoffRound(counts=counts, exhausted=exhausted))
            return Runoff(rounds=tuple(rounds), winner=None, tied=tuple(continuing))
        for earlier in reversed(rounds):
            if len(losers) == 1:
                break
            fewest = min(earlier.counts[option] for option in losers)
            losers = [option for option in losers if earlier.counts[option] == fewest]
        rounds.append(RunoffRound(counts=counts, exhausted=exhausted, eliminated=tuple(losers)))
        continuing = [option for option in continuing if option not in losers]


@dataclass
class OptionResult:
    option: PollOption
    count: int
    percent: float


@dataclass
class PollResults:
    ballots: int
    eligible: int
    # Single and multiple choice: ballots choosing each option; ranked: first preferences.
    options: list[OptionResult]
    runoff: Runoff | None = None
    # For the rounds table: per option, its count in each round (None once eliminated).
    runoff_rows: list[tuple[PollOption, list[int | None]]] = field(default_factory=list)
    winners: list[PollOption] = field(default_factory=list)

    @property
    def turnout_percent(self) -> float:
        return 100 * self.ballots / self.eligible if self.eligible else 0.0


def poll_results(poll: Poll) -> PollResults:
    """Counts from the stored ballots themselves, the same the ballot list publishes. A closed
    poll's results no longer change: they are counted once and kept."""
    if not poll.is_closed():
        return _results_count(poll)
    key = f"forum:poll-results:{poll.pk}:{poll.ballot_count}"
    results = cache.get(key)
    if results is None:
        results = _results_count(poll)
        cache.set(key, results, RESULTS_CACHE_SECONDS)
    return results


def _results_count(poll: Poll) -> PollResults:
    options = list(poll.options.all())
    rankings = list(Ballot.objects.filter(poll=poll).values_list("choices", flat=True))
    total = len(rankings)
    counts = dict.fromkeys((option.pk for option in options), 0)
    for choices in rankings:
        chosen = choices[:1] if poll.kind == PollKind.RANKED else choices
        for option_id in chosen:
            if option_id in counts:
                counts[option_id] += 1
    results = PollResults(
        ballots=total,
        eligible=max(eligible_count(poll), total),
        options=[
            OptionResult(
                option=option,
                count=counts[option.pk],
                percent=100 * counts[option.pk] / total if total else 0.0,
            )
            for option in options
        ],
    )
    by_id = {option.pk: option for option in options}
    if poll.kind == PollKind.RANKED:
        runoff = instant_runoff([option.pk for option in options], rankings)
        results.runoff = runoff
        results.runoff_rows = [
            (option, [round_.counts.get(option.pk) for round_ in runoff.rounds]) for option in options
        ]
        if runoff.winner is not None:
            results.winners = [by_id[runoff.winner]]
        else:
            results.winners = [by_id[pk] for pk in runoff.tied]
    elif total:
        top = max(counts.values())
        results.winners = [option for option in options if counts[option.pk] == top and top > 0]
    return results


# The published ballots


@dataclass(frozen=True)
class BallotRow:
    hash_prefix: str
    receipt_hash: str
    choices: list[str]
    voter: str = ""
    organisation: str = ""


def ballots_published(poll: Poll) -> QuerySet[Ballot]:
    """Every ballot of the poll in the order of its receipt's hash, which says nothing about when
    it was cast."""
    return (
        Ballot.objects.filter(poll=poll)
        .select_related("organisation")
        .order_by("receipt_hash")
        .only("receipt_hash", "choices", "voter_id", "organisation__name")
    )


def ballot_rows(poll: Poll, ballots: Iterable[Ballot]) -> list[BallotRow]:
    """The ballots as the list shows them: their choices by name and, in an open poll, who cast
    them."""
    ballots = list(ballots)
    labels = dict(poll.options.values_list("pk", "label"))
    names = {} if poll.is_secret else access.display_names([b.voter_id for b in ballots if b.voter_id])
    return [
        BallotRow(
            hash_prefix=ballot.receipt_hash[:HASH_PREFIX],
            receipt_hash=ballot.receipt_hash,
            choices=[labels.get(option_id, "?") for option_id in ballot.choices],
            voter="" if poll.is_secret else names.get(ballot.voter_id or 0, ""),
            organisation="" if poll.is_secret or ballot.organisation is None else ballot.organisation.name,
        )
        for ballot in ballots
    ]


def ballot_position(poll: Poll, receipt_hash: str) -> int | None:
    """Where the ballot with this receipt's hash is in the published list (from 0), if any."""
    if not Ballot.objects.filter(poll=poll, receipt_hash=receipt_hash).exists():
        return None
    return Ballot.objects.filter(poll=poll, receipt_hash__lt=receipt_hash).count()
