"""Every write in the coalition app: the directory, projects, membership applications and the
organisations' API tokens."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries.fields import Country
from wagtail.images.models import AbstractImage

from hw4all.core.apihttp import write_origins_forget
from hw4all.core.audit import audit_record
from hw4all.core.email import email_enqueue
from hw4all.core.sanitize import html_sanitize
from hw4all.users.models import User

from .models import (
    ApiToken,
    ApiTokenUse,
    ApplicationStatus,
    MembershipApplication,
    Organisation,
    OrganisationType,
    Person,
    Project,
    ProjectParticipation,
    ProjectRole,
)
from .queries import api_token_hash

# Paths under /members/ that an organisation's slug must not take.
RESERVED_SLUGS = {"people"}


def _slug_unique(model, base: str) -> str:
    """A slug free in `model`'s table: `base`, else `base-2`, `base-3` ..."""
    max_length = model._meta.get_field("slug").max_length
    root = (slugify(base) or "item")[: max_length - 6].strip("-") or "item"
    slug, number = root, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{root}-{number}"
    return slug


def organisation_create(
    *,
    name: str,
    acronym: str = "",
    country: str = "",
    type: str = OrganisationType.NGO,
    website: str = "",
    description: str = "",
    is_member: bool = False,
    member_since: datetime.date | None = None,
    logo: AbstractImage | None = None,
    slug: str | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        acronym=acronym,
        slug=slug or _slug_unique(Organisation, acronym or name),
        country=country,
        type=type,
        website=website,
        description=html_sanitize(description),
        is_member=is_member,
        member_since=member_since,
        logo=logo,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_get_or_create(*, name: str, **fields) -> Organisation:
    """The organisation of that name (case-insensitive), created with `fields` when missing."""
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    return organisation_create(name=name, **fields)


def person_create(
    *,
    name: str,
    organisation: Organisation | None = None,
    job_title: str = "",
    coalition_role: str = "",
    bio: str = "",
    photo: AbstractImage | None = None,
    slug: str | None = None,
    user=None,
) -> Person:
    """A person in the directory; `user` links their account (one person per account)."""
    person = Person(
        user=user,
        name=name,
        slug=slug or _slug_unique(Person, name),
        organisation=organisation,
        job_title=job_title,
        coalition_role=coalition_role,
        bio=html_sanitize(bio),
        photo=photo,
    )
    person.full_clean()
    person.save()
    return person


def project_create(
    *,
    title: str,
    acronym: str = "",
    slug: str | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    funder: Organisation | None = None,
    grant_number: str = "",
    summary: str = "",
    description: str = "",
    outputs: str = "",
) -> Project:
    project = Project(
        title=title,
        acronym=acronym,
        slug=slug or _slug_unique(Project, acronym or title),
        start_date=start_date,
        end_date=end_date,
        funder=funder,
        grant_number=grant_number,
        summary=summary,
        description=html_sanitize(description),
        outputs=html_sanitize(outputs),
    )
    project.full_clean()
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The project cannot end before it starts.")})
    project.save()
    return project


def project_participation_add(
    *, project: Project, organisation: Organisation, role: str = ProjectRole.PARTNER, country: str = ""
) -> ProjectParticipation:
    participation = ProjectParticipation(
        project=project,
        organisation=organisation,
        role=role,
        country=country or organisation.country,
        sort_order=project.participations.count(),
    )
    participation.full_clean()
    participation.save()
    return participation


def membership_application_create(
    *,
    organisation_name: str,
    country: str,
    description: str,
    contact_name: str,
    contact_email: str,
    consent: bool,
    acronym: str = "",
    type: str = OrganisationType.NGO,
    website: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> MembershipApplication:
    """Store an application, acknowledge it to the applicant and tell the secretariat."""
    if not consent:
        raise ValidationError({"consent": _("We can only process the application with your consent.")})
    application = MembershipApplication(
        organisation_name=organisation_name.strip(),
        acronym=acronym.strip(),
        country=country,
        type=type,
        website=website,
        description=description.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        consented_at=timezone.now(),
        language=language,
    )
    application.full_clean()
    with transaction.atomic():
        application.save()
        # The email tasks are stored in this transaction: they go out only if the write commits.
        context = {"application": application, "site_url": settings.SITE_URL}
        email_enqueue(
            to=[application.contact_email],
            template="coalition/email/application_received",
            context=context,
            language=application.language,
        )
        email_enqueue(
            to=[settings.SECRETARIAT_EMAIL],
            template="coalition/email/application_notice",
            context=context,
            language=settings.LANGUAGE_CODE,
        )
    return application


def _application_decide(
    *,
    application: MembershipApplication,
    decided_by: User,
    status: str,
    note: str,
    organisation: Organisation | None = None,
) -> None:
    """Record the decision only if the application is still pending, in one UPDATE, so two
    secretaries deciding at the same moment cannot both succeed."""
    now = timezone.now()
    updated = MembershipApplication.objects.filter(
        pk=application.pk, status=ApplicationStatus.PENDING
    ).update(
        status=status,
        decided_by=decided_by,
        decided_at=now,
        decision_note=note,
        organisation=organisation or application.organisation,
    )
    if not updated:
        raise ValidationError(_("This application has already been decided."), code="already_decided")
    application.refresh_from_db()
    audit_record(f"coalition.application_{status}", obj=application, user=decided_by)


def membership_application_accept(
    *, application: MembershipApplication, decided_by: User, note: str = ""
) -> Organisation:
    """Make the applicant a member: link the organisation chosen by the secretariat, or one of
    the same name, or create it; then tell the applicant."""
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."), code="already_decided")
    # django-stubs types a CountryField as the CharField it extends; Django gives a Country.
    country = cast(Country, application.country)
    with transaction.atomic():
        organisation = application.organisation or organisation_get_or_create(
            name=application.organisation_name,
            acronym=application.acronym,
            country=country.code or "",
            type=application.type,
            website=application.website,
            description=linebreaks(application.description, autoescape=True),
        )
        _application_decide(
            application=application,
            decided_by=decided_by,
            status=ApplicationStatus.ACCEPTED,
            note=note.strip(),
            organisation=organisation,
        )
        if not organisation.is_member:
            organisation.is_member = True
            organisation.member_since = organisation.member_since or timezone.localdate()
            organisation.full_clean()
            organisation.save()
        _decision_email(application, "application_accepted", organisation)
    return organisation


def membership_application_decline(
    *, application: MembershipApplication, decided_by: User, note: str
) -> MembershipApplication:
    """Decline with a reason, which the applicant receives."""
    if not note.strip():
        raise ValidationError({"note": _("Give the applicant a reason for the decision.")})
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."), code="already_decided")
    with transaction.atomic():
        _application_decide(
            application=application,
            decided_by=decided_by,
            status=ApplicationStatus.DECLINED,
            note=note.strip(),
        )
        _decision_email(application, "application_declined", None)
    return application


def _decision_email(
    application: MembershipApplication, template: str, organisation: Organisation | None
) -> None:
    email_enqueue(
        to=[application.contact_email],
        template=f"coalition/email/{template}",
        context={"application": application, "organisation": organisation, "site_url": settings.SITE_URL},
        language=application.language,
    )


# Recognisable in logs and by secret scanners; the random part is 256 bits.
API_TOKEN_PREFIX = "hw4all_"  # noqa: S105 - the visible start of every token, not a secret
API_TOKEN_SHOWN_CHARS = 6


def _api_token_origins_changed() -> None:
    # Now for this process's next request, and again at commit so that no request that read the
    # old tokens in the meantime keeps a stale set in the cache.
    write_origins_forget()
    transaction.on_commit(write_origins_forget)


def _source_default(organisation: Organisation) -> str:
    max_length = ApiToken._meta.get_field("source").max_length or 50
    return organisation.slug[:max_length].strip("-") or "partner"


def api_token_issue(
    *,
    organisation: Organisation,
    name: str,
    scopes: Iterable[str],
    origins: Iterable[str] | str = "",
    source: str = "",
    by: User | None,
) -> tuple[ApiToken, str]:
    """Issue a token to `organisation`; the plaintext is returned once and never stored."""
    plaintext = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation=organisation,
        name=name.strip(),
        scopes=list(scopes),
        origins=origins if isinstance(origins, str) else "\n".join(origins),
        source=source.strip() or _source_default(organisation),
        token_hash=api_token_hash(plaintext),
        prefix=plaintext[: len(API_TOKEN_PREFIX) + API_TOKEN_SHOWN_CHARS],
        created_by=by,
    )
    token.full_clean()
    token.save()
    _api_token_origins_changed()
    return token, plaintext


def api_token_update(
    *, token: ApiToken, name: str, scopes: Iterable[str], origins: Iterable[str] | str
) -> ApiToken:
    """Change what a token is called, may do and where from; its secret and source stay."""
    token.name = name.strip()
    token.scopes = list(scopes)
    token.origins = origins if isinstance(origins, str) else "\n".join(origins)
    token.full_clean()
    token.save(update_fields=["name", "scopes", "origins"])
    _api_token_origins_changed()
    return token


def api_token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    """Refuse the token from now on. Revoking twice keeps the first revocation's time and author."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=by)
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    _api_token_origins_changed()
    return token


def _clip(value: str, field: str) -> str:
    column = cast(models.CharField, ApiTokenUse._meta.get_field(field))
    return value[: column.max_length]


def api_token_use_log(
    *,
    token: ApiToken,
    method: str,
    path: str,
    status_code: int,
    origin: str = "",
    remote_addr: str = "",
    accepted: bool,
) -> ApiTokenUse:
    """Record one request made with `token`; an accepted one also marks the token as used now.
    The values come from the request as sent, so they are cut to the columns' lengths."""
    use = ApiTokenUse.objects.create(
        token=token,
        method=_clip(method, "method"),
        path=_clip(path, "path"),
        status_code=status_code,
        origin=_clip(origin, "origin"),
        remote_addr=_clip(remote_addr, "remote_addr"),
    )
    if accepted:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=use.at)
    return use
