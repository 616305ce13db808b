"""Proposals members write for the coalition to adopt as its position, their versions and the
support they gather."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .spaces import Space


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for comments")
    CONSIDERATION = "consideration", _("Under consideration")
    ADOPTED = "adopted", _("Adopted as a coalition position")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# After these nobody edits, comments on or supports the proposal.
CLOSED_STATUSES = frozenset({ProposalStatus.ADOPTED, ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN})


class ProposalLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    EUROPEAN = "european", _("European")
    GLOBAL = "global", _("Global")


class Addressee(models.TextChoices):
    GOVERNMENT = "government", _("A ministry or national government")
    PARLIAMENT = "parliament", _("A national parliament")
    EUROPEAN_COMMISSION = "european_commission", _("The European Commission")
    EUROPEAN_PARLIAMENT = "european_parliament", _("The European Parliament")
    EU_COUNCIL = "eu_council", _("The Council of the European Union")
    WHO = "who", _("The World Health Organization")
    UN_OTHER = "un_other", _("Another United Nations body")
    FUNDERS = "funders", _("Global health funders")
    EMPLOYERS = "employers", _("Employers and recruitment agencies")
    OTHER = "other", _("Other (say whom)")


# The fields a version records and a diff compares, in the order a proposal is read.
VERSIONED_FIELDS = (
    "title",
    "problem",
    "proposed",
    "addressees",
    "addressee_detail",
    "level",
    "countries",
    "code_articles",
)


class Proposal(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    # Markdown, as typed; rendered and sanitised on display (forum.markdown).
    problem = models.TextField(_("the problem"), max_length=20000)
    proposed = models.TextField(_("what is proposed"), max_length=20000)
    addressees = models.JSONField(_("addressed to"), default=list, blank=True)
    addressee_detail = models.CharField(
        _("addressed to (details)"),
        max_length=300,
        blank=True,
        help_text=_("Which ministry, body or funder."),
    )
    level = models.CharField(_("level"), max_length=10, choices=ProposalLevel.choices)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    code_articles = models.JSONField(_("WHO Code articles"), default=list, blank=True)
    case_studies = models.ManyToManyField(
        "practices.CaseStudy", verbose_name=_("related case studies"), blank=True, related_name="+"
    )
    resources = models.ManyToManyField(
        "library.Resource", verbose_name=_("related library resources"), blank=True, related_name="+"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProposalAuthor", related_name="forum_proposals"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    # Raised by every save: a save that started from an older number is refused (two co-authors
    # editing at once never overwrite each other silently).
    edit_number = models.PositiveIntegerField(default=0, editable=False)
    # The number of the last published version (1 when opened for comments; 0 while a draft).
    version = models.PositiveIntegerField(default=0, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), max_length=5000, blank=True)
    # Kept equal to the number of ProposalSupport rows by the services, in the same transaction.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-opened_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["space", "status"], name="forum_proposal_space_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ProposalAuthor(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="author_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="forum_proposal_author_once")
        ]

    def __str__(self) -> str:
        return f"author of proposal {self.proposal_id}"


class ProposalVersion(models.Model):
    """The proposal as it read when opened (1) and after each edit since (2, 3 …)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # {field: value} for VERSIONED_FIELDS.
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="forum_proposal_version_once")
        ]

    def __str__(self) -> str:
        return f"version {self.number} of proposal {self.proposal_id}"


class ProposalSupport(models.Model):
    """A member's own support (organisation empty) or an organisation's, given by one of its
    people. One of each per proposal: the database refuses a second, even from two requests at
    once. Withdrawing deletes the row."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "coalition.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                condition=models.Q(organisation__isnull=True),
                name="forum_support_member_once",
            ),
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="forum_support_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"support of proposal {self.proposal_id}"
