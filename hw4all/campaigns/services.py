"""Every write of the campaigns app. The signing path is the hot one: see
docs/decisions/0004-signing-path.md."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from hw4all.core.bulk import rows_insert
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
    signature = _signature_build(campaign.source_campaign_id(), data)
    if settings.CAMPAIGNS_GROUP_COMMIT:
        return _committer.run(signature)
    (outcome,) = batch_write_atomic(_signatures_write, [signature])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _signature_build(campaign_id: int, data: SignatureInput) -> Signature:
    now = timezone.now()
    email = email_clean(data.email)
    signature = Signature(
        campaign_id=campaign_id,
        signer_kind=data.signer_kind,
        name=text_clean(data.name, max_length=200),
        email=email,
        email_normalised=email_normalise(email),
        email_domain=email_normalise(email).rpartition("@")[2],
        country=data.country,
        organisation_name=text_clean(data.organisation_name, max_length=200),
        organisation_type=data.organisation_type,
        organisation_id=data.organisation_id,
        city=text_clean(data.city, max_length=100),
        consent_contact=data.consent_contact,
        public=data.public,
        source=data.source,
        language=data.language,
        ip_hash=data.ip_hash,
        created_at=now,
        confirmation_sent_at=now,
    )
    # The country is checked against the list directly: the model field's own check walks
    # every choice. The campaign was just loaded, so its foreign key needs no query to check.
    # Uniqueness is the database's constraint, handled in the writer.
    signature.full_clean(exclude=["country", "campaign"], validate_unique=False, validate_constraints=False)
    if data.country not in countries.countries:
        raise ValidationError({"country": _("Choose a country from the list.")}, code="invalid_choice")
    return signature


def _signatures_write(signatures: Sequence[Signature]) -> list[str | Exception]:
    """The group writer's batch: one INSERT for all the new addresses, one for their
    confirmation tasks; an address that already signed (rare) is handled on its own."""
    from .tasks import signature_confirmation_send

    inserted = _signatures_insert_new(signatures)
    outcomes: list[str | Exception] = []
    created: list[int] = []
    for signature in signatures:
        # Two signatures with one address in one batch: the first takes the stored row, the
        # second finds it gone and is a repeat like any other.
        pk = inserted.pop((signature.campaign_id, signature.email_normalised), None)
        if pk is not None:
            signature.pk = pk
            created.append(pk)
            outcomes.append(SigningOutcome.CREATED)
        else:
            try:
                with transaction.atomic():
                    outcomes.append(_signature_repeat(signature))
            except Exception as error:  # the request that sent it receives the error
                outcomes.append(error)
    task_enqueue_many(signature_confirmation_send, [{"signature_id": pk} for pk in created])
    return outcomes


def _signatures_insert_new(signatures: Sequence[Signature]) -> dict[tuple[int, str], int]:
    """Insert the rows whose address has not signed the campaign yet; return their ids by
    (campaign, normalised address)."""
    stored = rows_insert(
        signatures,
        skip_conflicts_on=("campaign_id", "email_normalised"),
        returning=("id", "campaign_id", "email_normalised"),
    )
    return {(campaign_id, email): pk for pk, campaign_id, email in stored}


def _signature_repeat(signature: Signature) -> str:
    from .tasks import signature_confirmation_send

    now = signature.created_at
    existing = Signature.objects.get(
        campaign_id=signature.campaign_id, email_normalised=signature.email_normalised
    )
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
