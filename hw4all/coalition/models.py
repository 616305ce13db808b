from typing import ClassVar
from urllib.parse import urlsplit

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import RevisionMixin
from wagtail.search import index

from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty


class OrganisationType(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    NETWORK = "network", _("Network or alliance")
    UNION = "union", _("Trade union")
    PROFESSIONAL = "professional", _("Professional association or regulator")
    ACADEMIC = "academic", _("Academic or research institution")
    INTERNATIONAL = "international", _("International organisation")
    GOVERNMENT = "government", _("Government or delegation")
    FUNDER = "funder", _("Funder")
    OTHER = "other", _("Other")


class Organisation(RevisionMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    country = CountryField(_("country"), blank=True)
    type = models.CharField(
        _("type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.NGO
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    is_member = models.BooleanField(_("coalition member"), default=False)
    member_since = models.DateField(_("member since"), null=True, blank=True)

    invalidates_page_cache = True

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("acronym"), FieldPanel("slug")], heading=_("Name")),
        FieldPanel("country"),
        FieldPanel("type"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("is_member"), FieldPanel("member_since")], heading=_("Membership")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("acronym"),
        index.AutocompleteField("name"),
        index.FilterField("country"),
        index.FilterField("type"),
    ]

    # Deleting the object deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="organisation")

    @property
    def revisions(self):
        return self._revisions

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("coalition:organisation_detail", kwargs={"slug": self.slug})

    def structured_data(self, request) -> dict:
        """schema.org Organization for the directory page: a member is memberOf the coalition."""
        return without_empty(
            {
                "@context": SCHEMA_CONTEXT,
                "@type": "Organization",
                "name": self.name,
                "alternateName": self.acronym,
                "url": absolute_url(request, self.get_absolute_url()),
                "sameAs": self.website,
                "address": {"@type": "PostalAddress", "addressCountry": str(self.country)}
                if self.country
                else None,
                "memberOf": coalition(request) if self.is_member else None,
            }
        )


class CoalitionRole(models.TextChoices):
    NONE = "", _("None")
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee member")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")


