"""Resources a person submitted to the library. A submitted resource is a publication, not the
person's data: erasing keeps it (waiting, published or declined as it was) and forgets who
submitted it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hw4all.core.personaldata import PersonalDataProvider, Record
from hw4all.users.personaldata import user_ids_for_address

from .models import Resource


def _submitted(address: str):
    return Resource.objects.filter(submitted_by_id__in=user_ids_for_address(address))


def _export(address: str) -> list[Record]:
    return [
        {
            "type": str(_("Library submission")),
            "title": row.title,
            "status": row.status,
            "url": row.url,
            "submitted_at": row.created_at.isoformat(),
            "note_to_the_submitter": row.decision_note,
        }
        for row in _submitted(address).order_by("created_at", "pk")
    ]


def _erase(address: str) -> int:
    return _submitted(address).update(submitted_by=None)


SUBMISSIONS = PersonalDataProvider(key="library", label=_("Library"), export=_export, erase=_erase)
