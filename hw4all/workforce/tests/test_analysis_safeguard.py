"""The WHO Health Workforce Support and Safeguards List against its criteria applied to the data."""

import datetime

import pytest

from hw4all.workforce.analysis.safeguard import Difference, safeguard_check, safeguard_row
from hw4all.workforce.dataset import (
    DOCTORS_DENSITY,
    NURSES_MIDWIVES_DENSITY,
    UHC_INDEX,
    CountryInfo,
    Point,
    SourceRef,
    dataset_build,
)
from hw4all.workforce.tests.shipped import shipped_dataset

SOURCE = SourceRef(
    id=1, dataset="Test", publisher="Test", url="", file_date=datetime.date(2022, 1, 1), retrieved_on=None
)


def test_the_2023_check_on_the_shipped_files_is_the_one_the_data_readme_states():
    # The data README: latest HWF_0001 + HWF_0006 ≤ 2020 below 49 and the World Bank index of
    # 2021 below 55 give 54 countries, 52 of them on the list of 55; KEN and MMR qualify but are
    # not listed; WSM, ZMB and ZWE are listed but do not qualify.
    rows = safeguard_check(shipped_dataset(), 2023)
    qualify = {row.iso3 for row in rows if row.meets_criteria}
    listed = {row.iso3 for row in rows if row.on_list}
    assert len(listed) == 55
    assert len(qualify) == 54
    assert len(qualify & listed) == 52
    assert qualify - listed == {"KEN", "MMR"}
    assert listed - qualify == {"WSM", "ZMB", "ZWE"}
    differences = {row.iso3: row.difference for row in rows if row.difference != Difference.NONE}
    # The three listed countries miss on the index of 2021 (WSM 55, ZMB 56, ZWE 55), not on density.
    assert differences == {
        "KEN": Difference.QUALIFIES_NOT_LISTED,
        "MMR": Difference.QUALIFIES_NOT_LISTED,
        "WSM": Difference.LISTED_UHC_ABOVE,
        "ZMB": Difference.LISTED_UHC_ABOVE,
        "ZWE": Difference.LISTED_UHC_ABOVE,
    }


def test_kenyas_row_names_the_figures_it_was_decided_on():
    # KEN: HWF_0001 2018 1.57 + HWF_0006 2018 11.66 = 13.23 < 49; SH.UHC.SRVS.CV.XD 2021: 53 < 55.
    row = safeguard_row(shipped_dataset(), "KEN", 2023)
    assert row.density is not None and row.density.value == pytest.approx(13.23)
    assert row.uhc is not None and (row.uhc.year, row.uhc.value) == (2021, 53)
    assert row.meets_criteria is True and row.on_list is False


def test_the_data_years_are_selectable():
    # With the index of 2019, ZMB (54 < 55) and ZWE (55, not below) differ: ZMB now qualifies.
    rows = {row.iso3: row for row in safeguard_check(shipped_dataset(), 2023, uhc_year=2019)}
    assert rows["ZMB"].uhc is not None and rows["ZMB"].uhc.value == 54
    assert rows["ZMB"].meets_criteria is True
    assert rows["ZWE"].meets_criteria is False


def test_the_2020_criteria_without_a_published_2020_list():
    # No 2020 list is shipped: every row's on_list is None and nothing is called a difference.
    # The 2020 criteria: index of 2017 below 50 and density ≤ 2018 below 48.6. KEN's index of
    # 2017 is 52: it does not qualify.
    rows = {row.iso3: row for row in safeguard_check(shipped_dataset(), 2020)}
    assert {row.on_list for row in rows.values()} == {None}
    assert {row.difference for row in rows.values()} == {Difference.NONE}
    assert rows["KEN"].uhc is not None and (rows["KEN"].uhc.year, rows["KEN"].uhc.value) == (2017, 52)
    assert rows["KEN"].meets_criteria is False
    # SOM: 1.35 per 10,000 (2014) and the index of 2017: 25 → qualifies.
    assert rows["SOM"].meets_criteria is True


def test_a_list_year_without_criteria_is_refused():
    with pytest.raises(ValueError, match="2019"):
        safeguard_check(shipped_dataset(), 2019)


def _country(iso3: str, region: str = "AFR") -> CountryInfo:
    return CountryInfo(iso3=iso3, iso2="", name=iso3, who_region=region, income_group="")


def _points(iso3: str, doctors: float | None, nurses: float | None, uhc: float | None):
    for code, value in ((DOCTORS_DENSITY, doctors), (NURSES_MIDWIVES_DENSITY, nurses), (UHC_INDEX, uhc)):
        if value is not None:
            yield (iso3, code, Point(year=2019, value=value, source=SOURCE))


def test_why_the_list_and_the_criteria_differ():
    rows = {
        "AAA": (10, 20, 40),  # qualifies, listed
        "BBB": (10, 20, 40),  # qualifies, not listed
        "CCC": (30, 30, 40),  # listed, density 60 not below 49
        "DDD": (10, 20, 70),  # listed, index not below 55
        "EEE": (30, 30, 70),  # listed, neither
        "FFF": (10, 20, None),  # listed, no index: the data cannot say
        "GGG": (30, 30, None),  # listed, no index but the density decides
        "HHH": (None, None, None),  # not listed, no data
        "III": (10, 19, 55),  # density 29 below 49, index 55 not below 55: the limits are strict
    }
    listed = ["AAA", "CCC", "DDD", "EEE", "FFF", "GGG", "ZZZ"]
    data = dataset_build(
        [_country(iso3) for iso3 in rows],
        [point for iso3, values in rows.items() for point in _points(iso3, *values)],
        safeguard_lists={2023: listed},
    )
    check = {row.iso3: row for row in safeguard_check(data, 2023)}
    # Every member state and every listed country, even one the data does not know (ZZZ).
    assert list(check) == sorted([*rows, "ZZZ"])
    assert {iso3: (row.meets_criteria, row.difference) for iso3, row in check.items()} == {
        "AAA": (True, Difference.NONE),
        "BBB": (True, Difference.QUALIFIES_NOT_LISTED),
        "CCC": (False, Difference.LISTED_DENSITY_ABOVE),
        "DDD": (False, Difference.LISTED_UHC_ABOVE),
        "EEE": (False, Difference.LISTED_BOTH_ABOVE),
        "FFF": (None, Difference.LISTED_NO_DATA),
        "GGG": (False, Difference.LISTED_DENSITY_ABOVE),
        "HHH": (None, Difference.NONE),
        "III": (False, Difference.NONE),
        "ZZZ": (None, Difference.LISTED_NO_DATA),
    }
