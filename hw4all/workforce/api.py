"""Health-workforce evidence as JSON: the indicators and their observations as imported, the
countries, a country's profile, the shortage by group, the safeguard list and its criteria
check, and migration. Every figure comes from the same analysis functions as the pages and the
command line; each names its year and source.

The lists are cursor-paginated. Those computed from the in-memory data set (the current
observations, the countries, migration) page by position: the set changes only on import."""

import bisect
import datetime
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

from django.db.models import Count, F, Max, Min, Q
from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from hw4all.core.apierrors import ApiProblem
from hw4all.core.apilanguage import api_language
from hw4all.core.apipagination import CursorPagination

from . import names
from .analysis.density import Density
from .analysis.migration import (
    DestinationMigration,
    OriginMigration,
    destination_migration,
    largest_pairs,
    origin_migration,
)
from .analysis.profile import country_profile, latest_year
from .analysis.safeguard import (
    Criteria,
    SafeguardRow,
    criteria_for,
    safeguard_check,
    safeguard_list_year,
    safeguard_summary,
)
from .analysis.shortage import CountryShortage, GroupBy, shortage_table, threshold_parse
from .analysis.trends import Change
from .dataset import DataSet, Point, SourceRef, dataset_current
from .models import IncomeGroup, Indicator, Observation, Occupation, WhoRegion

router = Router(tags=["workforce"])

PER_PAGE = 100
YEAR_MIN, YEAR_MAX = 1900, 2100
# The figures have no language: `lang` names countries, regions and groups in it.
LANG_DESCRIPTION = (
    "Language code (en, fr, es, pt, ...) of the names of countries, regions and groups; the figures "
    "are the same in every language. The request's language when empty"
)


# Parameters.


class LanguageFilter(Schema):
    lang: str | None = Field(None, description=LANG_DESCRIPTION, max_length=10)


class ObservationFilters(LanguageFilter):
    indicator: str = Field("", description="An indicator code, such as HWF_0001", max_length=64)
    country: str = Field("", description="An ISO 3166-1 alpha-3 code, such as KEN", max_length=3)
    year_from: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    year_to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    vintage: Literal["current", "all"] = Field(
        "current", description="current: the figures in use; all: also those a newer file superseded"
    )


class CountryFilters(LanguageFilter):
    region: WhoRegion | None = Field(None, description="A WHO region: AFR, AMR, EMR, EUR, SEAR or WPR")
    income: IncomeGroup | None = Field(None, description="A World Bank income group: LIC, LMC, UMC or HIC")


class FlowFilters(LanguageFilter):
    origin: str = Field("", description="Country of training, ISO 3166-1 alpha-3", max_length=3)
    destination: str = Field("", description="Country of work, ISO 3166-1 alpha-3", max_length=3)
    occupation: Occupation | None = Field(None, description="doctors or nurses")
    year: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)


class ProfileFilters(LanguageFilter):
    year: int | None = Field(
        None, ge=YEAR_MIN, le=YEAR_MAX, description="The reference year; the latest year of data by default"
    )
    threshold: str = Field(
        "sdg",
        description="Doctors, nurses and midwives per 10,000: sdg (44.5), 2006 (22.8) or a number",
        max_length=20,
    )


class ShortageFilters(ProfileFilters):
    by: GroupBy = Field(GroupBy.REGION, description="region (WHO), income (World Bank) or world")


class SafeguardCheckFilters(LanguageFilter):
    list_year: int = Field(2023, alias="list", description="The list whose criteria apply: 2023 or 2020")
    density_year: int | None = Field(
        None, ge=YEAR_MIN, le=YEAR_MAX, description="Densities latest at or before; the criteria's by default"
    )
    uhc_year: int | None = Field(
        None, ge=YEAR_MIN, le=YEAR_MAX, description="UHC index latest at or before; the criteria's by default"
    )


# Responses.


class SourceOut(Schema):
    dataset: str
    publisher: str
    url: str
    file_date: datetime.date | None
    retrieved_on: datetime.date | None
    text: str = Field(description="The source as cited on the pages")


