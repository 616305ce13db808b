"""The coalition's records of a person: their entry in the directory of people (tied to their
account) and membership applications they were the contact for. API token logs hold no address
(the path without its query, the partner's network), so they have nothing to give or erase.

An erased person's directory entry goes with its photo, its revisions and its admin history. An
application already decided is the organisation's record and stays without its contact person;
one still pending goes, since nobody could be told the decision."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from hw4all.core.personaldata import PersonalDataProvider, Record
from hw4all.users.personaldata import user_ids_for_address

from .models import ApplicationStatus, MembershipApplication, Person


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _people(address: str):
    return Person.objects.filter(user_id__in=user_ids_for_address(address)).select_related("organisation")


def _applications(address: str):
    return MembershipApplication.objects.filter(contact_email__iexact=address)


def _export(address: str) -> list[Record]:
    records: list[Record] = [
        {
            "type": str(_("Entry in the directory of people")),
            "name": row.name,
            "slug": row.slug,
            "job_title": row.job_title,
            "organisation": row.organisation.name if row.organisation else "",
            "role_in_the_coalition": row.coalition_role,
            "biography": row.bio,
            "has_photo": row.photo_id is not None,
        }
        for row in _people(address)
    ]
    records.extend(
        {
            "type": str(_("Membership application contact")),
            "organisation": row.organisation_name,
            "contact_name": row.contact_name,
            "contact_email": row.contact_email,
            "status": row.status,
            "language": row.language,
            "received_at": _iso(row.created_at),
            "consent_given_at": _iso(row.consented_at),
        }
        for row in _applications(address).order_by("created_at", "pk")
    )
    return records


def _erase(address: str) -> int:
    erased = 0
    person_type = ContentType.objects.get_for_model(Person)
    for person in _people(address):
        photo = person.photo
        ModelLogEntry.objects.filter(content_type=person_type, object_id=str(person.pk)).delete()
        person.delete()
        if photo is not None and not Person.objects.filter(photo=photo).exists():
            photo.delete()
        erased += 1
    applications = _applications(address)
    erased += applications.filter(status=ApplicationStatus.PENDING).delete()[0]
    erased += applications.update(contact_name="", contact_email="")
    return erased


PEOPLE = PersonalDataProvider(key="coalition", label=_("Coalition"), export=_export, erase=_erase)
