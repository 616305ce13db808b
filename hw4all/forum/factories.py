"""Factories for tests and demo data; they build through the model layer like the services do."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from hw4all.coalition.factories import user_in
from hw4all.users.roles import MEMBER

from .models import MembershipStatus, Space, SpaceKind, SpaceMembership


class SpaceFactory(DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    kind = SpaceKind.GLOBAL
    description = "Proposals and discussions on the health workforce."
    is_open = True


def member_of(
    space: Space, *, role: str = MEMBER, moderator: bool = False, country: str = "BE", organisation=None
):
    """A new account with `role` (linked to a directory organisation, as members are) that is an
    active member of `space`, its moderator if asked."""
    user = user_in(role, country=country, organisation=organisation)
    SpaceMembership.objects.create(
        space=space,
        user=user,
        status=MembershipStatus.ACTIVE,
        is_moderator=moderator,
        joined_at=timezone.now(),
    )
    return user
