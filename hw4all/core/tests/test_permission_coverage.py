"""Every address the platform serves has a test of who may use it.

The addresses are every URL pattern whose view is ours (public pages, members' pages, our admin
screens, including those registered by Wagtail hooks) and every operation of the API. Each must be
named by at least one marker on a test that checks who may, and who may not, use it:

    @pytest.mark.permission("practices:case_edit", "object")
    def test_only_the_authors_edit_a_draft(...): ...

The target is the URL pattern's name with its namespaces, or the API operation's id as in
/api/v1/openapi.json ("hw4all_news_api_article_list"). The kind is what the test checks:

- public: anyone may use it (and, where content can be unpublished, unpublished content is a 404);
- authenticated: an anonymous visitor is sent to log in (or refused);
- role: only some roles may use it, and the test tries the forbidden ones too;
- object: whether one may use it depends on the object (one's own draft, one's organisation's report).

A test may carry several markers. They are read from the test files' source, so these checks see
every marker whichever tests are run.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

KINDS = frozenset({"public", "authenticated", "role", "object"})
ROOT = Path(__file__).resolve().parents[3]
TEST_DIRS = ("hw4all", "tests")
# Whose views are not ours: ninja's own (schema, docs) are skipped; its operations are counted by
# operation id instead of by URL pattern, as several operations may share one path.
OUR_PACKAGE = "hw4all."


@dataclass(frozen=True)
class Marker:
    where: str
    args: tuple[object, ...]

    @property
    def target(self) -> object:
        return self.args[0] if self.args else None

    @property
    def kind(self) -> object:
        return self.args[1] if len(self.args) > 1 else None


def _view_module(callback) -> str:
    view = getattr(callback, "view_class", None) or callback
    while isinstance(view, functools.partial):
        view = view.func
    return getattr(view, "__module__", "") or ""


def _our_patterns(patterns, namespaces=(), prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _our_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and _view_module(pattern.callback).startswith(OUR_PACKAGE):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield name, prefix + str(pattern.pattern)


@functools.cache
def url_targets() -> dict[str | None, str]:
    return dict(_our_patterns(get_resolver().url_patterns))


@functools.cache
def api_targets() -> dict[str, str]:
    # The API as the URLconf serves it: core may not import the apps that hw4all.api assembles.
    api = resolve(reverse("api:openapi-json")).func.keywords["api"]
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def _is_permission_mark(node: ast.AST) -> bool:
    # pytest.mark.permission(...) or mark.permission(...) after `from pytest import mark`.
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    return node.func.attr == "permission" and (
        (isinstance(owner, ast.Attribute) and owner.attr == "mark")
        or (isinstance(owner, ast.Name) and owner.id == "mark")
    )


@functools.cache
def markers() -> tuple[Marker, ...]:
    found = []
    for directory in TEST_DIRS:
        for path in sorted((ROOT / directory).rglob("test_*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if _is_permission_mark(node):
                    assert isinstance(node, ast.Call)
                    args = tuple(
                        arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg) for arg in node.args
                    )
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append(Marker(where, args if not node.keywords else (*args, "keywords")))
    return tuple(found)


def _listing(lines: list[str]) -> str:
    return "\n".join(f"  {line}" for line in sorted(lines))


def test_markers_are_written_as_target_and_kind():
    malformed = [
        f"{marker.where}: permission{marker.args!r}"
        for marker in markers()
        if len(marker.args) != 2 or not all(isinstance(arg, str) for arg in marker.args)
    ]
    assert not malformed, (
        'Write each marker as @pytest.mark.permission("<target>", "<kind>") with two literal strings:\n'
        + _listing(malformed)
    )


def test_marker_kinds_are_known():
    unknown = [f"{marker.where}: {marker.kind!r}" for marker in markers() if marker.kind not in KINDS]
    assert not unknown, f"Kinds are {', '.join(sorted(KINDS))}; these markers name another:\n" + _listing(
        unknown
    )


def test_every_url_pattern_of_ours_has_a_name():
    unnamed = [route for name, route in url_targets().items() if name is None]
    assert not unnamed, "Name these URL patterns so a permission test can name them:\n" + _listing(unnamed)


def test_every_marker_names_an_address_that_exists():
    known = set(url_targets()) | set(api_targets())
    stale = [f"{marker.where}: {marker.target!r}" for marker in markers() if marker.target not in known]
    assert not stale, (
        "These markers name no URL pattern or API operation (renamed or removed? operation ids are "
        "in /api/v1/openapi.json):\n" + _listing(stale)
    )


@pytest.mark.parametrize(
    ("kind", "targets"),
    [("URL patterns", url_targets), ("API operations", api_targets)],
    ids=["urls", "api"],
)
def test_every_address_has_a_permission_test(kind, targets):
    marked = {marker.target for marker in markers()}
    missing = [f"{name}  ({route})" for name, route in targets().items() if name and name not in marked]
    assert not missing, (
        f"These {kind} have no permission test. Mark the test that checks who may (and who may not) "
        'use each with @pytest.mark.permission("<target>", "<kind>"), or write one:\n' + _listing(missing)
    )
