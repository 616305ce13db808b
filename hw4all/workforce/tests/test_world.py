"""The global views as a visitor reads them: the overview's key facts and map, the ranking (sorted,
filtered, downloaded), the shortage by group, the safeguard list against its criteria, migration
and trends. Every figure shown is the analysis function's; a bad parameter is named on the page
and replaced by its default (never a server error); a hostile name from a data file stays text."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup

from hw4all.workforce.analysis.density import Cadre
from hw4all.workforce.analysis.migration import largest_pairs, origins_ranked
from hw4all.workforce.analysis.ranking import SortKey, density_ranking
from hw4all.workforce.analysis.safeguard import safeguard_check
from hw4all.workforce.analysis.shortage import (
    SDG_THRESHOLD,
    THRESHOLD_2006,
    GroupBy,
    shortage_countries,
    shortage_table,
)
from hw4all.workforce.analysis.trends import falling
from hw4all.workforce.dataset import DOCTORS_DENSITY, POPULATION, dataset_current
from hw4all.workforce.names import country_name, source_text
from hw4all.workforce.templatetags.workforce import figure

from .world_data import HOSTILE, world_create

pytestmark = pytest.mark.django_db

PAGES = ["index", "ranking", "shortage", "safeguard", "migration", "trends"]
PATHS = {
    "index": "/en/workforce/",
    "ranking": "/en/workforce/density/",
    "shortage": "/en/workforce/shortage/",
    "safeguard": "/en/workforce/safeguard-list/",
    "migration": "/en/workforce/migration/",
    "trends": "/en/workforce/trends/",
}


@pytest.fixture
def world(db):
    world_create()
    return dataset_current()


def page(client, path: str, **params) -> BeautifulSoup:
    response = client.get(path, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def table_rows(soup: BeautifulSoup, caption_start: str) -> list[list[str]]:
    """The body rows' cell texts of the table whose caption starts with `caption_start`."""
    for table in soup.find_all("table"):
        caption = table.find("caption")
        if caption is not None and caption.get_text(" ", strip=True).startswith(caption_start):
            return [
                [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
                for row in table.find("tbody").find_all("tr")
            ]
    raise AssertionError(f"No table captioned {caption_start!r}")


def test_the_overview_states_the_world_shortage_with_its_coverage_and_the_list(client, world):
    soup = page(client, PATHS["index"])
    text = " ".join(soup.get_text(" ").split())
    world_row = shortage_table(world, 2020, SDG_THRESHOLD, GroupBy.WORLD)[-1]
    assert figure(world_row.shortage, 0) in text
    assert f"{world_row.countries_with_data} of {world_row.countries} countries have the data for it" in text
    facts = [" ".join(dd.get_text(" ").split()) for dd in soup.select(".wf-world-facts dd")]
    assert facts[1].startswith(f"{world_row.countries_below} of the {world_row.countries_with_data}")
    assert facts[2].startswith("2 ")
    assert "WHO Support and Safeguards List" in facts[2]
    # Sources of the shortage's figures are named.
    for source in {
        point.source for point in (*world.points("KEN", DOCTORS_DENSITY), *world.points("KEN", POPULATION))
    }:
        assert source_text(source) in text
    # The map, its text alternative and data table, and the way to the other views.
    image = soup.select_one("figure.wf-figure img")
    assert "density_map.svg" in image["src"]
    assert "year=2020" in image["src"]
    assert "from 7.0 in Malawi to 184.0 in Germany" in image["alt"]
    links = {a["href"] for a in soup.find_all("a")}
    assert {"/en/workforce/density/", "/en/workforce/sources/", "/api/v1/docs"} <= links


def test_the_overview_for_another_year_and_cadre(client, world):
    soup = page(client, PATHS["index"], year="2010", cadre="doctors")
    image = soup.select_one("figure.wf-figure img")
    assert "year=2010" in image["src"] and "cadre=doctors" in image["src"]
    assert soup.select_one("#id_year option[selected]")["value"] == "2010"
    world_row = shortage_table(world, 2010, SDG_THRESHOLD, GroupBy.WORLD)[-1]
    assert figure(world_row.shortage, 0) in soup.get_text()


def test_an_empty_database_says_there_are_no_figures(client, db):
    soup = page(client, PATHS["index"])
    assert "No health-workforce figures are loaded yet." in soup.get_text()
    for name in PAGES:
        assert client.get(PATHS[name]).status_code == 200


def test_the_ranking_lists_countries_lowest_density_first(client, world):
    soup = page(client, PATHS["ranking"])
    rows = table_rows(soup, "Doctors, nurses and midwives per 10,000 population, 2020")
    expected = density_ranking(world, 2020, Cadre.COMBINED)
    assert [row[1] for row in rows] == [country_name(world, row.iso3) for row in expected]
    kenya = next(row for row in rows if row[1] == "Kenya")
    ranked = next(row for row in expected if row.iso3 == "KEN")
    assert kenya[0] == str(ranked.rank)
    # The density is 2018's doctors plus 2019's nurses: the older year is shown.
    assert kenya[2] == f"{figure(ranked.density.value, 1)} (2018)"
    assert kenya[3] == f"{figure(ranked.population.value, 0)} (2020)"
    assert kenya[4] == figure(ranked.shortage, 0)
    # Without data: last, with a dash.
    niger = rows[-1]
    assert niger[1] == "Niger" and niger[0] == "—" and niger[2] == "—"
    link = soup.find("a", string="Kenya")
    assert link["href"] == "/en/workforce/countries/ken/"
    header = soup.find("th", attrs={"aria-sort": True})
    assert header["aria-sort"] == "ascending" and "Density" in header.get_text()


def test_the_ranking_sorts_by_each_column_and_filters_by_region_and_income(client, world):
    soup = page(client, PATHS["ranking"], sort="name", order="desc")
    names = [row[1] for row in table_rows(soup, "Doctors, nurses")]
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert soup.find("th", attrs={"aria-sort": "descending"}).get_text(strip=True).startswith("Country")
    # The header of the sorted column sorts the other way; the others sort ascending.
    assert "order=asc" in soup.find("th", attrs={"aria-sort": "descending"}).a["href"]

    soup = page(client, PATHS["ranking"], sort="population", order="desc")
    expected = density_ranking(world, 2020, sort=SortKey.POPULATION, descending=True)
    assert [row[1] for row in table_rows(soup, "Doctors, nurses")] == [
        country_name(world, row.iso3) for row in expected
    ]

    soup = page(client, PATHS["ranking"], region="AFR")
    assert [row[1] for row in table_rows(soup, "Doctors, nurses")] == ["Malawi", "Kenya", "Niger"]
    soup = page(client, PATHS["ranking"], income="HIC", cadre="doctors", year="2010")
    rows = table_rows(soup, "Doctors per 10,000 population, 2010")
    assert [row[1] for row in rows] == [HOSTILE, "United Kingdom", "Germany"]
    assert rows[1][2] == "27.0 (2010)"
    # The filters travel with the sort links.
    assert "income=HIC" in soup.find("th", attrs={"aria-sort": True}).a["href"]


def test_the_ranking_downloads_as_csv_with_the_same_rows(client, world):
    response = client.get(PATHS["ranking"], {"region": "AFR", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    expected = density_ranking(world, 2020, region="AFR")
    assert [row["iso3"] for row in rows] == [row.iso3 for row in expected]
    assert float(rows[0]["density_per_10000"]) == expected[0].density.value
    assert float(rows[0]["shortage"]) == pytest.approx(expected[0].shortage)


def test_the_ranking_table_alone_for_htmx(client, world):
    response = client.get(
        PATHS["ranking"],
        {"region": "EUR"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="workforce-ranking-results",
    )
    content = response.content.decode()
    assert "<html" not in content and "Germany" in content and "Kenya" not in content
    assert "HX-Target" in response["Vary"]


def test_the_shortage_by_region_and_income_group_with_coverage(client, world):
    soup = page(client, PATHS["shortage"])
    by_region = shortage_table(world, 2020, SDG_THRESHOLD, GroupBy.REGION)
    rows = table_rows(soup, "Shortage by WHO region, 2020")
    africa = next(row for row in by_region if row.group == "AFR")
    assert rows[0] == [
        "Africa",
        str(africa.countries),
        str(africa.countries_with_data),
        str(africa.countries_below),
        f"{figure(africa.shortage, 0)} ({africa.countries_with_data} of {africa.countries} countries with data)",
    ]
    world_row = by_region[-1]
    total = soup.select_one("#wf-region-caption").find_parent("table").select_one("tfoot tr")
    assert figure(world_row.shortage, 0) in total.get_text()
    assert (
        f"({world_row.countries_with_data} of {world_row.countries} countries with data)" in total.get_text()
    )
    income_rows = table_rows(soup, "Shortage by income group")
    assert [row[0] for row in income_rows] == [
        "Low income",
        "Lower-middle income",
        "Upper-middle income",
        "High income",
    ]
    assert "income groups are not in the data loaded here" not in soup.get_text()
    # The largest shortages, by name, largest first.
    largest = [row[0] for row in table_rows(soup, "The ")]
    expected = [country_name(world, row.iso3) for row in shortage_countries(world, 2020) if row.shortage]
    assert largest == expected
    text = " ".join(soup.get_text(" ").split())
    assert "(threshold − density) × population ÷ 10,000" in text
    assert "a country needs both" in text
    assert "shortage_by_group.svg" in soup.select_one("figure.wf-figure img")["src"]


def test_the_2006_threshold_and_another_year(client, world):
    soup = page(client, PATHS["shortage"], threshold="2006", year="2019")
    world_row = shortage_table(world, 2019, THRESHOLD_2006, GroupBy.REGION)[-1]
    assert "22.8 per 10,000" in soup.get_text()
    assert figure(world_row.shortage, 0) in soup.select_one(".lead").get_text()


def test_the_safeguard_list_its_differences_and_every_row(client, world):
    soup = page(client, PATHS["safeguard"])
    text = " ".join(soup.get_text(" ").split())
    assert "2 countries, by WHO region." in text
    assert [a.get_text() for a in soup.select(".wf-safeguard__countries a")] == ["Malawi", "Niger"]
    assert "below 55" in text and "below 49.0 per 10,000" in text
    assert "latest figure at or before 2020" in text and "latest at or before 2021" in text
    check = {row.iso3: row for row in safeguard_check(world, 2023)}
    differences = table_rows(soup, "Countries where the published list")
    assert {row[0] for row in differences} == {
        country_name(world, iso3) for iso3, row in check.items() if row.difference != "none"
    }
    kenya = next(row for row in differences if row[0] == "Kenya")
    assert kenya[1:3] == ["No", "Yes"]
    assert kenya[-1] == "Meets both criteria, but is not on the list."
    niger = next(row for row in differences if row[0] == "Niger")
    assert niger[2] == "Cannot say"
    every = table_rows(soup, "Every country")
    assert len(every) == len(check)
    malawi = next(row for row in every if row[0] == "Malawi")
    assert malawi == ["Malawi", "Yes", "Yes", "7.0 (2019)", "48 (2021)"]
    assert "safeguard_scatter.svg" in soup.select_one("figure.wf-figure img")["src"]
    assert "vintages" in text


def test_the_2020_criteria_without_a_published_list_of_2020(client, world):
    soup = page(client, PATHS["safeguard"], list="2020")
    text = " ".join(soup.get_text(" ").split())
    assert "The published list of 2020 is not loaded" in text
    assert "below 50" in text and "at or before 2018" in text and "at or before 2017" in text
    every = table_rows(soup, "Every country")
    assert {row[1] for row in every} == {"—"}
    soup = page(client, PATHS["safeguard"], list="2023", density_year="2010", uhc_year="2017")
    kenya = next(row for row in table_rows(soup, "Every country") if row[0] == "Kenya")
    assert kenya[3:5] == ["10.4 (2008)", "47 (2017)"]


def test_migration_pairs_destinations_and_origins_with_the_caveats(client, world):
    soup = page(client, PATHS["migration"])
    text = " ".join(soup.get_text(" ").split())
    for caveat in ("2018", "Doctors only", "21 reporting destinations", "The United States is not included"):
        assert caveat in text
    assert "country of training, not nationality" in text
    pairs = table_rows(soup, "The 5 largest origin–destination pairs")
    assert pairs == [
        [country_name(world, pair.origin), country_name(world, pair.destination), figure(pair.count, 0)]
        for pair in largest_pairs(world, 30)
    ]
    destinations = table_rows(soup, "Foreign-trained doctors by destination")
    # The United Kingdom: 31,500 foreign-trained, 300 of them (1.0%) trained in Malawi (listed).
    assert destinations[0] == ["United Kingdom", "31,500 (2018)", "300 (1.0%)", "India (30,000)"]
    origins = table_rows(soup, "The 4 countries of training")
    kenya = next(item for item in origins_ranked(world) if item.origin == "KEN")
    assert ["Kenya", "1,240 (2018)", "7,500 (2018)", figure(kenya.emigration_ratio, 2)] in origins
    assert "flows" in soup.select_one("figure.wf-figure img")["src"]


def test_trends_list_the_countries_whose_density_fell(client, world):
    soup = page(client, PATHS["trends"])
    rows = table_rows(soup, "Countries whose density fell")
    falls = falling(world, 2020)
    assert [row[0] for row in rows] == [country_name(world, change.iso3) for change in falls]
    assert rows[0] == ["United Kingdom", "122.0 (2010)", "115.0 (2020)", "-7.0", figure(falls[0].percent, 1)]
    assert "Kenya" not in [row[0] for row in rows]
    assert "density_falls.svg" in soup.select_one("figure.wf-figure img")["src"]


HOSTILE_PARAMS = [
    {"year": "abc"},
    {"year": "99999"},
    {"year": "-1"},
    {"year": "2020.5"},
    {"cadre": "<script>alert(1)</script>"},
    {"region": "XYZ", "income": "'; drop table"},
    {"sort": "evil", "order": "sideways"},
    {"threshold": "0"},
    {"list": "1999", "density_year": "x", "uhc_year": "3000"},
    {"pairs": "-5", "origins": "every"},
    {"year": "\x00"},
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("params", HOSTILE_PARAMS)
def test_bad_parameters_give_a_form_error_and_the_defaults(client, world, name, params):
    response = client.get(PATHS[name], params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    soup = BeautifulSoup(content, "html.parser")
    fields = {
        field.get("name") for field in soup.select("form.wf-world-form select, form.wf-world-form input")
    }
    if fields & set(params):
        assert soup.select_one(".wf-world-form__errors") is not None


@pytest.mark.parametrize("name", PAGES)
def test_a_hostile_name_from_a_file_stays_text(client, world, name):
    content = client.get(PATHS[name], {"origins": "all"}).content.decode()
    assert HOSTILE not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Atlantis" in content


def test_the_pages_in_french(client, world):
    soup = page(client, "/fr/workforce/density/")
    assert soup.html["lang"] == "fr"
    rows = table_rows(soup, "")
    kenya = next(row for row in rows if "Kenya" in row[1])
    ranked = next(row for row in density_ranking(world, 2020) if row.iso3 == "KEN")
    assert kenya[2].startswith(f"{ranked.density.value:.1f}".replace(".", ","))


@pytest.fixture
def loaded(db):
    from hw4all.workforce.loader import data_load

    data_load()
    return dataset_current()


def test_the_real_data_safeguard_check_and_shortage(client, loaded):
    soup = page(client, PATHS["safeguard"])
    text = " ".join(soup.get_text(" ").split())
    # The data README: 55 listed; the criteria on these files select 54, 52 of them listed; KEN
    # and MMR qualify unlisted; WSM, ZMB and ZWE are listed without qualifying.
    assert "55 countries, by WHO region." in text
    assert "54 countries meet both criteria. 55 countries are on the 2023 list." in text
    assert "52 countries are both on the list and meet the criteria." in text
    differences = {row[0] for row in table_rows(soup, "Countries where the published list")}
    assert differences == {country_name(loaded, code) for code in ("KEN", "MMR", "WSM", "ZMB", "ZWE")}
    assert len(soup.select(".wf-safeguard__countries a")) == 55

    soup = page(client, PATHS["shortage"], year="2020")
    world_row = shortage_table(loaded, 2020, SDG_THRESHOLD, GroupBy.REGION)[-1]
    assert figure(world_row.shortage, 0) in soup.select_one(".lead").get_text()
    total = soup.select_one("#wf-region-caption").find_parent("table").select_one("tfoot tr").get_text(" ")
    assert f"({world_row.countries_with_data} of {world_row.countries} countries with data)" in total
    # The shipped files have no income groups: the page says why every country is unclassified.
    assert "The World Bank's income groups are not in the data loaded here" in soup.get_text()