class PointOut(Schema):
    year: int
    value: float
    source: SourceOut
    citation: str = Field(description="The year and the source, as cited on the pages")


class DensityOut(Schema):
    cadre: str = Field(description="doctors, nurses_midwives or combined")
    value: float = Field(description="Per 10,000 population")
    year: int = Field(description="The year it comes from (for a sum, the older of the two)")
    latest_year: int
    points: list[PointOut] = Field(description="The observations it is made of")


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    source: str
    first_year: int | None
    last_year: int | None
    countries: int = Field(description="Countries with at least one current observation")


class ObservationOut(Schema):
    iso3: str
    indicator: str
    year: int
    value: float
    is_current: bool
    source: str = Field(description="The dataset the figure was read from")
    file_date: datetime.date | None
    retrieved_on: datetime.date | None


class ObservationPageOut(Schema):
    items: list[ObservationOut]
    next: str | None = Field(description="Address of the next page; null on the last page")


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str
    who_region: str
    who_region_name: str
    income_group: str
    income_group_name: str
    on_safeguard_list: bool | None = Field(
        description="On the latest published list loaded; null without one"
    )
    safeguard_list_year: int | None = Field(description="The year of that list; null without one")


class CountryShortageOut(Schema):
    year: int
    threshold: float
    density: DensityOut | None
    population: PointOut | None
    shortage: float | None = Field(description="Health workers; null without the density or the population")
    below: bool


class CriteriaOut(Schema):
    list_year: int
    uhc_below: float
    density_below: float
    density_year: int
    uhc_year: int


class SafeguardOut(Schema):
    iso3: str
    name: str
    list_year: int
    on_list: bool | None
    meets_criteria: bool | None
    density: float | None
    density_year: int | None
    uhc_sci: float | None
    uhc_year: int | None
    difference: str


class ChangeOut(Schema):
    cadre: str
    start: DensityOut
    end: DensityOut
    change: float = Field(description="Per 10,000 population")
    percent: float | None


class OriginShareOut(Schema):
    iso3: str
    name: str
    count: int
    share: float = Field(description="Of the destination's foreign-trained stock, 0–1")
    on_safeguard_list: bool


class DestinationOut(Schema):
    destination: str
    name: str
    year: int
    occupation: str
    total: int
    origins: list[OriginShareOut]
    from_safeguard_list: int
    share_from_safeguard_list: float
    list_year: int
    sources: list[SourceOut]


class DestinationCountOut(Schema):
    iso3: str
    name: str
    count: int


class OriginOut(Schema):
    origin: str
    name: str
    year: int
    occupation: str
    abroad: int = Field(description="Working in the reporting destinations")
    destinations: list[DestinationCountOut]
    at_home: PointOut | None
    emigration_ratio: float | None = Field(description="Abroad relative to at home")
    sources: list[SourceOut]


class ProfileOut(Schema):
    country: CountryOut
    year: int
    threshold: float
    doctors: DensityOut | None
    nurses_midwives: DensityOut | None
    combined: DensityOut | None
    combined_series: list[DensityOut]
    doctors_count: PointOut | None
    nurses_midwives_count: PointOut | None
    population: PointOut | None
    shortage: CountryShortageOut
    safeguard: SafeguardOut
    safeguard_criteria: CriteriaOut
    uhc: PointOut | None
    uhc_series: list[PointOut]
    trend: ChangeOut | None
    emigration: OriginOut | None
    immigration: DestinationOut | None


class GroupShortageOut(Schema):
    group: str = Field(description="A WHO region, an income group, unclassified or world")
    group_name: str
    year: int
    threshold: float
    countries: int
    countries_with_data: int
    countries_below: int
    shortage: float


class SafeguardListCountryOut(Schema):
    iso3: str
    name: str
    who_region: str


class SafeguardListOut(Schema):
    list_year: int
    source: SourceOut | None
    countries: list[SafeguardListCountryOut]


class SafeguardSummaryOut(Schema):
    meets_criteria: int = Field(description="Countries the criteria select")
    on_list: int = Field(description="Countries on the published list")
    both: int = Field(description="On the list and selected by the criteria")
    undecided: int = Field(description="Countries the data cannot decide for")


