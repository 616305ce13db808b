"""The analysts' command line: `workforce profile`, `workforce shortage` and `workforce
safeguard-check`, on data in the database, state the analysis functions' numbers."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hw4all.workforce.analysis.profile import country_profile
from hw4all.workforce.analysis.safeguard import safeguard_check
from hw4all.workforce.analysis.shortage import THRESHOLD_2006, GroupBy, shortage_table
from hw4all.workforce.dataset import (
    DOCTORS_COUNT,
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_DENSITY,
    POPULATION,
    UHC_INDEX,
    dataset_current,
)
from hw4all.workforce.factories import (
    country_create,
    flow_create,
    safeguard_list_create,
    series_create,
    source_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    who = source_create("WHO GHO", file_date=datetime.date(2022, 1, 24))
    world_bank = source_create("World Bank WDI", file_date=datetime.date(2025, 1, 28))
    for iso3, region, income in (
        ("KEN", "AFR", "LMC"),
        ("NER", "AFR", "LIC"),
        ("GBR", "EUR", "HIC"),
        ("FJI", "WPR", ""),
    ):
        country_create(iso3, who_region=region, income_group=income)
    # KEN: 13.23 per 10,000 from 2018; NER: doctors of 2020, nurses of 2018; GBR well above;
    # FJI: densities but no population for 2020.
    series_create("KEN", DOCTORS_DENSITY, {2010: 1.7, 2018: 1.57}, who)
    series_create("KEN", NURSES_MIDWIVES_DENSITY, {2010: 7.06, 2018: 11.66}, who)
    series_create("KEN", DOCTORS_COUNT, {2018: 8042}, who)
    series_create("NER", DOCTORS_DENSITY, {2020: 0.35}, who)
    series_create("NER", NURSES_MIDWIVES_DENSITY, {2018: 2.23}, who)
    series_create("GBR", DOCTORS_DENSITY, {2020: 30.0}, who)
    series_create("GBR", NURSES_MIDWIVES_DENSITY, {2020: 85.0}, who)
    series_create("FJI", DOCTORS_DENSITY, {2015: 8.6}, who)
    series_create("FJI", NURSES_MIDWIVES_DENSITY, {2019: 33.8}, who)
    series_create("KEN", POPULATION, {2020: 52_217_334}, world_bank)
    series_create("NER", POPULATION, {2020: 23_717_613}, world_bank)
    series_create("GBR", POPULATION, {2020: 67_081_000}, world_bank)
    series_create("KEN", UHC_INDEX, {2019: 51, 2021: 53}, world_bank)
    series_create("NER", UHC_INDEX, {2021: 38}, world_bank)
    series_create("GBR", UHC_INDEX, {2021: 88}, world_bank)
    safeguard_list_create(2023, ["NER", "FJI"])
    flow_create("GBR", "KEN", 77)
    flow_create("GBR", "NER", 3)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workforce", *args, stdout=out)
    return out.getvalue()


def test_the_shortage_by_region_as_json_is_the_analysis_table(figures):
    rows = json.loads(run("shortage", "--year", "2020", "--by", "region", "--format", "json"))
    expected = shortage_table(dataset_current(), 2020)
    assert [row["group"] for row in rows] == ["AFR", "EUR", "WPR", "world"]
    for row, group in zip(rows, expected, strict=True):
        assert (row["countries"], row["countries_with_data"], row["countries_below"]) == (
            group.countries,
            group.countries_with_data,
            group.countries_below,
        )
        assert row["shortage"] == group.shortage
    # By hand: KEN (44.5 − 13.23) × 5,221.7334 = 163,283.603418; NER (44.5 − 2.58) × 2,371.7613
    # = 99,424.233696; together 262,707.837114. FJI has no population: counted, without data.
    world = rows[-1]
    assert (world["countries"], world["countries_with_data"], world["countries_below"]) == (4, 3, 2)
    assert world["shortage"] == pytest.approx(262_707.837114, rel=1e-9)


def test_the_shortage_by_income_against_2006_as_csv(figures):
    text = run("shortage", "--year", "2020", "--by", "income", "--threshold", "2006", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "group",
        "name",
        "year",
        "threshold",
        "countries",
        "countries_with_data",
        "countries_below",
        "shortage",
    ]
    expected = shortage_table(dataset_current(), 2020, THRESHOLD_2006, GroupBy.INCOME)
    # Income groups from low to high, then those without one, then the world.
    assert [row["group"] for row in rows] == ["LIC", "LMC", "HIC", "unclassified", "world"]
    assert [float(row["shortage"]) for row in rows] == [group.shortage for group in expected]
    assert rows[-1]["threshold"] == "22.8"


def test_the_shortage_table_names_its_sources(figures):
    text = run("shortage", "--year", "2020")
    assert "World" in text and "262,708" in text
    assert "Sources: WHO GHO (file of Jan. 24, 2022); World Bank WDI (file of Jan. 28, 2025)" in text


def test_kenyas_profile_as_json(figures):
    rows = json.loads(run("profile", "ken", "--format", "json"))
    by_indicator = {row["indicator"]: row for row in rows}
    profile = country_profile(dataset_current(), "KEN")
    assert profile is not None and profile.combined is not None
    assert set(rows[0]) == {"iso3", "indicator", "label", "value", "year", "source"}
    assert by_indicator["combined_density"]["value"] == profile.combined.value
    assert by_indicator["combined_density"]["year"] == 2018
    assert by_indicator["shortage"]["value"] == profile.shortage.shortage
    assert (
        by_indicator["shortage"]["source"]
        == "WHO GHO (file of Jan. 24, 2022); World Bank WDI (file of Jan. 28, 2025)"
    )
    assert by_indicator["uhc_sci"]["value"] == 51 and by_indicator["uhc_sci"]["year"] == 2019
    assert by_indicator["on_safeguard_list"]["value"] is False
    assert by_indicator["meets_safeguard_criteria"]["value"] is True
    assert by_indicator["doctors_abroad"]["value"] == 77
    assert by_indicator["emigration_ratio"]["value"] == pytest.approx(77 / 8042)
    assert by_indicator["density_change"]["value"] == pytest.approx(4.47)


def test_a_profile_for_a_year_and_a_threshold_as_a_table(figures):
    text = run("profile", "KEN", "--year", "2010", "--threshold", "22.8")
    assert text.startswith("Kenya (KEN), 2010; threshold 22.8")
    # Densities of 2010: 1.70 + 7.06; the sources listed under the table.
    assert "8.76" in text
    assert "[1] WHO GHO (file of Jan. 24, 2022)" in text


def test_the_safeguard_check_as_json(figures):
    rows = json.loads(run("safeguard-check", "--list", "2023", "--format", "json"))
    expected = safeguard_check(dataset_current(), 2023)
    assert [row["iso3"] for row in rows] == [row.iso3 for row in expected] == ["FJI", "GBR", "KEN", "NER"]
    by_iso3 = {row["iso3"]: row for row in rows}
    # KEN: 13.23 < 49 and 53 (2021) < 55, not listed. NER: 2.58 < 49 and 38 < 55, listed.
    # FJI: listed, 42.4 < 49 but no index: the data cannot say. GBR: neither.
    assert by_iso3["KEN"] == {
        "iso3": "KEN",
        "country": "Kenya",
        "on_list": False,
        "meets_criteria": True,
        "density": pytest.approx(13.23),
        "density_year": 2018,
        "uhc_sci": 53,
        "uhc_year": 2021,
        "difference": "qualifies_not_listed",
    }
    assert (by_iso3["NER"]["on_list"], by_iso3["NER"]["meets_criteria"], by_iso3["NER"]["difference"]) == (
        True,
        True,
        "",
    )
    assert (by_iso3["FJI"]["meets_criteria"], by_iso3["FJI"]["difference"]) == (None, "listed_no_data")
    assert by_iso3["GBR"]["meets_criteria"] is False


def test_the_safeguard_check_with_other_data_years_and_the_2020_criteria(figures):
    # With the index of 2019 KEN (51) still qualifies; no 2020 list is loaded: on_list is empty.
    rows = list(
        csv.DictReader(
            io.StringIO(run("safeguard-check", "--list", "2020", "--uhc-year", "2019", "--format", "csv"))
        )
    )
    by_iso3 = {row["iso3"]: row for row in rows}
    assert by_iso3["KEN"]["uhc_sci"] == "51.0" and by_iso3["KEN"]["uhc_year"] == "2019"
    assert {row["on_list"] for row in rows} == {""}
    assert by_iso3["NER"]["uhc_sci"] == ""  # NER's only index is of 2021


def test_the_safeguard_check_table_counts_and_cites(figures):
    text = run("safeguard-check")
    assert (
        "2 countries meet the criteria. 2 are on the published list, 1 of them meeting the criteria." in text
    )
    assert "WHO Support and Safeguards List (file of Jan. 24, 2022)" in text


def test_an_unknown_country(figures):
    with pytest.raises(CommandError, match="No data for country “XYZ”."):
        run("profile", "XYZ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("shortage", "--year", "twenty"), "“twenty” is not a year"),
        (("shortage", "--threshold", "-3"), "“-3” is not a threshold"),
        (("shortage", "--threshold", "many"), "“many” is not a threshold"),
        (("profile", "KEN", "--year", "20201"), "“20201” is not a year"),
        (("safeguard-check", "--list", "2019"), "No criteria for a list of 2019"),
        (("shortage", "--by", "continent"), "invalid choice"),
    ],
)
def test_bad_arguments_are_refused_clearly(figures, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_nothing_loaded():
    with pytest.raises(CommandError, match="No workforce data is loaded"):
        run("shortage")
