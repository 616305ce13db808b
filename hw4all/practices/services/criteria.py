"""Every write to the practices' eligibility criteria: sets, their versions and criteria.

A published version is frozen; the Secretariat changes criteria by creating the set's next
version (a draft copy of the latest one), editing it, and publishing it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import FROZEN_MESSAGE, CriteriaSet, CriteriaSetVersion, Criterion, CriterionGroup, VersionStatus

VERSION_FIELDS = ("core_threshold_percent", "qualifier_threshold_percent")
CRITERION_FIELDS = ("group", "title", "guidance", "scale_max", "weight")


def _refuse_if_published(version: CriteriaSetVersion) -> None:
    if version.stored_is_published():
        raise ValidationError(FROZEN_MESSAGE, code="frozen")


def criteria_set_create(*, name: str, description: str = "") -> CriteriaSet:
    criteria_set = CriteriaSet(name=name.strip(), description=description.strip())
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


def criteria_version_create(
    *, criteria_set: CriteriaSet, core_threshold_percent: int = 60, qualifier_threshold_percent: int = 60
) -> CriteriaSetVersion:
    """A new, empty draft version numbered after the set's latest."""
    if criteria_set.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This criteria set already has a draft version."), code="draft_exists")
    latest = criteria_set.versions.order_by("-number").values_list("number", flat=True).first()
    version = CriteriaSetVersion(
        criteria_set=criteria_set,
        number=(latest or 0) + 1,
        core_threshold_percent=core_threshold_percent,
        qualifier_threshold_percent=qualifier_threshold_percent,
    )
    version.full_clean()
    version.save()
    return version


def criteria_version_update(*, version: CriteriaSetVersion, **fields: int) -> CriteriaSetVersion:
    """Change a draft's outcome rules; a published version refuses."""
    _refuse_if_published(version)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a version's outcome rule: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean()
    version.save(update_fields=list(fields))
    return version


def criterion_add(
    *,
    version: CriteriaSetVersion,
    group: str,
    title: str,
    guidance: str = "",
    scale_max: int = 4,
    weight: int = 1,
) -> Criterion:
    """A criterion at the end of a draft version's list."""
    _refuse_if_published(version)
    criterion = Criterion(
        version=version,
        group=group,
        title=title.strip(),
        guidance=guidance.strip(),
        scale_max=scale_max,
        weight=weight,
        sort_order=version.criteria.count(),
    )
    criterion.full_clean()
    criterion.save()
    return criterion


def criterion_update(*, criterion: Criterion, **fields) -> Criterion:
    """Change a draft version's criterion; a published version's criteria refuse."""
    _refuse_if_published(criterion.version)
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise TypeError(f"Not a criterion field: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(criterion, name, value.strip() if isinstance(value, str) else value)
    criterion.full_clean()
    criterion.save()
    return criterion


def criteria_version_new(*, criteria_set: CriteriaSet) -> CriteriaSetVersion:
    """The set's next version: a draft copy of its latest version's outcome rules and criteria.
    The latest version stays as it was."""
    with transaction.atomic():
        # Lock the set so two secretaries cannot both create version N + 1.
        CriteriaSet.objects.select_for_update().filter(pk=criteria_set.pk).first()
        latest = criteria_set.versions.order_by("-number").first()
        if latest is None:
            return criteria_version_create(criteria_set=criteria_set)
        if not latest.is_published:
            raise ValidationError(
                _("Version %(number)s is still a draft: edit it or publish it first.")
                % {"number": latest.number},
                code="draft_exists",
            )
        version = criteria_version_create(
            criteria_set=criteria_set,
            core_threshold_percent=latest.core_threshold_percent,
            qualifier_threshold_percent=latest.qualifier_threshold_percent,
        )
        Criterion.objects.bulk_create(
            Criterion(
                version=version,
                group=criterion.group,
                title=criterion.title,
                guidance=criterion.guidance,
                scale_max=criterion.scale_max,
                weight=criterion.weight,
                sort_order=criterion.sort_order,
            )
            for criterion in latest.criteria.all()
        )
    return version


def criteria_version_publish(*, version: CriteriaSetVersion) -> CriteriaSetVersion:
    """Publish a draft; it needs at least one core criterion, or no case could be scored."""
    _refuse_if_published(version)
    if not version.criteria.filter(group=CriterionGroup.CORE).exists():
        raise ValidationError(_("A version needs at least one core criterion before it is published."))
    now = timezone.now()
    updated = CriteriaSetVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT).update(
        status=VersionStatus.PUBLISHED, published_at=now
    )
    if not updated:
        raise ValidationError(FROZEN_MESSAGE, code="frozen")
    version.refresh_from_db()
    return version
