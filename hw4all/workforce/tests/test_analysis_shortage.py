"""The needs-based shortage, checked against figures computed by hand from the shipped files
(who_gho_health_workforce.csv: HWF_0001 doctors and HWF_0006 nurses and midwives per 10,000;
worldbank_population.csv: SP.POP.TOTL), and its aggregation checked on generated data sets."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hw4all.workforce.analysis.shortage import (
    SDG_THRESHOLD,
    THRESHOLD_2006,
    UNCLASSIFIED,
    WORLD,
    GroupBy,
    country_shortage,
    shortage_countries,
    shortage_table,
)
from hw4all.workforce.dataset import (
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    CountryInfo,
    DataSet,
    Point,
    SourceRef,
    dataset_build,
)
from hw4all.workforce.tests.shipped import shipped_dataset

SOURCE = SourceRef(
    id=1, dataset="Test", publisher="Test", url="", file_date=datetime.date(2022, 1, 24), retrieved_on=None
)


def test_kenya_2020_adds_the_latest_doctors_and_nurses_to_the_population_of_the_year():
    # KEN HWF_0001: last row ≤ 2020 is 2018, 1.57; HWF_0006: 2018, 11.66 → 13.23 per 10,000.
    # Population KEN 2020: 52,217,334. (44.5 − 13.23) × 52,217,334 / 10,000 = 31.27 × 5,221.7334
    # = 163,283.603418.
    row = country_shortage(shipped_dataset(), "KEN", 2020)
    assert row.density is not None
    assert row.density.value == pytest.approx(13.23)
    assert row.density.year == 2018
    assert row.population is not None and row.population.value == 52_217_334
    assert row.shortage == pytest.approx(163_283.603418, rel=1e-9)
    assert row.below


def test_kenya_against_the_2006_threshold():
    # (22.8 − 13.23) × 5,221.7334 = 9.57 × 5,221.7334 = 49,971.988638.
    row = country_shortage(shipped_dataset(), "KEN", 2020, THRESHOLD_2006)
    assert row.shortage == pytest.approx(49_971.988638, rel=1e-9)


def test_a_late_year_takes_that_years_population_and_the_last_densities():
    # Densities end in 2018 for KEN; population KEN 2024: 56,432,944.
    # (44.5 − 13.23) × 5,643.2944 = 31.27 × 5,643.2944 = 176,465.815888.
    row = country_shortage(shipped_dataset(), "KEN", 2024)
    assert row.population is not None and row.population.year == 2024
    assert row.density is not None and row.density.latest_year == 2018
    assert row.shortage == pytest.approx(176_465.815888, rel=1e-9)


def test_yemen_whose_doctors_were_last_counted_four_years_before_its_nurses():
    # YEM HWF_0001: last row 2014, 5.25; HWF_0006: last ≤ 2020 is 2018, 7.85 → 13.10, "from 2014".
    # Population YEM 2020: 36,134,863. (44.5 − 13.10) × 3,613.4863 = 31.4 × 3,613.4863
    # = 113,463.46982.
    row = country_shortage(shipped_dataset(), "YEM", 2020)
    assert row.density is not None
    assert row.density.value == pytest.approx(13.10)
    assert (row.density.year, row.density.latest_year) == (2014, 2018)
    assert row.shortage == pytest.approx(113_463.46982, rel=1e-9)


def test_somalia_with_nothing_after_2014():
    # SOM HWF_0001 rows: 2006 0.28, 2014 0.23; HWF_0006: 2006 0.9, 2014 1.12 → 1.35 in 2020.
    # Population SOM 2020: 16,651,191. (44.5 − 1.35) × 1,665.1191 = 43.15 × 1,665.1191 = 71,849.889165.
    data = shipped_dataset()
    row = country_shortage(data, "SOM", 2020)
    assert row.density is not None and row.density.value == pytest.approx(1.35)
    assert row.shortage == pytest.approx(71_849.889165, rel=1e-9)
    # For 2010 the 2006 rows: (44.5 − 1.18) × population SOM 2010 (12,261,756) / 10,000
    # = 43.32 × 1,226.1756 = 53,117.927...
    earlier = country_shortage(data, "SOM", 2010)
    assert earlier.density is not None and earlier.density.value == pytest.approx(1.18)
    assert earlier.shortage == pytest.approx(43.32 * 1_226.1756, rel=1e-9)


def test_south_sudan_has_no_density_before_its_first_count():
    # SSD's only rows are of 2018 (0.37 and 3.40): nothing for 2017, and for 2020
    # (44.5 − 3.77) × 1,069.8467 (population 2020: 10,698,467) = 43,574.856091.
    data = shipped_dataset()
    before = country_shortage(data, "SSD", 2017)
    assert before.density is None
    assert before.shortage is None and not before.has_data
    assert country_shortage(data, "SSD", 2020).shortage == pytest.approx(43_574.856091, rel=1e-9)


def test_the_cook_islands_have_densities_but_no_population():
    # COK has HWF_0001 to 2014 (14.12) and HWF_0006 to 2019 (80.0), and no row in the World Bank
    # population file: a density, no shortage.
    row = country_shortage(shipped_dataset(), "COK", 2020)
    assert row.density is not None and row.density.value == pytest.approx(94.12)
    assert row.population is None
    assert row.shortage is None


def test_above_the_threshold_is_no_shortage_rather_than_no_data():
    # KGZ: HWF_0001 2014 22.13 + HWF_0006 2019 56.03 = 78.16 ≥ 44.5.
    row = country_shortage(shipped_dataset(), "KGZ", 2020)
    assert row.shortage == 0.0
    assert row.has_data and not row.below


@pytest.mark.parametrize(
    ("threshold", "below", "total"),
    [
        # An independent script over the three CSV files (197 ISO3 codes with a WHO region in the
        # GHO file; latest HWF_0001 and HWF_0006 at or before 2020; population of 2020) gives
        # 192 countries with data (not AIA, COK, NIU, PSE, TKL), 88 below 44.5 short of
        # 9,027,168 health workers, and 52 below 22.8 short of 1,760,998.
        (SDG_THRESHOLD, 88, 9_027_168),
        (THRESHOLD_2006, 52, 1_760_998),
    ],
)
def test_the_world_in_2020(threshold, below, total):
    world = shortage_table(shipped_dataset(), 2020, threshold, GroupBy.WORLD)
    assert [row.group for row in world] == [WORLD]
    assert world[0].countries == 197
    assert world[0].countries_with_data == 192
    assert world[0].countries_below == below
    assert round(world[0].shortage) == total


def test_the_regions_of_2020_in_order_then_the_world():
    table = shortage_table(shipped_dataset(), 2020)
    assert [row.group for row in table] == ["AFR", "AMR", "EMR", "EUR", "SEAR", "WPR", WORLD]
    # Europe: every country with data is above 44.5.
    europe = table[3]
    assert europe.shortage == 0.0 and europe.countries_below == 0


def test_the_countries_largest_shortage_first_and_those_without_data_last():
    rows = shortage_countries(shipped_dataset(), 2020)
    shortages = [row.shortage for row in rows if row.shortage is not None]
    assert shortages == sorted(shortages, reverse=True)
    assert [row.iso3 for row in rows[-5:]] == ["AIA", "COK", "NIU", "PSE", "TKL"]


# Generated data sets for the aggregation's properties.
REGIONS = ["AFR", "AMR", "EMR", "EUR", "SEAR", "WPR", ""]
INCOMES = ["LIC", "LMC", "UMC", "HIC", ""]
YEARS = st.integers(min_value=2000, max_value=2022)
series_values = st.dictionaries(YEARS, st.floats(min_value=0, max_value=200, allow_nan=False), max_size=4)


@st.composite
def datasets(draw: st.DrawFn) -> DataSet:
    count = draw(st.integers(min_value=0, max_value=12))
    countries = []
    observations = []
    for number in range(count):
        iso3 = f"C{number:02d}"
        countries.append(
            CountryInfo(
                iso3=iso3,
                iso2="",
                name=iso3,
                who_region=draw(st.sampled_from(REGIONS)),
                income_group=draw(st.sampled_from(INCOMES)),
            )
        )
        for code, values in (
            (DOCTORS_DENSITY, draw(series_values)),
            (NURSES_MIDWIVES_DENSITY, draw(series_values)),
            (POPULATION, draw(st.dictionaries(YEARS, st.integers(min_value=0, max_value=10**9), max_size=6))),
        ):
            observations += [
                (iso3, code, Point(year=year, value=value, source=SOURCE)) for year, value in values.items()
            ]
    return dataset_build(countries, observations)


thresholds = st.floats(min_value=0, max_value=150, allow_nan=False)
property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@property_settings
@given(data=datasets(), year=YEARS, threshold=thresholds)
def test_no_country_is_ever_short_of_a_negative_number(data, year, threshold):
    for row in shortage_countries(data, year, threshold):
        assert row.shortage is None or row.shortage >= 0


@property_settings
@given(
    data=datasets(), year=YEARS, threshold=thresholds, by=st.sampled_from([GroupBy.REGION, GroupBy.INCOME])
)
def test_the_groups_sum_to_the_world(data, year, threshold, by):
    *groups, world = shortage_table(data, year, threshold, by)
    assert world.group == WORLD
    assert world == shortage_table(data, year, threshold, GroupBy.WORLD)[0]
    assert world.countries == len(data.member_states()) == sum(row.countries for row in groups)
    assert world.countries_with_data == sum(row.countries_with_data for row in groups)
    assert world.countries_below == sum(row.countries_below for row in groups)
    assert world.shortage == pytest.approx(sum(row.shortage for row in groups), rel=1e-9, abs=1e-6)
    assert all(row.shortage >= 0 for row in groups)
    assert UNCLASSIFIED not in [row.group for row in groups[:-1]]


@property_settings
@given(data=datasets(), year=YEARS, low=thresholds, high=thresholds)
def test_a_lower_threshold_never_gives_a_larger_shortage(data, year, low, high):
    low, high = sorted((low, high))
    assert (
        shortage_table(data, year, low, GroupBy.WORLD)[0].shortage
        <= shortage_table(data, year, high, GroupBy.WORLD)[0].shortage
    )
    for country in data.member_states():
        lower = country_shortage(data, country.iso3, year, low).shortage
        higher = country_shortage(data, country.iso3, year, high).shortage
        assert (lower is None) == (higher is None)
        assert lower is None or higher is None or lower <= higher