class SafeguardCheckOut(Schema):
    criteria: CriteriaOut
    summary: SafeguardSummaryOut
    items: list[SafeguardOut]


class FlowOut(Schema):
    origin: str = Field(description="Country of training, ISO 3166-1 alpha-3")
    origin_name: str
    destination: str = Field(description="Country of work, ISO 3166-1 alpha-3")
    destination_name: str
    occupation: Occupation
    year: int
    count: int
    source: SourceOut


class PairOut(Schema):
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    count: int


# Building the responses from the analysis' objects.


def _source(source: SourceRef) -> dict:
    return {
        "dataset": source.dataset,
        "publisher": source.publisher,
        "url": source.url,
        "file_date": source.file_date,
        "retrieved_on": source.retrieved_on,
        "text": names.source_text(source),
    }


def _point(point: Point | None) -> dict | None:
    if point is None:
        return None
    return {
        "year": point.year,
        "value": point.value,
        "source": _source(point.source),
        "citation": names.point_citation(point),
    }


def _density(density: Density | None) -> dict | None:
    if density is None:
        return None
    return {
        "cadre": str(density.cadre),
        "value": density.value,
        "year": density.year,
        "latest_year": density.latest_year,
        "points": [_point(point) for point in density.points],
    }


def _country(data: DataSet, iso3: str, list_year: int | None) -> dict:
    country = data.countries[iso3]
    return {
        "iso3": iso3,
        "iso2": country.iso2,
        "name": names.country_name(data, iso3),
        "who_region": country.who_region,
        "who_region_name": names.region_name(country.who_region) if country.who_region else "",
        "income_group": country.income_group,
        "income_group_name": names.income_name(country.income_group) if country.income_group else "",
        "on_safeguard_list": None if list_year is None else iso3 in data.safeguard_lists[list_year],
        "safeguard_list_year": list_year,
    }


def _criteria(criteria: Criteria) -> dict:
    return {
        "list_year": criteria.list_year,
        "uhc_below": criteria.uhc_below,
        "density_below": criteria.density_below,
        "density_year": criteria.density_year,
        "uhc_year": criteria.uhc_year,
    }


def _safeguard(data: DataSet, row: SafeguardRow) -> dict:
    return {
        "iso3": row.iso3,
        "name": names.country_name(data, row.iso3),
        "list_year": row.list_year,
        "on_list": row.on_list,
        "meets_criteria": row.meets_criteria,
        "density": row.density.value if row.density else None,
        "density_year": row.density.year if row.density else None,
        "uhc_sci": row.uhc.value if row.uhc else None,
        "uhc_year": row.uhc.year if row.uhc else None,
        "difference": str(row.difference),
    }


def _country_shortage(row: CountryShortage) -> dict:
    return {
        "year": row.year,
        "threshold": row.threshold,
        "density": _density(row.density),
        "population": _point(row.population),
        "shortage": row.shortage,
        "below": row.below,
    }


def _change(change: Change | None) -> dict | None:
    if change is None:
        return None
    return {
        "cadre": str(change.cadre),
        "start": _density(change.start),
        "end": _density(change.end),
        "change": change.change,
        "percent": change.percent,
    }


def _destination(data: DataSet, migration: DestinationMigration | None) -> dict | None:
    if migration is None:
        return None
    return {
        "destination": migration.destination,
        "name": names.country_name(data, migration.destination),
        "year": migration.year,
        "occupation": migration.occupation,
        "total": migration.total,
        "origins": [
            {
                "iso3": item.origin,
                "name": names.country_name(data, item.origin),
                "count": item.count,
                "share": item.share,
                "on_safeguard_list": item.on_safeguard_list,
            }
            for item in migration.origins
        ],
        "from_safeguard_list": migration.from_safeguard_list,
        "share_from_safeguard_list": migration.share_from_safeguard_list,
        "list_year": migration.list_year,
        "sources": [_source(source) for source in migration.sources],
    }


