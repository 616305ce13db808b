"""Everything the platform holds about one email address: exported on request, erased on request.

Each app knows where people live in its own tables, and core may import none of them, so each app
registers a provider here in its AppConfig.ready: `export(address)` lists the records it holds
(dicts of plain JSON values, each labelled by its "type") and `erase(address)` deletes or
anonymises them and says how many it touched. Addresses match whatever their case and outer
spaces. What stays after an erasure, and why, is in docs/decisions/0013-personal-data.md."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Record = dict[str, Any]


@dataclass(frozen=True)
class PersonalDataProvider:
    key: str  # the export's section name: the app label
    label: Any  # what the admin screen calls it, translated
    export: Callable[[str], list[Record]]
    erase: Callable[[str], int]
    # Erased in this order, lowest first: providers that find a person's rows through their
    # account must run before the account itself is deleted (which then goes last).
    order: int = 100


_providers: dict[str, PersonalDataProvider] = {}


def personal_data_register(provider: PersonalDataProvider) -> None:
    _providers[provider.key] = provider


def personal_data_providers() -> list[PersonalDataProvider]:
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.key))


def personal_data_address(value: str) -> str:
    """The address as typed by whoever asks, in the form the providers match on (case is
    ignored by each of them): ValidationError when it is not an email address."""
    address = unicodedata.normalize("NFKC", value or "").strip().lower()
    if not address:
        raise ValidationError(_("Enter an email address."), code="required")
    validate_email(address)
    return address


def personal_data_address_hash(address: str) -> str:
    """A keyed hash of the address for the audit log: it shows that two requests were about the
    same person without naming them."""
    normalised = personal_data_address(address)
    return hashlib.sha256(f"{settings.SECRET_KEY}:personal-data:{normalised}".encode()).hexdigest()[:32]


@dataclass
class Section:
    key: str
    label: str
    records: list[Record]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many records of each type, in the order they first appear."""
        return list(Counter(str(record.get("type", "")) for record in self.records).items())


def personal_data_collect(address: str) -> list[Section]:
    address = personal_data_address(address)
    return [
        Section(provider.key, str(provider.label), provider.export(address))
        for provider in personal_data_providers()
    ]


def personal_data_export(address: str) -> dict[str, Any]:
    """One JSON document with every record of every app, for the person to receive."""
    address = personal_data_address(address)
    sections = personal_data_collect(address)
    return {
        "address": address,
        "exported_at": timezone.now().isoformat(),
        "sections": {
            section.key: {"label": section.label, "records": section.records} for section in sections
        },
    }


def personal_data_erase(address: str) -> list[tuple[str, str, int]]:
    """Erase everything about the address, all apps in one transaction (an error leaves every
    app as it was); (key, label, number of records deleted or anonymised) per app."""
    from .pagecache import pagecache_invalidate

    address = personal_data_address(address)
    with transaction.atomic():
        erased = [
            (provider.key, str(provider.label), provider.erase(address))
            for provider in personal_data_providers()
        ]
        # A cached page may still show the person's name (a petition's latest signers).
        if any(count for _key, _label, count in erased):
            transaction.on_commit(pagecache_invalidate)
    return erased


def personal_data_audit(action: str, *, address: str, user: Any, detail: dict[str, int]) -> None:
    """Record an export or an erasure in the audit log: who, when, how many records per app, and
    the address only as a keyed hash (the log must not keep what was erased)."""
    from .audit import audit_record

    audit_record(
        f"personal_data.{action}",
        user=user,
        object_type="personal_data",
        object_id=personal_data_address_hash(address),
        summary=f"Personal data: {action}",
        detail=detail,
    )


def _task_queue_export(address: str) -> list[Record]:
    return [
        {
            "type": str(_("Queued task")),
            "task": row.task_path,
            "status": row.status,
            "enqueued_at": row.enqueued_at.isoformat() if row.enqueued_at else None,
            "arguments": row.args_kwargs,
        }
        for row in _queued_for(address)
    ]


def _task_queue_erase(address: str) -> int:
    """Tasks still to run that carry the address (an email waiting to go out to it) are deleted:
    nothing should be sent to a person after they asked to be forgotten. Finished ones carry
    their arguments too and go as well."""
    from django_tasks_db.models import DBTaskResult

    ids = [row.pk for row in _queued_for(address)]
    deleted, _count = DBTaskResult.objects.filter(pk__in=ids).delete()
    return deleted


def _queued_for(address: str) -> list:
    from django_tasks_db.models import DBTaskResult

    # The address may be anywhere inside the JSON arguments.
    rows = DBTaskResult.objects.all()
    if part := json_narrowing_part(address):
        rows = rows.filter(args_kwargs__icontains=part)
    return [row for row in rows.iterator() if json_holds_address(row.args_kwargs, address)]


def json_narrowing_part(address: str) -> str | None:
    """What to look for in a JSON column's text to narrow the rows that may hold the address:
    JSON escapes non-ASCII characters, so only an ASCII local part can be looked for (None:
    every row must be read)."""
    local = address.split("@", 1)[0]
    return local if local.isascii() else None


# An address inside a text ends where the characters an address may hold end: a longer address
# that contains it ("jo@x.org" in "ajo@x.org" or "jo@x.org.uk") is another mailbox.
_LOCAL_CHARACTERS = r"\w.!#$%&'*+/=?^`{|}~-"


def text_holds_address(text: str, address: str) -> bool:
    """Whether the text contains the address, case ignored, as a whole address."""
    pattern = rf"(?<![{_LOCAL_CHARACTERS}]){re.escape(address)}(?![\w-]|\.[\w-])"
    return re.search(pattern, unicodedata.normalize("NFKC", text).lower()) is not None


def json_holds_address(value: Any, address: str) -> bool:
    """Whether any text inside a decoded JSON value contains the address, case ignored."""
    if isinstance(value, str):
        return text_holds_address(value, address)
    if isinstance(value, dict):
        return any(json_holds_address(item, address) for item in value.values())
    if isinstance(value, list | tuple):
        return any(json_holds_address(item, address) for item in value)
    return False


def json_without_address(value: Any, address: str) -> Any:
    """The JSON value with every text that contains the address emptied."""
    if isinstance(value, str):
        return "" if json_holds_address(value, address) else value
    if isinstance(value, dict):
        return {key: json_without_address(item, address) for key, item in value.items()}
    if isinstance(value, list):
        return [json_without_address(item, address) for item in value]
    return value


# After the apps: anything their erasure queues goes too.
TASK_QUEUE = PersonalDataProvider(
    key="tasks", label=_("Task queue"), export=_task_queue_export, erase=_task_queue_erase, order=900
)
