"""Questionnaires, their versions and the responses to them. A version's content is one JSON
definition (read through `definition.Definition`); a response keeps the version it answered and
its answers as one JSON object (the shapes are listed in definition.py)."""

import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .definition import Definition


class Access(models.TextChoices):
    PUBLIC = "public", _("Anyone with the link, anonymously")
    INVITATION = "invitation", _("Invited people only, anonymously, once each")
    IDENTIFIED = "identified", _("Signed-in members, one response per organisation")
    # Answered inside another part of the platform (a Code report), never on its own page.
    EMBEDDED = "embedded", _("Used by another part of the platform")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("questionnaire status", "Draft")
    OPEN = "open", pgettext_lazy("questionnaire status", "Open")
    CLOSED = "closed", pgettext_lazy("questionnaire status", "Closed")


class Questionnaire(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # The name staff know it by; respondents see the current version's translated title.
    name = models.CharField(_("name"), max_length=255)
    access = models.CharField(_("who answers"), max_length=20, choices=Access.choices, default=Access.PUBLIC)
    status = models.CharField(
        _("status"), max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    results_public = models.BooleanField(
        _("results are public"),
        default=False,
        help_text=_("Show the counts and charts of submitted responses to everyone."),
    )
    current_version = models.ForeignKey(
        "QuestionnaireVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_accepting(self, now=None) -> bool:
        """Open, and within its dates if it has any."""
        now = now or timezone.now()
        return (
            self.status == QuestionnaireStatus.OPEN
            and self.current_version_id is not None
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )


class VersionSource(models.TextChoices):
    XLSFORM = "xlsform", _("XLSForm upload")
    LOADER = "loader", _("Shipped with the platform")


class QuestionnaireVersion(models.Model):
    """One state of a questionnaire's content. Never changed once stored: a correction is a new
    version, and the responses given to this one keep reading it."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    definition_json = models.JSONField(_("definition"))
    source = models.CharField(_("source"), max_length=10, choices=VersionSource.choices)
    # The uploaded XLSForm, kept so staff can download exactly what was imported.
    source_file = models.FileField(_("source file"), upload_to="questionnaires/forms/%Y/", blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @cached_property
    def definition(self) -> Definition:
        return Definition.from_json(self.definition_json)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("response status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("response status", "Submitted")


def response_key() -> str:
    return secrets.token_urlsafe(24)


class Response(models.Model):
    """One filling-in of a questionnaire version. An anonymous response holds no user, no
    organisation and no address: only its secret key, which its URL carries."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="responses"
    )
    key = models.CharField(max_length=40, unique=True, default=response_key, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Saved-edit counter and, per answer key, the counter value of its last change: two people
    # editing at once are merged answer by answer, and a clash is shown, never lost.
    revision = models.PositiveIntegerField(default=0)
    answer_revisions = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Identified responses only.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questionnaire_responses",
    )
    organisation = models.ForeignKey(
        "coalition.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaire_responses",
    )
    # Identified responses only: who changed an answer last, for colleagues writing together.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["questionnaire", "status", "id"], name="response_status_idx")]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"

    @property
    def is_frozen(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class ResponseFile(models.Model):
    """A file given as an answer. `path` names the question, inside a repeat as
    "<repeat>.<index>.<question>"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=255)
    file = models.FileField(upload_to="questionnaires/answers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")

    def __str__(self) -> str:
        return self.original_name


class Invitation(models.Model):
    """A one-time link to an invitation-only questionnaire. Only a hash of its token is stored; the
    link is shown once, when the invitation is made."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("Whom it is for, to tell the links apart.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"