def _origin(data: DataSet, migration: OriginMigration | None) -> dict | None:
    if migration is None:
        return None
    return {
        "origin": migration.origin,
        "name": names.country_name(data, migration.origin),
        "year": migration.year,
        "occupation": migration.occupation,
        "abroad": migration.abroad,
        "destinations": [
            {"iso3": iso3, "name": names.country_name(data, iso3), "count": count}
            for iso3, count in migration.destinations
        ],
        "at_home": _point(migration.at_home),
        "emigration_ratio": migration.emigration_ratio,
        "sources": [_source(source) for source in migration.sources],
    }


# Checking what the types cannot.


def _threshold(text: str) -> float:
    try:
        return threshold_parse(text)
    except ValueError as error:
        raise ApiProblem(400, str(error), errors={"threshold": [str(error)]}) from error


def _known_country(data: DataSet, iso3: str) -> str:
    code = iso3.strip().upper()
    if code not in data.countries:
        raise ApiProblem(
            404, f"No country has the code {iso3[:10]!r} in the data: give an ISO 3166-1 alpha-3 code."
        )
    return code


def _country_filter(data: DataSet, value: str, field: str) -> str:
    """An ISO3 code in a filter: a code the data lacks is the request's mistake (400)."""
    code = value.strip().upper()
    if code and code not in data.countries:
        message = f"Unknown country code {value!r}: give an ISO 3166-1 alpha-3 code."
        raise ApiProblem(400, message, errors={field: [message]})
    return code


def _criteria_of(list_year: int) -> Criteria:
    try:
        return criteria_for(list_year)
    except ValueError as error:
        raise ApiProblem(400, str(error), errors={"list": [str(error)]}) from error


