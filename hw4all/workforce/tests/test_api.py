"""The workforce API on a small data set whose figures are worked out by hand here: the same
numbers as the analysis, clear 400s for bad parameters, 404s for unknown codes, never a 500."""

from __future__ import annotations

import datetime
import json
from urllib.parse import quote, urlencode

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hw4all.workforce.factories import (
    country_create,
    flow_create,
    safeguard_list_create,
    series_create,
    source_create,
)
from hw4all.workforce.models import Country, Indicator, Observation

pytestmark = pytest.mark.django_db

API = "/api/v1/workforce"


@pytest.fixture
def figures(db) -> None:
    """Kenya and Afghanistan below the SDG threshold, France above it, the United Kingdom without
    densities but with foreign-trained doctors; Afghanistan on the 2023 list."""
    country_create("KEN", "AFR", "LMC")
    country_create("AFG", "EMR", "LIC")
    country_create("FRA", "EUR", "HIC")
    country_create("GBR", "EUR", "HIC")
    gho = source_create("WHO GHO", datetime.date(2022, 1, 24))
    world_bank = source_create("World Bank", datetime.date(2025, 1, 28))
    series_create("KEN", "HWF_0001", {2010: 1.5, 2018: 1.56}, gho)
    series_create("KEN", "HWF_0006", {2010: 9.0, 2018: 11.66}, gho)
    series_create("KEN", "HWF_0002", {2018: 7958}, gho)
    series_create("AFG", "HWF_0001", {2016: 2.8}, gho)
    series_create("AFG", "HWF_0006", {2016: 4.5}, gho)
    series_create("FRA", "HWF_0001", {2020: 32.7}, gho)
    series_create("FRA", "HWF_0006", {2020: 114.6}, gho)
    series_create("KEN", "SP.POP.TOTL", {2020: 50_000_000}, world_bank)
    series_create("AFG", "SP.POP.TOTL", {2020: 40_000_000}, world_bank)
    series_create("FRA", "SP.POP.TOTL", {2020: 67_000_000}, world_bank)
    series_create("GBR", "SP.POP.TOTL", {2020: 67_000_000}, world_bank)
    series_create("KEN", "SH.UHC.SRVS.CV.XD", {2019: 52, 2021: 53}, world_bank)
    series_create("AFG", "SH.UHC.SRVS.CV.XD", {2021: 41}, world_bank)
    series_create("FRA", "SH.UHC.SRVS.CV.XD", {2021: 84}, world_bank)
    oecd = source_create("OECD", datetime.date(2021, 6, 4))
    flow_create("GBR", "KEN", 1000, source=oecd)
    flow_create("GBR", "AFG", 200, source=oecd)
    flow_create("FRA", "AFG", 50, source=oecd)
    safeguard_list_create(2023, ["AFG"])
    # An earlier vintage of Kenya's 2018 doctors, superseded.
    Observation.objects.create(
        country=Country.objects.get(iso3="KEN"),
        indicator=Indicator.objects.get(code="HWF_0001"),
        year=2018,
        value=1.4,
        source=source_create("WHO GHO", datetime.date(2021, 2, 1)),
        is_current=False,
    )


# Hand-worked: Kenya 1.56 + 11.66 = 13.22 per 10,000 (2018); (44.5 − 13.22) × 5,000 = 156,400.
# Afghanistan 2.8 + 4.5 = 7.3 (2016); (44.5 − 7.3) × 4,000 = 148,800. France 147.3: none.
KEN_SHORTAGE = 156_400
AFG_SHORTAGE = 148_800


