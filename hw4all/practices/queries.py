"""Reads of the practices' eligibility criteria."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CriteriaSet, CriteriaSetVersion, VersionStatus


def criteria_versions_for_admin() -> QuerySet[CriteriaSetVersion]:
    return CriteriaSetVersion.objects.select_related("criteria_set")


def criteria_version_current(*, criteria_set: CriteriaSet) -> CriteriaSetVersion | None:
    """The set's latest published version: the one new reviews are judged by."""
    return (
        criteria_set.versions.filter(status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .prefetch_related("criteria")
        .first()
    )
