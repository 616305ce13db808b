"""Change in density over ten years, from the shipped WHO GHO file (HWF_0001 + HWF_0006)."""

import pytest

from hw4all.workforce.analysis.density import Cadre
from hw4all.workforce.analysis.trends import density_change, density_changes, falling
from hw4all.workforce.tests.shipped import shipped_dataset


def test_kenya_over_the_ten_years_to_2020():
    # Start: latest ≤ 2010: doctors 2010 1.70 + nurses 2010 7.06 = 8.76.
    # End: latest ≤ 2020: doctors 2018 1.57 + nurses 2018 11.66 = 13.23.
    # Change +4.47 per 10,000, +51.03 % (4.47 / 8.76).
    change = density_change(shipped_dataset(), "KEN", 2020)
    assert change is not None
    assert change.start.value == pytest.approx(8.76)
    assert change.end.value == pytest.approx(13.23)
    assert change.change == pytest.approx(4.47)
    assert change.percent == pytest.approx(4.47 / 8.76 * 100)


def test_eswatini_the_largest_fall():
    # SWZ start ≤ 2010: doctors 2009 1.64 + nurses 2004 66.53 = 68.17; end: 2020 1.42 + 25.14
    # = 26.56: −41.61, the largest fall of any country.
    changes = falling(shipped_dataset(), 2020)
    assert changes[0].iso3 == "SWZ"
    assert changes[0].change == pytest.approx(-41.61)
    assert all(item.change < 0 for item in changes)
    assert [item.change for item in changes] == sorted(item.change for item in changes)


def test_somalia_both_ends_from_old_counts():
    # SOM: ≤ 2010 the 2006 rows (0.28 + 0.90 = 1.18), ≤ 2020 the 2014 rows (0.23 + 1.12 = 1.35).
    change = density_change(shipped_dataset(), "SOM", 2020)
    assert change is not None and change.change == pytest.approx(0.17)
    assert (change.start.year, change.end.year) == (2006, 2014)


def test_no_change_without_a_start_or_from_the_same_observations():
    data = shipped_dataset()
    # SSD's first rows are of 2018: nothing at or before 2010.
    assert density_change(data, "SSD", 2020) is None
    # SOM over four years to 2018: both ends are the 2014 rows.
    assert density_change(data, "SOM", 2018, span=4) is None


def test_one_cadre_and_every_country():
    data = shipped_dataset()
    # KEN doctors: 2010 1.70 → 2018 1.57: −0.13.
    doctors = density_change(data, "KEN", 2020, cadre=Cadre.DOCTORS)
    assert doctors is not None and doctors.change == pytest.approx(-0.13)
    every = density_changes(data, 2020)
    assert {"KEN", "SOM", "SWZ"} <= {item.iso3 for item in every}
    assert "SSD" not in {item.iso3 for item in every}