def items(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def walk(client, address: str) -> list:
    """Every item of a list, following `next` from `address`."""
    found: list = []
    while address:
        body = client.get(address).json()
        found += body["items"]
        address = body["next"]
    return found


def test_indicators_with_their_years_and_countries(client, figures):
    indicators = {row["code"]: row for row in items(client.get(f"{API}/indicators/"))}

    assert indicators["HWF_0001"] == {
        "code": "HWF_0001",
        "name": "HWF_0001",
        "unit": "",
        "source": "",
        "first_year": 2010,
        "last_year": 2020,
        "countries": 3,
    }
    assert (indicators["SP.POP.TOTL"]["countries"], indicators["SP.POP.TOTL"]["first_year"]) == (4, 2020)


def test_observations_filtered_by_indicator_country_and_years(client, figures):
    body = client.get(f"{API}/observations/?indicator=HWF_0001&country=ken&year_from=2015").json()

    assert body["next"] is None
    assert body["items"] == [
        {
            "iso3": "KEN",
            "indicator": "HWF_0001",
            "year": 2018,
            "value": 1.56,
            "is_current": True,
            "source": "WHO GHO",
            "file_date": "2022-01-24",
            "retrieved_on": None,
        }
    ]


def test_observations_of_every_vintage_keep_the_superseded_figure(client, figures):
    body = client.get(f"{API}/observations/?indicator=HWF_0001&country=KEN&year_from=2018&vintage=all").json()

    assert [(item["value"], item["is_current"], item["file_date"]) for item in body["items"]] == [
        (1.56, True, "2022-01-24"),
        (1.4, False, "2021-02-01"),
    ]


def test_observations_come_a_hundred_a_page(client, figures):
    series_create("KEN", "HWF_0009", {year: year / 10 for year in range(1900, 2050)})

    first = client.get(f"{API}/observations/?indicator=HWF_0009").json()
    last = client.get(first["next"]).json()

    assert len(first["items"]) == 100
    assert first["next"].startswith(f"http://testserver{API}/observations/?indicator=HWF_0009&cursor=")
    assert (len(last["items"]), last["items"][-1]["year"], last["next"]) == (50, 2049, None)


def in_order(rows: list[dict]) -> list[tuple]:
    return [(row["indicator"], row["iso3"], row["year"], not row["is_current"]) for row in rows]


@pytest.mark.parametrize("vintage", ["current", "all"])
@pytest.mark.parametrize("limit", [1, 7, 100])
def test_walking_the_observations_gives_each_once_by_indicator_country_and_year(
    client, figures, vintage, limit
):
    everything = Observation.objects.filter(**({"is_current": True} if vintage == "current" else {}))

    rows = walk(client, f"{API}/observations/?vintage={vintage}&limit={limit}")

    assert len(rows) == everything.count()
    assert len({(row["indicator"], row["iso3"], row["year"], row["file_date"]) for row in rows}) == len(rows)
    assert in_order(rows) == sorted(in_order(rows))


@pytest.mark.parametrize("vintage", ["current", "all"])
def test_the_observations_filters_while_walking(client, figures, vintage):
    rows = walk(client, f"{API}/observations/?vintage={vintage}&country=KEN&year_to=2018&limit=2")

    assert {row["iso3"] for row in rows} == {"KEN"}
    assert sorted((row["indicator"], row["year"], row["value"]) for row in rows) == sorted(
        [
            ("HWF_0001", 2010, 1.5),
            ("HWF_0001", 2018, 1.56),
            ("HWF_0006", 2010, 9.0),
            ("HWF_0006", 2018, 11.66),
            ("HWF_0002", 2018, 7958),
        ]
        + ([("HWF_0001", 2018, 1.4)] if vintage == "all" else [])
    )


def test_observations_by_indicator_alone_and_years_alone(client, figures):
    by_indicator = items(client.get(f"{API}/observations/?indicator=HWF_0006"))
    by_years = items(client.get(f"{API}/observations/?year_from=2019&year_to=2019"))

    assert [(row["iso3"], row["year"]) for row in by_indicator] == [
        ("AFG", 2016),
        ("FRA", 2020),
        ("KEN", 2010),
        ("KEN", 2018),
    ]
    assert [(row["indicator"], row["iso3"]) for row in by_years] == [("SH.UHC.SRVS.CV.XD", "KEN")]


def test_a_cursor_of_one_vintage_is_refused_by_the_other(client, figures):
    current = client.get(f"{API}/observations/?limit=1").json()["next"]
    every = client.get(f"{API}/observations/?limit=1&vintage=all").json()["next"]

    for address in (current.replace("limit=1", "limit=1&vintage=all"), every.replace("&vintage=all", "")):
        response = client.get(address)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["cursor"]


def test_the_observations_cost_the_same_queries_however_many(client, figures, django_assert_max_num_queries):
    def count() -> int:
        with django_assert_max_num_queries(10) as captured:
            assert items(client.get(f"{API}/observations/?vintage=all&indicator=HWF_0009&limit=100"))
        with django_assert_max_num_queries(10) as current:
            assert items(client.get(f"{API}/observations/?indicator=HWF_0009&limit=100"))
        return len(captured) + len(current)

    series_create("AFG", "HWF_0009", dict.fromkeys(range(2000, 2005), 1.0))
    few = count()
    series_create("FRA", "HWF_0009", dict.fromkeys(range(2000, 2020), 1.0))
    assert count() == few


def test_walking_the_indicators_gives_each_once_by_code(client, figures):
    codes = [row["code"] for row in walk(client, f"{API}/indicators/?limit=2")]

    assert codes == sorted(Indicator.objects.values_list("code", flat=True))


def test_the_indicators_cost_the_same_queries_however_many(client, figures, django_assert_max_num_queries):
    def count(more: int) -> int:
        for index in range(more):
            series_create("KEN", f"X_{Indicator.objects.count()}_{index}", {2020: 1.0})
        with django_assert_max_num_queries(4) as captured:
            assert items(client.get(f"{API}/indicators/?limit=100"))
        return len(captured)

    assert count(0) == count(20)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("indicator=HWF_9999", "indicator", "Unknown indicator 'HWF_9999'"),
        ("country=XKX", "country", "Unknown country code 'XKX'"),
        ("year_from=2020&year_to=2010", "year_from", "year_from is after year_to"),
        ("lang=zz", "lang", "Unknown language 'zz'"),
        ("cursor=not-a-cursor", "cursor", "This cursor is not one the API gave"),
        ("cursor=eyJhdCI6LTF9", "cursor", "This cursor is not one the API gave"),
    ],
)
def test_observations_refuse_a_meaningless_parameter_with_400(client, figures, query, field, message):
    response = client.get(f"{API}/observations/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.json()["detail"]
    assert message in response.json()["errors"][field][0]


@pytest.mark.parametrize("path", ["/observations/", "/indicators/", "/countries/", "/migration/flows/"])
@pytest.mark.parametrize("limit", ["0", "101", "many"])
def test_a_limit_out_of_bounds_is_422_naming_it(client, figures, path, limit):
    response = client.get(f"{API}{path}?limit={limit}")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]


