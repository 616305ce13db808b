"""Every write a visitor or member can reach is rate limited.

The writes are the URL patterns of ours, the routes of our Wagtail pages and the operations of the
API whose view accepts POST (or another write method), outside the staff-only admins. Each must be
limited: its view (or the function of ours it hands the request to) carries `rate_limit_scope`
(hw4all.core.ratelimit.rate_limited), or counts the write itself with `rate_limit_exceeded`,
`rate_limit_wait` or `api_rate_limit`.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterator

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import PathView
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from hw4all.core.ratelimit import rates_parse

OURS = "hw4all."
# Staff-only: Wagtail's admin (our screens registered by hooks included) and Django's.
STAFF_PREFIXES = ("admin/", "django-admin/")
READ_ONLY_DECORATORS = ("@require_safe", "@require_GET")
COUNTS_ITSELF = ("rate_limit_exceeded(", "rate_limit_wait(", "api_rate_limit(")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _layers(function: Callable) -> Iterator[Callable]:
    while function is not None:
        yield function
        function = getattr(function, "__wrapped__", None)


def _source(function: Callable) -> str:
    # A class-based view is read whole: its post() is where it writes.
    target = getattr(function, "view_class", None) or inspect.unwrap(function)
    try:
        return textwrap.dedent(inspect.getsource(target))
    except (OSError, TypeError):
        return ""


def _called(function: Callable) -> list[Callable]:
    """The functions of ours this one calls by name: a page's route calls its view, a view hands
    the request to an inner function once its upload limit is installed."""
    inner = inspect.unwrap(function)
    tree = ast.parse(_source(function) or "pass")
    names: dict[str, object] = dict(getattr(inner, "__globals__", {}))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            package = inner.__module__.rpartition(".")[0]
            module = importlib.import_module(
                ("." * node.level + (node.module or "")) if node.level else node.module or "",
                package if node.level else None,
            )
            names.update(
                {alias.asname or alias.name: getattr(module, alias.name, None) for alias in node.names}
            )
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            target = names.get(node.func.id)
            if callable(target) and getattr(target, "__module__", "").startswith(OURS):
                found.append(target)
    return found


def _reached(view: Callable, depth: int = 2) -> list[Callable]:
    reached = [view]
    if depth:
        for function in _called(view):
            reached.extend(_reached(function, depth - 1))
    return reached


def accepts_writes(view: Callable) -> bool:
    decorators = _source(view).split("def ", 1)[0]
    if any(name in decorators for name in READ_ONLY_DECORATORS):
        return False
    return any("POST" in _source(function) for function in _reached(view))


def is_limited(view: Callable) -> bool:
    for function in _reached(view):
        if any(hasattr(layer, "rate_limit_scope") for layer in _layers(function)):
            return True
        if any(call in _source(function) for call in COUNTS_ITSELF):
            return True
    return False


def _url_views(patterns, prefix="") -> Iterator[tuple[str, Callable, bool]]:
    """(route, view, whether it is known to write: an API operation says so by its method)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(STAFF_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _url_views(pattern.url_patterns, route)
            continue
        assert isinstance(pattern, URLPattern)
        path_views = [
            cell.cell_contents
            for cell in getattr(pattern.callback, "__closure__", None) or ()
            if isinstance(cell.cell_contents, PathView)
        ]
        for path_view in path_views:  # an API path: one function for each of its operations
            for operation in path_view.operations:
                if set(operation.methods) & WRITE_METHODS:
                    yield f"{'/'.join(operation.methods)} {route}", operation.view_func, True
        if not path_views and (getattr(pattern.callback, "__module__", None) or "").startswith(OURS):
            yield route, pattern.callback, False


def _page_views() -> Iterator[tuple[str, Callable, bool]]:
    for model in apps.get_models():
        if not (issubclass(model, Page) and model.__module__.startswith(OURS)):
            continue
        if "serve" in model.__dict__:
            yield f"{model.__name__}.serve", model.serve, False
        if issubclass(model, RoutablePageMixin):
            for route in model.get_subpage_urls():
                yield f"{model.__name__} route {route.pattern}", route.callback, False


@functools.cache
def writes() -> dict[str, Callable]:
    views = [*_url_views(get_resolver().url_patterns), *_page_views()]
    return {name: view for name, view, writes in views if writes or accepts_writes(view)}


def test_the_scan_finds_the_writes_we_know():
    # If the scan stopped seeing writes, the test below would pass for nothing.
    found = " ".join(writes())
    for known in (
        "join/",
        "library/submit/",
        "EventPage route register/",
        "POST api/v1/library/submissions",
    ):
        assert known in found, f"{known} is no longer found among the writes: {found}"
    assert not [name for name in writes() if name.endswith("/library/")]  # the library's search: a read


def test_every_public_or_member_write_is_rate_limited():
    unlimited = sorted(name for name, view in writes().items() if not is_limited(view))
    assert not unlimited, (
        "These accept writes from visitors or members without a rate limit. Decorate the view with "
        '@rate_limited("<scope>") (hw4all.core.ratelimit; scopes in settings.RATE_LIMITS):\n  '
        + "\n  ".join(unlimited)
    )


def test_every_limit_setting_is_well_formed():
    for scope, text in settings.RATE_LIMITS.items():
        assert rates_parse(text), scope


def test_allauth_limits_are_set_explicitly():
    # The lock-out and the limits on signing up and resetting are ours, not allauth's defaults.
    for action in ("login_failed", "login", "signup", "reset_password", "confirm_email"):
        assert settings.ACCOUNT_RATE_LIMITS.get(action), action
    assert "/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert "/ip" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
