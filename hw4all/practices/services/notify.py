"""A case's timeline and the emails each step sends: one line per step, one message per person,
written in that person's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from hw4all.core.email import email_enqueue
from hw4all.users.roles import SECRETARIAT

from ..models import CaseEvent, CaseStudy

User = get_user_model()


def event_add(
    *, case: CaseStudy, kind: str, actor=None, note: str = "", for_authors: bool = True
) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, note=note, for_authors=for_authors)


def secretariat_users() -> list:
    return list(User.objects.filter(is_active=True, groups__name=SECRETARIAT).distinct())


def authors_of(case: CaseStudy) -> list:
    return list(case.authors.filter(is_active=True))


def people_notify(
    *,
    users: Iterable,
    subject: Callable[[], str],
    message: Callable[[], str],
    link: Callable[[], str],
    link_label: Callable[[], str],
    note: str = "",
    reviewer_comments: Iterable[str] = (),
    exclude=None,
) -> int:
    """Email each user once, in their preferred language. `subject`, `message` and `link_label`
    and `link` are called under that language, so they may use gettext and reverse(). Returns how many were queued."""
    sent = 0
    seen: set[int] = set()
    comments = list(reviewer_comments)
    for user in users:
        if user.pk in seen or not user.email or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "subject": subject(),
                "message": message(),
                "link": link(),
                "link_label": link_label(),
                "note": note,
                "reviewer_comments": comments,
                "site_url": settings.SITE_URL,
            }
        email_enqueue(to=[user.email], template="practices/email/step", context=context, language=language)
        sent += 1
    return sent
