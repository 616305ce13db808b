from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hw4all.core.blocks import BodyBlock
from hw4all.core.structured_data import SCHEMA_CONTEXT, absolute_url, coalition, without_empty


def _partners_with_logos() -> list:
    from hw4all.coalition.queries import organisations_partner_logos

    partners = organisations_partner_logos()
    # One query for every logo's renditions, however many partners there are.
    prefetch_related_objects([partner.logo for partner in partners if partner.logo], "renditions")
    return partners


class HomePage(Page):
    intro = models.TextField(_("purpose"), help_text=_("The coalition's purpose, shown first."))
    body = RichTextField(_("about the coalition"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    subpage_types = [
        "pages.StandardPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "campaigns.CampaignIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def structured_data(self, request) -> dict:
        """The site and the coalition behind it, for search engines' knowledge panels."""
        home = absolute_url(request, self.url)
        return {
            "@context": SCHEMA_CONTEXT,
            "@graph": [
                {
                    "@type": "WebSite",
                    "name": settings.WAGTAIL_SITE_NAME,
                    "url": home,
                    "inLanguage": translation.get_language(),
                },
                without_empty({**coalition(request), "description": self.intro}),
            ],
        }

    def get_context(self, request, *args, **kwargs):
        from hw4all.campaigns.queries import campaign_counts, campaign_current
        from hw4all.events.queries import events_upcoming
        from hw4all.news.queries import articles_latest

        context = super().get_context(request, *args, **kwargs)
        # The template caches the sections showing these until the next publish, so they are
        # read only when it renders them.
        context["latest_articles"] = SimpleLazyObject(lambda: articles_latest(locale=self.locale, limit=6))
        context["upcoming_events"] = events_upcoming(locale=self.locale, limit=3)
        context["partners"] = SimpleLazyObject(_partners_with_logos)
        campaign = campaign_current(locale=self.locale)
        context["current_campaign"] = campaign
        context["current_campaign_total"] = campaign_counts(campaign=campaign).total if campaign else 0
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # A shown signature count may be at most about a minute old (the count's own cache plus
        # the page's), so while a campaign is shown the page is kept no longer than the count.
        if getattr(response, "context_data", {}).get("current_campaign"):
            response.page_cache_seconds = min(settings.PAGE_CACHE_SECONDS, settings.CAMPAIGNS_COUNT_SECONDS)
        return response


class StandardPage(Page):
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What appears on every page and that editors may change without a deploy."""

    invalidates_page_cache = True
    # Wagtail creates a site's settings, empty, the first time a page reads them: nothing shown
    # changes then, and invalidating would empty the page cache while it is being filled.
    invalidates_page_cache_on_create = False

    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("tagline"), FieldPanel("contact_email"), FieldPanel("footer_text")])
    ]

    class Meta:
        verbose_name = _("site settings")
