"""Factories for tests and demo data; they build through the model layer like the services do."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from .models import CriteriaSet, CriteriaSetVersion, Criterion, CriterionGroup, VersionStatus


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
