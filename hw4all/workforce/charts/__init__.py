"""Charts as Vega-Lite specs built in Python, with the data table each one draws.

One `Chart` gives every output: the browser draws its spec with vega-embed; the server renders
the same spec to SVG and PNG with vl-convert (pages without JavaScript, downloads, the PDF
briefing); its table is printed beside it and downloads as CSV. A chart is rebuilt from its
name and query parameters, which is what the chart URLs carry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..dataset import DataSet

ColumnKind = Literal["text", "number", "integer", "year", "percent"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "text"
    decimals: int = 1  # for "number" and "percent"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    # Raw values by column key (None for no data); templates and the CSV format them.
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Chart:
    name: str  # its builder's registered name
    params: Mapping[str, str]  # the query parameters that rebuild it
    title: str
    description: str  # the alternative text: what the chart shows and its main figures
    spec: dict[str, Any]  # Vega-Lite, data inline
    table: Table
    sources: tuple[str, ...] = field(default=())  # "WHO Global Health Observatory (NHWA), 2022-01-24"
    width: int = 640  # of the rendered image, for the page's layout before it loads
    height: int = 320


class ChartParameterError(ValueError):
    """A chart URL's parameters are not valid (the view answers 400) or name nothing (404 with
    `not_found`)."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


ChartBuilder = Callable[[DataSet, Mapping[str, str]], Chart]
CHARTS: dict[str, ChartBuilder] = {}


def chart(name: str) -> Callable[[ChartBuilder], ChartBuilder]:
    """Register a chart builder under `name` (the modules that define them are imported by
    `chart_build`)."""

    def register(builder: ChartBuilder) -> ChartBuilder:
        CHARTS[name] = builder
        return builder

    return register


def chart_build(data: DataSet, name: str, params: Mapping[str, str]) -> Chart:
    """Raises ChartParameterError (not_found=True for an unknown name)."""
    from . import profile, world  # noqa: F401 - they register their builders

    builder = CHARTS.get(name)
    if builder is None:
        raise ChartParameterError(f"No chart is called {name!r}.", not_found=True)
    return builder(data, params)