def test_countries_in_the_language_asked_with_the_list(client, figures):
    countries = items(client.get(f"{API}/countries/?lang=fr"))

    assert [item["iso3"] for item in countries] == ["AFG", "FRA", "GBR", "KEN"]
    afg = countries[0]
    assert (
        afg["iso2"],
        afg["who_region"],
        afg["income_group"],
        afg["on_safeguard_list"],
        afg["safeguard_list_year"],
    ) == ("AF", "EMR", "LIC", True, 2023)
    gbr = countries[2]
    assert (gbr["name"], gbr["on_safeguard_list"]) == ("Royaume-Uni", False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=EUR", ["FRA", "GBR"]),
        ("income=LIC", ["AFG"]),
        ("region=EUR&income=LIC", []),
        ("region=AFR&income=LMC", ["KEN"]),
    ],
)
def test_countries_by_region_and_income_as_on_the_site(client, figures, query, expected):
    assert [item["iso3"] for item in items(client.get(f"{API}/countries/?{query}"))] == expected


def test_countries_refuse_an_unknown_region_naming_it(client, figures):
    response = client.get(f"{API}/countries/?region=EUROPE")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["region"]


def test_walking_the_countries_gives_each_once_by_code(client, figures):
    assert [item["iso3"] for item in walk(client, f"{API}/countries/?limit=3")] == [
        "AFG",
        "FRA",
        "GBR",
        "KEN",
    ]


def test_countries_name_their_region_and_income_group(client, figures):
    kenya = items(client.get(f"{API}/countries/?lang=en"))[3]

    assert (kenya["name"], kenya["who_region_name"], kenya["income_group_name"]) == (
        "Kenya",
        "Africa",
        "Lower-middle income",
    )


def test_countries_follow_the_request_language_without_lang(client, figures):
    countries = items(client.get(f"{API}/countries/", HTTP_ACCEPT_LANGUAGE="es"))

    assert countries[2]["name"] == "Reino Unido"


