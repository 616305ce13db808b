"""Who may do what with proposals, role by role, the forbidden actions included; and a closed
space's proposals answer 404 to everyone outside it, so not even a title leaks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.models import ProposalStatus, SpaceMembership
from hw4all.forum.services import proposals as services

from .test_proposals import draft, fields, opened, posted

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "open_member",
    "member",
    "suspended",
    "coauthor",
    "moderator",
    "steering",
    "secretary",
)


@pytest.fixture
def people(open_space, closed_space, member, open_member, outsider, moderator, steering, secretary):
    """Every role; `author` writes the proposals, `coauthor` is added to each."""
    from hw4all.forum.factories import member_of

    author = member_of(open_space, country="GH")
    SpaceMembership.objects.create(space=closed_space, user=author, status="active", joined_at=timezone.now())
    coauthor = member_of(open_space, country="UG")
    SpaceMembership.objects.create(
        space=closed_space, user=coauthor, status="active", joined_at=timezone.now()
    )
    suspended = member_of(open_space, country="NG")
    SpaceMembership.objects.filter(user=suspended).update(suspended_until=timezone.now() + timedelta(days=7))
    return {
        "anonymous": None,
        "outsider": outsider,
        "open_member": open_member,
        "member": member,
        "suspended": suspended,
        "coauthor": coauthor,
        "moderator": moderator,
        "steering": steering,
        "secretary": secretary,
        "author": author,
    }


def as_(client, people, role):
    user = people[role]
    if user is not None:
        client.force_login(user)
    return client


def written(space, people, *, open_it=True):
    proposal = (opened if open_it else draft)(space, people["author"])
    services.proposal_author_add(proposal=proposal, by=people["author"], identifier=people["coauthor"].email)
    proposal.refresh_from_db()
    return proposal


WHO_WRITES = {"open_member", "member", "coauthor", "moderator", "secretary"}


@pytest.mark.permission("forum:proposal_create", "role")
@pytest.mark.parametrize("role", ROLES)
def test_who_writes_a_proposal(client, people, open_space, role):
    as_(client, people, role)
    url = reverse("forum:proposal_create", args=[open_space.slug])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    assert response.status_code == (200 if role in WHO_WRITES else 403)
    client.post(url, posted(title=f"By {role}"))
    assert open_space.proposals.filter(title=f"By {role}").exists() == (role in WHO_WRITES)


WHO_EDITS = {"coauthor"}


@pytest.mark.permission("forum:proposal_edit", "object")
@pytest.mark.parametrize("role", ROLES)
def test_who_edits_a_proposal(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    url = reverse("forum:proposal_edit", args=[proposal.pk])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in WHO_EDITS else 403)
    client.post(url, posted(title=f"Edited by {role}", edit_number=str(proposal.edit_number)))
    proposal.refresh_from_db()
    assert (proposal.title == f"Edited by {role}") == (role in WHO_EDITS)


@pytest.mark.permission("forum:proposal_detail", "object")
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_draft(client, people, open_space, role):
    proposal = written(open_space, people, open_it=False)
    as_(client, people, role)
    expected = 200 if role in {"coauthor", "secretary"} else 404
    assert client.get(proposal.get_absolute_url()).status_code == expected
    listing = client.get(reverse("forum:proposal_list", args=[open_space.slug])).content.decode()
    assert (proposal.title in listing) == (role == "coauthor")


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_draft(client, people, open_space, role):
    proposal = written(open_space, people, open_it=False)
    as_(client, people, role)
    client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "open"})
    proposal.refresh_from_db()
    assert (proposal.status == ProposalStatus.OPEN) == (role == "coauthor")


WHO_CONSIDERS = {"moderator", "steering", "secretary"}


@pytest.mark.permission("forum:proposal_status", "role")
@pytest.mark.parametrize("role", ROLES)
def test_who_puts_a_proposal_under_consideration(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    response = client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "consider"})
    if role not in WHO_CONSIDERS and role != "anonymous":
        assert response.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.status == ProposalStatus.CONSIDERATION) == (role in WHO_CONSIDERS)


WHO_DECIDES = {"steering", "secretary"}


@pytest.mark.permission("forum:proposal_decide", "role")
@pytest.mark.parametrize("role", ROLES)
def test_who_decides(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    url = reverse("forum:proposal_decide", args=[proposal.pk])
    response = client.get(url)
    if role != "anonymous":
        assert response.status_code == (200 if role in WHO_DECIDES else 403)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert ("Adopt or decline" in page) == (role in WHO_DECIDES)
    client.post(url, {"decision": "declined", "reasons": "Not now."})
    proposal.refresh_from_db()
    assert (proposal.status == ProposalStatus.DECLINED) == (role in WHO_DECIDES)


@pytest.mark.permission("forum:proposal_status", "object")
@pytest.mark.parametrize("role", ROLES)
def test_who_withdraws(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    client.post(reverse("forum:proposal_status", args=[proposal.pk]), {"action": "withdraw"})
    proposal.refresh_from_db()
    assert (proposal.status == ProposalStatus.WITHDRAWN) == (role == "coauthor")


WHO_SUPPORTS = {"open_member", "member", "coauthor", "moderator", "secretary"}


@pytest.mark.permission("forum:proposal_support", "role")
@pytest.mark.parametrize("role", ROLES)
def test_who_supports(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert ("Support this proposal" in page) == (role in WHO_SUPPORTS)
    client.post(reverse("forum:proposal_support", args=[proposal.pk]), {"action": "support"})
    proposal.refresh_from_db()
    assert proposal.support_count == (1 if role in WHO_SUPPORTS else 0)


@pytest.mark.permission("forum:proposal_authors", "object")
@pytest.mark.parametrize("role", ROLES)
def test_who_changes_the_authors(client, people, open_space, role):
    proposal = written(open_space, people)
    as_(client, people, role)
    url = reverse("forum:proposal_authors", args=[proposal.pk])
    response = client.post(url, {"action": "remove", "user": people["author"].pk})
    if role not in {"anonymous", "coauthor"}:
        assert response.status_code == 403
    assert proposal.authors.filter(pk=people["author"].pk).exists() == (role != "coauthor")


@pytest.mark.permission("forum:proposal_detail", "public")
@pytest.mark.permission("forum:proposal_diff", "public")
@pytest.mark.permission("forum:proposal_list", "public")
@pytest.mark.permission("forum:proposal_versions", "public")
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_an_open_proposal_and_its_versions_in_an_open_space(client, people, open_space, role):
    proposal = written(open_space, people)
    services.proposal_edit(
        proposal=proposal,
        user=people["author"],
        edit_number=proposal.edit_number,
        fields=fields(title="Second"),
    )
    as_(client, people, role)
    for url in (
        proposal.get_absolute_url(),
        reverse("forum:proposal_list", args=[open_space.slug]),
        reverse("forum:proposal_versions", args=[proposal.pk]),
        reverse("forum:proposal_diff", args=[proposal.pk]) + "?from=1&to=2",
    ):
        assert client.get(url).status_code == 200, url


OUTSIDE_CLOSED = {"anonymous", "outsider", "open_member", "suspended", "steering"}


@pytest.mark.permission("forum:proposal_detail", "object")
@pytest.mark.permission("forum:proposal_diff", "object")
@pytest.mark.permission("forum:proposal_list", "object")
@pytest.mark.permission("forum:proposal_versions", "object")
@pytest.mark.parametrize("role", ROLES)
def test_a_closed_space_s_proposals_are_404_outside_it(client, people, closed_space, role):
    proposal = written(closed_space, people)
    services.proposal_edit(
        proposal=proposal,
        user=people["author"],
        edit_number=proposal.edit_number,
        fields=fields(title="Second"),
    )
    as_(client, people, role)
    gets = [
        proposal.get_absolute_url(),
        reverse("forum:proposal_list", args=[closed_space.slug]),
        reverse("forum:proposal_create", args=[closed_space.slug]),
        reverse("forum:proposal_edit", args=[proposal.pk]),
        reverse("forum:proposal_authors", args=[proposal.pk]),
        reverse("forum:proposal_decide", args=[proposal.pk]),
        reverse("forum:proposal_versions", args=[proposal.pk]),
        reverse("forum:proposal_diff", args=[proposal.pk]) + "?from=1&to=2",
    ]
    posts = [
        (reverse("forum:proposal_support", args=[proposal.pk]), {"action": "support"}),
        (reverse("forum:proposal_status", args=[proposal.pk]), {"action": "consider"}),
    ]
    if role not in OUTSIDE_CLOSED:
        assert client.get(proposal.get_absolute_url()).status_code == 200
        return
    for url in gets:
        response = client.get(url)
        if role == "anonymous" and response.status_code == 302:
            continue  # the sign-in page, which names nothing
        assert response.status_code == 404, url
        assert "Second" not in response.content.decode()
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in ((302, 404) if role == "anonymous" else (404,)), url
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and proposal.status == ProposalStatus.OPEN


def test_a_hidden_proposal_shows_a_placeholder_but_to_moderators(client, people, open_space):
    proposal = written(open_space, people)
    type(proposal).objects.filter(pk=proposal.pk).update(is_hidden=True)
    as_(client, people, "open_member")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "The moderators of this space have hidden this proposal." in page
    assert proposal.title not in page
    listing = client.get(reverse("forum:proposal_list", args=[open_space.slug])).content.decode()
    assert proposal.title not in listing and "A proposal hidden by the moderators." in listing
    as_(client, people, "moderator")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert proposal.title in page and "Hidden by the moderators" in page
