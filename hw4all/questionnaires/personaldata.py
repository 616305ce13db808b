"""Questionnaire responses tied to a person: those their account started or last saved, and
those whose answers hold their address; and invitations labelled with it.

An anonymous response that holds the address is the person's own and is deleted with its files.
A response given for an organisation (a Code report's among them) is the organisation's: it
stays, without the person's account and with every answer holding the address emptied."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import (
    PersonalDataProvider,
    Record,
    json_holds_address,
    json_narrowing_part,
    json_without_address,
    text_holds_address,
)
from hw4all.users.personaldata import user_ids_for_address

from .models import Invitation, Response


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _responses(address: str) -> list[Response]:
    user_ids = user_ids_for_address(address)
    rows = Response.objects.select_related("questionnaire").order_by("pk")
    if part := json_narrowing_part(address):
        rows = rows.filter(
            Q(user_id__in=user_ids) | Q(updated_by_id__in=user_ids) | Q(answers__icontains=part)
        )
    return [
        row
        for row in rows.prefetch_related("files")
        if row.user_id in user_ids
        or row.updated_by_id in user_ids
        or json_holds_address(row.answers, address)
    ]


def _invitations(address: str) -> list[Invitation]:
    rows = Invitation.objects.filter(label__icontains=address).select_related("questionnaire")
    return [row for row in rows if text_holds_address(row.label, address)]


def _export(address: str) -> list[Record]:
    records: list[Record] = [
        {
            "type": str(_("Questionnaire response")),
            "questionnaire": row.questionnaire.name,
            "status": row.status,
            "for_an_organisation": row.organisation_id is not None,
            "language": row.language,
            "answers": row.answers,
            "files": [item.original_name for item in row.files.all()],
            "started_at": _iso(row.created_at),
            "submitted_at": _iso(row.submitted_at),
        }
        for row in _responses(address)
    ]
    records.extend(
        {
            "type": str(_("Questionnaire invitation")),
            "questionnaire": row.questionnaire.name,
            "label": row.label,
            "answered_at": _iso(row.used_at),
        }
        for row in _invitations(address)
    )
    return records


def _erase(address: str) -> int:
    user_ids = set(user_ids_for_address(address))
    erased = 0
    for row in _responses(address):
        if row.organisation_id is None and not hasattr(row, "code_report"):
            for item in row.files.all():
                item.file.delete(save=False)
            row.delete()
        else:
            Response.objects.filter(pk=row.pk).update(
                user=None if row.user_id in user_ids else row.user_id,
                updated_by=None if row.updated_by_id in user_ids else row.updated_by_id,
                answers=json_without_address(row.answers, address),
            )
        erased += 1
    erased += Invitation.objects.filter(pk__in=[row.pk for row in _invitations(address)]).update(label="")
    return erased


RESPONSES = PersonalDataProvider(
    key="questionnaires", label=_("Questionnaires"), export=_export, erase=_erase
)