def test_a_country_profile_states_each_figure_with_its_year_and_source(client, figures):
    body = client.get(f"{API}/countries/KEN/profile/?year=2020").json()

    assert (body["year"], body["threshold"]) == (2020, 44.5)
    combined = body["combined"]
    assert combined["value"] == pytest.approx(13.22)
    assert combined["year"] == 2018
    assert [point["value"] for point in combined["points"]] == [1.56, 11.66]
    assert combined["points"][0]["citation"] == "2018; WHO GHO (file of Jan. 24, 2022)"
    assert body["shortage"]["shortage"] == pytest.approx(KEN_SHORTAGE)
    assert body["shortage"]["population"]["value"] == 50_000_000
    assert body["safeguard"] | {"density": round(body["safeguard"]["density"], 2)} == {
        "iso3": "KEN",
        "name": "Kenya",
        "list_year": 2023,
        "on_list": False,
        "meets_criteria": True,
        "density": 13.22,
        "density_year": 2018,
        "uhc_sci": 53,
        "uhc_year": 2021,
        "difference": "qualifies_not_listed",
    }
    assert body["safeguard_criteria"]["density_below"] == 49
    # The index latest at or before the profile's year.
    assert (body["uhc"]["value"], body["uhc"]["year"]) == (52, 2019)
    assert body["trend"]["change"] == pytest.approx(13.22 - 10.5)
    assert body["emigration"]["abroad"] == 1000
    assert body["emigration"]["emigration_ratio"] == pytest.approx(1000 / 7958)
    assert body["emigration"]["destinations"] == [{"iso3": "GBR", "name": "United Kingdom", "count": 1000}]
    assert body["immigration"] is None


def test_a_profile_against_the_2006_threshold(client, figures):
    body = client.get(f"{API}/countries/afg/profile/?year=2020&threshold=2006").json()

    # (22.8 − 7.3) × 4,000
    assert body["shortage"]["shortage"] == pytest.approx(62_000)
    assert body["safeguard"]["on_list"] is True


@pytest.mark.permission("hw4all_workforce_api_country_profile_detail", "public")
def test_an_unknown_country_profile_is_404(client, figures):
    response = client.get(f"{API}/countries/XKX/profile/")

    assert response.status_code == 404
    assert "XKX" in response.json()["detail"]


@pytest.mark.parametrize("threshold", ["abc", "-3", "0", "1e9", "nan"])
def test_a_threshold_that_is_no_threshold_is_400(client, figures, threshold):
    response = client.get(f"{API}/shortage/?threshold={threshold}")

    assert response.status_code == 400
    assert "give sdg (44.5), 2006 (22.8) or a density per 10,000" in response.json()["detail"]
    assert list(response.json()["errors"]) == ["threshold"]


def test_the_shortage_by_region_sums_to_the_world(client, figures):
    rows = client.get(f"{API}/shortage/?year=2020&threshold=sdg&by=region&lang=en").json()

    figures_by_group = {
        row["group"]: (row["countries"], row["countries_with_data"], row["countries_below"], row["shortage"])
        for row in rows
    }
    assert figures_by_group == {
        "AFR": (1, 1, 1, pytest.approx(KEN_SHORTAGE)),
        "EMR": (1, 1, 1, pytest.approx(AFG_SHORTAGE)),
        "EUR": (2, 1, 0, 0),
        "world": (4, 3, 2, pytest.approx(KEN_SHORTAGE + AFG_SHORTAGE)),
    }
    assert [row["group_name"] for row in rows] == ["Africa", "Eastern Mediterranean", "Europe", "World"]


def test_the_shortage_by_income_and_a_threshold_given_as_a_number(client, figures):
    rows = client.get(f"{API}/shortage/?year=2020&threshold=20&by=income").json()

    # Afghanistan (7.3): (20 − 7.3) × 4,000; Kenya (13.22): (20 − 13.22) × 5,000.
    assert {row["group"]: row["shortage"] for row in rows} == {
        "LIC": pytest.approx(50_800),
        "LMC": pytest.approx(33_900),
        "HIC": 0,
        "world": pytest.approx(84_700),
    }


def test_the_published_list(client, figures):
    body = client.get(f"{API}/safeguard-list/2023/").json()

    assert body["countries"] == [{"iso3": "AFG", "name": "Afghanistan", "who_region": "EMR"}]
    assert body["source"]["dataset"] == "WHO Support and Safeguards List"


@pytest.mark.permission("hw4all_workforce_api_safeguard_list", "public")
def test_a_list_not_loaded_is_404(client, figures):
    assert client.get(f"{API}/safeguard-list/2020/").status_code == 404


