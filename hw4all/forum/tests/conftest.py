import pytest
from django.core.cache import cache
from django.utils import timezone

from hw4all.coalition.factories import user_in
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import MembershipStatus, SpaceKind, SpaceMembership
from hw4all.users.roles import MEMBER, SECRETARIAT, STEERING_COMMITTEE


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and the page cache live in the process-wide cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_space(db):
    return SpaceFactory(name="Global space", slug="global", kind=SpaceKind.GLOBAL, is_open=True)


@pytest.fixture
def closed_space(db):
    return SpaceFactory(
        name="HRH working group", slug="hrh-working-group", kind=SpaceKind.WORKING_GROUP, is_open=False
    )


@pytest.fixture
def member(open_space, closed_space):
    """A member of both spaces (Kenyan member organisation)."""
    user = member_of(open_space, country="KE")
    member_of_too(closed_space, user)
    return user


def member_of_too(space, user):
    SpaceMembership.objects.create(
        space=space, user=user, status=MembershipStatus.ACTIVE, joined_at=timezone.now()
    )


@pytest.fixture
def open_member(open_space):
    """A member of the open space only."""
    return member_of(open_space, country="RO")


@pytest.fixture
def outsider(db):
    """A registered member of the coalition who belongs to no space."""
    return user_in(MEMBER, country="PH")


@pytest.fixture
def moderator(open_space, closed_space):
    user = member_of(open_space, moderator=True, country="BE")
    SpaceMembership.objects.create(
        space=closed_space,
        user=user,
        status=MembershipStatus.ACTIVE,
        is_moderator=True,
        joined_at=timezone.now(),
    )
    return user


@pytest.fixture
def secretary(db):
    return user_in(SECRETARIAT, country="BE")


@pytest.fixture
def steering(db):
    """A Steering Committee member who belongs to no space."""
    return user_in(STEERING_COMMITTEE, country="ZA")
