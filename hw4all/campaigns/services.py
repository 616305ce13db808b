"""Every write of the campaigns app. The signing path is the hot one: see
docs/decisions/0004-signing-path.md."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.coalition.models import OrganisationType
from hw4all.core.bulk import values_insert
from hw4all.core.taskqueue import task_enqueue_many

from .groupcommit import GroupCommitter, batch_write_atomic
from .models import CampaignPage, Signature, SignatureStatus, SignerKind, SuspicionFlag
from .normalise import email_clean, email_normalise, text_clean

RESEND_AFTER = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class SignatureInput:
    name: str
    email: str
    country: str
    signer_kind: str = SignerKind.INDIVIDUAL
    organisation_name: str = ""
    organisation_type: str = ""
    organisation_id: int | None = None
    city: str = ""
    consent_contact: bool = False
    public: bool = False
    source: str = ""
    language: str = settings.LANGUAGE_CODE
    ip_hash: str = ""


class SigningOutcome:
    CREATED = "created"
    RESENT = "resent"
    UNCHANGED = "unchanged"


def signature_submit(*, campaign: CampaignPage, data: SignatureInput) -> str:
    """Store a signature as waiting for confirmation and queue its confirmation email, both
    committed before this returns. A second signature with the same address changes nothing
    but may send the confirmation again (at most once an hour); the caller must answer all
    outcomes alike so that nobody can learn who signed."""
    if not campaign.is_open():
        raise ValidationError(_("This campaign is not taking signatures."), code="closed")
    if data.signer_kind == SignerKind.ORGANISATION and campaign.kind != "declaration":
        raise ValidationError(_("Only declarations take endorsements from organisations."), code="kind")
    if data.signer_kind == SignerKind.INDIVIDUAL and not campaign.allow_individuals:
        raise ValidationError(_("This declaration is endorsed by organisations only."), code="kind")
    # Everything that needs no lock happens here, in the request's thread; the writer only
    # inserts, so the database's write lock is held as briefly as possible.
    item = _signature_item(campaign.source_campaign_id(), data)
    if settings.CAMPAIGNS_GROUP_COMMIT:
        return _committer.run(item)
    (outcome,) = batch_write_atomic(_signatures_write, [item])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


class _SignatureItem:
    """A new signature on its way to the writer: its row, in the database's values, and what
    the one-per-address rule needs when the address has signed before."""

    __slots__ = ("campaign_id", "created_at", "email_normalised", "row")

    def __init__(
        self, campaign_id: int, email_normalised: str, created_at: datetime.datetime, row: list
    ) -> None:
        self.campaign_id = campaign_id
        self.email_normalised = email_normalised
        self.created_at = created_at
        self.row = row


def _signature_item(campaign_id: int, data: SignatureInput) -> _SignatureItem:
    now = timezone.now()
    email = email_clean(data.email)
    normalised = email_normalise(email)
    values = {
        "campaign_id": campaign_id,
        "signer_kind": data.signer_kind,
        "name": text_clean(data.name, max_length=200),
        "email": email,
        "email_normalised": normalised,
        "email_domain": normalised.rpartition("@")[2],
        "country": data.country,
        "organisation_name": text_clean(data.organisation_name, max_length=200),
        "organisation_type": data.organisation_type,
        "organisation_id": data.organisation_id,
        "city": text_clean(data.city, max_length=100),
        "consent_contact": data.consent_contact,
        "public": data.public,
        "source": data.source,
        "language": data.language,
        "ip_hash": data.ip_hash,
        "created_at": now,
        "confirmation_sent_at": now,
    }
    if not _plainly_valid(values):
        # The model's own validation, for its messages (or, should it accept what the plain
        # checks did not, to go on).
        _signature_validate(values)
    return _SignatureItem(campaign_id, normalised, now, _signature_row(values))


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SIGNER_KINDS = frozenset(SignerKind.values)
_ORGANISATION_TYPES = frozenset(OrganisationType.values)


def _plainly_valid(values: dict) -> bool:
    """A few comparisons that accept only what the model's validation (`full_clean`) accepts,
    for the signing path's hundreds of signatures a second: building and validating a model
    instance cost more than the rest of the write. Anything else goes through `full_clean`."""
    email, normalised, source = values["email"], values["email_normalised"], values["source"]
    return (
        values["name"] != ""
        and 0 < len(email) <= 254
        and len(normalised) <= 254
        and _email_valid(email)
        and values["country"] in countries.countries
        and values["signer_kind"] in _SIGNER_KINDS
        and (values["organisation_type"] == "" or values["organisation_type"] in _ORGANISATION_TYPES)
        # A directory entry is checked by a query; it is rare enough for the full path.
        and values["organisation_id"] is None
        and type(values["consent_contact"]) is bool
        and type(values["public"]) is bool
        and (source == "" or (len(source) <= 50 and _SLUG.fullmatch(source) is not None))
        and 0 < len(values["language"]) <= 8
        and len(values["ip_hash"]) <= 64
    )


def _email_valid(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _signature_validate(values: dict) -> None:
    # The country is checked against the list directly: the model field's own check walks
    # every choice. The campaign was just loaded, so its foreign key needs no query to check.
    # Uniqueness is the database's constraint, handled in the writer.
    Signature(**values).full_clean(
        exclude=["country", "campaign"], validate_unique=False, validate_constraints=False
    )
    if values["country"] not in countries.countries:
        raise ValidationError({"country": _("Choose a country from the list.")}, code="invalid_choice")


def _signature_row(values: dict) -> list:
    """The row `values` make, in the order of `_signature_fields()`: the given values as they
    are (strings, booleans and ids go to the database unchanged), the time converted once, and
    the model's defaults for the rest, prepared once."""
    stamp = Signature._meta.get_field("created_at").get_db_prep_save(values["created_at"], connection)
    return [
        default if name not in values else stamp if name in _TIMES else values[name]
        for name, default in _signature_defaults(tuple(values))
    ]


