"""Factories for tests and demo data; they build through the model layer like the services do."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import (
    CaseStatus,
    CaseStudy,
    CriteriaSet,
    CriteriaSetVersion,
    Criterion,
    CriterionGroup,
    Level,
    Theme,
    VersionStatus,
)


class CriteriaSetFactory(DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    name = factory.Sequence(lambda n: f"Eligibility criteria {n}")
    description = "Criteria the partnership agreed on for case studies and best practices."


class CriteriaSetVersionFactory(DjangoModelFactory):
    class Meta:
        model = CriteriaSetVersion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.DRAFT
    published_at = None

    class Params:
        published = factory.Trait(
            status=VersionStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now)
        )


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = Criterion

    version = factory.SubFactory(CriteriaSetVersionFactory)
    group = CriterionGroup.CORE
    title = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "Score how well the case shows it."
    scale_max = 4
    weight = 1
    sort_order = factory.Sequence(lambda n: n)


class CaseStudyFactory(DjangoModelFactory):
    """A complete case as its authors would submit it; `published=True` makes it a validated,
    published case with its validation record (facets are built by services.facets_rebuild)."""

    class Meta:
        model = CaseStudy

    title = factory.Sequence(lambda n: f"Retaining rural nurses {n}")
    slug = factory.Sequence(lambda n: f"retaining-rural-nurses-{n}")
    summary = "Housing and career paths kept nurses in rural districts."
    countries = ["KE"]
    levels = [Level.LOCAL]
    themes = [Theme.RETENTION]
    code_articles = [5]
    actors = "District health management team; nurses' union."
    context = "<p>Rural districts lost a third of their nurses in five years.</p>"
    practice = "<p>Staff housing, a rural allowance and a career path.</p>"
    results = "<p>Vacancies fell from 30% to 12% in three years (district records).</p>"
    lessons = "<p>Housing mattered more than pay.</p>"
    contact_name = "Wanjiru Kamau"
    contact_email = "wanjiru@example.org"
    organisation = factory.SubFactory("hw4all.coalition.factories.OrganisationFactory", country="KE")
    status = CaseStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=CaseStatus.VALIDATED,
            revision=1,
            is_published=True,
            published_at=factory.LazyFunction(timezone.now),
            decided_at=factory.LazyFunction(timezone.now),
            outcome=2,
            core_percent=75.0,
            qualifier_percent=50.0,
            reviews_counted=2,
        )
