"""A person in the Code reports: the reports they started or submitted for their organisation,
the co-signatures they gave for one, what the history records they did, and the calls to report
they were sent. A report belongs to its organisation: erasing keeps it and forgets the person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record
from hw4all.users.personaldata import user_ids_for_address

from .models import CoSignature, ReminderSent, Report, ReportEvent


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _export(address: str) -> list[Record]:
    user_ids = user_ids_for_address(address)
    records: list[Record] = []
    for field, label in (
        ("created_by", _("Code report started")),
        ("submitted_by", _("Code report submitted")),
    ):
        records.extend(
            {
                "type": str(label),
                "report": str(row),
                "organisation": str(row.organisation),
                "status": row.status,
                "at": _iso(row.created_at if field == "created_by" else row.submitted_at),
            }
            for row in Report.objects.filter(**{f"{field}_id__in": user_ids})
            .select_related("round", "organisation")
            .order_by("pk")
        )
    records.extend(
        {
            "type": str(_("Co-signature of a Code report")),
            "report": str(row.report),
            "at": _iso(row.signed_at),
        }
        for row in CoSignature.objects.filter(signed_by_id__in=user_ids)
        .select_related("report")
        .order_by("pk")
    )
    records.extend(
        {
            "type": str(_("Code report history entry")),
            "report": str(row.report),
            "kind": row.kind,
            "at": _iso(row.at),
        }
        for row in ReportEvent.objects.filter(actor_id__in=user_ids).select_related("report").order_by("pk")
    )
    records.extend(
        {
            "type": str(_("Call to report sent")),
            "call": str(row.call),
            "kind": row.kind,
            "at": _iso(row.sent_at),
        }
        for row in ReminderSent.objects.filter(user_id__in=user_ids)
        .select_related("call__round")
        .order_by("pk")
    )
    return records


def _erase(address: str) -> int:
    user_ids = user_ids_for_address(address)
    return (
        Report.objects.filter(created_by_id__in=user_ids).update(created_by=None)
        + Report.objects.filter(submitted_by_id__in=user_ids).update(submitted_by=None)
        + CoSignature.objects.filter(signed_by_id__in=user_ids).update(signed_by=None)
        + ReportEvent.objects.filter(actor_id__in=user_ids).update(actor=None)
        + ReminderSent.objects.filter(user_id__in=user_ids).delete()[0]
    )


REPORTERS = PersonalDataProvider(key="codereports", label=_("Code reports"), export=_export, erase=_erase)
