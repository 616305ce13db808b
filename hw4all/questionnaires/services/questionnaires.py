"""Creating questionnaires and adding versions of their content."""

from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max

from ..definition import Definition
from ..models import Access, Questionnaire, QuestionnaireStatus, QuestionnaireVersion, VersionSource


@transaction.atomic
def questionnaire_create(
    *,
    slug: str,
    name: str,
    definition: Definition,
    source: str = VersionSource.LOADER,
    access: str = Access.PUBLIC,
    status: str = QuestionnaireStatus.DRAFT,
    user=None,
    source_file: File | None = None,
    note: str = "",
) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(slug=slug, name=name, access=access, status=status)
    version_add(
        questionnaire=questionnaire,
        definition=definition,
        source=source,
        user=user,
        source_file=source_file,
        note=note,
    )
    return questionnaire


@transaction.atomic
def version_add(
    *,
    questionnaire: Questionnaire,
    definition: Definition,
    source: str,
    user=None,
    source_file: File | None = None,
    note: str = "",
) -> QuestionnaireVersion:
    """Store `definition` as the questionnaire's next version and make it current. Responses
    already begun keep the version they started on."""
    # Lock the questionnaire row so two uploads at once get consecutive numbers.
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = QuestionnaireVersion(
        questionnaire=locked,
        number=number,
        definition_json=definition.as_json(),
        source=source,
        created_by=user,
        note=note,
    )
    if source_file is not None:
        version.source_file.save(source_file.name or f"{locked.slug}-v{number}.xlsx", source_file, save=False)
    version.save()
    locked.current_version = version
    locked.save(update_fields=["current_version", "updated_at"])
    questionnaire.current_version = version
    return version


def questionnaire_update(*, questionnaire: Questionnaire, **fields: Any) -> Questionnaire:
    """Change the questionnaire's settings (name, access, status, dates, results_public)."""
    allowed = {"name", "access", "status", "opens_at", "closes_at", "results_public"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not a questionnaire setting: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(questionnaire, name, value)
    questionnaire.save(update_fields=[*fields, "updated_at"])
    return questionnaire