def _years_ordered(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        message = "year_from is after year_to."
        raise ApiProblem(400, message, errors={"year_from": [message], "year_to": [message]})


def _list_year(data: DataSet) -> int | None:
    return max(data.safeguard_lists) if data.safeguard_lists else None


# The current observations as one list, ordered as the API gives them.

# (indicator code, iso3, year, value, source)
ObservationRow = tuple[str, str, int, float, SourceRef]


class _CurrentRows:
    """Every current observation of a data set, by indicator, country and year, with where each
    indicator's rows start: a page is a slice, an indicator's rows a range found by bisection."""

    def __init__(self, data: DataSet) -> None:
        self.data = data
        self.rows: list[ObservationRow] = [
            (indicator, iso3, point.year, point.value, point.source)
            for iso3, indicator in sorted(data.series, key=lambda key: (key[1], key[0]))
            for point in data.series[(iso3, indicator)]
        ]
        # Each source's fields as the answer gives them, worked out once rather than per row.
        self.sources = {
            source: (source.dataset, _date(source.file_date), _date(source.retrieved_on))
            for source in {row[4] for row in self.rows}
        }
        self.indicators = sorted({row[0] for row in self.rows})

    def select(
        self, indicator: str, iso3: str, year_from: int | None, year_to: int | None
    ) -> Sequence[ObservationRow]:
        if iso3:
            codes = [indicator] if indicator else self.indicators
            rows: Sequence[ObservationRow] = [
                (code, iso3, point.year, point.value, point.source)
                for code in codes
                for point in self.data.points(iso3, code)
            ]
        elif indicator:
            start = bisect.bisect_left(self.rows, indicator, key=lambda row: row[0])
            end = bisect.bisect_right(self.rows, indicator, key=lambda row: row[0])
            rows = self.rows[start:end]
        else:
            rows = self.rows
        if year_from is None and year_to is None:
            return rows
        low = YEAR_MIN if year_from is None else year_from
        high = YEAR_MAX if year_to is None else year_to
        return [row for row in rows if low <= row[2] <= high]


_rows_lock = threading.Lock()
_rows: _CurrentRows | None = None


def _current_rows(data: DataSet) -> _CurrentRows:
    """Built once per data set, that is once per process and per import."""
    global _rows
    rows = _rows
    if rows is not None and rows.data is data:
        return rows
    with _rows_lock:
        if _rows is None or _rows.data is not data:
            _rows = _CurrentRows(data)
        return _rows


class _Mapped(Sequence[dict]):
    """`build` applied to the items of a page only: a list of 1,500 flows names 100 countries,
    not 3,000."""

    def __init__(self, items: Sequence[Any], build: Callable[[Any], dict]) -> None:
        self.items = items
        self.build = build

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> dict: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...
    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        if isinstance(index, slice):
            return [self.build(item) for item in self.items[index]]
        return self.build(self.items[index])


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


_observation_pages = CursorPagination(
    ordering=("indicator_code", "iso3", "year", "-is_current", "-source_id"), page_size=PER_PAGE
)


def _observations_all(filters: ObservationFilters, iso3: str) -> Any:
    """Every vintage, from the database: a keyset on the order above, which is unique."""
    observations = Observation.objects.annotate(indicator_code=F("indicator__code"), iso3=F("country__iso3"))
    if filters.indicator:
        observations = observations.filter(indicator__code=filters.indicator)
    if iso3:
        observations = observations.filter(country__iso3=iso3)
    if filters.year_from is not None:
        observations = observations.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        observations = observations.filter(year__lte=filters.year_to)
    return observations.values(
        "indicator_code",
        "iso3",
        "year",
        "value",
        "is_current",
        "source_id",
        "source__dataset",
        "source__file_date",
        "source__retrieved_on",
    )


# Operations.


@router.get(
    "/indicators/",
    response=list[IndicatorOut],
    summary="The series and the years they cover, by code",
)
@paginate(CursorPagination, ordering=("code",), page_size=PER_PAGE)
def indicator_list(request: HttpRequest, filters: Query[LanguageFilter]):
    api_language(filters.lang)
    current = Q(observations__is_current=True)
    return Indicator.objects.annotate(
        first_year=Min("observations__year", filter=current),
        last_year=Max("observations__year", filter=current),
        countries=Count("observations__country", filter=current, distinct=True),
    )


@router.get(
    "/observations/",
    response=ObservationPageOut,
    summary="Observations as imported, by indicator code, country code and year",
)
def observation_list(
    request: HttpRequest,
    filters: Query[ObservationFilters],
    pagination: Query[CursorPagination.Input],
):
    """By indicator, country and year, 100 a page by default; `vintage=all` adds the figures a
    newer file of the same dataset superseded, each right after the one in use."""
    api_language(filters.lang)
    data = dataset_current()
    if filters.indicator and not Indicator.objects.filter(code=filters.indicator).exists():
        message = f"Unknown indicator {filters.indicator!r}: see the list of indicators."
        raise ApiProblem(400, message, errors={"indicator": [message]})
    iso3 = _country_filter(data, filters.country, "country")
    _years_ordered(filters.year_from, filters.year_to)
    if filters.vintage == "all":
        page = _observation_pages.paginate_queryset(_observations_all(filters, iso3), pagination, request)
        items = [
            {
                "iso3": row["iso3"],
                "indicator": row["indicator_code"],
                "year": row["year"],
                "value": row["value"],
                "is_current": row["is_current"],
                "source": row["source__dataset"],
                "file_date": _date(row["source__file_date"]),
                "retrieved_on": _date(row["source__retrieved_on"]),
            }
            for row in page["items"]
        ]
    else:
        current = _current_rows(data)
        rows = current.select(filters.indicator, iso3, filters.year_from, filters.year_to)
        page = _observation_pages.paginate_queryset(rows, pagination, request)
        sources = current.sources
        items = []
        for indicator, iso3_, year, value, source in page["items"]:
            dataset, file_date, retrieved_on = sources[source]
            items.append(
                {
                    "iso3": iso3_,
                    "indicator": indicator,
                    "year": year,
                    "value": value,
                    "is_current": True,
                    "source": dataset,
                    "file_date": file_date,
                    "retrieved_on": retrieved_on,
                }
            )
    # Built here in the documented shape (ObservationOut's fields and types): a page of 100 rows
    # then costs no validation of each row.
    return JsonResponse({"items": items, "next": page["next"]}, json_dumps_params={"ensure_ascii": False})


@router.get("/countries/", response=list[CountryOut], summary="The countries of the data, by ISO3 code")
@paginate(CursorPagination, page_size=PER_PAGE)
def country_list(request: HttpRequest, filters: Query[CountryFilters]):
    """With names in the language asked and whether each is on the latest safeguard list
    loaded; `region` and `income` as on the site's lists of countries."""
    api_language(filters.lang)
    data = dataset_current()
    list_year = _list_year(data)
    codes = [
        iso3
        for iso3, country in sorted(data.countries.items())
        if (not filters.region or country.who_region == filters.region)
        and (not filters.income or country.income_group == filters.income)
    ]
    return _Mapped(codes, lambda iso3: _country(data, iso3, list_year))


@router.get(
    "/countries/{iso3}/profile/",
    response=ProfileOut,
    summary="A country's profile",
    url_name="workforce_profile",
)
def country_profile_detail(
    request: HttpRequest, filters: Query[ProfileFilters], iso3: str = Path(..., max_length=10)
):
    """Densities with their years and sources, the shortage, the safeguard list and its
    criteria, the UHC index, migration out and in, and the change over ten years."""
    api_language(filters.lang)
    data = dataset_current()
    code = _known_country(data, iso3)
    profile = country_profile(data, code, filters.year, _threshold(filters.threshold))
    if profile is None:
        raise ApiProblem(404, "No country has this code in the data.")
    return {
        "country": _country(data, code, _list_year(data)),
        "year": profile.year,
        "threshold": profile.threshold,
        "doctors": _density(profile.doctors),
        "nurses_midwives": _density(profile.nurses_midwives),
        "combined": _density(profile.combined),
        "combined_series": [_density(item) for item in profile.combined_series],
        "doctors_count": _point(profile.doctors_count),
        "nurses_midwives_count": _point(profile.nurses_midwives_count),
        "population": _point(profile.population),
        "shortage": _country_shortage(profile.shortage),
        "safeguard": _safeguard(data, profile.safeguard),
        "safeguard_criteria": _criteria(criteria_for(profile.safeguard.list_year)),
        "uhc": _point(profile.uhc),
        "uhc_series": [_point(point) for point in profile.uhc_series],
        "trend": _change(profile.trend),
        "emigration": _origin(data, profile.emigration),
        "immigration": _destination(data, profile.immigration),
    }


@router.get("/shortage/", response=list[GroupShortageOut], summary="The needs-based shortage by group")
def shortage(request: HttpRequest, filters: Query[ShortageFilters]):
    """One row per WHO region or income group, then the world, with the countries counted, those
    with data for the year and those below the threshold next to every total. A table of at
    most eight rows, whole: not paginated."""
    api_language(filters.lang)
    threshold = _threshold(filters.threshold)
    data = dataset_current()
    year = filters.year if filters.year is not None else latest_year(data)
    return [
        {
            "group": row.group,
            "group_name": names.group_name(row.group),
            "year": row.year,
            "threshold": row.threshold,
            "countries": row.countries,
            "countries_with_data": row.countries_with_data,
            "countries_below": row.countries_below,
            "shortage": row.shortage,
        }
        for row in shortage_table(data, year, threshold, filters.by)
    ]


@router.get("/safeguard-list/{list_year}/", response=SafeguardListOut, summary="A published safeguard list")
def safeguard_list(
    request: HttpRequest, filters: Query[LanguageFilter], list_year: int = Path(..., ge=YEAR_MIN, le=YEAR_MAX)
):
    """The countries on the WHO Health Workforce Support and Safeguards List of a year, as
    published (not as computed from the criteria), by ISO3 code: the whole list (some 55
    countries) in one answer."""
    api_language(filters.lang)
    data = dataset_current()
    if list_year not in data.safeguard_lists:
        raise ApiProblem(404, f"No safeguard list of {list_year} is loaded.")
    source = data.safeguard_sources.get(list_year)
    return {
        "list_year": list_year,
        "source": _source(source) if source else None,
        "countries": [
            {
                "iso3": iso3,
                "name": names.country_name(data, iso3),
                "who_region": data.countries[iso3].who_region if iso3 in data.countries else "",
            }
            for iso3 in sorted(data.safeguard_lists[list_year])
        ],
    }


@router.get(
    "/safeguard-check/", response=SafeguardCheckOut, summary="The safeguard list against its criteria"
)
def safeguard_criteria_check(request: HttpRequest, filters: Query[SafeguardCheckFilters]):
    """Every member state and every listed country, by ISO3 code: on the list, meeting the
    criteria with the data (densities and index latest at or before the years given), and why
    the two differ. One answer with the criteria and the summary: not paginated."""
    api_language(filters.lang)
    criteria = _criteria_of(filters.list_year)
    data = dataset_current()
    rows = safeguard_check(data, filters.list_year, filters.density_year, filters.uhc_year)
    return {
        "criteria": {
            **_criteria(criteria),
            "density_year": filters.density_year or criteria.density_year,
            "uhc_year": filters.uhc_year or criteria.uhc_year,
        },
        "summary": vars(safeguard_summary(rows)),
        "items": [_safeguard(data, row) for row in rows],
    }


@router.get(
    "/migration/destinations/{iso3}/",
    response=DestinationOut,
    summary="Foreign-trained doctors in a destination, by country of training",
)
def migration_destination(
    request: HttpRequest, filters: Query[LanguageFilter], iso3: str = Path(..., max_length=10)
):
    api_language(filters.lang)
    data = dataset_current()
    code = _known_country(data, iso3)
    migration = destination_migration(data, code, list_year=safeguard_list_year(data))
    if migration is None:
        raise ApiProblem(404, f"{code} reports no stocks of foreign-trained doctors.")
    return _destination(data, migration)


@router.get(
    "/migration/origins/{iso3}/",
    response=OriginOut,
    summary="Doctors trained in a country and working in the reporting destinations",
)
def migration_origin(
    request: HttpRequest, filters: Query[LanguageFilter], iso3: str = Path(..., max_length=10)
):
    api_language(filters.lang)
    data = dataset_current()
    code = _known_country(data, iso3)
    migration = origin_migration(data, code)
    if migration is None:
        raise ApiProblem(404, f"No reporting destination counts doctors trained in {code}.")
    return _origin(data, migration)


@router.get(
    "/migration/flows/",
    response=list[FlowOut],
    summary="Health workers by country of training and of work, by destination, origin, occupation and year",
)
@paginate(CursorPagination, page_size=PER_PAGE)
def migration_flows(request: HttpRequest, filters: Query[FlowFilters]):
    """Every current stock as the destinations report it: each year, doctors and nurses."""
    api_language(filters.lang)
    data = dataset_current()
    origin = _country_filter(data, filters.origin, "origin")
    destination = _country_filter(data, filters.destination, "destination")
    flows = sorted(
        (
            flow
            for flow in data.flows
            if (not origin or flow.origin == origin)
            and (not destination or flow.destination == destination)
            and (not filters.occupation or flow.occupation == filters.occupation)
            and (filters.year is None or flow.year == filters.year)
        ),
        key=lambda flow: (flow.destination, flow.origin, flow.occupation, flow.year),
    )
    return _Mapped(
        flows,
        lambda flow: {
            "origin": flow.origin,
            "origin_name": names.country_name(data, flow.origin),
            "destination": flow.destination,
            "destination_name": names.country_name(data, flow.destination),
            "occupation": flow.occupation,
            "year": flow.year,
            "count": flow.count,
            "source": _source(flow.source),
        },
    )


@router.get(
    "/migration/pairs/",
    response=list[PairOut],
    summary="Origin–destination stocks of doctors, largest first",
)
@paginate(CursorPagination, page_size=30)
def migration_pairs(request: HttpRequest, filters: Query[LanguageFilter]):
    """Each destination's latest reported year, as on the site's migration page (its 30 largest
    by default: the first page); equal counts by origin and destination code."""
    api_language(filters.lang)
    data = dataset_current()
    return _Mapped(
        largest_pairs(data, len(data.flows)),
        lambda pair: {
            "origin": pair.origin,
            "origin_name": names.country_name(data, pair.origin),
            "destination": pair.destination,
            "destination_name": names.country_name(data, pair.destination),
            "count": pair.count,
        },
    )
