"""The forum's home and a space's overview: who sees which spaces, joining and leaving, and the
closed spaces that nobody outside them can find."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import (
    Activity,
    ActivityKind,
    MembershipStatus,
    Poll,
    Proposal,
    ProposalAuthor,
    ProposalStatus,
    SpaceKind,
    SpaceMembership,
    Thread,
)
from hw4all.forum.services import access
from hw4all.forum.services import spaces as services

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def text(response) -> str:
    return response.content.decode()


def proposal(
    space, author, *, status=ProposalStatus.OPEN, title="Train two nurses for each one recruited", **extra
):
    item = Proposal.objects.create(
        space=space,
        title=title,
        problem="p",
        proposed="q",
        level="global",
        status=status,
        created_by=author,
        **extra,
    )
    ProposalAuthor.objects.create(proposal=item, user=author)
    return item


# The forum's home.


@pytest.mark.permission("forum:index", "public")
def test_anonymous_visitors_see_the_open_spaces_and_how_to_join(client, open_space, closed_space, member):
    page = text(client.get(reverse("forum:index")))
    assert "Global space" in page
    assert "HRH working group" not in page
    assert "Sign in to join" in page
    assert reverse("forum:notifications") not in page


@pytest.mark.permission("forum:index", "object")
@pytest.mark.parametrize("role", ["outsider", "open_member", "steering"])
def test_people_outside_a_closed_space_never_see_it_listed(client, request, open_space, closed_space, role):
    client.force_login(request.getfixturevalue(role))
    page = text(client.get(reverse("forum:index")))
    assert "Global space" in page
    assert "HRH working group" not in page


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_members_and_the_secretariat_see_the_closed_space(client, request, open_space, closed_space, role):
    client.force_login(request.getfixturevalue(role))
    page = text(client.get(reverse("forum:index")))
    assert "HRH working group" in page
    assert "Closed" in page
    assert reverse("forum:notifications") in page


def test_the_home_groups_spaces_with_member_counts_and_your_spaces(client, open_space, member, open_member):
    SpaceFactory(name="Kenya", slug="kenya", kind=SpaceKind.COUNTRY, country="KE")
    SpaceFactory(name="Europe", slug="europe", kind=SpaceKind.EUROPEAN)
    client.force_login(member)
    page = text(client.get(reverse("forum:index")))
    for heading in ("Global", "European", "National", "Working groups", "Your spaces"):
        assert f">{heading}</h2>" in page
    assert page.index(">Global</h2>") < page.index(">European</h2>") < page.index(">National</h2>")
    assert "2 members" in page  # member and open_member in the global space
    assert "Kenya ·" in page


def test_the_home_counts_the_invitations_waiting(client, closed_space, moderator, outsider):
    services.member_invite(space=closed_space, invitee=outsider, by=moderator)
    client.force_login(outsider)
    page = text(client.get(reverse("forum:index")))
    assert "1 invitation waiting" in page
    # Invited is not yet a member: the closed space is still not listed.
    assert "HRH working group" not in page


def test_names_and_descriptions_are_escaped(client, db, secretary):
    services.space_create(name=XSS, slug="xss", kind=SpaceKind.GLOBAL, description=XSS, by=secretary)
    for url in (reverse("forum:index"), reverse("forum:space", args=["xss"])):
        page = text(client.get(url))
        assert XSS not in page
        assert "&lt;script&gt;" in page


def test_the_home_costs_the_same_queries_with_more_spaces(client, member, django_assert_max_num_queries):
    client.force_login(member)
    client.get(reverse("forum:index"))
    for number in range(15):
        SpaceFactory(name=f"Group {number}", kind=SpaceKind.WORKING_GROUP)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("forum:index")).status_code == 200


# A space's overview.


@pytest.mark.permission("forum:space", "object")
@pytest.mark.permission("forum:space_leave", "object")
@pytest.mark.parametrize("role", [None, "outsider", "open_member", "steering"])
def test_a_closed_space_is_404_for_everyone_outside_it(client, request, closed_space, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    slug = closed_space.slug
    for name in ("forum:space", "forum:space_activity", "forum:space_members"):
        assert client.get(reverse(name, args=[slug])).status_code == 404, name
    if role:
        for name in ("forum:space_join", "forum:space_leave"):
            assert client.post(reverse(name, args=[slug])).status_code == 404, name
        url = reverse("forum:member_action", args=[slug, request.getfixturevalue(role).pk, "suspend"])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert client.get(reverse("forum:space_moderation", args=[slug])).status_code == 404
    assert client.get(reverse("forum:space", args=["no-such-space"])).status_code == 404


def test_the_overview_shows_moderators_and_the_latest_the_person_may_see(
    client, open_space, member, moderator
):
    moderator.first_name, moderator.last_name = "Grace", "Mensah"
    moderator.save()
    proposal(open_space, member, title="Visible proposal")
    proposal(open_space, member, title="Hidden proposal", is_hidden=True)
    proposal(open_space, moderator, title="Someone else's draft", status=ProposalStatus.DRAFT)
    proposal(open_space, member, title="My own draft", status=ProposalStatus.DRAFT)
    Thread.objects.create(space=open_space, title="Retention in rural districts", created_by=member)
    Thread.objects.create(space=open_space, title="Hidden thread", created_by=member, is_hidden=True)
    now = timezone.now()
    Poll.objects.create(
        space=open_space, question="Who chairs 2027?", opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    Poll.objects.create(
        space=open_space, question="A closed poll", opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
    )  # fmt: skip
    client.force_login(member)
    page = text(client.get(reverse("forum:space", args=[open_space.slug])))
    assert "Grace Mensah" in page
    assert moderator.email not in page
    for shown in ("Visible proposal", "My own draft", "Retention in rural districts", "Who chairs 2027?"):
        assert shown in page
    for hidden in ("Hidden proposal", "Someone else&#x27;s draft", "Hidden thread", "A closed poll"):
        assert hidden not in page
    assert "Leave the space" in page
    client.force_login(moderator)
    page = text(client.get(reverse("forum:space", args=[open_space.slug])))
    assert "Hidden proposal" in page and "Hidden thread" in page


@pytest.mark.permission("forum:space", "public")
@pytest.mark.permission("forum:space_join", "authenticated")
def test_an_anonymous_visitor_reads_an_open_space_and_is_asked_to_sign_in(client, open_space):
    page = text(client.get(reverse("forum:space", args=[open_space.slug])))
    assert "Sign in to join" in page
    response = client.post(reverse("forum:space_join", args=[open_space.slug]))
    assert response.status_code == 302 and "login" in response.url
    assert not SpaceMembership.objects.exists()


# Joining and leaving.


def test_joining_an_open_space_makes_a_member_at_once(client, open_space, outsider):
    client.force_login(outsider)
    response = client.post(reverse("forum:space_join", args=[open_space.slug]), follow=True)
    assert "You are a member of Global space." in text(response)
    membership = SpaceMembership.objects.get(user=outsider)
    assert membership.status == MembershipStatus.ACTIVE and membership.joined_at is not None
    assert Activity.objects.filter(space=open_space, kind=ActivityKind.MEMBER_JOINED, actor=outsider).exists()
    assert access.may_participate(outsider, open_space)
    # A second click changes nothing.
    response = client.post(reverse("forum:space_join", args=[open_space.slug]), follow=True)
    assert "already a member" in text(response)
    assert SpaceMembership.objects.filter(user=outsider).count() == 1


def test_leaving_a_space(client, open_space, open_member):
    client.force_login(open_member)
    response = client.post(reverse("forum:space_leave", args=[open_space.slug]), follow=True)
    assert "You left Global space." in text(response)
    assert not SpaceMembership.objects.filter(user=open_member).exists()


def test_leaving_a_closed_space_goes_back_to_the_home(client, closed_space, member):
    client.force_login(member)
    response = client.post(reverse("forum:space_leave", args=[closed_space.slug]))
    assert response.url == reverse("forum:index")


@pytest.mark.permission("forum:space_leave", "object")
def test_a_suspended_member_cannot_leave_to_lift_the_suspension(client, open_space, open_member, moderator):
    services.member_suspend(
        space=open_space, user=open_member, until=timezone.now() + datetime.timedelta(days=3),
        reason="Insults", by=moderator,
    )  # fmt: skip
    client.force_login(open_member)
    page = text(client.post(reverse("forum:space_leave", args=[open_space.slug]), follow=True))
    assert "while you are suspended" in page
    assert "You are suspended from this space until" in page
    assert "Insults" in page
    assert SpaceMembership.objects.filter(user=open_member).exists()


def test_joining_and_leaving_need_a_post_with_csrf(open_space, outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    assert client.get(reverse("forum:space_join", args=[open_space.slug])).status_code == 405
    assert client.post(reverse("forum:space_join", args=[open_space.slug])).status_code == 403
    assert not SpaceMembership.objects.filter(user=outsider).exists()


def test_the_secretariat_joins_a_closed_space_without_asking(closed_space, secretary):
    membership = services.space_join(space=closed_space, user=secretary)
    assert membership.status == MembershipStatus.ACTIVE


def test_a_national_space_needs_its_country_and_only_the_secretariat_creates_spaces(db, secretary, member):
    with pytest.raises(services.ValidationError):
        services.space_create(name="Kenya", slug="kenya", kind=SpaceKind.COUNTRY, by=secretary)
    with pytest.raises(services.PermissionDenied):
        services.space_create(name="Mine", slug="mine", kind=SpaceKind.GLOBAL, by=member)
    space = services.space_create(
        name="Kenya", slug="kenya", kind=SpaceKind.COUNTRY, country="KE", by=secretary
    )
    assert space.country == "KE"
    services.space_update(space=space, kind=SpaceKind.WORKING_GROUP, by=secretary)
    space.refresh_from_db()
    assert space.country == ""
    with pytest.raises(services.PermissionDenied):
        services.space_update(space=space, description="x", by=member)


@pytest.mark.permission("forum:space_join", "object")
def test_an_other_space_member_cannot_join_a_closed_space_by_its_address(client, closed_space):
    other = member_of(SpaceFactory(), country="PE")
    client.force_login(other)
    assert client.post(reverse("forum:space_join", args=[closed_space.slug])).status_code == 404
    assert not SpaceMembership.objects.filter(space=closed_space, user=other).exists()
