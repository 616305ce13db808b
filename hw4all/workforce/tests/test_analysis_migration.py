"""Migration of doctors from the OECD stocks by country of training (shipped file:
oecd_foreign_trained_doctors_by_origin_2018.csv; COU the destination, CO2 the country of
training, Value the stock of 2018)."""

import datetime

import pytest

from hw4all.workforce.analysis.migration import (
    Pair,
    destination_migration,
    largest_pairs,
    origin_migration,
    origins_ranked,
    reporting_destinations,
)
from hw4all.workforce.dataset import DOCTORS_COUNT, CountryInfo, Flow, Point, SourceRef, dataset_build
from hw4all.workforce.tests.shipped import shipped_dataset

SOURCE = SourceRef(
    id=1, dataset="OECD", publisher="OECD", url="", file_date=datetime.date(2021, 6, 4), retrieved_on=None
)


def test_the_21_reporting_destinations():
    # The README: 21 destinations, the USA not among them.
    destinations = reporting_destinations(shipped_dataset())
    assert len(destinations) == 21
    assert "USA" not in destinations
    assert {"GBR", "IRL", "DEU", "AUS"} <= set(destinations)


def test_ireland_and_the_share_trained_in_safeguard_list_countries():
    # The 105 rows with COU = IRL add up to 9,582 doctors; those whose CO2 is one of the 55 codes
    # of who_ssl_2023.csv add up to 3,695: 3,695 / 9,582 = 38.56 %. The largest: PAK 2,037,
    # SDN 1,295, GBR 766.
    ireland = destination_migration(shipped_dataset(), "IRL")
    assert ireland is not None
    assert (ireland.year, ireland.total) == (2018, 9_582)
    assert ireland.from_safeguard_list == 3_695
    assert ireland.share_from_safeguard_list == pytest.approx(3_695 / 9_582)
    assert [(origin.origin, origin.count) for origin in ireland.origins[:3]] == [
        ("PAK", 2_037),
        ("SDN", 1_295),
        ("GBR", 766),
    ]
    # PAK and SDN are on the 2023 list, GBR is not.
    assert [origin.on_safeguard_list for origin in ireland.origins[:3]] == [True, True, False]
    assert sum(origin.share for origin in ireland.origins) == pytest.approx(1)


def test_a_country_that_reports_nothing_has_no_destination_figures():
    assert destination_migration(shipped_dataset(), "USA") is None


def test_kenyan_doctors_abroad_against_those_at_home():
    # CO2 = KEN: GBR 77, DEU 44, CAN 28, IRL 4, NZL 4 = 157. At home: HWF_0002 KEN 2018 = 8,042.
    # 157 / 8,042 = 0.019523.
    kenya = origin_migration(shipped_dataset(), "KEN")
    assert kenya is not None
    assert kenya.abroad == 157
    assert kenya.destinations == [("GBR", 77), ("DEU", 44), ("CAN", 28), ("IRL", 4), ("NZL", 4)]
    assert kenya.at_home is not None and (kenya.at_home.year, kenya.at_home.value) == (2018, 8_042)
    assert kenya.emigration_ratio == pytest.approx(157 / 8_042)


def test_romania_counted_at_home_the_year_before():
    # CO2 = ROU: 16,358 doctors in 16 destinations. HWF_0002 ROU has no 2018 row; the latest
    # before is 2017: 58,583. 16,358 / 58,583 = 0.2792.
    romania = origin_migration(shipped_dataset(), "ROU")
    assert romania is not None and romania.abroad == 16_358
    assert romania.at_home is not None and romania.at_home.year == 2017
    assert romania.emigration_ratio == pytest.approx(16_358 / 58_583)


def test_the_largest_pairs_and_origins():
    data = shipped_dataset()
    # The five largest values of the file: IND→GBR 15,870, DEU→CHE 7,136, PAK→GBR 5,922,
    # RUS→ISR 5,896, GBR→AUS 5,892.
    assert largest_pairs(data, limit=5) == [
        Pair("IND", "GBR", 15_870),
        Pair("DEU", "CHE", 7_136),
        Pair("PAK", "GBR", 5_922),
        Pair("RUS", "ISR", 5_896),
        Pair("GBR", "AUS", 5_892),
    ]
    ranked = origins_ranked(data)
    assert [item.origin for item in ranked[:2]] == ["IND", "ROU"]
    assert ranked[0].abroad == 24_964
    abroad = [item.abroad for item in ranked]
    assert abroad == sorted(abroad, reverse=True) and min(abroad) > 0


def test_a_destinations_latest_year_only_and_no_ratio_without_doctors_at_home():
    def flow(destination: str, origin: str, year: int, count: int) -> Flow:
        return Flow(
            destination=destination,
            origin=origin,
            occupation="doctors",
            year=year,
            count=count,
            source=SOURCE,
        )

    data = dataset_build(
        [CountryInfo(iso3, "", iso3, "EUR", "") for iso3 in ("AAA", "BBB", "CCC")],
        [("CCC", DOCTORS_COUNT, Point(year=2019, value=500, source=SOURCE))],
        flows=[flow("AAA", "CCC", 2017, 90), flow("AAA", "CCC", 2018, 100), flow("BBB", "CCC", 2016, 40)],
    )
    destination = destination_migration(data, "AAA")
    assert destination is not None and (destination.year, destination.total) == (2018, 100)
    origin = origin_migration(data, "CCC")
    # 100 in AAA (2018) + 40 in BBB (2016); the count at home is of 2019, after 2018: none.
    assert origin is not None and origin.abroad == 140
    assert origin.at_home is None and origin.emigration_ratio is None