def test_the_criteria_check(client, figures):
    body = client.get(f"{API}/safeguard-check/?list=2023").json()

    assert body["criteria"] == {
        "list_year": 2023,
        "uhc_below": 55,
        "density_below": 49,
        "density_year": 2020,
        "uhc_year": 2021,
    }
    assert body["summary"] == {"meets_criteria": 2, "on_list": 1, "both": 1, "undecided": 1}
    rows = {row["iso3"]: row for row in body["items"]}
    assert sorted(rows) == ["AFG", "FRA", "GBR", "KEN"]
    assert (rows["AFG"]["on_list"], rows["AFG"]["meets_criteria"], rows["AFG"]["difference"]) == (
        True,
        True,
        "none",
    )
    assert (rows["KEN"]["meets_criteria"], rows["KEN"]["difference"]) == (True, "qualifies_not_listed")
    assert rows["FRA"]["meets_criteria"] is False
    assert (rows["GBR"]["meets_criteria"], rows["GBR"]["density"]) == (None, None)


def test_the_criteria_check_with_earlier_data(client, figures):
    body = client.get(f"{API}/safeguard-check/?list=2023&density_year=2012&uhc_year=2019").json()

    kenya = next(row for row in body["items"] if row["iso3"] == "KEN")
    assert (kenya["density"], kenya["density_year"], kenya["uhc_sci"], kenya["uhc_year"]) == (
        10.5,
        2010,
        52,
        2019,
    )
    assert body["criteria"]["density_year"] == 2012


def test_a_list_without_criteria_is_400(client, figures):
    response = client.get(f"{API}/safeguard-check/?list=2019")

    assert response.status_code == 400
    message = "No criteria for a list of 2019: the criteria known are those of 2020, 2023."
    assert response.json()["detail"] == message
    assert response.json()["errors"] == {"list": [message]}


def test_doctors_in_a_destination_by_country_of_training(client, figures):
    body = client.get(f"{API}/migration/destinations/GBR/").json()

    assert (body["total"], body["year"], body["list_year"]) == (1200, 2018, 2023)
    assert [(item["iso3"], item["count"], item["on_safeguard_list"]) for item in body["origins"]] == [
        ("KEN", 1000, False),
        ("AFG", 200, True),
    ]
    assert body["origins"][0]["share"] == pytest.approx(1000 / 1200)
    assert (body["from_safeguard_list"], body["share_from_safeguard_list"]) == (
        200,
        pytest.approx(200 / 1200),
    )
    assert [source["dataset"] for source in body["sources"]] == ["OECD"]


def test_doctors_trained_in_an_origin(client, figures):
    body = client.get(f"{API}/migration/origins/AFG/").json()

    assert body["abroad"] == 250
    assert [(item["iso3"], item["count"]) for item in body["destinations"]] == [("GBR", 200), ("FRA", 50)]
    # No count of doctors at home: no ratio.
    assert (body["at_home"], body["emigration_ratio"]) == (None, None)


@pytest.mark.parametrize(
    "path", ["/migration/destinations/KEN/", "/migration/origins/FRA/", "/migration/origins/XKX/"]
)
def test_migration_without_stocks_or_of_an_unknown_code_is_404(client, figures, path):
    assert client.get(f"{API}{path}").status_code == 404


def test_the_largest_pairs(client, figures):
    body = client.get(f"{API}/migration/pairs/?limit=2").json()

    assert body["items"] == [
        {
            "origin": "KEN",
            "origin_name": "Kenya",
            "destination": "GBR",
            "destination_name": "United Kingdom",
            "count": 1000,
        },
        {
            "origin": "AFG",
            "origin_name": "Afghanistan",
            "destination": "GBR",
            "destination_name": "United Kingdom",
            "count": 200,
        },
    ]
    rest = client.get(body["next"]).json()
    assert [(row["origin"], row["destination"], row["count"]) for row in rest["items"]] == [
        ("AFG", "FRA", 50)
    ]
    assert rest["next"] is None


def test_every_migration_flow_with_its_year_and_source(client, figures):
    flows = walk(client, f"{API}/migration/flows/?limit=2&lang=fr")

    assert [(row["destination"], row["origin"], row["count"]) for row in flows] == [
        ("FRA", "AFG", 50),
        ("GBR", "AFG", 200),
        ("GBR", "KEN", 1000),
    ]
    assert flows[1] | {"source": flows[1]["source"]["dataset"]} == {
        "origin": "AFG",
        "origin_name": "Afghanistan",
        "destination": "GBR",
        "destination_name": "Royaume-Uni",
        "occupation": "doctors",
        "year": 2018,
        "count": 200,
        "source": "OECD",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("origin=AFG", [("FRA", "AFG"), ("GBR", "AFG")]),
        ("destination=gbr", [("GBR", "AFG"), ("GBR", "KEN")]),
        ("origin=KEN&destination=GBR&occupation=doctors&year=2018", [("GBR", "KEN")]),
        ("occupation=nurses", []),
        ("year=2017", []),
    ],
)
def test_migration_flows_filtered(client, figures, query, expected):
    flows = items(client.get(f"{API}/migration/flows/?{query}"))

    assert [(row["destination"], row["origin"]) for row in flows] == expected


