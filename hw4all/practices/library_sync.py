"""Each published case study has an entry in the library, so that the library's search finds it
by its title, summary and sections; the entry links to the case's page.

The entry follows the case once the change is committed: when the case is published or
unpublished (the services write a timeline event for each, in the same transaction), when it is
saved with save(), and when it is deleted. The services change a case's fields with update(),
which sends no post_save, so the events are what announce a publication."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from hw4all.library import services as library_services

from . import links
from .diff import text_of
from .models import CaseEvent, CaseStudy, EventKind

# The library's kind for these entries (hw4all.library.models.Kind.CASE_STUDY).
LIBRARY_KIND = "case-study"


def case_library_key(case_id: int) -> str:
    return f"practices:{case_id}"


def case_page_url(case: CaseStudy) -> str:
    """The case's public page, absolute, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL.rstrip("/") + links.case_public_url(case)


def case_library_text(case: CaseStudy) -> str:
    """The sections as a reader sees them, each heading and paragraph separated by a blank line."""
    with translation.override(settings.LANGUAGE_CODE):
        sections = case.sections()
    paragraphs: list[str] = []
    for _name, heading, html in sections:
        paragraphs += [heading, *(line for line in text_of(html).splitlines() if line.strip())]
    return "\n\n".join(paragraphs)


def case_library_sync(case: CaseStudy) -> None:
    """Put the case in the library while it is published, and take it out otherwise."""
    key, url = case_library_key(case.pk), case_page_url(case)
    if not case.is_published:
        library_services.resource_external_remove(key=key, url=url)
        return
    library_services.resource_external_upsert(
        key=key,
        title=case.title,
        summary=case.summary,
        url=url,
        kind=LIBRARY_KIND,
        countries=[str(country) for country in case.countries],
        year=case.published_at.year if case.published_at else None,
        text=case_library_text(case),
    )


def _sync_after_commit(case_id: int) -> None:
    def sync() -> None:
        # Read again: the committed case, whatever the signal's instance held.
        case = CaseStudy.objects.filter(pk=case_id).first()
        if case is None:
            library_services.resource_external_remove(key=case_library_key(case_id))
        else:
            case_library_sync(case)

    transaction.on_commit(sync)


@receiver(post_save, sender=CaseEvent, dispatch_uid="practices_library_event")
def case_event_saved(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.kind in (EventKind.PUBLISHED, EventKind.UNPUBLISHED):
        _sync_after_commit(instance.case_id)


@receiver(post_save, sender=CaseStudy, dispatch_uid="practices_library_case")
def case_saved(sender, instance: CaseStudy, raw: bool = False, **kwargs) -> None:
    # Published or not, the entry is compared with the case: the upsert writes nothing when they
    # agree, and an unpublished case without an entry costs one read.
    if not raw:
        _sync_after_commit(instance.pk)


@receiver(post_delete, sender=CaseStudy, dispatch_uid="practices_library_case_deleted")
def case_deleted(sender, instance: CaseStudy, **kwargs) -> None:
    key, url = case_library_key(instance.pk), case_page_url(instance)
    transaction.on_commit(lambda: library_services.resource_external_remove(key=key, url=url))
