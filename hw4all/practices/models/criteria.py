from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel

from .. import outcomes

FROZEN_MESSAGE = _(
    "A published version is frozen: cases keep the version they were judged by. "
    "Create the next version to change the criteria."
)


class CriteriaSet(models.Model):
    """Eligibility criteria the partnership agreed on; its versions hold the criteria."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def _percent_validators():
    return [MinValueValidator(0), MaxValueValidator(100)]


class CriteriaSetVersion(ClusterableModel):
    """One numbered version of a set's criteria and outcome rules; frozen once published."""

    # modelcluster has no type hints, so django-stubs cannot find the manager the criteria use.
    _default_manager: ClassVar[models.Manager["CriteriaSetVersion"]]

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    core_threshold_percent = models.PositiveSmallIntegerField(
        _("core threshold (%)"),
        default=60,
        validators=_percent_validators(),
        help_text=_("Eligible cases whose core criteria reach this percentage are promising practices."),
    )
    qualifier_threshold_percent = models.PositiveSmallIntegerField(
        _("qualifier threshold (%)"),
        default=60,
        validators=_percent_validators(),
        help_text=_(
            "Promising practices whose qualifier criteria also reach this percentage are best practices."
        ),
    )

    panels = [
        FieldPanel("criteria_set"),
        MultiFieldPanel(
            [
                HelpPanel(content=outcomes.RULE_HELP),
                FieldPanel("core_threshold_percent"),
                FieldPanel("qualifier_threshold_percent"),
            ],
            heading=_("Outcome rules"),
        ),
        InlinePanel("criteria", label=_("Criteria")),
    ]

    class Meta:
        verbose_name = _("criteria set version")
        verbose_name_plural = _("criteria set versions")
        ordering = ["criteria_set__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"], name="practices_unique_version_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status=VersionStatus.DRAFT, published_at__isnull=True)
                | models.Q(status=VersionStatus.PUBLISHED, published_at__isnull=False),
                name="practices_version_published_at_matches_status",
            ),
            models.CheckConstraint(
                condition=models.Q(core_threshold_percent__lte=100, qualifier_threshold_percent__lte=100),
                name="practices_version_thresholds_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return _("%(set)s, version %(number)s") % {"set": self.criteria_set, "number": self.number}

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def stored_is_published(self) -> bool:
        """Whether the row in the database is published, whatever this instance holds."""
        if self.pk is None:
            return False
        return CriteriaSetVersion.objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()

    def clean(self) -> None:
        if self.stored_is_published():
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        if self.pk is not None and (
            CriteriaSetVersion.objects.filter(pk=self.pk)
            .exclude(criteria_set_id=self.criteria_set_id)
            .exists()
        ):
            raise ValidationError({"criteria_set": _("A version cannot move to another criteria set.")})
        if (
            self.pk is None
            and self.criteria_set_id is not None
            and CriteriaSetVersion.objects.filter(
                criteria_set_id=self.criteria_set_id, status=VersionStatus.DRAFT
            ).exists()
        ):
            raise ValidationError(
                {"criteria_set": _("This criteria set already has a draft version: edit that one.")}
            )

    def save(self, *args, **kwargs) -> None:
        # The admin's create form has no number: the version takes the set's next one.
        if self.number is None:
            latest = self.criteria_set.versions.aggregate(models.Max("number"))["number__max"]
            self.number = (latest or 0) + 1
        super().save(*args, **kwargs)

    def criterion_specs(self) -> list[outcomes.CriterionSpec]:
        return [criterion.spec() for criterion in self.criteria.all()]


class CriterionGroup(models.TextChoices):
    EXCLUSION = outcomes.EXCLUSION, _("Exclusion (pass/fail)")
    CORE = outcomes.CORE, _("Core (scored)")
    QUALIFIER = outcomes.QUALIFIER, _("Qualifier (scored)")


class Criterion(models.Model):
    version = ParentalKey(CriteriaSetVersion, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("group"), max_length=10, choices=CriterionGroup.choices)
    title = models.CharField(_("title"), max_length=255)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("scale maximum"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Reviewers score 0 to this number. Exclusion criteria are pass/fail and ignore it."),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The criterion's weight within its group. Exclusion criteria ignore it."),
    )
    sort_order = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("group"),
        FieldPanel("title"),
        FieldPanel("guidance"),
        FieldPanel("scale_max"),
        FieldPanel("weight"),
    ]

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gte=1, weight__gte=1),
                name="practices_criterion_scale_and_weight",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        version_id = self.version_id
        if (
            version_id is not None
            and CriteriaSetVersion.objects.filter(pk=version_id, status=VersionStatus.PUBLISHED).exists()
        ):
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        if self.group == CriterionGroup.EXCLUSION:
            self.scale_max, self.weight = 1, 1

    def spec(self) -> outcomes.CriterionSpec:
        return outcomes.CriterionSpec(
            key=self.pk, group=self.group, scale_max=self.scale_max, weight=self.weight
        )
