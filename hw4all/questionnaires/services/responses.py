"""Filling in a questionnaire: starting a response, saving drafts (merged answer by answer when
several people edit at once), submitting (complete validation, then frozen)."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import answers as answers_module
from ..definition import Definition, QuestionType
from ..display import answer_text
from ..models import Access, Invitation, Questionnaire, Response, ResponseFile, ResponseStatus

# Responses to these keep no user, no organisation and no address.
ANONYMOUS = (Access.PUBLIC, Access.INVITATION)


class ResponseFrozen(Exception):
    """The response was submitted: nothing changes it any more."""

    def __init__(self, response: Response | None = None):
        super().__init__(_("This response was submitted, so it can no longer be changed."))
        self.response = response


class ResponseClosed(Exception):
    """The questionnaire does not accept responses (closed, not yet open, or past its dates)."""

    def __init__(self, questionnaire: Questionnaire | None = None):
        super().__init__(_("This questionnaire is closed: it no longer accepts responses."))
        self.questionnaire = questionnaire


@dataclass
class Conflict:
    """An answer someone else changed after this editor loaded the form: theirs was kept, yours
    is shown beside it (both as text a person reads)."""

    path: str
    label: str
    theirs: str
    yours: str

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "label": self.label, "theirs": self.theirs, "yours": self.yours}


@dataclass
class SaveResult:
    response: Response
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    # The answers this save stored, as the form's "loaded" record holds them: a page that stays
    # open (autosave) merges these into its record.
    applied: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def _governed_elsewhere(questionnaire: Questionnaire) -> bool:
    # A Code report's questionnaire is opened and closed by its round, through the using app.
    return questionnaire.access == Access.EMBEDDED


@transaction.atomic
def response_start(
    *,
    questionnaire: Questionnaire,
    user=None,
    organisation=None,
    invitation: Invitation | None = None,
    language: str = "",
) -> Response:
    """A new draft on the questionnaire's current version. An identified questionnaire keeps one
    response per organisation: starting again resumes (returns) the organisation's response.
    Anonymous responses keep no user and no organisation."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not _governed_elsewhere(locked) and not locked.is_accepting():
        raise ResponseClosed(locked)
    if locked.current_version_id is None:
        raise ResponseClosed(locked)
    if locked.access in ANONYMOUS:
        user = organisation = None
    if locked.access == Access.IDENTIFIED:
        if organisation is None:
            raise ValueError("an identified questionnaire is answered for an organisation")
        existing = Response.objects.filter(questionnaire=locked, organisation=organisation).first()
        if existing is not None:
            return existing
    response = Response.objects.create(
        questionnaire=locked,
        version_id=locked.current_version_id,
        user=user,
        organisation=organisation,
        language=language[:8],
    )
    if invitation is not None:
        invitation.response = response
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["response", "used_at"])
    return response


def response_save(*, response: Response, data, files, base_revision: int, user=None) -> SaveResult:
    """Save a draft from a posted form. Each answer the editor changed is stored unless someone
    else changed it after `base_revision` (then it is a Conflict: theirs kept, yours shown);
    answers the editor did not touch keep whatever is stored. Malformed answers are not stored
    and come back as errors. Hidden (skipped) answers are dropped. Raises ResponseFrozen after
    submission and ResponseClosed for an anonymous draft of a closed questionnaire."""
    with transaction.atomic():
        locked = _lock(response)
        result = _save(locked, data, files or {}, base_revision, user)
    _refresh(response, locked)
    result.response = response
    return result


