import pytest

from hw4all.practices import services
from hw4all.practices.models import CriterionGroup


@pytest.fixture
def draft(db):
    """A draft version 1 with one criterion of each group."""
    criteria_set = services.criteria_set_create(name="Partnership criteria")
    version = services.criteria_version_create(criteria_set=criteria_set)
    services.criterion_add(version=version, group=CriterionGroup.EXCLUSION, title="Relevance")
    services.criterion_add(version=version, group=CriterionGroup.CORE, title="Effectiveness", weight=2)
    services.criterion_add(version=version, group=CriterionGroup.QUALIFIER, title="Sustainability")
    return version


@pytest.fixture
def published(draft):
    return services.criteria_version_publish(version=draft)
