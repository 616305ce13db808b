"""The library: resources, their files (one language each), their authors, and the topics the
Secretariat keeps as a controlled vocabulary."""

import datetime

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from . import records


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    POLICY_BRIEF = "policy-brief", _("Policy brief")
    TOOLKIT = "toolkit", _("Toolkit")
    CASE_STUDY = "case-study", _("Case study")
    WHO_REFERENCE = "who-reference", _("WHO reference document")
    STATEMENT = "statement", _("Statement")
    PRESENTATION = "presentation", _("Presentation")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")


class Region(models.TextChoices):
    GLOBAL = "global", _("Global")
    AFR = "AFR", _("Africa (WHO region)")
    AMR = "AMR", _("Americas (WHO region)")
    SEAR = "SEAR", _("South-East Asia (WHO region)")
    EUR = "EUR", _("Europe (WHO region)")
    EMR = "EMR", _("Eastern Mediterranean (WHO region)")
    WPR = "WPR", _("Western Pacific (WHO region)")
    EU = "EU", _("European Union")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", pgettext_lazy("resource status", "Declined")


class Licence(models.TextChoices):
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "CC-BY-NC-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND = "CC-BY-NC-ND-3.0-IGO", "CC BY-NC-ND 3.0 IGO"
    CC_BY_NC_SA_IGO = "CC-BY-NC-SA-3.0-IGO", "CC BY-NC-SA 3.0 IGO"
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    OTHER = "other", _("Other (see the file)")


class Topic(ClusterableModel):
    """A term of the library's controlled vocabulary; its name in other languages is kept with it."""

    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"), InlinePanel("names")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").split("-")[0]
        for translation in self.names.all():
            if translation.language == language:
                return translation.name
        return self.name


class TopicName(models.Model):
    topic = ParentalKey(Topic, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "language"], name="library_topic_name_once")]
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Resource(ClusterableModel):
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    summary = models.TextField(_("summary"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year of publication"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    countries = CountryField(_("countries covered"), multiple=True, blank=True)
    regions = models.JSONField(_("regions covered"), default=list, blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="resources")
    licence = models.CharField(_("licence"), max_length=40, choices=Licence.choices, blank=True)
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    import_key = models.CharField(max_length=1000, null=True, blank=True, unique=True, editable=False)
    related = ParentalManyToManyField(
        "self", verbose_name=_("related resources"), blank=True, symmetrical=True
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("note to the submitter"), blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        InlinePanel("authors", heading=_("Authors")),
        FieldPanel("publisher"),
        FieldRowPanel(
            [FieldPanel("year"), FieldPanel("month"), FieldPanel("day")], heading=_("Publication date")
        ),
        FieldPanel("countries"),
        FieldPanel("regions"),
        FieldPanel("topics"),
        FieldPanel("licence"),
        MultiFieldPanel([FieldPanel("doi"), FieldPanel("isbn"), FieldPanel("url")], heading=_("Identifiers")),
        FieldPanel("related"),
        InlinePanel("files", heading=_("Files"), label=_("File")),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("decision_note")], heading=_("Approval")),
    ]

    class Meta:
        ordering = ["-year", "-month", "-day", "-id"]
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        indexes = [models.Index(fields=["status", "year"])]
        permissions = [("decide_resource", _("Can approve or decline resources"))]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        try:
            record = self.as_record(with_relations=False)
        except records.InvalidRecord as invalid:
            raise ValidationError(invalid.problems) from invalid
        self.doi, self.isbn = record.doi, record.isbn
        unknown = [region for region in self.regions if region not in Region.values]
        if unknown:
            raise ValidationError(
                {"regions": _("Unknown regions: %(value)s") % {"value": ", ".join(unknown)}}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:120].strip("-") or "resource"
        self.import_key = self.import_key_compute()
        super().save(*args, **kwargs)

    def import_key_compute(self) -> str | None:
        if self.doi:
            return records.doi_normalise(self.doi)
        if self.url:
            try:
                return records.url_normalise(self.url)
            except ValueError:
                return None
        return None

    def get_absolute_url(self) -> str:
        return reverse("library:resource_detail", kwargs={"pk": self.pk, "slug": self.slug})

    def structured_data(self, request) -> dict:
        from .structured_data import resource_structured_data

        return resource_structured_data(self, request)

    @property
    def date(self) -> datetime.date | None:
        if not self.year:
            return None
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def date_text(self) -> str:
        parts = [part for part in (self.year, self.month, self.day) if part]
        return "-".join([str(parts[0]), *(f"{part:02d}" for part in parts[1:])]) if parts else ""

    def languages(self) -> list[str]:
        return sorted({file.language for file in self.files.all()})

    def download_count(self) -> int:
        return sum(file.downloads for file in self.files.all())

    def as_record(self, *, with_relations: bool = True) -> records.ResourceRecord:
        """The resource as the citation exports read it."""
        authors: list[records.Author] = []
        languages: list[str] = []
        topics: list[str] = []
        if with_relations and self.pk:
            authors = [author.as_author() for author in self.authors.all()]
            languages = self.languages()
            topics = [topic.name for topic in self.topics.all()]
        return records.ResourceRecord(
            title=self.title,
            kind=self.kind,
            summary=self.summary,
            authors=authors,
            publisher=self.publisher,
            year=self.year,
            month=self.month,
            day=self.day,
            languages=languages,
            countries=[str(country) for country in self.countries],
            topics=topics,
            licence=self.get_licence_display() if self.licence else "",
            doi=self.doi,
            isbn=self.isbn,
            url=self.url,
            slug=f"hw4all-{self.pk}" if self.pk else "",
        )