def response_submit(
    *, response: Response, data=None, files=None, base_revision: int | None = None, user=None
) -> SaveResult:
    """Save what is posted (when given), check everything, and freeze the response only when no
    error and no conflict remains."""
    with transaction.atomic():
        locked = _lock(response)
        if not _governed_elsewhere(locked.questionnaire) and not locked.questionnaire.is_accepting():
            raise ResponseClosed(locked.questionnaire)
        if data is not None:
            base = locked.revision if base_revision is None else base_revision
            result = _save(locked, data, files or {}, base, user)
        else:
            result = SaveResult(locked)
        checked = answers_module.check(locked.version.definition, locked.answers)
        for path, messages in checked.items():
            known = result.errors.setdefault(path, [])
            known.extend(message for message in messages if message not in known)
        if result.ok:
            now = timezone.now()
            locked.status = ResponseStatus.SUBMITTED
            locked.submitted_at = now
            locked.updated_at = now
            locked.revision += 1
            locked.save(update_fields=["status", "submitted_at", "updated_at", "revision"])
    _refresh(response, locked)
    result.response = response
    return result


def response_check(response: Response) -> dict[str, list[str]]:
    """Every error of the stored answers, as submitting would find them."""
    return answers_module.check(response.version.definition, response.answers)


def _lock(response: Response) -> Response:
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("questionnaire", "version")
        .get(pk=response.pk)
    )
    if locked.is_frozen:
        raise ResponseFrozen(locked)
    questionnaire = locked.questionnaire
    anonymous = questionnaire.access in ANONYMOUS
    if anonymous and not questionnaire.is_accepting():
        raise ResponseClosed(questionnaire)
    return locked


def _refresh(response: Response, locked: Response) -> None:
    for name in (
        "answers",
        "revision",
        "answer_revisions",
        "status",
        "submitted_at",
        "updated_at",
        "updated_by_id",
    ):
        setattr(response, name, getattr(locked, name))