class Person(RevisionMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=255, blank=True)
    coalition_role = models.CharField(
        _("role in the coalition"), max_length=30, choices=CoalitionRole.choices, blank=True, default=""
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link"])
    user = models.OneToOneField(
        "users.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    invalidates_page_cache = True

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("photo"),
        FieldPanel("organisation"),
        FieldPanel("job_title"),
        FieldPanel("coalition_role"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    # Deleting the object deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="person")

    @property
    def revisions(self):
        return self._revisions

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coalition:person_detail", kwargs={"slug": self.slug})

    def structured_data(self, request) -> dict:
        from .structured_data import person_structured_data

        return person_structured_data(self, request)


class Project(RevisionMixin, ClusterableModel):
    # modelcluster has no type hints, so django-stubs cannot find the manager that
    # Organisation.funded_projects is built on.
    _default_manager: ClassVar[models.Manager["Project"]]

    title = models.CharField(_("title"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_projects",
    )
    grant_number = models.CharField(_("grant number"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    description = RichTextField(_("description"), blank=True)
    outputs = RichTextField(_("outputs"), blank=True)

    invalidates_page_cache = True

    panels = [
        FieldPanel("title"),
        FieldPanel("acronym"),
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Period")),
        MultiFieldPanel([FieldPanel("funder"), FieldPanel("grant_number")], heading=_("Funding")),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("outputs"),
        InlinePanel("participations", label=_("Participating organisations")),
    ]

    # Deleting the object deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="project")

    @property
    def revisions(self):
        return self._revisions

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coalition:project_detail", kwargs={"slug": self.slug})


class ProjectRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    ASSOCIATE = "associate", _("Associate")


class ProjectParticipation(models.Model):
    project = ParentalKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=ProjectRole.choices, default=ProjectRole.PARTNER
    )
    country = CountryField(_("country of participation"), blank=True)
    sort_order = models.PositiveIntegerField(default=0, editable=False)

    invalidates_page_cache = True

    panels = [FieldPanel("organisation"), FieldPanel("role"), FieldPanel("country")]

    class Meta:
        verbose_name = _("project participation")
        ordering = ["sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="unique_project_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MembershipApplication(models.Model):
    """An organisation asking to join; the Secretariat accepts or declines it once."""

    DESCRIPTION_MAX_LENGTH = 2000

    organisation_name = models.CharField(_("organisation name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = CountryField(_("country"))
    type = models.CharField(
        _("type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.NGO
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text=_("What the organisation does, in plain text."),
    )
    contact_name = models.CharField(_("contact name"), max_length=255)
    contact_email = models.EmailField(_("contact email"))
    consented_at = models.DateTimeField(_("consent to store the data given at"))
    language = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
        help_text=_(
            "Link an organisation already in the directory before accepting; otherwise accepting creates one."
        ),
    )
    decided_by = models.ForeignKey(
        "users.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    panels = [
        FieldPanel("organisation_name", read_only=True),
        FieldPanel("acronym", read_only=True),
        FieldPanel("country", read_only=True),
        FieldPanel("type", read_only=True),
        FieldPanel("website", read_only=True),
        FieldPanel("description", read_only=True),
        MultiFieldPanel(
            [
                FieldPanel("contact_name", read_only=True),
                FieldPanel("contact_email", read_only=True),
                FieldPanel("language", read_only=True),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("organisation"),
        MultiFieldPanel(
            [
                FieldPanel("status", read_only=True),
                FieldPanel("decided_by", read_only=True),
                FieldPanel("decided_at", read_only=True),
                FieldPanel("decision_note", read_only=True),
            ],
            heading=_("Decision"),
        ),
    ]

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ApplicationStatus.PENDING, decided_at__isnull=True)
                | (~models.Q(status=ApplicationStatus.PENDING) & models.Q(decided_at__isnull=False)),
                name="membership_application_decided_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation_name


class ApiScope(models.TextChoices):
    SIGNATURES = "signatures", _("Post petition signatures")
    LIBRARY = "library", _("Submit library resources")


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_normalise(value: str) -> str:
    """`scheme://host[:port]` as browsers send it in the Origin header (lower case, no default
    port); ValueError for anything else (a path, a wildcard, credentials)."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise ValueError(_("“%(value)s” is not an origin.") % {"value": text[:100]}) from error
    scheme = parts.scheme.lower()
    if (
        scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in parts.hostname
        or text.endswith("?")
        or text.endswith("#")
    ):
        raise ValueError(
            _("“%(value)s” is not an origin: give scheme and host only, such as https://www.example.org.")
            % {"value": text[:100]}
        )
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


class ApiToken(models.Model):
    """An organisation's key to the API's writes. Only a SHA-256 hash of the token is stored: it
    is shown once, when issued. Tokens are revoked, never deleted, so the record of what each
    organisation sent stays whole."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("What the token is for, such as “Petition form on our website”."),
    )
    scopes = models.JSONField(_("may"), default=list)
    origins = models.TextField(
        _("allowed origins"),
        blank=True,
        help_text=_(
            "The websites whose pages may send requests with this token, one a line, such as "
            "https://www.example.org. Leave empty when only the organisation's server uses it."
        ),
    )
    source = models.SlugField(
        _("source"),
        max_length=50,
        help_text=_("Recorded on every signature sent with this token."),
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        editable=False,
        help_text=_("The token's first characters, to recognise it."),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "users.User",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        "users.User",
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["organisation__name", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.name}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not isinstance(self.scopes, list) or not self.scopes:
            errors["scopes"] = [str(_("Choose at least one thing the token may do."))]
        elif unknown := [scope for scope in self.scopes if scope not in ApiScope.values]:
            errors["scopes"] = [
                _("Unknown scopes: %(value)s") % {"value": ", ".join(map(str, unknown))[:200]}
            ]
        else:
            self.scopes = [scope for scope in ApiScope.values if scope in self.scopes]
        origins, problems = [], []
        for line in self.origins.splitlines():
            if not line.strip():
                continue
            try:
                origin = origin_normalise(line)
            except ValueError as error:
                problems.append(str(error))
            else:
                if origin not in origins:
                    origins.append(origin)
        if problems:
            errors["origins"] = problems
        else:
            self.origins = "\n".join(origins)
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def origin_list(self) -> list[str]:
        return [line.strip() for line in self.origins.splitlines() if line.strip()]

    def scope_labels(self) -> str:
        labels = dict(ApiScope.choices)
        return ", ".join(str(labels.get(scope, scope)) for scope in self.scopes)


class ApiTokenUse(models.Model):
    """One request made with a token, accepted or refused."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("token"), on_delete=models.CASCADE, related_name="uses"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    origin = models.CharField(_("origin"), max_length=255, blank=True)
    remote_addr = models.CharField(_("remote address"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "-at"], name="apitokenuse_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