class ResourceAuthor(Orderable):
    """An author: a person or an organisation of the directory, or a name typed in ("Family,
    Given" for a person, a name without a comma for an organisation)."""

    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        "coalition.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "coalition.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("“Family, Given” for a person; an organisation's name without a comma."),
    )

    panels = [FieldPanel("person"), FieldPanel("organisation"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.display_name()

    def clean(self):
        if sum(bool(value) for value in (self.person_id, self.organisation_id, self.name.strip())) != 1:
            raise ValidationError(_("Give one of: a person, an organisation or a name."))

    def display_name(self) -> str:
        if self.person is not None:
            return self.person.name
        if self.organisation is not None:
            return self.organisation.name
        return str(records.Author.parse(self.name)) if self.name.strip() else ""

    def as_author(self) -> records.Author:
        if self.person is not None:
            # The directory keeps a person's name whole; the last word is taken as the family name.
            given, _space, family = self.person.name.rpartition(" ")
            return records.Author(family=family, given=given) if family else records.Author(literal=given)
        if self.organisation is not None:
            return records.Author(literal=self.organisation.name)
        return records.Author.parse(self.name)

    def get_absolute_url(self) -> str | None:
        if self.person is not None:
            return self.person.get_absolute_url()
        if self.organisation is not None:
            return self.organisation.get_absolute_url()
        return None


class Extraction(models.TextChoices):
    PENDING = "pending", _("Waiting to be read")
    DONE = "done", _("Text read")
    FAILED = "failed", _("Text could not be read")


def file_size_validate(file) -> None:
    """The library's upload limit, for files added in the admin (members' uploads are stopped
    earlier, while the request is read: see uploads.py)."""
    limit = settings.LIBRARY_MAX_UPLOAD_MB
    if file.size > limit * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB, the largest file the library accepts."),
            params={"limit": limit},
        )


def file_upload_to(instance: "ResourceFile", filename: str) -> str:
    return f"library/{datetime.date.today():%Y/%m}/{filename}"


class ResourceFile(Orderable):
    resource = ParentalKey(Resource, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=10, choices=global_settings.LANGUAGES)
    file = models.FileField(
        _("file"), upload_to=file_upload_to, max_length=500, validators=[file_size_validate]
    )
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("Shown instead of the file name.")
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    format = models.CharField(_("format"), max_length=20, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    text = models.TextField(_("text"), blank=True, editable=False)
    extraction = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=Extraction.choices,
        default=Extraction.PENDING,
        editable=False,
    )
    extraction_message = models.TextField(_("extraction message"), blank=True, editable=False)
    preview = models.FileField(_("preview"), upload_to="library/previews/", blank=True, editable=False)
    downloads = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    panels = [FieldPanel("language"), FieldPanel("file"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.label or (self.file.name or "").rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        if self.file and not getattr(self.file, "_committed", True):
            # A new upload: its size is known now; its text is read again by the task worker.
            self.size = self.file.size
            self.extraction = Extraction.PENDING
        super().save(*args, **kwargs)

    def clean(self):
        if not records.LANGUAGE_PATTERN.fullmatch(self.language or ""):
            raise ValidationError({"language": _("Give the file's language as a code, such as en or ro.")})

    def get_absolute_url(self) -> str:
        return reverse(
            "library:file_download",
            kwargs={"pk": self.resource_id, "slug": self.resource.slug, "file_id": self.pk},
        )
