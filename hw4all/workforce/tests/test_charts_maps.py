"""The world map of a figure by country: each country with data in its shade and named in the
page's language, countries without data in grey and said to have none, small countries as dots,
Antarctica left out; drawn on the server from the spec alone."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from hw4all.workforce.charts import Chart, Table, render
from hw4all.workforce.charts.base import COLOURS
from hw4all.workforce.charts.maps import choropleth_spec

NAMES = {"KEN": "Kenya", "FRA": "France", "MLT": "Malta", "BRA": 'Brazil <img src=x onerror="alert(1)">'}


def spec(**options: Any) -> dict[str, Any]:
    values = {"KEN": 13.2, "FRA": 130.5, "MLT": 95.0, "BRA": 80.25, "USA": None}
    return choropleth_spec(values, title="Density", legend_title="Per 10,000", names=NAMES, **options)


def lookup(drawn: dict[str, Any]) -> dict[str, dict[str, Any]]:
    rows = drawn["layer"][0]["transform"][0]["from"]["data"]["values"]
    return {row["iso3"]: row for row in rows if row["iso3"]}


def svg_of(drawn: dict[str, Any]) -> str:
    return render.chart_svg(
        Chart(name="map", params={}, title="Density", description="", spec=drawn, table=Table((), []))
    )


def test_every_country_with_data_carries_its_figure_and_name():
    with translation.override("en"):
        rows = lookup(spec())
    assert rows["KEN"] == {"id": "404", "iso3": "KEN", "name": "Kenya", "value": 13.2, "shown": "13.2"}
    assert rows["FRA"]["shown"] == "130.5"


def test_a_country_without_data_is_named_and_said_to_have_none():
    with translation.override("fr"):
        rows = lookup(spec())
        no_data = gettext("No data")
    assert (rows["USA"]["value"], rows["USA"]["shown"]) == (None, no_data)
    # Absent from the values and the names: the map names it itself, in the page's language.
    assert (rows["CHN"]["name"], rows["CHN"]["value"], rows["CHN"]["shown"]) == ("Chine", None, no_data)
    assert rows["KEN"]["shown"] == "13,2"


def test_antarctica_is_left_out():
    assert "ATA" not in lookup(spec())


def test_small_countries_with_data_are_dots():
    dots = spec()["layer"][1]["data"]["values"]
    assert [(dot["iso3"], dot["value"]) for dot in dots] == [("MLT", 95.0)]


def test_the_legend_range_can_be_fixed():
    colour = spec(domain=[0, 100])["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == [0, 100]
    assert colour["legend"]["title"] == "Per 10,000"


def test_the_server_draws_countries_without_data_in_grey_and_names_as_text():
    svg = svg_of(spec())
    assert svg.lstrip().startswith("<svg")
    assert f'fill="{COLOURS["no_data"]}"' in svg
    # The key to the grey, beside the legend.
    assert ">No data</text>" in svg
    assert "<img" not in svg
    assert "Brazil &lt;img" in svg
    # Shades of the scale for the countries with data.
    assert svg.count("<path") > 150
