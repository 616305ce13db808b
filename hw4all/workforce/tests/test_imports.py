"""Importing stores each file once, keeps older vintages and records what a newer one changed."""

import datetime
import threading

import pytest
from django.db import connection

from hw4all.workforce.dataset import dataset_current
from hw4all.workforce.models import (
    Country,
    ImportRun,
    Indicator,
    MigrationStock,
    Observation,
    SafeguardListEntry,
    Source,
    SourceFormat,
)
from hw4all.workforce.services.imports import import_file

pytestmark = pytest.mark.django_db

HEADER = "iso3,indicator,year,value\n"


def long_import(text: str, file_date: datetime.date | None, **extra) -> ImportRun:
    return import_file(
        (HEADER + text).encode(),
        format=SourceFormat.LONG,
        file_name="density.csv",
        dataset="WHO GHO",
        publisher="WHO",
        file_date=file_date,
        **extra,
    )


def figure(iso3: str, code: str, year: int) -> float | None:
    point = dataset_current().at(iso3, code, year)
    return point.value if point else None


JAN = datetime.date(2022, 1, 24)
JUN = datetime.date(2022, 6, 1)


def test_an_import_creates_countries_indicators_a_source_and_the_figures():
    run = long_import("KEN,HWF_0001,2018,1.57\nNPL,HWF_0006,2018,3.2\n", JAN)
    assert (run.lines, run.created, run.changed, run.unchanged, run.errors) == (2, 2, 0, 0, [])
    kenya = Country.objects.get(iso3="KEN")
    assert (kenya.iso2, kenya.name) == ("KE", "Kenya")
    indicator = Indicator.objects.get(code="HWF_0001")
    assert (indicator.name, indicator.unit) == ("Medical doctors (per 10,000)", "per 10,000 population")
    assert run.source is not None and run.source.file_date == JAN
    assert figure("KEN", "HWF_0001", 2018) == 1.57


def test_the_same_file_again_changes_nothing():
    long_import("KEN,HWF_0001,2018,1.57\n", JAN)
    again = long_import("KEN,HWF_0001,2018,1.57\n", JAN)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert Observation.objects.count() == 1
    assert Source.objects.count() == 1


def test_a_newer_vintage_supersedes_changed_values_and_keeps_the_old_ones():
    long_import("KEN,HWF_0001,2018,1.57\nKEN,HWF_0001,2017,1.5\n", JAN)
    run = long_import("KEN,HWF_0001,2018,1.6\nKEN,HWF_0001,2017,1.5\nKEN,HWF_0001,2019,1.7\n", JUN)
    assert (run.created, run.changed, run.unchanged) == (1, 1, 1)
    assert run.changes == [{"iso3": "KEN", "indicator": "HWF_0001", "year": 2018, "old": 1.57, "new": 1.6}]
    assert sorted(Observation.objects.filter(year=2018).values_list("value", "is_current")) == [
        (1.57, False),
        (1.6, True),
    ]
    assert figure("KEN", "HWF_0001", 2018) == 1.6


def test_an_older_file_imported_after_a_newer_one_never_brings_old_values_back():
    long_import("KEN,HWF_0001,2018,1.6\n", JUN)
    run = long_import("KEN,HWF_0001,2018,1.57\n", JAN)
    assert run.changed == 0
    assert Observation.objects.get(is_current=True).value == 1.6
    assert Observation.objects.filter(is_current=False).get().value == 1.57


def test_bad_lines_are_reported_and_the_good_ones_stored():
    run = long_import("KEN,HWF_0001,2018,1.57\nXKX,HWF_0001,2018,2\nNPL,HWF_0001,2018,lots\n", JAN)
    assert run.created == 1
    assert run.errors == [
        {"line": 3, "message": "Unknown country code “XKX”."},
        {"line": 4, "message": "“lots” is not a number."},
    ]


def test_a_file_with_nothing_readable_stores_only_the_run():
    run = long_import("", JAN)
    assert run.pk and run.source is None
    assert run.errors == [{"line": 0, "message": "The file has a header but no data lines."}]
    assert not Source.objects.exists()


def test_migration_stocks_follow_vintages_too():
    header = "COU,Country,VAR,Variable,CO2,Country of origin,YEA,Year,Value,Flag Codes,Flags\n"

    def oecd(count: int, date: datetime.date) -> ImportRun:
        row = f"GBR,United Kingdom,FTDS,Doctors,KEN,Kenya,2018,2018,{count},,\n"
        return import_file(
            (header + row).encode(),
            format=SourceFormat.OECD,
            file_name="oecd.csv",
            dataset="OECD",
            file_date=date,
        )

    assert oecd(1200, JAN).created == 1
    run = oecd(1250, JUN)
    assert run.changes == [
        {
            "destination": "GBR",
            "origin": "KEN",
            "occupation": "doctors",
            "year": 2018,
            "old": 1200,
            "new": 1250,
        }
    ]
    assert MigrationStock.objects.get(is_current=True).count == 1250
    assert dataset_current().flows[0].count == 1250


def test_a_safeguard_list_file_replaces_its_years_list():
    def ssl(codes: list[str]) -> ImportRun:
        text = "iso3,country,list_year\n" + "".join(f"{code},,2023\n" for code in codes)
        return import_file(
            text.encode(), format=SourceFormat.SAFEGUARD_LIST, file_name="ssl.csv", dataset="SSL"
        )

    ssl(["KEN", "NPL"])
    run = ssl(["NPL", "ZWE"])
    assert set(SafeguardListEntry.objects.values_list("country__iso3", flat=True)) == {"NPL", "ZWE"}
    assert run.changes == [
        {"list_year": 2023, "iso3": "ZWE", "change": "added"},
        {"list_year": 2023, "iso3": "KEN", "change": "removed"},
    ]
    assert dataset_current().safeguard_lists[2023] == {"NPL", "ZWE"}


def test_world_bank_countries_set_income_groups():
    long_import("KEN,HWF_0001,2018,1.57\n", JAN)
    text = b"iso3,name,region,income_group\nKEN,Kenya,Sub-Saharan Africa,Lower middle income\n"
    run = import_file(
        text, format=SourceFormat.WORLD_BANK_COUNTRIES, file_name="c.csv", dataset="WB countries"
    )
    assert run.changed == 1
    assert Country.objects.get(iso3="KEN").income_group == "LMC"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_of_the_same_file_at_once_store_it_once():
    text = "".join(f"KEN,HWF_0001,{year},{year / 1000}\n" for year in range(1990, 2021))
    runs: list[ImportRun] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            runs.append(long_import(text, JAN))
        except BaseException as error:  # noqa: BLE001 - the test reports it below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert Observation.objects.count() == 31
    assert Source.objects.count() == 1
    assert sorted(run.created for run in runs) == [0, 31]


def test_a_visitor_sees_the_new_figures_at_once_though_pages_are_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    long_import("KEN,HWF_0001,2018,1.57\nKEN,HWF_0006,2018,11.66\n", JAN)
    url = "/en/workforce/countries/ken/"
    client.get(url)
    cached = client.get(url)
    assert cached["X-Cache"] == "hit" and "1.6" in cached.content.decode()
    long_import("KEN,HWF_0001,2018,2.43\nKEN,HWF_0006,2018,11.66\n", JUN)
    page = client.get(url)
    assert page["X-Cache"] != "hit"
    assert "2.4" in page.content.decode()
