"""Cursor pagination for every list of the public API.

A page is `{"items": [...], "next": <address of the next page or null>}`. The cursor is opaque
to partners: for a database list it holds the ordering values of the page's last item, so the
next page starts right after it (a keyset: stable while items are added, and page 500 costs
what page 1 costs); for a list already computed in memory (search results, the workforce data
set, which change only on re-index or import) it holds the position. Lists carry no total
count: counting every page costs more than the page.

    @router.get("", response=list[ArticleOut])
    @paginate(CursorPagination, ordering=("-date", "-pk"))
    def article_list(request, ...): return queryset_or_list

Every field of `ordering` must be non-null and the last one unique (end with "pk")."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .apierrors import ApiProblem

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _encode(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise _bad_cursor() from error


def _storable(value: Any) -> bool:
    """A value a column can hold. Databases differ on an integer past 64 bits: SQLite overflows
    where PostgreSQL's backend silently widens the comparison, so it is refused before either."""
    if not isinstance(value, int | str | float):
        return False
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _bad_cursor() -> ApiProblem:
    message = "This cursor is not one the API gave. Start again from the first page."
    return ApiProblem(400, message, errors={"cursor": [message]})


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _attribute(item: Any, path: str) -> Any:
    if path == "pk":
        return item.pk
    for name in path.split("__"):
        item = item.get(name) if isinstance(item, dict) else getattr(item, name)
    return item


def _after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows that come after `values` in `ordering`: (a, b) after (x, y) means a past x, or a = x
    and b past y, each in its own direction."""
    condition = Q()
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.removeprefix("-")
        past = Q(**{f"{name}__lt" if field.startswith("-") else f"{name}__gt": value})
        condition |= equal & past
        equal &= Q(**{name: value})
    return condition


class CursorPagination(PaginationBase):
    class Input(Schema):
        cursor: str | None = Field(
            None, description="The `next` of the previous page; empty for the first page"
        )
        limit: int | None = Field(
            None, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})"
        )

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(description="Address of the next page; null on the last page")

    items_attribute = "items"

    def __init__(
        self, *, ordering: Sequence[str] = ("-pk",), page_size: int = DEFAULT_LIMIT, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.ordering = tuple(ordering)
        self.page_size = page_size

    def paginate_queryset(
        self, queryset: QuerySet | Sequence[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        limit = pagination.limit or self.page_size
        if isinstance(queryset, QuerySet):
            items, position = self._keyset_page(queryset, pagination.cursor, limit)
        else:
            items, position = self._position_page(queryset, pagination.cursor, limit)
        return {"items": items, "next": _next_address(request, position) if position is not None else None}

    def _keyset_page(self, queryset: QuerySet, cursor: str | None, limit: int) -> tuple[list[Any], Any]:
        queryset = queryset.order_by(*self.ordering)
        if cursor:
            values = _decode(cursor)
            if (
                not isinstance(values, list)
                or len(values) != len(self.ordering)
                or not all(map(_storable, values))
            ):
                raise _bad_cursor()
            try:
                queryset = queryset.filter(_after(self.ordering, values))
                rows = list(queryset[: limit + 1])
            except (DjangoValidationError, FieldError, ValueError, TypeError, OverflowError) as error:
                raise _bad_cursor() from error
        else:
            rows = list(queryset[: limit + 1])
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        last = rows[-1]
        return rows, [_json_value(_attribute(last, field.removeprefix("-"))) for field in self.ordering]

    def _position_page(self, items: Sequence[Any], cursor: str | None, limit: int) -> tuple[list[Any], Any]:
        start = 0
        if cursor:
            decoded = _decode(cursor)
            if not isinstance(decoded, dict) or not isinstance(decoded.get("at"), int) or decoded["at"] < 0:
                raise _bad_cursor()
            start = decoded["at"]
        page = list(items[start : start + limit + 1])
        if len(page) <= limit:
            return page, None
        return page[:limit], {"at": start + limit}


def _next_address(request: HttpRequest, position: Any) -> str:
    query = request.GET.copy()
    query["cursor"] = _encode(position)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
