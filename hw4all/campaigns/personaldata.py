"""Signatures and organisations' endorsements given with an address, confirmed or still waiting
for confirmation.

Erasing keeps what a campaign has counted: a counted signature becomes one more in the
campaign's anonymous count of its country and day (as the end of the retention period does), and
its row goes. An organisation's endorsement is the organisation's and stays on the declaration;
only its contact person's name and address are emptied."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record

from .models import ArchivedCount, Signature, SignerKind
from .normalise import email_normalise
from .queries import signatures_counted


def _signatures(address: str):
    return Signature.objects.filter(email_normalised=email_normalise(address)).select_related("campaign")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _export(address: str) -> list[Record]:
    return [
        {
            "type": str(_("Endorsement") if row.signer_kind == SignerKind.ORGANISATION else _("Signature")),
            "campaign": row.campaign.title,
            "status": row.status,
            "name": row.name,
            "email": row.email,
            "country": str(row.country),
            "organisation": row.organisation_name,
            "city": row.city,
            "name_shown_publicly": row.public,
            "may_be_contacted": row.consent_contact,
            "language": row.language,
            "source": row.source,
            "signed_at": _iso(row.created_at),
            "confirmed_at": _iso(row.confirmed_at),
            "withdrawn_at": _iso(row.withdrawn_at),
        }
        for row in _signatures(address).order_by("created_at", "pk")
    ]


def _erase(address: str) -> int:
    erased = 0
    for row in _signatures(address).select_for_update():
        if row.signer_kind == SignerKind.ORGANISATION:
            # The endorsement stays; a placeholder keeps the one-per-address rule's column unique.
            Signature.objects.filter(pk=row.pk).update(
                name="",
                email="",
                email_normalised=f"erased:{row.pk}",
                city="",
                consent_contact=False,
                ip_hash="",
                anonymised_at=timezone.now(),
            )
        else:
            if signatures_counted(campaign_id=row.campaign_id).filter(pk=row.pk).exists():
                _count_archive(row)
            row.delete()
        erased += 1
    return erased


def _count_archive(row: Signature) -> None:
    day = timezone.localdate(row.confirmed_at or row.created_at)
    updated = ArchivedCount.objects.filter(campaign_id=row.campaign_id, country=row.country, day=day).update(
        count=F("count") + 1
    )
    if not updated:
        ArchivedCount.objects.create(campaign_id=row.campaign_id, country=row.country, day=day, count=1)


SIGNATURES = PersonalDataProvider(key="campaigns", label=_("Campaigns"), export=_export, erase=_erase)
