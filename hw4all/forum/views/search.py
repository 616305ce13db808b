"""Search across the spaces a person may see (forum:search) and inside one space
(forum:space_search); the spaces part's views hand their requests to these."""

from __future__ import annotations

from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from hw4all.core.faults import ServiceUnavailable, savepoint_if_atomic
from hw4all.core.ratelimit import client_network, network_hash, rate_limit_exceeded

from .. import search as engine
from ..models import Space
from ..services import access

# A search reads the content of every visible space: enough for people, not for a script.
SEARCH_LIMIT, SEARCH_WINDOW = 60, 60


def _too_many(request: HttpRequest) -> HttpResponse | None:
    key = str(request.user.pk) if request.user.is_authenticated else network_hash(client_network(request))
    if not request.GET.get("q") or not rate_limit_exceeded(
        scope="forum-search", key=key, limit=SEARCH_LIMIT, window_seconds=SEARCH_WINDOW
    ):
        return None
    response = HttpResponse(_("Too many searches at once. Wait a minute and try again."), status=429)
    response["Retry-After"] = str(SEARCH_WINDOW)
    return response


def _query(request: HttpRequest) -> str:
    query = request.GET.get("q", "")
    if len(query) > engine.MAX_QUERY_LENGTH:
        messages.info(
            request,
            _("Only the first %(count)s characters of your search were used.")
            % {"count": engine.MAX_QUERY_LENGTH},
        )
    return query.strip()


def _results(**kwargs) -> engine.SearchResult:
    """The engine's page; a failing search (its tables unreadable, the database failing) is
    the 503 page "search is unavailable", and every other page of the forum goes on serving."""
    try:
        with savepoint_if_atomic():
            return engine.search(**kwargs)
    except DatabaseError as error:
        raise ServiceUnavailable(
            _("The forum's search is unavailable right now. Please try again in a few minutes.")
        ) from error


def search(request: HttpRequest) -> HttpResponse:
    if (refused := _too_many(request)) is not None:
        return refused
    query = _query(request)
    result = _results(user=request.user, query=query, page_number=request.GET.get("page"))
    response = render(
        request,
        "forum/search/search.html",
        {"search": result, "search_query": result.query, "action": request.path},
    )
    add_never_cache_headers(response)
    return response


def space_search(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Space, slug=slug)
    if not access.may_view_space(request.user, space):
        raise Http404
    if (refused := _too_many(request)) is not None:
        return refused
    query = _query(request)
    result = _results(user=request.user, query=query, space=space, page_number=request.GET.get("page"))
    response = render(
        request,
        "forum/search/space_search.html",
        {
            "space": space,
            "section": "search",
            "is_moderator": access.is_moderator(request.user, space),
            "search": result,
            "search_query": result.query,
            "action": request.path,
        },
    )
    add_never_cache_headers(response)
    return response
