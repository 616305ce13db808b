"""Every write in the library: resources from a record (imports), members' submissions and the
Secretariat's decisions on them, reading the files' text, and download counts."""

from __future__ import annotations

import contextlib
import functools
import logging
import shutil
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from hw4all.coalition.models import Organisation, Person
from hw4all.core.audit import audit_record
from hw4all.core.email import email_enqueue
from hw4all.core.pagecache import pagecache_invalidate

from . import records
from .models import Extraction, Resource, ResourceAuthor, ResourceFile, Status, Topic

logger = logging.getLogger(__name__)


def topic_for_name(name: str) -> Topic:
    """The topic of that name in any language (case ignored), created when the vocabulary has none."""
    name = records.text_clean(name)
    topic = (
        Topic.objects.filter(name__iexact=name).first()
        or Topic.objects.filter(names__name__iexact=name).first()
        or Topic.objects.filter(slug=slugify(name)).first()
    )
    if topic is None:
        topic = Topic.objects.create(name=name, slug=slugify(name) or f"topic-{Topic.objects.count() + 1}")
    return topic


def _author_for(author: records.Author) -> ResourceAuthor:
    """An author linked to the directory when the name is there, else kept as typed."""
    if author.is_organisation:
        organisation = Organisation.objects.filter(name__iexact=author.literal).first()
        if organisation is not None:
            return ResourceAuthor(organisation=organisation)
    else:
        full_name = f"{author.given} {author.family}".strip()
        person = Person.objects.filter(name__iexact=full_name).first()
        if person is not None:
            return ResourceAuthor(person=person)
    return ResourceAuthor(name=str(author))


@transaction.atomic
def resource_from_record(
    record: records.ResourceRecord, *, status: str = Status.PUBLISHED, submitted_by=None
) -> tuple[Resource, bool]:
    """Create the resource a record describes, or update the one with the same DOI or address;
    a record with neither updates the resource without either that has its title and year, so
    that importing the same file twice creates nothing new. Returns the resource and whether it
    was created."""
    key = record.import_key()
    if key:
        resource = Resource.objects.filter(import_key=key).first()
    else:
        resource = Resource.objects.filter(import_key=None, title=record.title, year=record.year).first()
    created = resource is None
    if resource is None:
        resource = Resource(status=status, submitted_by=submitted_by)
    resource.title = record.title
    resource.kind = record.kind
    resource.summary = record.summary
    resource.publisher = record.publisher
    resource.year, resource.month, resource.day = record.year, record.month, record.day
    resource.countries = list(record.countries)
    resource.doi, resource.isbn, resource.url = record.doi, record.isbn, record.url
    resource.licence = _licence_for(record.licence)
    if created:
        resource.slug = slugify(record.title, allow_unicode=True)[:120].strip("-")
    resource.authors = [_author_for(author) for author in record.authors]
    resource.topics = [topic_for_name(name) for name in record.topics]
    resource.save()
    return resource, created


def _licence_for(text: str) -> str:
    from .models import Licence

    if not text:
        return ""
    wanted = text.replace(" ", "-").casefold()
    for value, label in Licence.choices:
        if wanted in (value.casefold(), str(label).replace(" ", "-").casefold()):
            return value
    return Licence.OTHER


@transaction.atomic
def resource_submit(*, resource: Resource, user, organisation: Organisation | None = None) -> Resource:
    """A member's addition: stored, waiting for the Secretariat's approval, who are told by email.
    `organisation` names the member organisation that sent it through the API (with no user)."""
    resource.status = Status.SUBMITTED
    resource.submitted_by = user
    resource.save()
    files_process_enqueue(resource)
    email_enqueue(
        to=[settings.SECRETARIAT_EMAIL],
        template="library/email/submission_notice",
        context={
            "resource": resource,
            "organisation": organisation,
            "site_url": settings.SITE_URL,
            "review_url": reverse("wagtailsnippets_library_resource:list") + f"?status={Status.SUBMITTED}",
        },
        language=settings.LANGUAGE_CODE,
    )
    return resource


class AlreadyDecided(Exception):
    pass


@transaction.atomic
def resource_decide(*, resource: Resource, user, accept: bool, note: str = "") -> Resource:
    """Publish or decline a member's addition and tell the submitter, in their language."""
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.status != Status.SUBMITTED:
        raise AlreadyDecided
    resource.status = Status.PUBLISHED if accept else Status.DECLINED
    resource.decided_by = user
    resource.decided_at = timezone.now()
    resource.decision_note = note
    resource.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    audit_record(f"library.resource_{resource.status}", obj=resource, user=user)
    resource_changed(resource)
    submitter = resource.submitted_by
    if submitter is not None and submitter.email:
        email_enqueue(
            to=[submitter.email],
            template="library/email/resource_approved" if accept else "library/email/resource_declined",
            context={"resource": resource, "user": submitter, "site_url": settings.SITE_URL},
            language=submitter.preferred_language or settings.LANGUAGE_CODE,
        )
    # The library's lists and this resource's page change for every visitor.
    pagecache_invalidate()
    return resource


