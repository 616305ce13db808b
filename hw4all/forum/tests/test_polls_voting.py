"""Casting a vote: what the database keeps (no voter in a secret poll, only the receipt's hash),
one vote per organisation, and the one-vote rule under parallel requests."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from hw4all.coalition.factories import OrganisationFactory
from hw4all.forum.factories import member_of
from hw4all.forum.models import Ballot, Poll, PollParticipation
from hw4all.forum.queries import polls as queries
from hw4all.forum.services import polls as services

from .test_polls import option_ids, poll_open, signed_in, suspend, vote_url


@pytest.mark.django_db
def test_a_secret_ballot_keeps_no_voter_and_no_receipt(open_space, moderator, member):
    poll = poll_open(open_space, moderator, electorate="organisations")
    receipt = services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    ballot = Ballot.objects.get()
    assert ballot.voter is None
    assert ballot.organisation is None
    assert ballot.receipt_hash == services.receipt_hash(receipt.code)
    assert receipt.code not in str(Ballot.objects.values().get())
    # That the organisation voted is kept (one vote each), never with the ballot.
    participation = PollParticipation.objects.get()
    assert (participation.user, participation.organisation) == (member, member.person.organisation)
    assert not hasattr(participation, "ballot")


@pytest.mark.django_db
def test_an_open_ballot_names_the_voter_and_organisation(open_space, moderator, member):
    poll = poll_open(open_space, moderator, is_secret=False, electorate="organisations")
    services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    ballot = Ballot.objects.get()
    assert (ballot.voter, ballot.organisation) == (member, member.person.organisation)


@pytest.mark.django_db
def test_receipts_are_random_and_ballot_keys_too(open_space, moderator):
    poll = poll_open(open_space, moderator)
    voters = [member_of(open_space) for _ in range(5)]
    codes = [services.poll_vote(poll=poll, user=voter, choices=option_ids(poll)[:1]).code for voter in voters]
    assert len(set(codes)) == 5
    assert all(len(code) == 24 and code.count("-") == 4 for code in codes)
    keys = list(Ballot.objects.values_list("pk", flat=True))
    assert all(key.version == 4 for key in keys)
    poll.refresh_from_db()
    assert poll.ballot_count == 5


@pytest.mark.django_db
def test_one_vote_per_member_organisation(open_space, moderator, member):
    organisation = member.person.organisation
    colleague = member_of(open_space, organisation=organisation)
    poll = poll_open(open_space, moderator, electorate="organisations")
    page = signed_in(colleague).get(poll.get_absolute_url()).content.decode()
    assert f"You vote for {organisation.name}." in page

    receipt = services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    assert receipt.organisation == organisation
    # The colleague is told the organisation has voted, on the page and when posting anyway.
    page = signed_in(colleague).get(poll.get_absolute_url()).content.decode()
    assert f"{organisation.name} has voted: another of its people cast its vote." in page
    assert "Cast my vote" not in page
    response = signed_in(colleague).post(vote_url(poll), {"choice": option_ids(poll)[1]}, follow=True)
    assert f"{organisation.name} has already voted in this poll" in response.content.decode()
    assert "You voted for" in signed_in(member).get(poll.get_absolute_url()).content.decode()
    assert Ballot.objects.count() == 1

    # Another member organisation votes too; the turnout counts organisations.
    services.poll_vote(poll=poll, user=moderator, choices=option_ids(poll)[1:2])
    results = queries.poll_results(Poll.objects.get(pk=poll.pk))
    assert (results.ballots, results.eligible) == (2, 2)


@pytest.mark.django_db
def test_who_votes_for_an_organisation(open_space, moderator, member, secretary, outsider):
    poll = poll_open(open_space, moderator, electorate="organisations")
    # The Secretariat takes part everywhere, but its organisation is not a member of the space.
    with pytest.raises(services.ValidationError, match="is not one"):
        services.poll_vote(poll=poll, user=secretary, choices=option_ids(poll)[:1])
    # An account linked to no organisation has no organisation's vote to cast.
    member.person.organisation = None
    member.person.save()
    with pytest.raises(services.ValidationError, match="not linked to an organisation"):
        services.poll_vote(poll=poll, user=member, choices=option_ids(poll)[:1])
    # Nobody votes for an organisation that is not theirs.
    with pytest.raises(services.PermissionDenied):
        services.poll_vote(
            poll=poll,
            user=moderator,
            choices=option_ids(poll)[:1],
            on_behalf_of_organisation=OrganisationFactory(),
        )
    with pytest.raises(services.PermissionDenied):
        services.poll_vote(poll=poll, user=outsider, choices=option_ids(poll)[:1])
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_electorate_of_organisations_leaves_out_suspended_members(open_space, moderator, member):
    poll = poll_open(open_space, moderator, electorate="organisations")
    assert queries.eligible_count(poll) == 2
    suspend(member, open_space)
    assert queries.eligible_count(poll) == 1
    assert "suspended" in services.vote_refusal(poll, member)


# Parallel requests


def _in_parallel(*calls) -> None:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call) -> None:
        try:
            barrier.wait()
            call()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _poster(user, url: str, data: dict, statuses: list):
    client = Client()
    client.force_login(user)
    return lambda: statuses.append(client.post(url, data).status_code)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_votes_from_the_same_member_at_once_count_once(open_space, moderator, member):
    poll = poll_open(open_space, moderator)
    statuses: list[int] = []
    calls = [_poster(member, vote_url(poll), {"choice": pk}, statuses) for pk in option_ids(poll)[:2]] * 2
    _in_parallel(*calls)
    # One answers with the receipt (200), the others are told the vote is cast (302 to the poll).
    assert sorted(statuses) == [200, 302, 302, 302]
    assert PollParticipation.objects.count() == 1
    assert Ballot.objects.count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_of_one_organisation_at_once_count_once(open_space, moderator, member):
    colleague = member_of(open_space, organisation=member.person.organisation)
    poll = poll_open(open_space, moderator, electorate="organisations")
    statuses: list[int] = []
    ids = option_ids(poll)
    _in_parallel(
        _poster(member, vote_url(poll), {"choice": ids[0]}, statuses),
        _poster(colleague, vote_url(poll), {"choice": ids[1]}, statuses),
    )
    assert sorted(statuses) == [200, 302]
    participation = PollParticipation.objects.get()
    assert participation.organisation == member.person.organisation
    assert Ballot.objects.count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1


@pytest.mark.django_db
def test_the_database_takes_one_participation_per_member_and_per_organisation(open_space, moderator, member):
    """What keeps the second of two simultaneous votes out, whatever the checks before it saw."""
    poll = poll_open(open_space, moderator)
    PollParticipation.objects.create(poll=poll, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollParticipation.objects.create(poll=poll, user=member)
    organisation = member.person.organisation
    PollParticipation.objects.create(poll=poll, user=member, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollParticipation.objects.create(poll=poll, user=moderator, organisation=organisation)
