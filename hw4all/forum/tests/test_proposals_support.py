"""Members support a proposal personally and, when their account speaks for an organisation, on
its behalf too; each support once, withdrawable; the count and the organisations are shown."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hw4all.coalition.factories import OrganisationFactory
from hw4all.forum.factories import member_of
from hw4all.forum.models import Proposal, ProposalSupport
from hw4all.forum.services import proposals as services

from .test_proposals import opened, text


def support_url(proposal) -> str:
    return reverse("forum:proposal_support", args=[proposal.pk])


@pytest.mark.django_db
def test_a_member_supports_personally_and_for_the_organisation(client, open_space, member, open_member):
    proposal = opened(open_space, open_member)
    client.force_login(member)
    page = text(client.get(proposal.get_absolute_url()))
    organisation = member.person.organisation
    assert "Support this proposal" in page
    assert f"Support on behalf of {organisation.name}" in page

    response = client.post(support_url(proposal), {"action": "support"}, follow=True)
    assert "You support this proposal." in text(response)
    client.post(support_url(proposal), {"action": "support", "on_behalf": "organisation"})
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    page = text(client.get(proposal.get_absolute_url()))
    assert "2 supports" in page
    assert f'<a href="{organisation.get_absolute_url()}">{organisation.name}</a>' in page
    assert "Withdraw my support" in page

    # A second support of the same kind counts once.
    client.post(support_url(proposal), {"action": "support"})
    proposal.refresh_from_db()
    assert proposal.support_count == 2

    client.post(support_url(proposal), {"action": "withdraw"})
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1


@pytest.mark.django_db
def test_one_support_per_organisation_and_its_people_withdraw_it(open_space, open_member):
    organisation = OrganisationFactory(name="Nurses Union of Kenya")
    first = member_of(open_space, organisation=organisation)
    second = member_of(open_space, organisation=organisation)
    proposal = opened(open_space, open_member)
    assert services.proposal_support(proposal=proposal, user=first, on_behalf_of_organisation=True)
    assert not services.proposal_support(proposal=proposal, user=second, on_behalf_of_organisation=True)
    assert services.proposal_support(proposal=proposal, user=second)
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    assert services.proposal_support_withdraw(proposal=proposal, user=second, on_behalf_of_organisation=True)
    proposal.refresh_from_db()
    assert proposal.support_count == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_support(open_space, member, open_member):
    proposal = opened(open_space, open_member)
    ProposalSupport.objects.create(proposal=proposal, user=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalSupport.objects.create(proposal=proposal, user=member)


@pytest.mark.django_db
def test_support_in_place_with_htmx(client, open_space, member, open_member):
    proposal = opened(open_space, open_member)
    client.force_login(member)
    response = client.post(support_url(proposal), {"action": "support"}, headers={"HX-Request": "true"})
    page = text(response)
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="proposal-support"')
    assert "1 support" in page and "Withdraw my support" in page
    assert 'aria-live="polite" hx-swap-oob="true">You support this proposal.' in page


@pytest.mark.django_db
def test_drafts_and_closed_proposals_take_no_support(client, open_space, member, open_member, steering):
    proposal = opened(open_space, open_member)
    services.proposal_decide(proposal=proposal, user=steering, status="adopted", reasons="Agreed.")
    client.force_login(member)
    response = client.post(support_url(proposal), {"action": "support"}, follow=True)
    assert "This proposal no longer takes support." in text(response)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    draft = services.proposal_create(
        space=open_space,
        user=open_member,
        fields={"title": "D", "problem": "P", "proposed": "Q", "level": "global"},
    )
    client.force_login(open_member)
    client.post(support_url(draft), {"action": "support"})
    assert not ProposalSupport.objects.filter(proposal=draft).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_supports_at_once_count_once(open_space, member, open_member):
    """Two requests of the same member at the same moment, each on its own connection."""
    proposal = opened(open_space, open_member)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(member)
    url = support_url(proposal)
    barrier = threading.Barrier(4)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def support(client: Client, on_behalf: str) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                statuses.append(client.post(url, {"action": "support", "on_behalf": on_behalf}).status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=support, args=(client, on_behalf))
        for client in clients
        for on_behalf in ("", "organisation")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302, 302, 302, 302]
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert ProposalSupport.objects.filter(proposal=proposal, organisation__isnull=True).count() == 1
    assert ProposalSupport.objects.filter(proposal=proposal, organisation__isnull=False).count() == 1
    assert proposal.support_count == 2


@pytest.mark.django_db
def test_the_page_costs_the_same_however_many_supporters(client, open_space, open_member):
    proposal = opened(open_space, open_member)
    client.force_login(open_member)

    def queries() -> int:
        client.get(proposal.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(proposal.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    for _number in range(12):
        supporter = member_of(open_space)
        services.proposal_support(proposal=proposal, user=supporter)
        services.proposal_support(proposal=proposal, user=supporter, on_behalf_of_organisation=True)
    assert queries() == few
    assert "24 supports" in text(client.get(proposal.get_absolute_url()))
