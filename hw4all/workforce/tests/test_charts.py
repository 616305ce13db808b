"""A chart as a visitor gets it: drawn on the server as SVG and PNG, its data as CSV, its spec as
JSON for the browser; bad parameters answer 400 and unknown charts 404; drawings are cached on
the server and revalidated by the browser; names from data files stay text."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

import pytest
import vl_convert
from django.core.cache import cache

from hw4all.workforce.charts import CHARTS, Chart, ChartParameterError, Column, Table, render
from hw4all.workforce.charts.base import spec_base
from hw4all.workforce.dataset import DataSet

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

HOSTILE = 'Atlantis <script>alert("x")</script> & Co'


def bars(data: DataSet, params: Mapping[str, str]) -> Chart:
    """Doctors per 10,000 in three countries, one of them named by a hostile file."""
    year = params.get("year", "2020")
    if not year.isdigit():
        raise ChartParameterError("The year must be a number, such as 2020.")
    rows: list[dict[str, Any]] = [
        {"country": "Kenya", "density": 2.3, "year": int(year)},
        {"country": HOSTILE, "density": 12345.678, "year": int(year)},
        {"country": "Chile", "density": None, "year": int(year)},
    ]
    spec = spec_base("Doctors per 10,000 population", "Three countries' doctors.", 300, 120)
    spec |= {
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "y": {"field": "country", "type": "nominal", "title": None},
            "x": {"field": "density", "type": "quantitative", "title": "Per 10,000"},
        },
    }
    return Chart(
        name="test-bars",
        params={"year": year},
        title="Doctors per 10,000 population",
        description="Kenya has 2.3 doctors per 10,000 population.",
        spec=spec,
        table=Table(
            columns=(
                Column("country", "Country"),
                Column("density", "Doctors per 10,000", "number", 1),
                Column("year", "Year", "year"),
            ),
            rows=rows,
        ),
        sources=("WHO Global Health Observatory (file of 24 January 2022)",),
        width=300,
        height=120,
    )


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    monkeypatch.setitem(CHARTS, "test-bars", bars)


def url(fmt: str, query: str = "year=2020") -> str:
    return f"/en/workforce/charts/test-bars.{fmt}" + (f"?{query}" if query else "")


def test_the_svg_is_an_svg_drawing_with_the_title(client):
    response = client.get(url("svg"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "script-src" in response["Content-Security-Policy"]
        or "default-src 'none'" in (response["Content-Security-Policy"])
    )
    body = response.content.decode()
    assert body.lstrip().startswith("<svg")
    assert "Doctors per 10,000 population" in body
    assert "Content-Disposition" not in response


def test_the_svg_shows_a_hostile_name_as_text(client):
    body = client.get(url("svg")).content.decode()
    assert "<script" not in body
    assert "Atlantis &lt;script&gt;" in body


def test_the_png_is_a_png_image(client):
    response = client.get(url("png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_csv_has_the_table_header_and_raw_values(client):
    response = client.get(url("csv", "year=2019&download=1"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-bars-2019.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Country", "Doctors per 10,000", "Year"],
        ["Kenya", "2.3", "2019"],
        [HOSTILE, "12345.678", "2019"],
        ["Chile", "", "2019"],
    ]


def test_the_json_is_the_vega_lite_spec_with_its_data(client):
    response = client.get(url("json"))
    assert response["Content-Type"] == "application/json"
    spec = response.json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert [row["country"] for row in spec["data"]["values"]] == ["Kenya", HOSTILE, "Chile"]


def test_a_download_asks_to_be_saved_under_the_charts_name(client):
    response = client.get(url("png", "year=2020&download=1"))
    assert response["Content-Disposition"] == 'attachment; filename="test-bars-2020.png"'


def test_bad_parameters_answer_400_with_the_reason(client):
    response = client.get(url("svg", "year=last"))
    assert response.status_code == 400
    assert "The year must be a number" in response.content.decode()


@pytest.mark.permission("workforce:chart", "public")
@pytest.mark.parametrize("path", ["/en/workforce/charts/nothing.svg", "/en/workforce/charts/test-bars.gif"])
def test_an_unknown_chart_or_format_answers_404(client, path):
    assert client.get(path).status_code == 404


def test_the_second_request_is_drawn_from_the_cache(client, monkeypatch):
    calls: list[str] = []
    draw = vl_convert.vegalite_to_svg

    def counted(*args, **kwargs):
        calls.append("svg")
        return draw(*args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counted)
    first = client.get(url("svg")).content
    second = client.get(url("svg")).content
    assert first == second
    assert calls == ["svg"]
    client.get(url("svg", "year=2021"))
    assert calls == ["svg", "svg"]


def test_the_browser_revalidates_with_the_etag(client):
    response = client.get(url("svg"))
    assert "public" in response["Cache-Control"]
    assert re.search(r"max-age=\d+", response["Cache-Control"])
    etag = response["ETag"]
    again = client.get(url("svg"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    other = client.get(url("svg", "year=2021"), HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200


def test_render_caches_by_spec_and_format():
    chart = bars(DataSet(countries={}, series={}), {"year": "2020"})
    svg = render.chart_svg(chart)
    assert cache.get(f"workforce:chart:{render.VEGALITE_VERSION}:svg:{render.spec_hash(chart)}") == svg
