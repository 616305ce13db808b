"""The forum API: anonymous, open spaces only; drafts and hidden content never listed; closed
spaces and what is in them answer 404."""

import pytest
from django.contrib.auth import get_user_model

from hw4all.coalition.factories import OrganisationFactory
from hw4all.forum.models import ProposalStatus, ProposalSupport, ProposalVersion

from .test_notifications import client_for, make_comment, make_proposal, make_thread

API = "/api/v1/forum"


def test_the_spaces_are_the_open_ones(client, open_space, closed_space):
    body = client.get(f"{API}/spaces").json()
    assert body["next"] is None
    assert [space["slug"] for space in body["items"]] == ["global"]
    assert body["items"][0]["feed_url"].endswith("/en/forum/spaces/global/feed/")


def test_one_open_space(client, open_space, open_member):
    make_proposal(open_space, open_member)
    make_proposal(open_space, open_member, title="Draft", status=ProposalStatus.DRAFT)
    make_thread(open_space, open_member)
    body = client.get(f"{API}/spaces/global").json()
    assert body["name"] == "Global space"
    assert (body["proposals"], body["discussions"], body["members"]) == (1, 1, 1)


@pytest.mark.permission("hw4all_forum_api_space_detail", "public")
@pytest.mark.permission("hw4all_forum_api_space_list", "public")
def test_a_closed_space_is_not_found_even_for_a_signed_in_member(client, closed_space, member):
    proposal = make_proposal(closed_space, member, title="Secret")
    thread = make_thread(closed_space, member, title="Secret thread")
    make_comment(member, "Secret comment", thread=thread)
    for viewer in (client, client_for(member)):
        for path in (
            f"/spaces/{closed_space.slug}",
            f"/spaces/{closed_space.slug}/proposals",
            f"/spaces/{closed_space.slug}/threads",
            f"/proposals/{proposal.pk}",
            f"/threads/{thread.pk}",
            f"/threads/{thread.pk}/comments",
        ):
            response = viewer.get(API + path)
            assert response.status_code == 404, path
            assert "Secret" not in response.content.decode()
        assert "Secret" not in viewer.get(f"{API}/spaces").content.decode()


def test_proposals_with_status_support_and_versions(client, open_space, open_member):
    proposal = make_proposal(open_space, open_member, title="Ethical recruitment")
    ProposalVersion.objects.create(proposal=proposal, number=1, content={})
    ProposalVersion.objects.create(proposal=proposal, number=2, content={})
    organisation = OrganisationFactory(name="Nurses Union")
    ProposalSupport.objects.create(proposal=proposal, user=open_member, organisation=organisation)
    proposal.support_count = 1
    proposal.save()
    make_proposal(open_space, open_member, title="Draft", status=ProposalStatus.DRAFT)
    make_proposal(open_space, open_member, title="Hidden", is_hidden=True)
    body = client.get(f"{API}/spaces/global/proposals").json()
    assert body["next"] is None
    (item,) = body["items"]
    assert (item["title"], item["status"], item["support_count"], item["versions"]) == (
        "Ethical recruitment",
        "open",
        1,
        2,
    )
    detail = client.get(f"{API}/proposals/{proposal.pk}").json()
    assert detail["problem_html"].startswith("<p>")
    assert detail["authors"] == ["Member RO"]
    assert detail["supporting_organisations"][0]["name"] == "Nurses Union"
    assert open_member.email not in str(detail)


@pytest.mark.permission("hw4all_forum_api_proposal_detail", "public")
def test_drafts_and_hidden_proposals_are_not_found(client, open_space, open_member):
    draft = make_proposal(open_space, open_member, status=ProposalStatus.DRAFT)
    hidden = make_proposal(open_space, open_member, is_hidden=True)
    assert client.get(f"{API}/proposals/{draft.pk}").status_code == 404
    assert client.get(f"{API}/proposals/{hidden.pk}").status_code == 404
    never_opened = make_proposal(open_space, open_member, status=ProposalStatus.WITHDRAWN, opened_at=None)
    assert client.get(f"{API}/proposals/{never_opened.pk}").status_code == 404
    assert client.get(f"{API}/spaces/global").json()["proposals"] == 0
    assert client.get(f"{API}/proposals/0").status_code == 422
    assert client.get(f"{API}/proposals/{2**63}").status_code == 422


def test_threads_of_an_open_space_are_paginated(client, open_space, open_member):
    for number in range(23):
        make_thread(open_space, open_member, title=f"Thread {number}")
    make_thread(open_space, open_member, title="Hidden", is_hidden=True)
    first = client.get(f"{API}/spaces/global/threads").json()
    assert len(first["items"]) == 20
    second = client.get(first["next"]).json()
    assert (len(second["items"]), second["next"]) == (3, None)
    assert "Hidden" not in str(first) + str(second)


def test_unknown_spaces_are_not_found(client, db):
    assert client.get(f"{API}/spaces/nowhere").status_code == 404
    assert get_user_model().objects.count() == 0
