from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from hw4all.coalition.models import OrganisationType
from hw4all.core.blocks import BodyBlock


class CampaignKind(models.TextChoices):
    PETITION = "petition", _("Petition (individuals sign)")
    DECLARATION = "declaration", _("Declaration (organisations endorse)")


class CampaignIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("campaign index page")

    def get_context(self, request, *args, **kwargs):
        from hw4all.core.pagination import paginate

        from .queries import campaign_counts_many, campaign_source_ids, campaigns_listed

        context = super().get_context(request, *args, **kwargs)
        campaigns = paginate(campaigns_listed(index=self), request.GET.get("page"))
        source_ids = campaign_source_ids(campaigns=list(campaigns))
        counts = campaign_counts_many(campaign_ids=list(source_ids.values()))
        now = timezone.now()
        context["campaigns"] = campaigns
        context["campaign_rows"] = [
            (campaign, counts[source_ids[campaign.pk]].total, campaign.is_open(now)) for campaign in campaigns
        ]
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.page_cache_seconds = settings.CAMPAIGNS_COUNT_SECONDS
        return response


class CampaignPage(Page):
    kind = models.CharField(
        _("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.PETITION
    )
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in lists and embeds."))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("text"))
    target = models.CharField(
        _("addressed to"), max_length=255, blank=True, help_text=_("Who the campaign is addressed to.")
    )
    goal = models.PositiveIntegerField(_("goal"), default=1000)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Codes of the languages it is offered in, e.g. en,fr,es,pt."),
    )
    allow_individuals = models.BooleanField(
        _("individuals may sign"),
        default=True,
        help_text=_("For declarations: individuals may add their names beside organisations."),
    )
    ask_organisation = models.BooleanField(_("ask for an organisation"), default=True)
    ask_city = models.BooleanField(_("ask for a city"), default=True)
    result = RichTextField(_("result"), blank=True, help_text=_("Shown once the campaign has closed."))
    retention_days = models.PositiveIntegerField(
        _("keep personal data for (days after closing)"),
        default=180,
        help_text=_("Signers' personal data is deleted this many days after closing; counts remain."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("target"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("goal"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("languages"),
            ],
            heading=_("Goal and dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("allow_individuals"), FieldPanel("ask_organisation"), FieldPanel("ask_city")],
            heading=_("Fields asked"),
        ),
        FieldPanel("result"),
        FieldPanel("retention_days"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def get_context(self, request, *args, **kwargs):
        from django.db.models import prefetch_related_objects
        from django_countries.fields import Country

        from hw4all.core.map import choropleth_svg
        from hw4all.core.pagination import paginate

        from .forms import EndorsementForm, SignatureForm
        from .queries import campaign_counts, endorsers_verified, signatures_latest_public

        context = super().get_context(request, *args, **kwargs)
        counts = campaign_counts(campaign=self)
        context["counts"] = counts
        context["counts_by_country"] = [(Country(code), count) for code, count in counts.by_country]
        context["map_svg"] = choropleth_svg(
            counts.by_country,
            aria_label=_("Map of signatures by country; the numbers are in the table."),
            css_class="campaign-map",
        )
        context["latest"] = signatures_latest_public(campaign=self)
        context["is_open"] = self.is_open()
        if self.kind == CampaignKind.DECLARATION:
            endorsers = paginate(endorsers_verified(campaign=self), request.GET.get("page"), 48)
            logos = [e.organisation.logo for e in endorsers if e.organisation_id and e.organisation.logo_id]
            # One query for every logo's renditions, however many endorsers are shown.
            prefetch_related_objects(logos, "renditions")
            context["endorsers"] = endorsers
        wants_organisation = self.kind == CampaignKind.DECLARATION and (
            request.GET.get("as") == "organisation" or not self.allow_individuals
        )
        context["form"] = (EndorsementForm if wants_organisation else SignatureForm)(campaign=self)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The count may be this old on a cached page (the count itself is cached as long).
        response.page_cache_seconds = settings.CAMPAIGNS_COUNT_SECONDS
        return response

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at and (self.closes_at is None or at < self.closes_at)

    def structured_data(self, request) -> dict:
        from .structured_data import campaign_structured_data

        return campaign_structured_data(self, request)

    def source_campaign_id(self) -> int:
        """Signatures belong to the campaign in the default language, whichever translation
        a supporter signed, so that every translation shows one count."""
        if self.locale.language_code == get_supported_content_language_variant(settings.LANGUAGE_CODE):
            return self.pk
        source = (
            CampaignPage.objects.filter(translation_key=self.translation_key, locale=Locale.get_default())
            .values_list("pk", flat=True)
            .first()
        )
        return source or self.pk


class SignerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Signature(models.Model):
    """One person's signature or one organisation's endorsement. Personal fields are emptied
    when the campaign's retention period ends; the row's country and day still count."""

    # Wagtail's "usage" listing of a campaign page gains nothing from its signatures, and
    # indexing them would queue a reference-index task for every signature.
    wagtail_reference_index_ignore = True

    campaign = models.ForeignKey(
        CampaignPage, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="signatures"
    )
    signer_kind = models.CharField(
        _("signer"), max_length=20, choices=SignerKind.choices, default=SignerKind.INDIVIDUAL
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(_("normalised email"), max_length=254, editable=False)
    country = CountryField(_("country"))
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    organisation = models.ForeignKey(
        "coalition.Organisation",
        verbose_name=_("directory entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="endorsements",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    consent_contact = models.BooleanField(_("may be contacted"), default=False)
    public = models.BooleanField(_("name shown publicly"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    verified = models.BooleanField(_("verified by the secretariat"), default=False)
    hidden = models.BooleanField(_("hidden by the secretariat"), default=False)
    source = models.SlugField(
        _("source"), max_length=50, blank=True, help_text=_("Which partner's embed or API client brought it.")
    )
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    ip_hash = models.CharField(_("network (hashed)"), max_length=64, blank=True)
    email_domain = models.CharField(_("email domain"), max_length=254, blank=True)
    created_at = models.DateTimeField(_("signed at"), default=timezone.now, db_index=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email_normalised"], name="one_signature_per_email"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "hidden", "country"], name="signature_counting"),
            models.Index(fields=["campaign", "status", "confirmed_at"], name="signature_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.campaign}"


class SuspicionFlag(models.Model):
    """A burst of signatures from one network or one email domain, for the secretariat to judge."""

    wagtail_reference_index_ignore = True

    class Reason(models.TextChoices):
        NETWORK = "network", _("Many signatures from one network")
        DOMAIN = "domain", _("Many signatures from one email domain")

    campaign = models.ForeignKey(
        CampaignPage, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="suspicion_flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    value = models.CharField(_("network or domain"), max_length=254)
    count = models.PositiveIntegerField(_("signatures"))
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("to"))
    reviewed = models.BooleanField(_("reviewed"), default=False)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspicious pattern")
        verbose_name_plural = _("suspicious patterns")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "reason", "value", "window_start"], name="one_flag_per_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.value} ({self.count})"


class ArchivedCount(models.Model):
    """Anonymous confirmed counts by country and day, kept after personal data is deleted."""

    wagtail_reference_index_ignore = True

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="archived_counts")
    country = CountryField(_("country"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("archived count")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "country", "day"], name="one_archived_count_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} – {self.country} – {self.day}: {self.count}"
