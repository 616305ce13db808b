from collections.abc import Sequence

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet

DEFAULT_PER_PAGE = 12


def paginate(
    queryset: QuerySet | Sequence, page_number: str | None, per_page: int = DEFAULT_PER_PAGE
) -> Page:
    """Out-of-range or malformed page numbers show the nearest real page, never an error."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
