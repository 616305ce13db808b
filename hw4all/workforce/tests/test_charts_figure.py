"""The figure a page includes for a chart: its title and sources, the server-drawn image with its
text alternative, its data table, and the download links; and the template filters the workforce
pages print figures with."""

from __future__ import annotations

import datetime
import html

import pytest
from django.template import Context, Template
from django.utils import translation

from hw4all.workforce.charts import Chart
from hw4all.workforce.dataset import CountryInfo, Point, SourceRef, dataset_build

from .test_charts import HOSTILE, bars

EMPTY = dataset_build([], [])


def chart(year: str = "2020") -> Chart:
    return bars(EMPTY, {"year": year})


def render(source: str, **context) -> str:
    return Template("{% load workforce %}" + source).render(Context(context))


def include(**context) -> str:
    with translation.override("en"):
        return render('{% include "workforce/includes/figure.html" %}', chart=chart(), **context)


def test_the_figure_shows_the_image_with_its_text_alternative_and_size():
    page = include()
    assert '<figcaption class="wf-figure__caption">' in page
    assert "Doctors per 10,000 population" in page
    assert 'src="/en/workforce/charts/test-bars.svg?year=2020"' in page
    assert 'alt="Kenya has 2.3 doctors per 10,000 population."' in page
    assert 'width="300" height="120" loading="lazy"' in page
    assert "WHO Global Health Observatory (file of 24 January 2022)" in page
    assert 'data-chart-spec="/en/workforce/charts/test-bars.json?year=2020"' in page


def test_the_figure_has_the_data_table_with_headers_and_formatted_figures():
    page = include()
    assert "<caption>Data of the chart: Doctors per 10,000 population</caption>" in page
    assert '<th scope="col" class="wf-cell--number">Doctors per 10,000</th>' in page
    assert '<th scope="row" class="wf-cell--text">Kenya</th>' in page
    assert '<td class="wf-cell--number">12,345.7</td>' in page
    # No data is a dash, never a zero.
    assert '<td class="wf-cell--number">—</td>' in page


def test_the_table_can_be_left_to_the_page():
    assert "<table>" not in include(table=False)


def test_the_figure_links_the_downloads():
    page = include()
    for fmt, text in (("svg", "SVG"), ("png", "PNG"), ("csv", "CSV (data)")):
        assert (
            f'href="/en/workforce/charts/test-bars.{fmt}?year=2020&amp;download=1" download>{text}</a>'
            in page
        )


def test_a_hostile_name_is_text_in_the_table():
    page = include()
    assert "<script>" not in page
    assert html.escape(HOSTILE) in page


@pytest.mark.parametrize(
    ("language", "value", "decimals", "expected"),
    [
        ("en", 12345.678, 1, "12,345.7"),
        ("fr", 12345.678, 1, "12\u00a0345,7"),
        ("de", 2.25, 2, "2,25"),
        ("en", None, 1, "—"),
        ("en", 1234567, 0, "1,234,567"),
        ("en", 44.5, 0, "45"),
    ],
)
def test_figure_prints_a_number_in_the_active_language(language, value, decimals, expected):
    with translation.override(language):
        assert render("{{ value|figure:decimals }}", value=value, decimals=decimals) == expected


def test_cite_and_country_name_a_figure_and_a_country():
    source = SourceRef(
        id=1,
        dataset="WHO Global Health Observatory",
        publisher="WHO",
        url="",
        file_date=datetime.date(2022, 1, 24),
        retrieved_on=None,
    )
    data = dataset_build([CountryInfo("CIV", "CI", "Cote d'Ivoire", "AFR", "LMC")], [])
    with translation.override("fr"):
        page = render(
            "{{ point|cite }} / {{ 'CIV'|country:data }}", point=Point(2018, 2.3, source), data=data
        )
    assert page == "2018\xa0; WHO Global Health Observatory (fichier du 24 janvier 2022) / Côte d&#x27;Ivoire"


def test_chart_query_rebuilds_the_charts_parameters():
    built = bars(EMPTY, {"year": "2019"})
    assert render("{% chart_query chart %}", chart=built) == "year=2019"
