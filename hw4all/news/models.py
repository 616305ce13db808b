from typing import ClassVar

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from hw4all.core.blocks import BodyBlock

from .structured_data import article_structured_data


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Statement")
    BLOG = "blog", _("Blog post")
    SPOTLIGHT = "spotlight", _("Member spotlight")


ARTICLES_PER_PAGE = 12


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["news.ArticlePage"]
    parent_page_types = ["pages.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def get_template(self, request: HttpRequest, *args, **kwargs) -> str:
        # htmx swaps only the results; a history restore needs the whole page.
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            return "news/results.html"
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .views import news_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(news_index_context(index=self, request=request))
        return context

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        # The same URL answers with a whole page or with the results only.
        patch_vary_headers(response, ["HX-Request"])
        return response

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request: HttpRequest) -> HttpResponse:
        from .feeds import ArticleRssFeed

        return self._feed(ArticleRssFeed, request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request: HttpRequest) -> HttpResponse:
        from .feeds import ArticleAtomFeed

        return self._feed(ArticleAtomFeed, request)

    def _feed(self, feed_class: type, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind", "")
        if kind and kind not in ArticleKind.values:
            raise Http404("Unknown kind of article")
        return feed_class(index=self, kind=kind)(request)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    # Wagtail has no type hints, so django-stubs cannot find the manager that Person.articles is built on.
    _default_manager: ClassVar[models.Manager["ArticlePage"]]

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    date = models.DateField(_("date"), db_index=True)
    author = models.ForeignKey(
        "coalition.Person",
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("Leave empty when the Secretariat is the author."),
    )
    summary = models.TextField(_("summary"), help_text=_("The opening, shown in lists and feeds."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
        return self.author.name if self.author is not None else str(_("Secretariat"))

    @property
    def author_url(self) -> str:
        """The author's profile, or "" while the directory does not publish profiles."""
        if self.author is None:
            return ""
        try:
            return self.author.get_absolute_url()
        except NoReverseMatch:
            return ""

    def structured_data(self, request: HttpRequest | None) -> dict:
        return article_structured_data(self, request)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .queries import articles_related

        context = super().get_context(request, *args, **kwargs)
        context["index"] = self.get_parent()
        context["kind"] = self.kind
        context["kind_label"] = self.get_kind_display()
        # The template caches the related articles until the next publish, so they are read
        # only when it renders them.
        context["related_articles"] = SimpleLazyObject(lambda: articles_related(article=self, limit=3))
        return context
