"""What authors do with a case study: start it, write it (autosaved, never overwriting a
co-author's save), share it with co-authors, attach files, and submit it."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath
from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from hw4all.coalition.queries import organisation_of
from hw4all.core.images import NotAPicture, image_reencode
from hw4all.core.sanitize import html_sanitize, text_plain
from hw4all.users.roles import MEMBER, user_has_role

from .. import links
from ..models import (
    CODE_ARTICLES,
    EDITABLE_STATUSES,
    LIST_FIELDS,
    SECTION_FIELDS,
    TEXT_FIELDS,
    CaseAttachment,
    CaseAuthor,
    CaseRevision,
    CaseStatus,
    CaseStudy,
    EventKind,
    Level,
    Theme,
)
from .notify import authors_of, event_add, people_notify, secretariat_users

User = get_user_model()

PLAIN_FIELDS = ("title", "summary", "actors", "contact_name", "contact_email")
SAVE_FIELDS = (*PLAIN_FIELDS, *SECTION_FIELDS, *LIST_FIELDS)
# The longest a section may be once sanitised: a long evaluation fits, a pasted book does not.
SECTION_MAX_CHARS = 30_000
ATTACHMENT_EXTENSIONS = {
    ".pdf": False,
    ".docx": False,
    ".odt": False,
    ".xlsx": False,
    ".ods": False,
    ".pptx": False,
    ".csv": False,
    ".txt": False,
    ".png": True,
    ".jpg": True,
    ".jpeg": True,
    ".webp": True,
}
ATTACHMENTS_MAX = 20


class EditConflict(Exception):
    """The case was saved by someone else since this editor loaded it."""

    def __init__(self, case: CaseStudy) -> None:
        super().__init__(
            _(
                "A co-author saved this case study while you were editing it, so your changes "
                "were not saved. Your text is still in the form: compare it with the current "
                "version, then save again."
            )
        )
        self.case = case


class CaseFrozen(PermissionDenied):
    """The case is not in a state its authors may change."""


def frozen_message(case: CaseStudy) -> str:
    if case.is_decided:
        return _("This case study has been decided; it can no longer be changed.")
    return _("This case study is with the Secretariat; it can be changed again if they send it back.")


def may_author(user) -> bool:
    """Members who belong to an organisation in the directory may write case studies."""
    return user.is_authenticated and user_has_role(user, MEMBER) and organisation_of(user) is not None


def is_author(case: CaseStudy, user) -> bool:
    return user.is_authenticated and CaseAuthor.objects.filter(case=case, user=user).exists()


def _clean_list(name: str, values) -> list:
    values = list(dict.fromkeys(values or []))
    if name == "countries":
        codes = [str(code).upper() for code in values]
        wrong = [code for code in codes if code not in all_countries]
        if wrong:
            raise ValidationError({name: _("Unknown country: %(codes)s") % {"codes": ", ".join(wrong)}})
        return codes
    if name == "code_articles":
        try:
            numbers = sorted({int(value) for value in values})
        except (TypeError, ValueError):
            raise ValidationError({name: _("Choose articles 1 to 10.")}) from None
        if any(number not in CODE_ARTICLES for number in numbers):
            raise ValidationError({name: _("Choose articles 1 to 10.")})
        return numbers
    allowed = Level.values if name == "levels" else Theme.values
    wrong = [str(value) for value in values if value not in allowed]
    if wrong:
        raise ValidationError({name: _("Not a choice here: %(values)s") % {"values": ", ".join(wrong)}})
    return values


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(SAVE_FIELDS)
    if unknown:
        raise TypeError(f"Not a case study field: {', '.join(sorted(unknown))}")
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        try:
            if name in LIST_FIELDS:
                cleaned[name] = _clean_list(name, value)
            elif name in SECTION_FIELDS:
                html = html_sanitize(value or "").strip()
                if len(html) > SECTION_MAX_CHARS:
                    raise ValidationError(
                        {
                            name: _("This section is too long: at most %(max)s characters.")
                            % {"max": SECTION_MAX_CHARS}
                        }
                    )
                cleaned[name] = html
            else:
                cleaned[name] = text_plain(value or "").strip()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    for name in PLAIN_FIELDS:
        if cleaned.get(name):
            try:
                cast(models.Field, CaseStudy._meta.get_field(name)).run_validators(cleaned[name])
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.messages)
    if "title" in cleaned and not cleaned["title"]:
        errors.setdefault("title", []).append(_("A case study needs a title."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _slug_for(title: str) -> str:
    return slugify(title, allow_unicode=True)[:120] or "case"


def case_create(*, user, title: str, **fields) -> CaseStudy:
    """A draft written by `user` for their organisation; they are its first author."""
    organisation = organisation_of(user)
    if organisation is None or not may_author(user):
        raise PermissionDenied(_("Only members of an organisation in the directory can write case studies."))
    cleaned = _clean_fields({"title": title, **fields})
    with transaction.atomic():
        case = CaseStudy.objects.create(
            organisation=organisation,
            created_by=user,
            slug=_slug_for(cleaned["title"]),
            contact_name=cleaned.pop("contact_name", "") or user.get_full_name(),
            contact_email=cleaned.pop("contact_email", "") or user.email,
            **cleaned,
        )
        CaseAuthor.objects.create(case=case, user=user)
        event_add(case=case, kind=EventKind.CREATED, actor=user)
    return case


def case_save(*, case: CaseStudy, user, edit_number: int, **fields) -> CaseStudy:
    """Save an author's changes if nobody saved since they loaded `edit_number`.

    The check and the write are one UPDATE … WHERE edit_number = loaded, so of two authors who
    save at once exactly one succeeds and the other gets EditConflict, never a silent loss."""
    if not is_author(case, user):
        raise PermissionDenied(_("Only the case study's authors can edit it."))
    cleaned = _clean_fields(fields)
    if "title" in cleaned:
        cleaned["slug"] = _slug_for(cleaned["title"])
    updated = CaseStudy.objects.filter(
        pk=case.pk, edit_number=edit_number, status__in=EDITABLE_STATUSES
    ).update(**cleaned, edit_number=F("edit_number") + 1, updated_at=timezone.now())
    case.refresh_from_db()
    if not updated:
        if not case.is_editable:
            raise CaseFrozen(frozen_message(case))
        raise EditConflict(case)
    return case


def case_author_add(*, case: CaseStudy, by, email: str) -> CaseAuthor:
    """Share the case with a member of any member organisation, who can then edit it too."""
    if not is_author(case, by):
        raise PermissionDenied(_("Only the case study's authors can add co-authors."))
    if case.is_decided:
        raise CaseFrozen(frozen_message(case))
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not may_author(user):
        raise ValidationError(
            _("There is no member account with this email address. Co-authors need a member account first.")
        )
    link, created = CaseAuthor.objects.get_or_create(case=case, user=user)
    if not created:
        raise ValidationError(_("%(name)s is already an author.") % {"name": user})
    event_add(case=case, kind=EventKind.AUTHOR_ADDED, actor=by, note=str(user))
    people_notify(
        users=[user],
        subject=lambda: _("You are a co-author of “%(title)s”") % {"title": case.title},
        message=lambda: (
            _("%(name)s added you as a co-author of the case study “%(title)s”. You can now edit it.")
            % {"name": by, "title": case.title}
        ),
        link=lambda: links.case_author_url(case),
        link_label=lambda: _("The case study:"),
    )
    return link


def case_author_remove(*, case: CaseStudy, by, user) -> None:
    if not is_author(case, by):
        raise PermissionDenied(_("Only the case study's authors can remove co-authors."))
    if case.is_decided:
        raise CaseFrozen(frozen_message(case))
    with transaction.atomic():
        links_ = CaseAuthor.objects.select_for_update().filter(case=case)
        if links_.count() <= 1:
            raise ValidationError(_("A case study keeps at least one author."))
        if not links_.filter(user=user).delete()[0]:
            raise ValidationError(_("%(name)s is not an author.") % {"name": user})
    event_add(case=case, kind=EventKind.AUTHOR_REMOVED, actor=by, note=str(user))


def attachment_limit_bytes() -> int:
    return settings.PRACTICES_MAX_UPLOAD_MB * 1024 * 1024


def attachment_add(*, case: CaseStudy, user, file: UploadedFile, title: str = "") -> CaseAttachment:
    if not is_author(case, user):
        raise PermissionDenied(_("Only the case study's authors can add files."))
    if not case.is_editable:
        raise CaseFrozen(frozen_message(case))
    name = PurePosixPath(file.name or "").name
    extension = PurePosixPath(name.lower()).suffix
    if extension not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("Files of this type cannot be attached. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_EXTENSIONS))}
        )
    if file.size is None or file.size > attachment_limit_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.PRACTICES_MAX_UPLOAD_MB}
        )
    if case.attachments.count() >= ATTACHMENTS_MAX:
        raise ValidationError(_("A case study has at most %(max)s files.") % {"max": ATTACHMENTS_MAX})
    is_image = ATTACHMENT_EXTENSIONS[extension]
    stored: File = _image_reencoded(file, name) if is_image else file
    name = stored.name or name
    attachment = CaseAttachment(
        case=case,
        title=text_plain(title).strip()[:255] or name[:255],
        is_image=is_image,
        size=stored.size,
        uploaded_by=user,
    )
    attachment.file.save(name, stored, save=False)
    attachment.save()
    return attachment


def _image_reencoded(file: UploadedFile, name: str) -> ContentFile:
    """The picture written again from its pixels (core.images): its type is its content's, and
    the stored name says that type."""
    try:
        content, extension = image_reencode(file)
    except NotAPicture:
        raise ValidationError(
            _("This file is not a picture this site can show (PNG, JPEG or WebP).")
        ) from None
    return ContentFile(content, name=str(PurePosixPath(name).with_suffix(extension)))


def attachment_remove(*, attachment: CaseAttachment, user) -> None:
    case = attachment.case
    if not is_author(case, user):
        raise PermissionDenied(_("Only the case study's authors can remove files."))
    if not case.is_editable:
        raise CaseFrozen(frozen_message(case))
    attachment.file.delete(save=False)
    attachment.delete()


def missing_for_submission(case: CaseStudy) -> list[str]:
    """What a case needs before the Secretariat will screen it, as sentences for the authors."""
    required = [
        ("title", _("a title")),
        ("summary", _("a summary")),
        ("countries", _("at least one country")),
        ("levels", _("at least one level")),
        ("themes", _("at least one theme")),
        ("context", _("the context")),
        ("practice", _("a description of the practice")),
        ("results", _("the results and their evidence")),
        ("contact_name", _("a contact person")),
        ("contact_email", _("a contact email")),
    ]
    return [str(label) for name, label in required if not getattr(case, name)]


def case_content(case: CaseStudy) -> dict:
    """The text a revision records, in a form JSON keeps as it is."""
    content = {name: getattr(case, name) for name in TEXT_FIELDS}
    content["countries"] = [str(code) for code in case.countries]
    for name in ("levels", "themes", "code_articles"):
        content[name] = list(getattr(case, name))
    return content


def case_submit(*, case: CaseStudy, user) -> CaseStudy:
    """Hand the case to the Secretariat for screening; the text is recorded as a revision."""
    if not is_author(case, user):
        raise PermissionDenied(_("Only the case study's authors can submit it."))
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if not locked.is_editable:
            raise CaseFrozen(frozen_message(locked))
        missing = missing_for_submission(locked)
        if missing:
            raise ValidationError(
                _("Before you submit, the case study needs: %(missing)s.") % {"missing": ", ".join(missing)}
            )
        resubmitted = locked.status == CaseStatus.REVISE
        locked.revision += 1
        locked.status = CaseStatus.SUBMITTED
        locked.save(update_fields=["revision", "status", "updated_at"])
        CaseRevision.objects.create(
            case=locked, number=locked.revision, content=case_content(locked), submitted_by=user
        )
        event_add(
            case=locked,
            kind=EventKind.SUBMITTED,
            actor=user,
            note=_("Revision %(number)s") % {"number": locked.revision},
        )
    case.refresh_from_db()
    people_notify(
        users=authors_of(case),
        subject=lambda: _("Submitted: %(title)s") % {"title": case.title},
        message=lambda: (
            _(
                "The case study “%(title)s” has been submitted. The Secretariat checks that it is "
                "complete and in scope, then asks reviewers to score it against the eligibility "
                "criteria. Every step is emailed to you."
            )
            % {"title": case.title}
        ),
        link=lambda: links.case_author_url(case),
        link_label=lambda: _("Follow it here:"),
    )
    people_notify(
        users=secretariat_users(),
        subject=lambda: (
            (
                _("Revised case study to screen: %(title)s")
                if resubmitted
                else _("New case study to screen: %(title)s")
            )
            % {"title": case.title}
        ),
        message=lambda: (
            _("%(organisation)s submitted the case study “%(title)s” (revision %(number)s).")
            % {"organisation": case.organisation, "title": case.title, "number": case.revision}
        ),
        link=lambda: links.case_admin_url(case),
        link_label=lambda: _("Screen it here:"),
    )
    return case


def review_deadline_default(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.PRACTICES_REVIEW_DAYS)
