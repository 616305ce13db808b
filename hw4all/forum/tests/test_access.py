"""Who sees, takes part in and moderates which space: the rules every view, feed, search, API
route and notification relies on."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hw4all.forum.models import ActivityKind, Follow, Notification, SpaceMembership
from hw4all.forum.services import access, activity


def test_an_open_space_is_read_by_everyone_a_closed_one_by_its_members(
    open_space, closed_space, member, open_member, outsider, secretary, steering
):
    anonymous = AnonymousUser()
    for user in (anonymous, outsider, open_member, member, secretary, steering):
        assert access.may_view_space(user, open_space)
    assert access.may_view_space(member, closed_space)
    assert access.may_view_space(secretary, closed_space)
    for user in (anonymous, outsider, open_member, steering):
        assert not access.may_view_space(user, closed_space)
    assert set(access.spaces_visible(anonymous)) == {open_space}
    assert set(access.spaces_visible(open_member)) == {open_space}
    assert set(access.spaces_visible(member)) == {open_space, closed_space}
    assert set(access.spaces_visible(secretary)) == {open_space, closed_space}


def test_only_members_who_are_not_suspended_take_part(open_space, member, outsider, secretary):
    assert access.may_participate(member, open_space)
    assert access.may_participate(secretary, open_space)
    assert not access.may_participate(outsider, open_space)
    assert not access.may_participate(AnonymousUser(), open_space)
    SpaceMembership.objects.filter(space=open_space, user=member).update(
        suspended_until=timezone.now() + timezone.timedelta(days=7)
    )
    access.forget_membership(member, open_space)
    assert not access.may_participate(member, open_space)
    assert access.may_view_space(member, open_space)


def test_moderators_are_the_spaces_own_the_steering_committee_and_the_secretariat(
    open_space, closed_space, member, moderator, steering, secretary
):
    assert access.is_moderator(moderator, open_space)
    assert access.is_moderator(steering, open_space)
    assert access.is_moderator(secretary, closed_space)
    assert not access.is_moderator(member, open_space)
    # The Steering Committee moderates only what it may see.
    assert not access.is_moderator(steering, closed_space)


def test_a_suspended_moderator_does_not_moderate(open_space, moderator):
    SpaceMembership.objects.filter(space=open_space, user=moderator).update(
        suspended_until=timezone.now() + timezone.timedelta(days=1)
    )
    access.forget_membership(moderator, open_space)
    assert not access.is_moderator(moderator, open_space)


def test_a_participant_gets_a_free_handle_and_never_shows_an_email(db, member, outsider):
    member.first_name, member.last_name = "Amina", "Otieno"
    member.save()
    outsider.first_name, outsider.last_name = "Amina", "Otieno"
    outsider.save()
    first, second = access.participant_for(member), access.participant_for(outsider)
    assert (first.handle, second.handle) == ("amina-otieno", "amina-otieno-2")
    assert first.display_name == "Amina Otieno"
    assert access.participant_for(member) == first
    nameless = access.participant_for(type(member).objects.create_user(email="zz.top@example.org"))
    assert "@" not in nameless.display_name and "example" not in nameless.display_name


def test_an_account_with_the_longest_names_gets_a_profile_that_fits(db, member):
    member.first_name, member.last_name = "A" * 150, "B" * 150
    member.save()
    participant = access.participant_for(member)
    participant.refresh_from_db()
    assert participant.display_name == ("A" * 150 + " " + "B" * 150)[:150]


def test_nobody_is_told_of_a_closed_space_they_cannot_see_nor_of_their_own_doing(
    closed_space, member, moderator, outsider
):
    for user in (member, moderator, outsider):
        Follow.objects.create(user=user, space=closed_space)
    activity.activity_record(
        space=closed_space, kind=ActivityKind.THREAD_STARTED, actor=member, summary="Budget for 2027"
    )
    assert list(Notification.objects.values_list("user", flat=True)) == [moderator.pk]
