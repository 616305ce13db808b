"""The workforce pages as schema.org Datasets: who made the figures, the year, the place, and
where to fetch them."""

import pytest

from hw4all.core.tests.metadata import json_ld, meta

from .profile_data import profile_world

pytestmark = pytest.mark.django_db


def test_country_profile_is_a_dataset_of_its_country(client):
    profile_world()
    response = client.get("/en/workforce/countries/ken/")
    data = json_ld(response)
    assert data["@type"] == "Dataset"
    assert data["name"] == "Kenya: health workforce profile"
    assert data["description"] == meta(response, "og:description")[0]
    assert data["spatialCoverage"] == {"@type": "Place", "name": "Kenya"}
    assert [creator["name"] for creator in data["creator"]] == [
        "World Health Organization",
        "World Bank",
        "OECD",
    ]
    assert data["isAccessibleForFree"] is True
    assert data["temporalCoverage"] == "2020"
    assert data["license"] == "http://testserver/en/workforce/sources/"
    downloads = {download["encodingFormat"]: download["contentUrl"] for download in data["distribution"]}
    assert downloads["application/json"] == "http://testserver/api/v1/workforce/countries/KEN/profile/"
    assert client.get(downloads["application/json"]).status_code == 200
    assert downloads["text/csv"].startswith("http://testserver/en/workforce/charts/density_history.csv?")
    assert client.get(downloads["text/csv"]).status_code == 200


def test_world_overview_is_a_dataset_with_the_map_as_csv(client):
    profile_world()
    data = json_ld(client.get("/en/workforce/"))
    assert data["@type"] == "Dataset"
    assert data["name"] == "Health-workforce data"
    assert "spatialCoverage" not in data
    assert data["temporalCoverage"] == "2020"
    downloads = {download["encodingFormat"]: download["contentUrl"] for download in data["distribution"]}
    assert downloads["application/json"] == "http://testserver/api/v1/workforce/countries/"
    assert client.get(downloads["application/json"]).status_code == 200
    assert downloads["text/csv"].startswith("http://testserver/en/workforce/charts/density_map.csv?")
    assert client.get(downloads["text/csv"]).status_code == 200