_TIMES = frozenset({"created_at", "confirmation_sent_at"})


@functools.cache
def _signature_fields() -> list[Field]:
    """The columns a new signature is inserted with."""
    return [field for field in Signature._meta.concrete_fields if not field.primary_key]


@functools.cache
def _signature_defaults(given: tuple[str, ...]) -> list[tuple[str, Any]]:
    """Each column's name and, unless it is `given`, the database's value of its default."""
    defaults = []
    for field in _signature_fields():
        if field.attname in given:
            defaults.append((field.attname, None))
        elif field.has_default() and callable(field.default):
            raise ImproperlyConfigured(
                f"Signature.{field.name} has a default per row: give it in _signature_item"
            )
        else:
            defaults.append((field.attname, field.get_db_prep_save(field.get_default(), connection)))
    return defaults


def _signatures_write(items: Sequence[_SignatureItem]) -> list[str | Exception]:
    """The group writer's batch: one INSERT for all the new addresses, one for their
    confirmation tasks; an address that already signed (rare) is handled on its own."""
    from .tasks import signature_confirmation_send

    inserted = _signatures_insert_new(items)
    outcomes: list[str | Exception] = []
    created: list[int] = []
    for item in items:
        # Two signatures with one address in one batch: the first takes the stored row, the
        # second finds it gone and is a repeat like any other.
        pk = inserted.pop((item.campaign_id, item.email_normalised), None)
        if pk is not None:
            created.append(pk)
            outcomes.append(SigningOutcome.CREATED)
        else:
            try:
                with transaction.atomic():
                    outcomes.append(_signature_repeat(item))
            except Exception as error:  # the request that sent it receives the error
                outcomes.append(error)
    task_enqueue_many(signature_confirmation_send, [{"signature_id": pk} for pk in created])
    return outcomes


def _signatures_insert_new(items: Sequence[_SignatureItem]) -> dict[tuple[int, str], int]:
    """Insert the rows whose address has not signed the campaign yet; return their ids by
    (campaign, normalised address)."""
    stored = values_insert(
        Signature,
        _signature_fields(),
        [item.row for item in items],
        skip_conflicts_on=("campaign_id", "email_normalised"),
        returning=("id", "campaign_id", "email_normalised"),
    )
    return {(campaign_id, email): pk for pk, campaign_id, email in stored}


