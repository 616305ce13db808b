"""A small world in the database for the global views' tests: countries in three WHO regions and
four income groups, with gaps, a fall in density, a published list, migration stocks, and a
country whose name from a file is hostile markup."""

from __future__ import annotations

import datetime

from hw4all.workforce.dataset import (
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    UHC_INDEX,
)
from hw4all.workforce.factories import (
    country_create,
    flow_create,
    safeguard_list_create,
    series_create,
    source_create,
)

HOSTILE = '<script>alert("x")</script> & Atlantis'
# A code django-countries does not know: its name is the file's.
HOSTILE_ISO3 = "XAT"


def world_create() -> None:
    who = source_create("WHO Global Health Observatory", datetime.date(2022, 1, 24))
    bank = source_create("World Bank WDI", datetime.date(2025, 1, 28))
    for iso3, region, income in (
        ("KEN", "AFR", "LMC"),
        ("MWI", "AFR", "LIC"),
        ("NER", "AFR", "LIC"),
        ("DEU", "EUR", "HIC"),
        ("GBR", "EUR", "HIC"),
        ("IND", "SEAR", "LMC"),
        ("BRA", "AMR", "UMC"),
    ):
        country_create(iso3, region, income)
    country_create(HOSTILE_ISO3, "EUR", "HIC", name=HOSTILE)

    # Kenya: doctors last reported in 2018, nurses in 2019 (the 2020 density is their sum).
    series_create("KEN", DOCTORS_DENSITY, {2008: 1.4, 2018: 1.6}, who)
    series_create("KEN", NURSES_MIDWIVES_DENSITY, {2010: 9.0, 2019: 11.7}, who)
    series_create("KEN", DOCTORS_COUNT, {2018: 7_500}, who)
    series_create("KEN", POPULATION, {2010: 42_000_000, 2018: 51_000_000, 2020: 52_000_000}, bank)
    series_create("KEN", UHC_INDEX, {2017: 47, 2021: 53}, bank)
    # Malawi: on the list, below both criteria.
    series_create("MWI", DOCTORS_DENSITY, {2019: 0.5}, who)
    series_create("MWI", NURSES_MIDWIVES_DENSITY, {2019: 6.5}, who)
    series_create("MWI", POPULATION, {2020: 19_000_000}, bank)
    series_create("MWI", UHC_INDEX, {2021: 48}, bank)
    series_create("MWI", DOCTORS_COUNT, {2019: 900}, who)
    # Niger: on the list, with a population but no density.
    series_create("NER", POPULATION, {2020: 24_000_000}, bank)
    # Germany: well above the threshold.
    series_create("DEU", DOCTORS_DENSITY, {2010: 38.0, 2020: 44.0}, who)
    series_create("DEU", NURSES_MIDWIVES_DENSITY, {2010: 130.0, 2020: 140.0}, who)
    series_create("DEU", POPULATION, {2020: 83_000_000}, bank)
    series_create("DEU", UHC_INDEX, {2021: 86}, bank)
    # The United Kingdom: its nurses' density fell over the ten years.
    series_create("GBR", DOCTORS_DENSITY, {2010: 27.0, 2020: 30.0}, who)
    series_create("GBR", NURSES_MIDWIVES_DENSITY, {2010: 95.0, 2020: 85.0}, who)
    series_create("GBR", POPULATION, {2020: 67_000_000}, bank)
    series_create("GBR", UHC_INDEX, {2021: 88}, bank)
    # India: below the threshold, not listed, its index above the criterion.
    series_create("IND", DOCTORS_DENSITY, {2010: 6.0, 2020: 7.4}, who)
    series_create("IND", NURSES_MIDWIVES_DENSITY, {2010: 20.0, 2020: 17.3}, who)
    series_create("IND", POPULATION, {2020: 1_396_000_000}, bank)
    series_create("IND", UHC_INDEX, {2021: 63}, bank)
    series_create("IND", DOCTORS_COUNT, {2020: 1_000_000}, who)
    # Brazil: doctors only, so no combined density.
    series_create("BRA", DOCTORS_DENSITY, {2019: 23.1}, who)
    series_create("BRA", POPULATION, {2020: 213_000_000}, bank)
    # The hostile name has figures, so it shows in every table.
    series_create(HOSTILE_ISO3, DOCTORS_DENSITY, {2010: 12.0, 2020: 10.0}, who)
    series_create(HOSTILE_ISO3, NURSES_MIDWIVES_DENSITY, {2010: 25.0, 2020: 20.0}, who)
    series_create(HOSTILE_ISO3, POPULATION, {2020: 1_000_000}, bank)
    series_create(HOSTILE_ISO3, UHC_INDEX, {2021: 40}, bank)

    safeguard_list_create(2023, ["MWI", "NER"])
    oecd = source_create("OECD Health Statistics", datetime.date(2021, 6, 4))
    flow_create("GBR", "KEN", 1_200, source=oecd)
    flow_create("GBR", "MWI", 300, source=oecd)
    flow_create("DEU", "KEN", 40, source=oecd)
    flow_create("GBR", "IND", 30_000, source=oecd)
    flow_create("DEU", HOSTILE_ISO3, 5, source=oecd)
