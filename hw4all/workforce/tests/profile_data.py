"""A small world in the database for the profile's tests: Kenya with every series and migration
both ways, the United Kingdom as a destination, Ghana on the safeguard list, and Tuvalu with a
density but nothing else."""

from hw4all.workforce.dataset import (
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_COUNT,
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


def profile_world() -> None:
    who = source_create("WHO GHO")
    world_bank = source_create("World Bank")
    for iso3, region in (("KEN", "AFR"), ("GBR", "EUR"), ("GHA", "AFR"), ("TUV", "WPR"), ("IND", "SEAR")):
        country_create(iso3, region)
    # Kenya: doctors up to 2018, nurses up to 2019: for 2020 the combined density mixes the two.
    series_create("KEN", DOCTORS_DENSITY, {2008: 1.4, 2010: 1.5, 2018: 1.6}, who)
    series_create("KEN", NURSES_MIDWIVES_DENSITY, {2008: 8.0, 2010: 9.0, 2019: 11.7}, who)
    series_create("KEN", DOCTORS_COUNT, {2018: 7_300}, who)
    series_create("KEN", NURSES_MIDWIVES_COUNT, {2019: 58_000}, who)
    series_create("KEN", POPULATION, {2019: 52_000_000, 2020: 53_000_000}, world_bank)
    series_create("KEN", UHC_INDEX, {2017: 53, 2019: 55, 2021: 53}, world_bank)
    series_create("GBR", DOCTORS_DENSITY, {2010: 27.0, 2020: 30.0}, who)
    series_create("GBR", NURSES_MIDWIVES_DENSITY, {2010: 85.0, 2020: 90.0}, who)
    series_create("GBR", POPULATION, {2020: 67_000_000}, world_bank)
    series_create("GBR", UHC_INDEX, {2021: 88}, world_bank)
    series_create("GHA", DOCTORS_DENSITY, {2020: 1.7}, who)
    series_create("GHA", NURSES_MIDWIVES_DENSITY, {2020: 36.0}, who)
    series_create("TUV", DOCTORS_DENSITY, {2014: 9.1}, who)
    series_create("IND", DOCTORS_DENSITY, {2020: 7.3}, who)
    series_create("IND", NURSES_MIDWIVES_DENSITY, {2020: 17.0}, who)
    oecd = source_create("OECD")
    flow_create("GBR", "KEN", 900, source=oecd)
    flow_create("GBR", "GHA", 1_100, source=oecd)
    flow_create("GBR", "IND", 30_000, source=oecd)
    flow_create("GHA", "KEN", 40, source=oecd)
    safeguard_list_create(2023, ["GHA", "KEN"])
