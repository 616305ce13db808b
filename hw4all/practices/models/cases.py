"""Case studies, the reviews that judge them against a criteria set version, and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .criteria import CriteriaSetVersion, Criterion


class Level(models.TextChoices):
    LOCAL = "local", _("Local (operational)")
    CENTRAL = "central", _("Central (decision-making)")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    EUROPEAN = "european", _("European")
    GLOBAL = "global", _("Global")


class Theme(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    RETENTION = "retention", _("Retention")
    BILATERAL = "bilateral-agreements", _("Bilateral agreements")
    EDUCATION = "education-training", _("Education and training")
    RETURN = "return-migration", _("Return and circular migration")
    DIASPORA = "diaspora", _("Diaspora engagement")
    WORKING_CONDITIONS = "working-conditions", _("Working conditions")
    DATA = "data-research", _("Data and research")


# The ten articles of the WHO Global Code of Practice (WHA63.16, 2010).
CODE_ARTICLES = {
    1: _("Objectives"),
    2: _("Nature and scope"),
    3: _("Guiding principles"),
    4: _("Responsibilities, rights and recruitment practices"),
    5: _("Health workforce development and health systems sustainability"),
    6: _("Data gathering and research"),
    7: _("Information exchange"),
    8: _("Implementation of the Code"),
    9: _("Monitoring and institutional arrangements"),
    10: _("Partnerships, technical collaboration and financial support"),
}


def code_article_label(number: int) -> str:
    return _("Article %(number)s: %(title)s") % {"number": number, "title": CODE_ARTICLES[number]}


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for screening")
    RETURNED = "returned", _("Sent back at screening")
    IN_REVIEW = "in_review", _("In review")
    REVISE = "revise", _("Revision requested")
    VALIDATED = "validated", _("Validated")
    DECLINED = "declined", pgettext_lazy("case study status", "Declined")


# The authors may change the text only in these; a decided case is frozen.
EDITABLE_STATUSES = frozenset({CaseStatus.DRAFT, CaseStatus.RETURNED, CaseStatus.REVISE})
DECIDED_STATUSES = frozenset({CaseStatus.VALIDATED, CaseStatus.DECLINED})

# The narrative sections in the order a case is read, with the question each answers.
SECTIONS = (
    ("context", _("Context"), _("The setting and the problem the practice answers.")),
    ("practice", _("The practice"), _("What was done, by whom, and how.")),
    ("results", _("Results and evidence"), _("What changed, and the evidence that shows it.")),
    ("costs", _("Costs and resources"), _("What it cost, in money, people and time.")),
    ("lessons", _("Lessons learned"), _("What worked, what did not, and why.")),
    ("transferability", _("Transferability"), _("What another country or setting needs to repeat it.")),
    ("sources", _("Sources"), _("Documents, evaluations and links the case rests on.")),
)
SECTION_FIELDS = tuple(name for name, _label, _help in SECTIONS)
# The fields an author writes about the practice, in the order a case is read.
READING_ORDER = (
    "title",
    "summary",
    "countries",
    "levels",
    "themes",
    "code_articles",
    "actors",
    *SECTION_FIELDS,
)
# Everything a revision records and a diff compares.
TEXT_FIELDS = ("title", "summary", "actors", *SECTION_FIELDS)
LIST_FIELDS = ("countries", "levels", "themes", "code_articles")


class CaseStudyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CaseStudy(models.Model):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), max_length=1500, blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    code_articles = models.JSONField(_("WHO Code articles"), default=list, blank=True)
    actors = models.TextField(_("actors involved"), max_length=3000, blank=True)
    # The sections hold sanitised HTML (core.sanitize); the services clean them on every save.
    context = models.TextField(_("context"), blank=True)
    practice = models.TextField(_("the practice"), blank=True)
    results = models.TextField(_("results and evidence"), blank=True)
    costs = models.TextField(_("costs and resources"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    transferability = models.TextField(_("transferability"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    organisation = models.ForeignKey(
        "coalition.Organisation",
        verbose_name=_("submitting organisation"),
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        through="CaseAuthor",
        related_name="case_studies",
    )

    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    # Raised by every save of the text: a save that started from an older number is refused, so
    # two authors editing at once never overwrite each other silently.
    edit_number = models.PositiveIntegerField(default=0, editable=False)
    # The submitted version of the text the current review round judges (1, 2 …).
    revision = models.PositiveSmallIntegerField(_("revision"), default=0, editable=False)
    criteria_version = models.ForeignKey(
        CriteriaSetVersion,
        verbose_name=_("criteria version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    review_deadline = models.DateField(_("review deadline"), null=True, blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    # The validation record, fixed at the decision.
    outcome = models.PositiveSmallIntegerField(_("outcome"), null=True, blank=True)
    core_percent = models.FloatField(_("core criteria (%)"), null=True, blank=True)
    qualifier_percent = models.FloatField(_("qualifier criteria (%)"), null=True, blank=True)
    reviews_counted = models.PositiveSmallIntegerField(_("reviews"), null=True, blank=True)

    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        ordering = ["-published_at", "-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="practices_case_published"),
            # The listing counts the validated among the published cases on every request.
            models.Index(fields=["is_published", "status"], name="practices_case_pub_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(published_at__isnull=False),
                name="practices_case_published_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="draft", is_published=True),
                name="practices_case_draft_unpublished",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:case_detail", kwargs={"pk": self.pk, "slug": self.slug or "case"})

    def structured_data(self, request) -> dict:
        from ..structured_data import case_structured_data

        return case_structured_data(self, request)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def is_validated(self) -> bool:
        return self.status == CaseStatus.VALIDATED

    def level_labels(self) -> list[str]:
        return [str(Level(value).label) for value in self.levels if value in Level.values]

    def theme_labels(self) -> list[str]:
        return [str(Theme(value).label) for value in self.themes if value in Theme.values]

    def code_article_labels(self) -> list[str]:
        return [code_article_label(number) for number in self.code_articles if number in CODE_ARTICLES]

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, sanitised HTML) of the sections that have text, in reading order."""
        return [
            (name, str(label), getattr(self, name)) for name, label, _help in SECTIONS if getattr(self, name)
        ]


