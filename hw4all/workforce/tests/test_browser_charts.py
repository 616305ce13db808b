"""A chart's figure in a real browser on a 360-px phone. Without JavaScript the server's drawing
and the data table show; with it, vega draws the same spec in the image's place, under a
Content-Security-Policy that allows no eval and no other origin's script, without a console
error. axe-core (which needs JavaScript: the server's drawing is checked with workforce.js told
not to run) finds no serious or critical violation either way it is drawn."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, Template
from django.urls import get_resolver, path

from hw4all.workforce.charts import CHARTS, chart_build
from hw4all.workforce.dataset import dataset_current
from tests.browser.conftest import axe_violations, fits, phone, wait_until

from .test_charts import bars

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What a strict site would send: scripts from the site only, and no eval.
POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'"

PAGE = Template(
    '{% extends "base.html" %}{% block title %}A figure{% endblock %}{% block content %}'
    "<h1>A figure</h1>"
    '{% include "workforce/includes/figure.html" with chart=chart %}'
    "{% endblock %}"
)


def figure_page(request: HttpRequest) -> HttpResponse:
    chart = chart_build(dataset_current(), "test-bars", {"year": "2020"})
    response = HttpResponse(PAGE.render(RequestContext(request, {"chart": chart})))
    response["Content-Security-Policy"] = POLICY
    return response


# The site's URLs with a page that shows one figure: filled in by `figure_site` from the site's
# own URL map.
urlpatterns: list = []


@pytest.fixture(autouse=True)
def figure_site(settings, monkeypatch):
    monkeypatch.setitem(CHARTS, "test-bars", bars)
    site = get_resolver(settings.ROOT_URLCONF).url_patterns
    urlpatterns[:] = [path("test-figure/", figure_page), *site]
    settings.ROOT_URLCONF = __name__
    yield
    urlpatterns.clear()


def test_without_javascript_the_drawing_and_its_table_show(chromium, live_server):
    page, errors = phone(chromium, javascript=False)
    page.goto(f"{live_server.url}/test-figure/")
    image = page.get_by_role("img", name="Kenya has 2.3 doctors per 10,000 population.")
    image.scroll_into_view_if_needed()
    wait_until(page, "document.querySelector('.wf-figure img').complete")
    assert image.evaluate("image => image.naturalWidth") > 0
    table = page.get_by_role("table", name="Data of the chart: Doctors per 10,000 population")
    assert table.is_visible()
    assert "12,345.7" in table.inner_text()
    for name in ("SVG", "PNG", "CSV (data)"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    assert fits(page)
    assert errors == []


def test_with_javascript_vega_draws_the_spec_in_place(chromium, live_server):
    page, errors = phone(chromium, javascript=True)
    page.goto(f"{live_server.url}/test-figure/")
    page.locator(".wf-figure").scroll_into_view_if_needed()
    page.wait_for_selector(".wf-figure--drawn .wf-figure__view svg", timeout=20_000)
    assert page.locator(".wf-figure img").count() == 0
    drawing = page.get_by_role("img", name="Kenya has 2.3 doctors per 10,000 population.")
    assert "Doctors per 10,000 population" in drawing.inner_html()
    # The data table stays for those who read figures rather than shapes.
    assert page.get_by_role("table", name="Data of the chart: Doctors per 10,000 population").is_visible()
    assert fits(page)
    assert errors == []


@pytest.mark.parametrize("javascript", [False, True])
def test_the_figure_is_accessible_drawn_either_way(chromium, live_server, javascript):
    # axe-core is injected as an inline script: its check runs with the page's policy set aside.
    page, _errors = phone(chromium, javascript=True, bypass_csp=True)
    if not javascript:
        page.add_init_script("window.hw4allWorkforceCharts = true")
    page.goto(f"{live_server.url}/test-figure/")
    page.locator(".wf-figure").scroll_into_view_if_needed()
    if javascript:
        page.wait_for_selector(".wf-figure--drawn .wf-figure__view svg", timeout=20_000)
    else:
        wait_until(page, "document.querySelector('.wf-figure img').complete")
    assert axe_violations(page) == []
