"""schema.org JSON-LD and Open Graph values shared by every public page.

A page's template puts `{% json_ld obj %}` in its `structured_data` block; `obj` is a dict or an
object with a `structured_data(request)` method that returns one (the apps' models and views
build theirs from their own fields)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

# Inside <script> the HTML parser ends the element at the first "</script", whatever JSON
# thinks of it; these escapes keep any text (a title, a name) inside the data.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

# Open Graph wants language_TERRITORY; these are the territories the coalition's members
# write from.
OG_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "es": "es_ES",
    "pt": "pt_PT",
    "nl": "nl_NL",
    "it": "it_IT",
    "ro": "ro_RO",
    "pl": "pl_PL",
    "de": "de_DE",
}

SCHEMA_CONTEXT = "https://schema.org"


def json_ld_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def og_locale(language_code: str) -> str:
    code = (language_code or "").split("-")[0]
    return OG_LOCALES.get(code, code)


def absolute_url(request: HttpRequest | None, url: str) -> str:
    """The URL with the scheme and host the visitor used, as the page's hreflang links have."""
    if not url or request is None:
        return url
    return request.build_absolute_uri(url)


def coalition(request: HttpRequest | None) -> dict[str, Any]:
    """The coalition as publisher and organiser of what the platform publishes."""
    return {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME, "url": absolute_url(request, "/")}


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """schema.org readers take a missing property better than an empty one."""
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}
