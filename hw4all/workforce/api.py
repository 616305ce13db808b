"""Health-workforce evidence as JSON: the indicators and their observations as imported, the
countries, a country's profile, the shortage by group, the safeguard list and its criteria
check, and migration. Every figure comes from the same analysis functions as the pages and the
command line; each names its year and source."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

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
from .models import Country, Indicator, Observation

router = Router(tags=["workforce"])

PER_PAGE = 100
Language = Literal["en", "fr", "es", "pt"]
YEAR_MIN, YEAR_MAX = 1900, 2100


# Parameters.


class LanguageFilter(Schema):
    lang: Language | None = Field(
        None, description="Language of the names (en, fr, es, pt); the request's by default"
    )


class ObservationFilters(Schema):
    indicator: str = Field("", description="An indicator code, such as HWF_0001", max_length=64)
    country: str = Field("", description="An ISO 3166-1 alpha-3 code, such as KEN", max_length=3)
    year_from: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    year_to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    vintage: Literal["current", "all"] = Field(
        "current", description="current: the figures in use; all: also those a newer file superseded"
    )
    page: int = Field(1, ge=1, le=100_000)


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


class PairFilters(LanguageFilter):
    limit: int = Field(30, ge=1, le=500)


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


class ObservationListOut(Schema):
    items: list[ObservationOut]
    total: int
    page: int
    pages: int


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


class CountryListOut(Schema):
    items: list[CountryOut]
    safeguard_list_year: int | None


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
        raise HttpError(400, str(error)) from error


def _known_country(data: DataSet, iso3: str) -> str:
    code = iso3.strip().upper()
    if code not in data.countries:
        raise HttpError(
            404, f"No country has the code {iso3[:10]!r} in the data: give an ISO 3166-1 alpha-3 code."
        )
    return code


def _criteria_of(list_year: int) -> Criteria:
    try:
        return criteria_for(list_year)
    except ValueError as error:
        raise HttpError(400, str(error)) from error


def _list_year(data: DataSet) -> int | None:
    return max(data.safeguard_lists) if data.safeguard_lists else None


# Operations.


@router.get("/indicators/", response=list[IndicatorOut], summary="The series and the years they cover")
def indicator_list(request: HttpRequest):
    current = Q(observations__is_current=True)
    indicators = Indicator.objects.annotate(
        first_year=Min("observations__year", filter=current),
        last_year=Max("observations__year", filter=current),
        countries=Count("observations__country", filter=current, distinct=True),
    ).order_by("code")
    return [
        {
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "source": indicator.source,
            "first_year": indicator.first_year,
            "last_year": indicator.last_year,
            "countries": indicator.countries,
        }
        for indicator in indicators
    ]


@router.get("/observations/", response=ObservationListOut, summary="Observations as imported")
def observation_list(request: HttpRequest, filters: Query[ObservationFilters]):
    """By indicator, country and year, 100 a page; `vintage=all` adds the figures a newer file
    of the same dataset superseded."""
    observations = Observation.objects.select_related("country", "indicator", "source")
    if filters.indicator:
        if not Indicator.objects.filter(code=filters.indicator).exists():
            raise HttpError(400, f"Unknown indicator {filters.indicator!r}: see the list of indicators.")
        observations = observations.filter(indicator__code=filters.indicator)
    if filters.country:
        code = filters.country.upper()
        if not Country.objects.filter(iso3=code).exists():
            raise HttpError(
                400, f"Unknown country code {filters.country!r}: give an ISO 3166-1 alpha-3 code."
            )
        observations = observations.filter(country__iso3=code)
    if filters.year_from is not None and filters.year_to is not None and filters.year_from > filters.year_to:
        raise HttpError(400, "year_from is after year_to.")
    if filters.year_from is not None:
        observations = observations.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        observations = observations.filter(year__lte=filters.year_to)
    if filters.vintage == "current":
        observations = observations.filter(is_current=True)
    observations = observations.order_by(
        "indicator__code", "country__iso3", "year", "-is_current", "-source_id"
    )
    total = observations.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    start = (page - 1) * PER_PAGE
    return {
        "items": [
            {
                "iso3": item.country.iso3,
                "indicator": item.indicator.code,
                "year": item.year,
                "value": item.value,
                "is_current": item.is_current,
                "source": item.source.dataset,
                "file_date": item.source.file_date,
                "retrieved_on": item.source.retrieved_on,
            }
            for item in observations[start : start + PER_PAGE]
        ],
        "total": total,
        "page": page,
        "pages": pages,
    }


@router.get("/countries/", response=CountryListOut, summary="The countries of the data")
def country_list(request: HttpRequest, filters: Query[LanguageFilter]):
    """By ISO3 code, with names in the language asked and whether each is on the latest
    safeguard list loaded."""
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        list_year = _list_year(data)
        return {
            "items": [_country(data, iso3, list_year) for iso3 in sorted(data.countries)],
            "safeguard_list_year": list_year,
        }


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
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        code = _known_country(data, iso3)
        profile = country_profile(data, code, filters.year, _threshold(filters.threshold))
        if profile is None:
            raise HttpError(404, "No country has this code in the data.")
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
    with data for the year and those below the threshold next to every total."""
    with translation.override(filters.lang or translation.get_language()):
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
    published (not as computed from the criteria)."""
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        if list_year not in data.safeguard_lists:
            raise HttpError(404, f"No safeguard list of {list_year} is loaded.")
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
    """Every member state and every listed country: on the list, meeting the criteria with the
    data (densities and index latest at or before the years given), and why the two differ."""
    with translation.override(filters.lang or translation.get_language()):
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
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        code = _known_country(data, iso3)
        migration = destination_migration(data, code, list_year=safeguard_list_year(data))
        if migration is None:
            raise HttpError(404, f"{code} reports no stocks of foreign-trained doctors.")
        return _destination(data, migration)


@router.get(
    "/migration/origins/{iso3}/",
    response=OriginOut,
    summary="Doctors trained in a country and working in the reporting destinations",
)
def migration_origin(
    request: HttpRequest, filters: Query[LanguageFilter], iso3: str = Path(..., max_length=10)
):
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        code = _known_country(data, iso3)
        migration = origin_migration(data, code)
        if migration is None:
            raise HttpError(404, f"No reporting destination counts doctors trained in {code}.")
        return _origin(data, migration)


@router.get("/migration/pairs/", response=list[PairOut], summary="The largest origin–destination stocks")
def migration_pairs(request: HttpRequest, filters: Query[PairFilters]):
    with translation.override(filters.lang or translation.get_language()):
        data = dataset_current()
        return [
            {
                "origin": pair.origin,
                "origin_name": names.country_name(data, pair.origin),
                "destination": pair.destination,
                "destination_name": names.country_name(data, pair.destination),
                "count": pair.count,
            }
            for pair in largest_pairs(data, filters.limit)
        ]
