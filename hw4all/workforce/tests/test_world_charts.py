"""The global views' charts, built from the shipped files: each spec is JSON that vl-convert draws,
each table holds the analysis functions' figures, and a bad parameter is refused with a message
(the chart URL answers 400)."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from hw4all.workforce.analysis.migration import largest_pairs
from hw4all.workforce.analysis.ranking import density_ranking
from hw4all.workforce.analysis.safeguard import safeguard_check
from hw4all.workforce.analysis.shortage import THRESHOLD_2006, WORLD, GroupBy, shortage_table
from hw4all.workforce.analysis.trends import falling
from hw4all.workforce.charts import ChartParameterError, chart_build, render
from hw4all.workforce.names import country_name, group_name

from .shipped import shipped_dataset

CHARTS = ["density_map", "shortage_by_group", "safeguard_scatter", "migration_flows", "density_falls"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def data():
    return shipped_dataset()


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_is_a_spec_vl_convert_draws(data, name):
    chart = chart_build(data, name, {})
    spec = json.loads(json.dumps(chart.spec))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert chart.description and chart.title
    svg = render.chart_svg(chart)
    assert svg.lstrip().startswith("<svg")
    assert chart.title.split(",")[0] in svg
    assert chart.table.rows
    assert chart.sources


def test_the_map_shades_every_member_state_by_its_density(data):
    chart = chart_build(data, "density_map", {"year": "2015", "cadre": "doctors"})
    assert chart.params == {"year": "2015", "cadre": "doctors"}
    rows = {row["country"]: row for row in chart.table.rows}
    kenya = next(row for row in density_ranking(data, 2015, "doctors") if row.iso3 == "KEN")
    assert rows[country_name(data, "KEN")]["density"] == kenya.density.value
    assert rows[country_name(data, "KEN")]["year"] == kenya.density.year
    assert len(rows) == len(data.member_states())


def test_the_shortage_bars_are_the_shortage_table(data):
    chart = chart_build(data, "shortage_by_group", {"year": "2020", "threshold": "2006", "by": "income"})
    table = shortage_table(data, 2020, THRESHOLD_2006, GroupBy.INCOME)
    assert [(row["group"], row["shortage"], row["countries_with_data"]) for row in chart.table.rows] == [
        (group_name(row.group), row.shortage, row.countries_with_data) for row in table if row.group != WORLD
    ]


def test_the_scatter_reproduces_the_published_list_check(data):
    # The data README: the 2023 criteria on these files give 54 countries, 52 of them listed.
    chart = chart_build(data, "safeguard_scatter", {"list": "2023"})
    meets = [row for row in chart.table.rows if row["meets"] == "Yes"]
    assert len(meets) == 54
    assert sum(1 for row in meets if row["listed"] == "Yes") == 52
    known = [row for row in safeguard_check(data, 2023) if row.density and row.uhc]
    assert len(chart.table.rows) == len(known)
    assert chart.params == {"list": "2023", "density_year": "2020", "uhc_year": "2021"}
    assert "below 49" in chart.description and "below 55" in chart.description


def test_the_flows_are_the_largest_pairs(data):
    chart = chart_build(data, "migration_flows", {"pairs": "10"})
    pairs = largest_pairs(data, 10)
    assert [(row["origin"], row["destination"], row["count"]) for row in chart.table.rows] == [
        (country_name(data, pair.origin), country_name(data, pair.destination), pair.count) for pair in pairs
    ]
    assert "2018" in chart.title


def test_the_falls_are_the_countries_whose_density_fell(data):
    chart = chart_build(data, "density_falls", {"year": "2019"})
    falls = falling(data, 2019)
    assert [row["country"] for row in chart.table.rows] == [
        country_name(data, change.iso3) for change in falls
    ]
    assert all(row["change"] < 0 for row in chart.table.rows)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("density_map", {"year": "abc"}),
        ("density_map", {"year": "1800"}),
        ("density_map", {"cadre": "surgeons"}),
        ("shortage_by_group", {"threshold": "10"}),
        ("shortage_by_group", {"by": "world"}),
        ("safeguard_scatter", {"list": "2021"}),
        ("safeguard_scatter", {"uhc_year": "soon"}),
        ("migration_flows", {"pairs": "0"}),
        ("migration_flows", {"pairs": "1e9"}),
        ("density_falls", {"year": "2020.0"}),
    ],
)
def test_a_bad_parameter_is_refused_with_a_message(data, name, params):
    with pytest.raises(ChartParameterError) as raised:
        chart_build(data, name, params)
    assert not raised.value.not_found
    assert str(raised.value)


@pytest.mark.django_db
def test_a_bad_parameter_answers_400_at_the_chart_url(client):
    response = client.get("/en/workforce/charts/safeguard_scatter.svg", {"list": "<b>1999</b>"})
    assert response.status_code == 400
