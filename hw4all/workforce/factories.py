"""Builders of small data sets in the database for tests."""

import datetime
import hashlib
from collections.abc import Mapping

from django_countries import countries

from .models import Country, Indicator, MigrationStock, Observation, SafeguardListEntry, Source, SourceFormat


def source_create(
    dataset: str = "Test data", file_date: datetime.date | None = datetime.date(2022, 1, 24)
) -> Source:
    return Source.objects.create(
        dataset=dataset,
        publisher="Test publisher",
        file_name=f"{dataset}.csv",
        file_date=file_date,
        sha256=hashlib.sha256(f"{dataset}{file_date}{Source.objects.count()}".encode()).hexdigest(),
        format=SourceFormat.LONG,
    )


def country_create(iso3: str, who_region: str = "AFR", income_group: str = "", name: str = "") -> Country:
    iso2 = countries.alpha2(iso3) or ""
    country, _created = Country.objects.update_or_create(
        iso3=iso3,
        defaults={
            "iso2": iso2,
            "name": name or str(countries.name(iso2) if iso2 else iso3),
            "who_region": who_region,
            "income_group": income_group,
        },
    )
    return country


def series_create(iso3: str, code: str, values: Mapping[int, float], source: Source | None = None) -> None:
    """Observations of one series for one country: {year: value}."""
    source = source or source_create()
    country = Country.objects.get(iso3=iso3)
    indicator, _created = Indicator.objects.get_or_create(code=code, defaults={"name": code})
    Observation.objects.bulk_create(
        Observation(country=country, indicator=indicator, year=year, value=value, source=source)
        for year, value in values.items()
    )


def flow_create(
    destination: str, origin: str, count: int, year: int = 2018, source: Source | None = None
) -> None:
    MigrationStock.objects.create(
        destination=Country.objects.get(iso3=destination),
        origin=Country.objects.get(iso3=origin),
        occupation="doctors",
        year=year,
        count=count,
        source=source or source_create("OECD"),
    )


def safeguard_list_create(list_year: int, codes: list[str]) -> None:
    source = source_create("WHO Support and Safeguards List")
    SafeguardListEntry.objects.bulk_create(
        SafeguardListEntry(list_year=list_year, country=Country.objects.get(iso3=code), source=source)
        for code in codes
    )
