"""Factories for tests and demo data; they build through the model layer like the services do."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import (
    ApplicationStatus,
    MembershipApplication,
    Organisation,
    OrganisationType,
    Person,
    Project,
    ProjectParticipation,
    ProjectRole,
)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Health Action Network {n}")
    acronym = factory.Sequence(lambda n: f"HAN{n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    country = "BE"
    type = OrganisationType.NGO
    website = "https://example.org/"
    description = "<p>Works for a sustainable health workforce.</p>"
    is_member = True
    member_since = datetime.date(2013, 5, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Alex Health {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Policy officer"
    bio = "<p>Works on the WHO Code of Practice.</p>"


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Health workers for all {n}")
    acronym = factory.Sequence(lambda n: f"HW4All-{n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    start_date = datetime.date(2013, 1, 1)
    end_date = datetime.date(2015, 12, 31)
    grant_number = "DCI-NSAED/2011/106"
    summary = "A European civil society initiative for a sustainable health workforce."


class ProjectParticipationFactory(DjangoModelFactory):
    class Meta:
        model = ProjectParticipation

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ProjectRole.PARTNER
    country = factory.SelfAttribute("organisation.country")


class MembershipApplicationFactory(DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    organisation_name = factory.Sequence(lambda n: f"Nurses Without Borders {n}")
    acronym = "NWB"
    country = "KE"
    type = OrganisationType.PROFESSIONAL
    website = "https://nurses.example.org/"
    description = "We represent nurses and midwives."
    contact_name = "Wanjiru Kamau"
    contact_email = factory.Sequence(lambda n: f"contact{n}@nurses.example.org")
    consented_at = factory.LazyFunction(timezone.now)
    language = "en"
    status = ApplicationStatus.PENDING


def user_in(
    role: str,
    *,
    country: str = "BE",
    organisation: Organisation | None = None,
    email: str | None = None,
    language: str = "",
):
    """An active account (sign it in with force_login) with `role`, linked through a directory
    person to `organisation` (a new member organisation in `country` unless given): the shape
    members' and reviewers' accounts have on the site."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    user = user_model.objects.create_user(
        email=email or f"{role.lower().replace(' ', '-')}-{user_model.objects.count() + 1}@example.org",
        password=None,
        first_name=role,
        last_name=country,
        preferred_language=language,
    )
    # A transactional test empties the tables, the groups the migrations made included.
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    PersonFactory(user=user, organisation=organisation or OrganisationFactory(country=country))
    return user
