"""Country names by ISO code in one language, built once per language.

django-countries translates every name and sorts the list each time it is listed, and a map, a
facet list, a country menu or an export names hundreds of countries."""

import functools

from django.utils import translation
from django_countries import countries


@functools.lru_cache(maxsize=32)
def country_names(language: str | None) -> dict[str, str]:
    """Every country's name in `language` by its code, in the order of the names (none: the
    names untranslated)."""
    with translation.override(language or None):
        return {str(code): str(name) for code, name in countries}
