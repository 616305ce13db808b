from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from hw4all.core.blocks import BodyBlock


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Statement")
    BLOG = "blog", _("Blog post")
    SPOTLIGHT = "spotlight", _("Member spotlight")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["news.ArticlePage"]
    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    date = models.DateField(_("date"), db_index=True)
    author = models.ForeignKey(
        "coalition.Person", verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles", help_text=_("Leave empty when the Secretariat is the author."),
    )
    summary = models.TextField(_("summary"), help_text=_("The opening, shown in lists and feeds."))
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    countries = CountryField(_("countries"), multiple=True, blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("date"), FieldPanel("author")], heading=_("About")),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("countries"), FieldPanel("tags")], heading=_("Classification")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def author_name(self) -> str:
        return self.author.name if self.author_id else str(_("Secretariat"))
