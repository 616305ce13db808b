import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from wagtail.models import Locale

from hw4all.core.apilanguage import LANG_DESCRIPTION, api_language
from hw4all.core.apipagination import CursorPagination
from hw4all.core.sanitize import html_sanitize

from .models import ArticleKind, ArticlePage
from .queries import articles_filter, articles_live

MAX_ID = 2**63 - 1  # BigAutoField's largest: a larger id is a 422 here, not a database error

router = Router(tags=["news"])


class ArticleFilters(Schema):
    kind: ArticleKind | None = Field(None, description="news, statement, blog or spotlight")
    tag: str | None = Field(None, description="A tag's slug")
    country: str | None = Field(None, description="ISO 3166 alpha-2 code, such as KE", max_length=2)
    author: str | None = Field(None, description="The author's slug in the directory")
    lang: str | None = Field(None, description=LANG_DESCRIPTION, max_length=10)


class ArticleOut(Schema):
    id: int
    title: str
    kind: ArticleKind
    date: datetime.date
    summary: str
    author: str = Field(description='The author\'s name, or "Secretariat"')
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes")
    tags: list[str]
    language: str
    url: str = Field(description="Absolute address of the article page")

    @staticmethod
    def resolve_author(obj: ArticlePage) -> str:
        return obj.author_name

    @staticmethod
    def resolve_countries(obj: ArticlePage) -> list[str]:
        return [country.code for country in obj.countries]

    @staticmethod
    def resolve_tags(obj: ArticlePage) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_language(obj: ArticlePage) -> str:
        return obj.locale.language_code

    @staticmethod
    def resolve_url(obj: ArticlePage, context: dict) -> str:
        request = context["request"]
        return request.build_absolute_uri(obj.get_url(request=request))


class ArticleDetailOut(ArticleOut):
    body: str = Field(description="The article's body as sanitised HTML")

    @staticmethod
    def resolve_body(obj: ArticlePage) -> str:
        return html_sanitize(str(obj.body))


@router.get("", response=list[ArticleOut], summary="List published articles, newest first")
@paginate(CursorPagination, ordering=("-date", "-pk"))
def article_list(request: HttpRequest, filters: Query[ArticleFilters]):
    locale = None
    if api_language(filters.lang):
        locale = Locale.objects.filter(language_code=filters.lang).first()
        if locale is None:
            return ArticlePage.objects.none()
    return (
        articles_filter(
            locale=locale,
            kind=filters.kind or "",
            tag=filters.tag or "",
            country=filters.country or "",
            author=filters.author or "",
        )
        .select_related("locale")
        .prefetch_related("tags")
    )


@router.get("/{int:article_id}", response=ArticleDetailOut, summary="One published article")
def article_detail(request: HttpRequest, article_id: int = Path(..., ge=1, le=MAX_ID)):
    article = articles_live().select_related("locale").filter(pk=article_id).first()
    if article is None:
        raise Http404("No published article has this id")
    return article