def loaded_of(data, base_revision: int) -> dict[str, tuple[str, int]] | None:
    """The form's record of what its editor loaded: per answer key, the fingerprint of the value
    and the revision it was loaded at (keys missing were empty at `base_revision`). None when the
    form carries no record (then every posted answer counts as changed)."""
    raw = data.get(answers_module.LOADED_FIELD) if hasattr(data, "get") else None
    if raw is None:
        return None
    try:
        loaded = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    entries: dict[str, tuple[str, int]] = {}
    for key, entry in loaded.items():
        try:
            entries[str(key)] = (str(entry[0]), int(entry[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            continue
    return entries


def loaded_record(response: Response) -> dict[str, list[Any]]:
    """The record a form carries of the answers as stored now (see `loaded_of`)."""
    revisions = response.answer_revisions
    return {
        key: [answers_module.digest(value), int(revisions.get(key, 0))]
        for key, value in response.answers.items()
        if not answers_module.is_empty(value)
    }


def _save(locked: Response, data, files, base_revision: int, user=None) -> SaveResult:
    definition = locked.version.definition
    stored_files = {
        item.pk: {"id": item.pk, "name": item.original_name, "size": item.size} for item in locked.files.all()
    }
    reading = answers_module.read(
        definition, data, files, stored_files=stored_files, remove_block=str(data.get("remove_block", ""))
    )
    values = reading.values
    add_block = str(data.get("add_block", ""))
    repeat = definition.question(add_block)
    if repeat is not None and repeat.type == QuestionType.REPEAT and add_block not in reading.errors:
        blocks = list(values.get(add_block) or locked.answers.get(add_block) or [])
        if len(blocks) < answers_module.REPEAT_MAX_BLOCKS:
            values[add_block] = [*blocks, {}]
        else:
            reading.error(
                add_block,
                _("You can add at most %(max)s of these.") % {"max": answers_module.REPEAT_MAX_BLOCKS},
            )
    touched_by_request = {
        key for key in values if str(data.get("remove_block", "")).startswith(f"{key}.") or key == add_block
    }
    _uploads_store(locked, reading, values)

    loaded = loaded_of(data, base_revision)
    current = dict(locked.answers)
    revisions = dict(locked.answer_revisions)
    merged = dict(current)
    conflicts: list[Conflict] = []
    language = locked.language or definition.default_language
    for key, value in values.items():
        new_digest = answers_module.digest(value)
        loaded_digest, loaded_revision = (loaded or {}).get(key, ("", base_revision))
        if loaded is not None and key not in touched_by_request and new_digest == loaded_digest:
            continue  # the editor left it as loaded
        if new_digest == answers_module.digest(current.get(key)):
            continue
        if int(revisions.get(key, 0)) > loaded_revision:
            conflicts.append(_conflict(definition, key, current, value, language))
            continue
        if answers_module.is_empty(value):
            merged.pop(key, None)
        else:
            merged[key] = value

    cleaned = answers_module.clean(definition, merged)
    # A choice the filter no longer offers is refused: the stored answer stays.
    for path in answers_module.check_filters(definition, cleaned):
        reading.error(path, _("This choice does not fit your earlier answers: choose again."))
        key = path.split(".", 1)[0]
        if key in current:
            cleaned[key] = current[key]
        else:
            cleaned.pop(key, None)
    cleaned = answers_module.clean(definition, cleaned)

    changed = [
        key
        for key in set(current) | set(cleaned)
        if answers_module.digest(current.get(key)) != answers_module.digest(cleaned.get(key))
    ]
    if changed:
        locked.revision += 1
        for key in changed:
            revisions[key] = locked.revision
        locked.answers = cleaned
        locked.answer_revisions = revisions
        locked.updated_at = timezone.now()
        fields = ["answers", "revision", "answer_revisions", "updated_at"]
        # An anonymous response never records who saved it.
        if user is not None and user.is_authenticated and locked.questionnaire.access not in ANONYMOUS:
            locked.updated_by = user
            fields.append("updated_by")
        locked.save(update_fields=fields)
        _files_prune(locked, cleaned)
    applied = {key: [answers_module.digest(cleaned.get(key)), locked.revision] for key in changed}
    return SaveResult(locked, reading.errors, conflicts, applied)


def _conflict(
    definition: Definition, key: str, current: Mapping[str, Any], yours: Any, language: str
) -> Conflict:
    question = definition.question(key)
    if question is None:  # an "other" text
        owner = definition.question(key.removesuffix("_other"))
        label = owner.label.get(language, definition.default_language) if owner else key
        return Conflict(key, label, str(current.get(key) or ""), str(yours or ""))
    label = question.label.get(language, definition.default_language) or key
    return Conflict(
        key,
        label,
        answer_text(definition, question, dict(current), language=language),
        answer_text(definition, question, {key: yours}, language=language),
    )


def _uploads_store(locked: Response, reading: answers_module.Reading, values: dict[str, Any]) -> None:
    """Store the posted files and put their answers where the placeholders are."""
    if not reading.uploads:
        return
    stored: dict[str, dict[str, Any]] = {}
    for upload in reading.uploads:
        name = PurePosixPath(upload.file.name or "file").name[:200] or "file"
        item = ResponseFile(
            response=locked,
            path=upload.path[:255],
            original_name=name,
            size=upload.file.size or 0,
            content_type=upload.content_type,
        )
        item.file.save(name, upload.file, save=False)
        item.save()
        stored[upload.path] = {"id": item.pk, "name": item.original_name, "size": item.size}

    def replace(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"upload"}:
            return stored.get(value["upload"])
        if isinstance(value, list):
            return [replace(item) for item in value]
        if isinstance(value, dict):
            return {key: replace(item) for key, item in value.items()}
        return value

    for key in list(values):
        values[key] = replace(values[key])


def _file_ids(value: Any) -> set[int]:
    if isinstance(value, dict):
        if set(value) >= {"id", "name", "size"} and isinstance(value.get("id"), int):
            return {value["id"]}
        return set().union(*(_file_ids(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_file_ids(item) for item in value)) if value else set()
    return set()


def _files_prune(locked: Response, answers: Mapping[str, Any]) -> None:
    """Files no answer holds any more (replaced or removed) are deleted."""
    kept = _file_ids(dict(answers))
    for item in locked.files.exclude(pk__in=kept):
        item.file.delete(save=False)
        item.delete()