class CaseAuthor(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="author_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="practices_author_once")]

    def __str__(self) -> str:
        return f"{self.user} / {self.case}"


class CaseRevision(models.Model):
    """The text as it was submitted: the history authors, reviewers and the Secretariat compare."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="practices_revision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.case}, {self.number}"


def _attachment_path(instance: CaseAttachment, filename: str) -> str:
    return f"practices/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=255)
    is_image = models.BooleanField(_("image"), default=False)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Reviewing")
    SUBMITTED = "submitted", _("Review submitted")
    CONFLICT = "conflict", _("Stepped aside: conflict of interest")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Assignments that still count towards the reviewers a round needs.
ACTIVE_ASSIGNMENTS = (AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED)


class ReviewAssignment(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    # The case's revision this review judges; a revised case is reviewed again.
    round = models.PositiveSmallIntegerField(_("revision reviewed"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("deadline"))
    no_conflict_declared = models.BooleanField(_("declared no conflict of interest"), default=False)
    conflict_note = models.TextField(_("conflict of interest"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)

    class Meta:
        ordering = ["case", "round", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer", "round"], name="practices_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.case}"


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    # Exclusion criteria are answered with `passed`, scored ones with `score`.
    passed = models.BooleanField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=5000, blank=True)

    class Meta:
        ordering = ["assignment", "criterion__sort_order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="practices_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.criterion}"

    def answer(self) -> bool | int | None:
        return self.passed if self.passed is not None else self.score


class CaseComment(models.Model):
    """The reviewers' private thread on a case, which the Secretariat reads and joins."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Draft started")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Sent back at screening")
    SCREENED = "screened", _("Accepted for review")
    ASSIGNED = "assigned", _("Reviewer assigned")
    CONFLICT = "conflict", _("Reviewer stepped aside")
    WITHDRAWN = "withdrawn", _("Reviewer withdrawn")
    REVIEWED = "reviewed", _("Review submitted")
    REMINDED = "reminded", _("Reviewer reminded")
    REVISE = "revise", _("Revision requested")
    VALIDATED = "validated", _("Validated")
    DECLINED = "declined", pgettext_lazy("case study status", "Declined")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    AUTHOR_ADDED = "author_added", _("Co-author added")
    AUTHOR_REMOVED = "author_removed", _("Co-author removed")


class CaseEvent(models.Model):
    """One line of a case's timeline. `for_authors` is False for what only the Secretariat and
    the reviewers may know (who reviews, reminders)."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    for_authors = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case}: {self.kind}"


class FacetKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    THEME = "theme", _("Theme")
    ARTICLE = "article", _("WHO Code article")
    LEVEL = "level", _("Level")


class CaseFacet(models.Model):
    """One (facet, value) of a published case: the public listing filters and counts on these
    rows with an index instead of reading every case's lists."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=10, choices=FacetKind.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value", "case"], name="practices_facet_once")
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
