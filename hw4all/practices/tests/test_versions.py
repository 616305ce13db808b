"""Criteria set versions: a published version is frozen; the next version is a draft copy and
the published one stays as it was."""

import pytest
from django.core.exceptions import ValidationError

from hw4all.practices import queries, services
from hw4all.practices.models import Criterion, CriterionGroup, VersionStatus

pytestmark = pytest.mark.django_db


def test_publishing_freezes_the_version(published):
    assert published.status == VersionStatus.PUBLISHED
    assert published.published_at is not None
    with pytest.raises(ValidationError, match="frozen"):
        services.criteria_version_update(version=published, core_threshold_percent=50)
    with pytest.raises(ValidationError, match="frozen"):
        services.criterion_add(version=published, group=CriterionGroup.CORE, title="Equity")
    with pytest.raises(ValidationError, match="frozen"):
        services.criterion_update(criterion=published.criteria.first(), title="Changed")
    with pytest.raises(ValidationError, match="frozen"):
        services.criteria_version_publish(version=published)
    published.refresh_from_db()
    assert published.core_threshold_percent == 60
    assert [c.title for c in published.criteria.all()] == ["Relevance", "Effectiveness", "Sustainability"]


def test_the_models_clean_refuses_edits_to_a_published_version(published):
    published.core_threshold_percent = 10
    with pytest.raises(ValidationError, match="frozen"):
        published.full_clean()
    criterion = published.criteria.first()
    criterion.title = "Changed"
    with pytest.raises(ValidationError, match="frozen"):
        criterion.full_clean()


def test_a_draft_can_be_edited(draft):
    services.criteria_version_update(version=draft, qualifier_threshold_percent=75)
    effectiveness = draft.criteria.get(title="Effectiveness")
    services.criterion_update(criterion=effectiveness, guidance="Look for measured results.", scale_max=5)
    draft.refresh_from_db()
    assert draft.qualifier_threshold_percent == 75
    assert draft.criteria.get(title="Effectiveness").scale_max == 5


def test_the_next_version_copies_the_criteria_and_leaves_the_old_one(published):
    new = services.criteria_version_new(criteria_set=published.criteria_set)
    assert (new.number, new.status) == (2, VersionStatus.DRAFT)
    copied = [(c.group, c.title, c.guidance, c.scale_max, c.weight) for c in new.criteria.all()]
    original = [(c.group, c.title, c.guidance, c.scale_max, c.weight) for c in published.criteria.all()]
    assert copied == original
    assert not set(new.criteria.values_list("pk", flat=True)) & set(
        published.criteria.values_list("pk", flat=True)
    )

    services.criterion_update(criterion=new.criteria.get(title="Effectiveness"), weight=3)
    services.criterion_add(version=new, group=CriterionGroup.CORE, title="Equity")
    services.criteria_version_update(version=new, core_threshold_percent=70)
    services.criteria_version_publish(version=new)

    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED
    assert published.core_threshold_percent == 60
    assert published.criteria.get(title="Effectiveness").weight == 2
    assert not published.criteria.filter(title="Equity").exists()
    assert queries.criteria_version_current(criteria_set=published.criteria_set) == new


def test_only_one_draft_at_a_time(published):
    services.criteria_version_new(criteria_set=published.criteria_set)
    with pytest.raises(ValidationError, match="still a draft"):
        services.criteria_version_new(criteria_set=published.criteria_set)


def test_a_version_needs_a_core_criterion_to_be_published(db):
    criteria_set = services.criteria_set_create(name="Empty")
    version = services.criteria_version_create(criteria_set=criteria_set)
    services.criterion_add(version=version, group=CriterionGroup.EXCLUSION, title="Relevance")
    with pytest.raises(ValidationError, match="core criterion"):
        services.criteria_version_publish(version=version)
    assert queries.criteria_version_current(criteria_set=criteria_set) is None


def test_exclusion_criteria_are_pass_fail(draft):
    criterion = services.criterion_add(
        version=draft, group=CriterionGroup.EXCLUSION, title="Ethics", scale_max=4, weight=3
    )
    assert (criterion.scale_max, criterion.weight) == (1, 1)


def test_the_versions_criteria_give_the_outcomes_specs(published):
    specs = published.criterion_specs()
    assert [(s.group, s.weight) for s in specs] == [("exclusion", 1), ("core", 2), ("qualifier", 1)]
    assert {s.key for s in specs} == set(
        Criterion.objects.filter(version=published).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("field", ["core_threshold_percent", "qualifier_threshold_percent"])
def test_thresholds_are_percentages(draft, field):
    with pytest.raises(ValidationError):
        services.criteria_version_update(version=draft, **{field: 101})