def resource_changed(resource: Resource) -> None:
    """After any edit: read the files not read yet, and bring the search index up to date once the
    transaction commits (the index and the task worker see only committed rows)."""
    files_process_enqueue(resource)
    from .search import resource_index_enqueue

    resource_index_enqueue(resource.pk)


def files_process_enqueue(resource: Resource) -> None:
    from .tasks import file_process

    pending = list(
        ResourceFile.objects.filter(resource=resource, extraction=Extraction.PENDING).values_list(
            "pk", flat=True
        )
    )
    for file_id in pending:
        transaction.on_commit(functools.partial(file_process.enqueue, file_id=file_id))


def file_read(file: ResourceFile) -> None:
    """Read the text of one file and draw its preview; run by the task worker, never in a request.
    Whatever the file holds, the outcome is stored on it: the text, or a message saying why not."""
    with file_on_disk(file) as path:
        _file_read(file, path)
    file.save()


def _file_read(file: ResourceFile, path: str) -> None:
    from .extract import extract_text
    from .preview import first_page_preview

    extraction = extract_text(path)
    file.size = file.file.size
    file.format = extraction.format
    file.pages = extraction.pages
    file.text = extraction.text
    if extraction.problem and not extraction.text:
        file.extraction = Extraction.FAILED
    else:
        file.extraction = Extraction.DONE
    file.extraction_message = extraction.problem or ""
    if extraction.format == "pdf":
        image = first_page_preview(path)
        if image:
            file.preview.save(f"{file.pk}.webp", ContentFile(image), save=False)


@contextlib.contextmanager
def file_on_disk(file: ResourceFile) -> Iterator[str]:
    """A path to the file's bytes: the file itself on local storage, a temporary copy otherwise."""
    try:
        path = file.file.path
    except NotImplementedError:
        path = None
    if path:
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix="-" + (file.file.name or "").rsplit("/", 1)[-1]) as copy:
        with file.file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name


def file_downloaded(file_id: int) -> None:
    ResourceFile.objects.filter(pk=file_id).update(downloads=F("downloads") + 1)


@transaction.atomic
def resource_external_upsert(
    *,
    key: str,
    title: str,
    summary: str,
    url: str,
    kind: str,
    countries: list[str],
    year: int | None,
    text: str = "",
) -> Resource:
    """The library's entry for something another app publishes on its own page (a case study of
    the practices): a published resource that points at that page, created or brought up to date
    under `key`, then indexed. Nothing is written when the entry already says the same.

    `key` is "<app>:<id>" (such as "practices:12") and becomes the entry's import key: imports
    find resources by DOI or by normalised address, which never take that form, so no import can
    take the entry over. Resource.save() computes the import key from the address, so the key is
    written back after each save; an edit in the admin computes it again, which is why the entry
    is also found by its address (`url`, absolute).

    The index reads a resource's title, summary, authors, topics and its files' text. An entry
    has no file, so `text` (the words of the page, for the search) is kept in the summary after
    `summary`, a blank line between them: the search finds and quotes it, a rebuild of the index
    keeps it, and the entry's page shows what the search matched."""
    from .models import Kind
    from .search import MAX_BODY_CHARS

    prefix, _colon, rest = key.partition(":")
    if not (prefix.isalpha() and prefix not in ("http", "https", "doi") and rest):
        raise ValueError(f"An external key is '<app>:<id>', not {key!r}")
    Kind(kind)
    title = records.text_clean(title)
    if not title:
        raise ValueError("An entry needs a title")
    url_key = records.url_normalise(url)
    resource = (
        Resource.objects.select_for_update().filter(import_key=key).first()
        or Resource.objects.select_for_update().filter(import_key=url_key).first()
    )
    created = resource is None
    if resource is None:
        resource = Resource()

    def state() -> tuple:
        return (
            resource.title,
            resource.kind,
            resource.summary,
            resource.url,
            resource.year,
            resource.status,
            sorted(str(country) for country in resource.countries),
            resource.import_key,
        )

    before = None if created else state()
    resource.title = title
    resource.kind = kind
    resource.summary = records.paragraphs_clean(f"{summary}\n\n{text}")[:MAX_BODY_CHARS]
    resource.url = url
    resource.year = year
    resource.status = Status.PUBLISHED
    resource.countries = sorted(set(countries))
    resource.import_key = key
    if state() == before:
        return resource
    resource.save()
    Resource.objects.filter(pk=resource.pk).update(import_key=key)
    resource.import_key = key
    resource_changed(resource)
    return resource


@transaction.atomic
def resource_external_remove(*, key: str, url: str = "") -> bool:
    """Take an entry made by resource_external_upsert out of the library and its index (`url`,
    its address, finds it after an edit in the admin changed its import key). Returns whether
    there was one."""
    keys = [key, records.url_normalise(url)] if url else [key]
    removed = False
    # One by one: the index drops each deleted resource (search.resource_deleted).
    for resource in Resource.objects.filter(import_key__in=keys):
        resource.delete()
        removed = True
    return removed