def _signature_repeat(item: _SignatureItem) -> str:
    from .tasks import signature_confirmation_send

    now = item.created_at
    existing = Signature.objects.get(campaign_id=item.campaign_id, email_normalised=item.email_normalised)
    if existing.status == SignatureStatus.CONFIRMED or existing.confirmation_sent_at > now - RESEND_AFTER:
        return SigningOutcome.UNCHANGED
    if existing.status == SignatureStatus.WITHDRAWN:
        existing.status = SignatureStatus.PENDING
        existing.withdrawn_at = None
    existing.created_at = now
    existing.confirmation_sent_at = now
    existing.save(update_fields=["status", "withdrawn_at", "created_at", "confirmation_sent_at"])
    signature_confirmation_send.enqueue(signature_id=existing.pk)
    return SigningOutcome.RESENT


_committer = GroupCommitter(_signatures_write)


def signature_is_expired(signature: Signature) -> bool:
    limit = datetime.timedelta(days=settings.CAMPAIGNS_PENDING_DAYS)
    return signature.status == SignatureStatus.PENDING and signature.created_at < timezone.now() - limit


@transaction.atomic
def signature_confirm(*, signature: Signature) -> Signature:
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.status == SignatureStatus.CONFIRMED:
        return signature
    if signature.status != SignatureStatus.PENDING or signature_is_expired(signature):
        raise ValidationError(
            _("This confirmation link has expired. Please sign again to receive a new one."), code="expired"
        )
    signature.status = SignatureStatus.CONFIRMED
    signature.confirmed_at = timezone.now()
    signature.save(update_fields=["status", "confirmed_at"])
    return signature


@transaction.atomic
def signature_withdraw(*, signature: Signature) -> Signature:
    signature = Signature.objects.select_for_update().get(pk=signature.pk)
    if signature.status != SignatureStatus.WITHDRAWN:
        signature.status = SignatureStatus.WITHDRAWN
        signature.withdrawn_at = timezone.now()
        signature.save(update_fields=["status", "withdrawn_at"])
    return signature


def signature_set_hidden(*, signature: Signature, hidden: bool) -> Signature:
    """The secretariat hides an abusive entry from lists and counts (and can undo it)."""
    signature.hidden = hidden
    signature.save(update_fields=["hidden"])
    return signature


def signature_set_verified(*, signature: Signature, verified: bool) -> Signature:
    """The secretariat vouches for an organisation's endorsement before it is shown."""
    signature.verified = verified
    signature.save(update_fields=["verified"])
    return signature


def campaigns_index_ensure(*, home, title: str = "Campaigns", intro: str = ""):
    from hw4all.core.pagetree import child_page_ensure

    from .models import CampaignIndexPage

    return child_page_ensure(
        parent=home, page=CampaignIndexPage(title=title, slug="campaigns", intro=intro, show_in_menus=True)
    )


@transaction.atomic
def campaign_create(
    *,
    index,
    title: str,
    summary: str,
    kind: str = "petition",
    body: list | None = None,
    target: str = "",
    goal: int = 1000,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    languages: str = "",
    allow_individuals: bool = True,
    ask_organisation: bool = True,
    ask_city: bool = True,
    result: str = "",
    slug: str | None = None,
    publish: bool = True,
) -> CampaignPage:
    from hw4all.core.sanitize import html_sanitize

    campaign = CampaignPage(
        title=title,
        summary=summary,
        kind=kind,
        body=body or [],
        target=target,
        goal=goal,
        opens_at=opens_at or timezone.now(),
        closes_at=closes_at,
        languages=languages,
        allow_individuals=allow_individuals,
        ask_organisation=ask_organisation,
        ask_city=ask_city,
        result=html_sanitize(result),
        # A new page is live unless told otherwise; publishing the revision makes it live.
        live=False,
    )
    if slug:
        campaign.slug = slug
    index.add_child(instance=campaign)
    revision = campaign.save_revision()
    if publish:
        revision.publish()
    return campaign


def suspicion_flag_set_reviewed(*, flag: SuspicionFlag, reviewed: bool) -> SuspicionFlag:
    """The secretariat marks a flagged pattern as looked at (or not yet)."""
    flag.reviewed = reviewed
    flag.save(update_fields=["reviewed"])
    return flag
