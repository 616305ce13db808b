"""WHO Code reporting: the rounds of the National Reporting Instrument, and the civil-society
reports member organisations write for them, one per country per round, on the round's
questionnaire."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", pgettext_lazy("reporting round status", "Open for reports")
    CLOSED = "closed", pgettext_lazy("reporting round status", "Closed")


class Round(models.Model):
    number = models.PositiveSmallIntegerField(_("round"), unique=True)
    instrument = models.CharField(_("instrument"), max_length=100, help_text=_("For example “NRI 2024”."))
    period = models.CharField(_("reporting period"), max_length=40, help_text=_("For example “2024–2025”."))
    deadline = models.DateField(_("WHO deadline"), null=True, blank=True)
    deadline_text = models.CharField(
        _("deadline as published"),
        max_length=40,
        blank=True,
        help_text=_("When only a year or a month is known, e.g. “March 2016”."),
    )
    reported_to = models.CharField(_("reported to"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.UPCOMING
    )
    is_current = models.BooleanField(_("current round"), default=False)
    questionnaire = models.ForeignKey(
        "questionnaires.Questionnaire",
        verbose_name=_("civil-society questionnaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_round"
            )
        ]

    def __str__(self) -> str:
        return _("Round %(number)s (%(instrument)s)") % {"number": self.number, "instrument": self.instrument}

    @property
    def accepts_reports(self) -> bool:
        return self.status == RoundStatus.OPEN and self.questionnaire_id is not None


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    REVIEW = "review", _("Internal review")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("report status", "Published")


# Reports whose answers are frozen.
FROZEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.PUBLISHED)


class Report(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports"
    )
    country = CountryField(_("country reported on"))
    organisation = models.ForeignKey(
        "coalition.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="code_reports",
    )
    response = models.OneToOneField(
        "questionnaires.Response", on_delete=models.PROTECT, related_name="code_report"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The PDF made when the report was submitted: the receipt's attachment and the frozen record.
    pdf = models.FileField(_("submitted PDF"), upload_to="codereports/%Y/", blank=True)

    class Meta:
        verbose_name = _("Code report")
        verbose_name_plural = _("Code reports")
        ordering = ["round", "country", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "country", "organisation"], name="one_report_per_country_round_organisation"
            )
        ]
        indexes = [models.Index(fields=["round", "status"], name="report_round_status_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_country_display()} — {self.round}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    def structured_data(self, request) -> dict:
        from .structured_data import report_structured_data

        return report_structured_data(self, request)


class CoSignature(models.Model):
    """Another member organisation standing behind a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cosignatures")
    organisation = models.ForeignKey("coalition.Organisation", on_delete=models.CASCADE, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], name="one_cosignature_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ReportEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("report history", "started")
    TO_REVIEW = "review", _("sent to internal review")
    TO_DRAFT = "draft", _("returned to draft")
    SUBMITTED = "submitted", pgettext_lazy("report history", "submitted")
    PUBLISHED = "published", pgettext_lazy("report history", "published")
    UNPUBLISHED = "unpublished", _("withdrawn from publication")
    COSIGNED = "cosigned", _("co-signed")
    COSIGN_WITHDRAWN = "cosign_withdrawn", _("co-signature withdrawn")


class ReportEvent(models.Model):
    """The report's history, as its page shows it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ReportEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "coalition.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReportingCall(models.Model):
    """The Secretariat asking member organisations to report in a round before a date; the
    reminders follow from it."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="calls")
    deadline = models.DateField(_("reply by"))
    message = models.TextField(
        _("message"), help_text=_("Sent to each organisation's members with the link.")
    )
    organisations = models.ManyToManyField(
        "coalition.Organisation",
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to ask every member organisation."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("call to report")
        verbose_name_plural = _("calls to report")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} — {self.deadline}"


class ReminderKind(models.TextChoices):
    CALL = "call", _("the call")
    WEEK = "week", _("a week before")
    DAY = "day", _("the day before")


class ReminderSent(models.Model):
    """One message of a call to one person: recorded so no one is asked twice."""

    call = models.ForeignKey(ReportingCall, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "user", "kind"], name="one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.call} — {self.kind}"
