from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from hw4all.core.pagecache import page_generation
from hw4all.core.pagination import paginate

from .forms import ArticleFilterForm
from .models import ARTICLES_PER_PAGE, ArticleKind, ArticlePage, NewsIndexPage
from .queries import ArticleFacets, article_facets, articles_filter


def _facets(index: NewsIndexPage) -> ArticleFacets:
    """The filter menus, kept until the next publish: reading them scans every article."""
    key = f"news-facets:{page_generation()}:{index.pk}:{translation.get_language()}"
    facets = cache.get(key)
    if facets is None:
        facets = article_facets(index=index)
        cache.set(key, facets, 3600)
    return facets


def news_index_context(*, index: NewsIndexPage, request: HttpRequest) -> dict:
    """The filtered, paginated list behind the news index page and its htmx partial."""
    form = ArticleFilterForm(request.GET, facets=_facets(index))
    if form.is_valid():
        articles = articles_filter(index=index, **form.cleaned_data)
    else:
        articles = ArticlePage.objects.none()
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    return {
        "filter_form": form,
        "filter_description": form.description(),
        "is_filtered": form.is_filtered(),
        "articles": paginate(articles, request.GET.get("page"), ARTICLES_PER_PAGE),
        "kind": kind,
        "kind_label": ArticleKind(kind).label if kind else "",
    }
