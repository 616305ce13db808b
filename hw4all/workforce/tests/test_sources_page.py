"""The public sources page: each file the figures come from, and what a newer one changed."""

import datetime

import pytest

from hw4all.workforce.models import SourceFormat
from hw4all.workforce.services.imports import import_file

pytestmark = pytest.mark.django_db


def density_import(value: str, date: datetime.date):
    return import_file(
        f"iso3,indicator,year,value\nKEN,HWF_0001,2018,{value}\nNPL,HWF_0001,2018,0.9\n".encode(),
        format=SourceFormat.LONG,
        file_name=f"density-{date}.csv",
        dataset="WHO Global Health Observatory",
        publisher="World Health Organization",
        url="https://www.who.int/data/gho",
        licence="CC BY-NC-SA 3.0 IGO",
        file_date=date,
    )


def test_the_sources_page_lists_each_file_with_its_provenance(client):
    run = density_import("1.57", datetime.date(2022, 1, 24))
    page = client.get("/en/workforce/sources/").content.decode()
    assert "WHO Global Health Observatory" in page
    assert "World Health Organization" in page
    assert "CC BY-NC-SA 3.0 IGO" in page
    assert 'href="https://www.who.int/data/gho"' in page
    assert "Jan. 24, 2022" in page
    assert "2 figures, 2 current" in page
    assert f"/workforce/sources/{run.source_id}/" in page


def test_a_sources_page_lists_what_the_newer_file_changed(client):
    density_import("1.57", datetime.date(2022, 1, 24))
    run = density_import("1.6", datetime.date(2022, 6, 1))
    page = client.get(f"/en/workforce/sources/{run.source_id}/").content.decode()
    assert "This file changed 1 figure" in page
    assert "<td>KEN</td>" in page and "1.57" in page and "1.6" in page
    assert "density-2022-01-24.csv" in page
    index = client.get("/en/workforce/sources/").content.decode()
    assert "2 figures, 1 current" in index


@pytest.mark.permission("workforce:source", "public")
def test_an_unknown_source_is_not_found(client):
    assert client.get("/en/workforce/sources/999/").status_code == 404


def test_the_page_is_served_in_each_language(client):
    density_import("1.57", datetime.date(2022, 1, 24))
    response = client.get("/fr/workforce/sources/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()
