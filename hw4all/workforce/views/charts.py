"""Every chart as SVG, PNG, CSV (its data table) and its Vega-Lite spec (JSON, for vega-embed),
rebuilt from its name and query parameters."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.http import require_safe

from ..charts import Chart, ChartParameterError, chart_build, render
from ..dataset import dataset_current

CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# An SVG opened on its own is a document: it may carry no script (a name from a data file is
# text in it, but a browser must not run anything even if one slipped through), and it loads
# nothing from elsewhere.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
# Browsers and proxies may keep a chart for an hour; the ETag (data version and spec) answers
# "not modified" after that until the figures or the chart change.
MAX_AGE = 3600
# Not part of a chart's identity: asks for the response as a file to save.
DOWNLOAD = "download"


def _file_name(chart: Chart, fmt: str) -> str:
    parts = [chart.name, *(value for _key, value in sorted(chart.params.items()))]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-") or "chart"
    return f"{stem[:100]}.{fmt}"


@require_safe
def chart(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    params: dict[str, str] = {key: str(value) for key, value in request.GET.items() if key != DOWNLOAD}
    data = dataset_current()
    try:
        built = chart_build(data, name, params)
    except ChartParameterError as error:
        if error.not_found:
            raise Http404(str(error)) from error
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    etag = quote_etag(f"{data.version}-{render.spec_hash(built)[:32]}-{fmt}")
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        body: str | bytes
        if fmt == "svg":
            body = render.chart_svg(built)
        elif fmt == "png":
            body = render.chart_png(built)
        elif fmt == "csv":
            body = render.chart_csv(built)
        else:
            body = render.spec_json(built)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        if request.GET.get(DOWNLOAD):
            response["Content-Disposition"] = f'attachment; filename="{_file_name(built, fmt)}"'
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    if fmt == "svg":
        response["Content-Security-Policy"] = SVG_POLICY
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