@pytest.mark.parametrize(
    ("query", "field"), [("origin=XKX", "origin"), ("destination=ZZZ", "destination"), ("lang=xx", "lang")]
)
def test_migration_flows_refuse_an_unknown_code_naming_it(client, figures, query, field):
    response = client.get(f"{API}/migration/flows/?{query}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_schema_lists_the_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/workforce/indicators/",
        "/api/v1/workforce/observations/",
        "/api/v1/workforce/countries/",
        "/api/v1/workforce/countries/{iso3}/profile/",
        "/api/v1/workforce/shortage/",
        "/api/v1/workforce/safeguard-list/{list_year}/",
        "/api/v1/workforce/safeguard-check/",
        "/api/v1/workforce/migration/destinations/{iso3}/",
        "/api/v1/workforce/migration/origins/{iso3}/",
        "/api/v1/workforce/migration/pairs/",
        "/api/v1/workforce/migration/flows/",
    } <= set(paths)
    observations = {item["name"] for item in paths["/api/v1/workforce/observations/"]["get"]["parameters"]}
    assert {
        "indicator",
        "country",
        "year_from",
        "year_to",
        "vintage",
        "lang",
        "cursor",
        "limit",
    } == observations
    parameters = {item["name"] for item in paths["/api/v1/workforce/safeguard-check/"]["get"]["parameters"]}
    assert {"list", "density_year", "uhc_year"} <= parameters


# Any query string a client may send: a documented answer, 400, 404 or 422, never a server error.
VALUES = st.one_of(
    st.sampled_from(
        ["KEN", "ken", "XKX", "", "sdg", "2006", "44.5", "-1", "2020", "all", "income", "fr", "inf"]
    ),
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
NAMES = [
    "indicator",
    "country",
    "year",
    "year_from",
    "year_to",
    "threshold",
    "by",
    "list",
    "limit",
    "cursor",
    "lang",
    "region",
    "income",
    "origin",
    "destination",
]
ENDPOINTS = [
    "/observations/",
    "/countries/",
    "/countries/KEN/profile/",
    "/shortage/",
    "/safeguard-check/",
    "/migration/pairs/",
    "/migration/flows/",
    "/indicators/",
]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    query=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4),
)
def test_any_query_string_gives_200_400_or_422(client, figures, endpoint, query):
    response = client.get(f"{API}{endpoint}?" + urlencode(query))

    assert response.status_code in (200, 400, 422), (endpoint, query, response.status_code)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    template=st.sampled_from(
        [
            "/countries/{}/profile/",
            "/safeguard-list/{}/",
            "/migration/destinations/{}/",
            "/migration/origins/{}/",
        ]
    ),
    code=st.one_of(st.text(max_size=12), st.integers(min_value=-(2**70), max_value=2**70).map(str)),
)
def test_any_code_gives_200_404_or_422(client, figures, template, code):
    response = client.get(API + template.format(quote(code, safe="")))

    assert response.status_code in (200, 404, 422), (template, code, response.status_code)


def test_the_api_states_the_command_lines_numbers(client, figures, capsys):
    call_command("workforce", "shortage", "--year", "2020", "--by", "income", "--format", "json")
    command = json.loads(capsys.readouterr().out)
    call_command("workforce", "safeguard-check", "--list", "2023", "--format", "json")
    command_check = json.loads(capsys.readouterr().out)

    api = client.get(f"{API}/shortage/?year=2020&by=income").json()
    api_check = client.get(f"{API}/safeguard-check/?list=2023").json()["items"]

    shortage_keys = ("group", "countries", "countries_with_data", "countries_below", "shortage")
    assert [[row[key] for key in shortage_keys] for row in api] == [
        [row[key] for key in shortage_keys] for row in command
    ]
    keys = ("iso3", "on_list", "meets_criteria", "density", "density_year", "uhc_sci", "uhc_year")
    assert [[row[key] for key in keys] for row in api_check] == [
        [row[key] for key in keys] for row in command_check
    ]
