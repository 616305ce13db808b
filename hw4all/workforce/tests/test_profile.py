"""A country's profile page: every section's figures (equal to the analysis functions' and to the
hand computations in the comments), the year each figure comes from, a country without data,
hostile parameters and names, the canonical address, and the list of countries."""

import html
import re

import pytest
from django.urls import reverse

from hw4all.workforce.analysis.profile import country_profile
from hw4all.workforce.analysis.shortage import THRESHOLD_2006
from hw4all.workforce.charts import chart_build
from hw4all.workforce.dataset import DOCTORS_DENSITY, dataset_current
from hw4all.workforce.factories import country_create, series_create
from hw4all.workforce.models import ImportRun, SourceFormat

from .profile_data import profile_world

pytestmark = pytest.mark.django_db

KENYA = "/en/workforce/countries/ken/"


@pytest.fixture
def world():
    profile_world()


def text(response) -> str:
    """The page's main content as a person reads it: tags removed, spaces collapsed."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def section(response, heading_id: str) -> str:
    body = response.content.decode()
    start = body.index(f'aria-labelledby="{heading_id}"')
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body[start : body.index("</section>", start)]))
    )


def test_key_figures_each_with_the_year_it_comes_from(client, world):
    response = client.get(KENYA)
    assert response.status_code == 200
    figures = section(response, "wf-figures-heading")
    # 2020 asked: doctors' latest is 2018 (1.6), nurses' 2019 (11.7); together 1.6 + 11.7 = 13.3.
    assert "Doctors per 10,000 population 1.6 2018; WHO GHO" in figures
    assert "Nurses and midwives per 10,000 population 11.7 2019; WHO GHO" in figures
    assert "Doctors, nurses and midwives per 10,000 population 13.3 2018; WHO GHO" in figures
    assert "Doctors (number) 7,300 2018" in figures
    assert "Nurses and midwives (number) 58,000 2019" in figures
    assert "Population 53,000,000 2020; World Bank" in figures
    # The UHC index latest at or before 2020 is 2019's.
    assert "UHC service coverage index (0–100) 55 2019; World Bank" in figures
    profile = country_profile(dataset_current(), "KEN")
    assert profile is not None and profile.combined is not None
    assert f"{profile.combined.value:.1f}" == "13.3"


def test_the_shortage_against_each_threshold(client, world):
    # (44.5 − 13.3) × 53,000,000 ÷ 10,000 = 31.2 × 5,300 = 165,360.
    shortage = section(client.get(KENYA), "wf-shortage-heading")
    assert "165,360 doctors, nurses and midwives were missing in 2020 to reach 44.5 per 10,000" in shortage
    assert "the threshold less the density, times the population, divided by 10,000" in shortage
    # (22.8 − 13.3) × 5,300 = 50,350.
    shortage = section(client.get(KENYA, {"threshold": "2006"}), "wf-shortage-heading")
    assert "50,350 doctors, nurses and midwives were missing in 2020 to reach 22.8 per 10,000" in shortage
    profile = country_profile(dataset_current(), "KEN", 2020, THRESHOLD_2006)
    assert profile is not None and round(profile.shortage.shortage or 0) == 50_350
    # The United Kingdom is above both thresholds.
    assert "No shortage in 2020" in section(client.get("/en/workforce/countries/gbr/"), "wf-shortage-heading")


def test_a_year_without_population_says_why_there_is_no_shortage(client, world):
    response = client.get(KENYA, {"year": "2010"})
    figures = section(response, "wf-figures-heading")
    # 2010: doctors 1.5 and nurses 9.0 of 2010; together 10.5; no population before 2019.
    assert "Doctors, nurses and midwives per 10,000 population 10.5 2010" in figures
    assert "Population — no data" in figures
    shortage = section(response, "wf-shortage-heading")
    assert "The shortage for 2010 cannot be given" in shortage
    assert "The population of 2010 is missing." in shortage


def test_the_safeguard_list_and_its_criteria(client, world):
    kenya = section(client.get(KENYA), "wf-safeguard-heading")
    # Density at or before 2020 = 13.3 < 49; UHC index at or before 2021 = 53 < 55.
    assert "Kenya is on the 2023 list. It meets both criteria in the data." in kenya
    assert (
        "a UHC service coverage index below 55 and a density of doctors, nurses and midwives below 49.0"
        in kenya
    )
    assert "UHC service coverage index: 53 (2021; World Bank" in kenya
    ghana = section(client.get("/en/workforce/countries/gha/"), "wf-safeguard-heading")
    # Listed, but no UHC index at all: the data cannot decide, and the page says why they differ.
    assert "Ghana is on the 2023 list." in ghana
    assert "a figure is missing" in ghana
    assert "Listed, but the data lack its density or its UHC service coverage index." in ghana
    britain = section(client.get("/en/workforce/countries/gbr/"), "wf-safeguard-heading")
    assert "United Kingdom is not on the 2023 list. It does not meet the criteria in the data." in britain


def test_the_ten_year_trend(client, world):
    # 2010: 1.5 + 9.0 = 10.5; 2020: 13.3; change 2.8, 2.8 ÷ 10.5 = 26.7 %.
    trend = section(client.get(KENYA), "wf-trend-heading")
    assert "10.5 (2010) to 13.3 (2018), a change of 2.8 (26.7 %)" in trend


def test_migration_out_of_an_origin_and_into_a_destination(client, world):
    kenya = section(client.get(KENYA), "wf-migration-heading")
    # 900 in the United Kingdom + 40 in Ghana = 940; 940 ÷ 7,300 doctors at home = 12.9 %.
    assert "940 doctors trained in Kenya were working in the OECD countries that report, in 2018." in kenya
    assert "That is 12.9 % of the 7,300 doctors at home (2018; WHO GHO" in kenya
    assert "United Kingdom 900" in kenya and "Ghana 40" in kenya
    assert "doctors only, not nurses" in kenya and "United States of America does not report" in kenya
    britain = section(client.get("/en/workforce/countries/gbr/"), "wf-migration-heading")
    # 900 + 1,100 + 30,000 = 32,000; from listed Ghana and Kenya 2,000 = 6.25 %, shown 6.3 %.
    assert "32,000 doctors trained abroad were working in United Kingdom in 2018; 6.3 %" in britain
    assert "India 30,000 93.8% No" in britain
    assert "Ghana 1,100 3.4% Yes" in britain


def test_the_density_chart_and_its_table(client, world):
    response = client.get(KENYA)
    history = section(response, "wf-history-heading")
    assert (
        "Data of the chart: Health workers per 10,000 population in Kenya, against the threshold" in history
    )
    # Each cadre's own observations; the sum where either changes (2018: 1.6 + 9.0 of 2010).
    assert "2008 1.4 8.0 9.4" in history
    assert "2018 1.6 — 10.6" in history
    assert "2019 — 11.7 13.3" in history
    body = response.content.decode()
    svg = reverse("workforce:chart", args=["density_history", "svg"]) + "?iso3=ken&amp;threshold=sdg"
    assert svg in body
    chart = chart_build(dataset_current(), "density_history", {"iso3": "ken", "threshold": "2006"})
    assert chart.spec["layer"][1]["layer"][0]["encoding"]["y"]["datum"] == 22.8
    served = client.get(reverse("workforce:chart", args=["density_history", "csv"]), {"iso3": "ken"})
    assert served.status_code == 200
    assert "2019,,11.7,13.3" in served.content.decode().replace("13.299999999999999", "13.3")


def test_sources_are_listed_at_the_end(client, world):
    sources = section(client.get(KENYA), "wf-sources-heading")
    for source in (
        "OECD (file of",
        "WHO GHO (file of",
        "World Bank (file of",
        "WHO Support and Safeguards List",
    ):
        assert source in sources


def test_a_country_with_a_density_and_nothing_else(client, world):
    response = client.get("/en/workforce/countries/tuv/")
    assert response.status_code == 200
    page = text(response)
    assert "Doctors per 10,000 population 9.1 2014; WHO GHO" in page
    assert "Nurses and midwives per 10,000 population — no data" in page
    assert "The density is missing." in page
    assert "No reporting country counts doctors trained in Tuvalu" in page


def test_a_country_without_any_data(client, world):
    country_create("NIU", "WPR")
    response = client.get("/en/workforce/countries/niu/")
    assert response.status_code == 200
    page = text(response)
    assert "We hold no health-workforce figures for Niue" in page
    assert "There is no density of doctors or of nurses and midwives for Niue." in page
    assert "WHO GHO" not in page and "World Bank" not in page


def test_a_hostile_name_from_a_file_is_shown_as_text(client, world):
    country_create("ZZZ", "AFR", name='<script>alert("x")</script>')
    series_create("ZZZ", DOCTORS_DENSITY, {2019: 2.0})
    for url in ("/en/workforce/countries/zzz/", "/en/workforce/countries/"):
        body = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1800"},
        {"year": "2020.5"},
        {"threshold": "<script>x</script>"},
        {"threshold": "44.5"},
        {"year": "2020", "threshold": ""},
    ],
)
def test_bad_parameters_show_an_error_and_the_defaults(client, world, params):
    response = client.get(KENYA, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>x</script>" not in body
    page = text(response)
    refused = any(value for value in params.values()) and params != {"year": "2020", "threshold": ""}
    assert ("could not be used; the page shows the defaults instead" in page) == refused
    assert "165,360 doctors, nurses and midwives were missing in 2020" in page
    assert '<option value="2020" selected>' in body


def test_a_year_and_threshold_chosen_are_kept_in_the_briefing_link(client, world):
    body = client.get(KENYA, {"year": "2019", "threshold": "2006"}).content.decode()
    assert '<option value="2019" selected>' in body
    assert "/en/workforce/countries/ken/briefing.pdf?year=2019&amp;threshold=2006" in body


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/en/workforce/countries/KEN/", KENYA),
        ("/en/workforce/countries/Ken/", KENYA),
        ("/en/workforce/countries/ke/", KENYA),
        ("/en/workforce/countries/KE/?year=2019", KENYA + "?year=2019"),
        ("/en/workforce/countries/KE/briefing.pdf", KENYA + "briefing.pdf"),
    ],
)
def test_other_spellings_redirect_permanently(client, world, asked, canonical):
    response = client.get(asked)
    assert response.status_code == 301
    assert response["Location"] == canonical


@pytest.mark.permission("workforce:briefing", "public")
@pytest.mark.permission("workforce:country", "public")
@pytest.mark.parametrize("code", ["xyz", "xx", "k", "kenya", "123", "q%3Cb%3E"])
def test_unknown_countries_are_not_found(client, world, code):
    assert client.get(f"/en/workforce/countries/{code}/").status_code == 404
    assert client.get(f"/en/workforce/countries/{code}/briefing.pdf").status_code == 404


def test_the_page_in_french(client, world):
    page = text(client.get("/fr/workforce/countries/ken/"))
    assert "13,3" in page
    assert "165\u202f360" in page or "165 360" in page or "165\xa0360" in page


def test_the_page_costs_few_queries(client, world, django_assert_num_queries):
    # As after an import: the data set is read once and kept while the version stays.
    ImportRun.objects.create(format=SourceFormat.LONG, file_name="test.csv")
    client.get(KENYA)
    # The data version, one query for each app's links (case studies, library, Code reports,
    # forum), and the layout's two (the site and its settings).
    with django_assert_num_queries(7):
        assert client.get(KENYA).status_code == 200


def test_the_list_of_countries_by_region(client, world):
    response = client.get(reverse("workforce:countries"))
    assert response.status_code == 200
    page = text(response)
    # Regions in alphabetical order, countries by name within them.
    assert (
        page.index("Africa")
        < page.index("Europe")
        < page.index("South-East Asia")
        < page.index("Western Pacific")
    )
    assert page.index("Ghana") < page.index("Kenya")
    assert "Kenya ◆ on the safeguard list 13.3 per 10,000 (2018)" in page
    assert "United Kingdom 120.0 per 10,000 (2020)" in page
    assert "Tuvalu no combined density" in page
    assert f'href="{KENYA}"' in response.content.decode()


def test_the_list_filtered_by_region(client, world):
    page = text(client.get(reverse("workforce:countries"), {"region": "AFR"}))
    assert "Kenya" in page and "Ghana" in page
    assert "United Kingdom" not in page and "Tuvalu" not in page
    page = text(client.get(reverse("workforce:countries"), {"region": "<b>MARS</b>"}))
    assert "That region is not one of WHO's; every region is shown." in page
    assert "United Kingdom" in page and "Kenya" in page


def test_the_list_in_french_is_sorted_in_french(client, world):
    country_create("ETH", "AFR")
    country_create("ZMB", "AFR")
    page = text(client.get("/fr/workforce/countries/"))
    # “Éthiopie” sorts among the E, before “Ghana”, not after “Zambie” as its accent's code would.
    assert page.index("Éthiopie") < page.index("Ghana") < page.index("Kenya") < page.index("Zambie")
