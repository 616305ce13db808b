"""The `country` choice list of the examples: every ISO 3166-1 country, in English and French."""

from django.utils import translation
from django_countries import countries


def country_rows(list_name: str = "country", *, extra_columns: int = 0) -> list[tuple[object, ...]]:
    """Rows of the choices sheet (list_name, name, English label, French label, then empty
    cells for the sheet's further columns)."""
    with translation.override("en"):
        english = {code: str(name) for code, name in countries}
    with translation.override("fr"):
        french = {code: str(name) for code, name in countries}
    return [(list_name, code, english[code], french[code], *([""] * extra_columns)) for code in english]
