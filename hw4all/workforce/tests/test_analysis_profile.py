"""A country's profile and the density ranking, on the shipped files."""

import datetime

import pytest

from hw4all.workforce.analysis.profile import country_profile, latest_year
from hw4all.workforce.analysis.ranking import SortKey, density_ranking
from hw4all.workforce.analysis.safeguard import Difference
from hw4all.workforce.analysis.shortage import THRESHOLD_2006
from hw4all.workforce.dataset import DataSet
from hw4all.workforce.tests.shipped import shipped_dataset


def test_the_shipped_densities_end_in_2020():
    assert latest_year(shipped_dataset()) == 2020
    assert latest_year(DataSet(countries={}, series={})) == datetime.date.today().year


def test_kenyas_profile():
    profile = country_profile(shipped_dataset(), "KEN")
    assert profile is not None
    assert (profile.year, profile.threshold) == (2020, 44.5)
    # Doctors HWF_0001 2018 1.57, nurses and midwives HWF_0006 2018 11.66, counts HWF_0002 2018
    # 8,042 and HWF_0007 2018 (latest ≤ 2020).
    assert profile.doctors is not None and (profile.doctors.year, profile.doctors.value) == (2018, 1.57)
    assert profile.nurses_midwives is not None and profile.nurses_midwives.value == 11.66
    assert profile.combined is not None and profile.combined.value == pytest.approx(13.23)
    assert profile.doctors_count is not None and profile.doctors_count.value == 8_042
    assert profile.shortage.shortage == pytest.approx(163_283.603418, rel=1e-9)
    assert profile.population is not None and profile.population.year == 2020
    # World Bank index: 53 in 2021 is after 2020; the latest at or before 2020 is 2019: 51.
    assert profile.uhc is not None and (profile.uhc.year, profile.uhc.value) == (2019, 51)
    assert [point.year for point in profile.uhc_series] == [2000, 2005, 2010, 2015, 2017, 2019, 2021]
    # The safeguard check is the 2023 list's, on the data of its criteria (index of 2021).
    assert profile.safeguard.on_list is False
    assert profile.safeguard.difference == Difference.QUALIFIES_NOT_LISTED
    assert profile.trend is not None and profile.trend.change == pytest.approx(4.47)
    assert profile.emigration is not None and profile.emigration.abroad == 157
    assert profile.immigration is None
    # HWF_0001 KEN has rows for 2002, 2008–2014 and 2018; the combined series starts when both
    # series exist (HWF_0006 from 2004): 2004, 2008–2018 (nurses have 2015–2017 too).
    assert [item.year for item in profile.doctors_series] == [
        2002,
        2008,
        2009,
        2010,
        2011,
        2012,
        2013,
        2014,
        2018,
    ]
    assert profile.combined_series[0].latest_year == 2004


def test_a_profile_for_another_year_and_threshold():
    # KEN in 2010 at 22.8: (22.8 − 8.76) × population 2010 (41,598,567) / 10,000 = 14.04 × 4,159.8567.
    profile = country_profile(shipped_dataset(), "KEN", year=2010, threshold=THRESHOLD_2006)
    assert profile is not None
    assert profile.shortage.shortage == pytest.approx(14.04 * 4_159.8567, rel=1e-9)


def test_an_unknown_code_has_no_profile():
    assert country_profile(shipped_dataset(), "XYZ") is None


def test_a_destination_country_profile_names_its_foreign_trained_doctors():
    profile = country_profile(shipped_dataset(), "IRL")
    assert profile is not None and profile.immigration is not None
    assert profile.immigration.total == 9_582


def test_the_ranking_lowest_density_first():
    # 2020: SOM 1.35 (2014 rows), NER 0.35 (2020) + 2.23 (2018) = 2.58, TCD 0.61 + 2.03 = 2.64.
    rows = density_ranking(shipped_dataset(), 2020)
    assert [(row.iso3, row.rank) for row in rows[:3]] == [("SOM", 1), ("NER", 2), ("TCD", 3)]
    # The three codes with no density rows at all (AIA, PSE, TKL) come last, unranked.
    assert {row.iso3 for row in rows if row.rank is None} == {"AIA", "PSE", "TKL"}
    assert all(row.rank is None for row in rows[-3:])


def test_the_ranking_filtered_and_sorted():
    data = shipped_dataset()
    africa = density_ranking(data, 2020, region="AFR", sort=SortKey.SHORTAGE, descending=True)
    assert len(africa) == 47
    assert {row.iso3 for row in africa} >= {"KEN", "NGA"}
    shortages = [row.shortage for row in africa if row.shortage is not None]
    assert shortages == sorted(shortages, reverse=True)
    # The rank stays that of the density among the filtered countries.
    assert sorted(row.rank for row in africa if row.rank is not None) == list(range(1, 48))
