"""The two-page PDF briefing: exactly two A4 pages whatever the country holds, the profile's
figures in its text, in the language asked, and kept in the cache per data version."""

import pypdfium2
import pytest
from django.core.cache import cache

from hw4all.workforce.factories import country_create
from hw4all.workforce.models import ImportRun, SourceFormat

from .profile_data import profile_world

pytestmark = [pytest.mark.django_db, pytest.mark.cache]

A4 = (595, 842)  # points


@pytest.fixture
def world():
    profile_world()


def pages(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    for page in document:
        assert tuple(round(side) for side in page.get_size()) == A4
    return [page.get_textpage().get_text_range() for page in document]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_country_with_everything_fits_two_pages(client, world):
    first, second = pages(client.get("/en/workforce/countries/ken/briefing.pdf"))
    first, second = flat(first), flat(second)
    assert "Kenya" in first
    assert "Doctors per 10,000 1.6 2018; WHO GHO" in first
    assert "Population 53,000,000 2020; World Bank" in first
    # The chart drawn from its SVG: its title and axis are text in the PDF.
    assert "Health workers per 10,000 population in Kenya, against the threshold" in first
    assert "SDG threshold: 44.5 per 10,000" in first
    # (44.5 − 13.3) × 5,300 = 165,360.
    assert "165,360 doctors, nurses and midwives were missing in 2020" in second
    assert "Kenya is on the 2023 list. It meets both criteria in the data." in second
    assert "940 doctors trained in Kenya" in second and "12.9 %" in second
    assert "Made on" in second
    assert "http://testserver/en/workforce/countries/ken/" in second


def test_a_destination_with_many_origins_fits_two_pages(client, world):
    first, second = pages(client.get("/en/workforce/countries/gbr/briefing.pdf?threshold=2006"))
    assert "No shortage in 2020" in flat(second)
    assert "32,000 doctors trained abroad" in flat(second)


def test_a_country_without_data_still_gives_two_pages(client, world):
    country_create("NIU", "WPR")
    first, second = pages(client.get("/en/workforce/countries/niu/briefing.pdf"))
    assert "We hold no health-workforce figures for Niue" in flat(first)
    assert "The shortage for 2020 cannot be given" in flat(second)


def test_the_briefing_in_french(client, world):
    first, _second = pages(client.get("/fr/workforce/countries/ken/briefing.pdf"))
    assert "13,3" in flat(first)


def test_the_briefing_follows_the_year_asked(client, world):
    first, second = pages(client.get("/en/workforce/countries/ken/briefing.pdf?year=2010"))
    assert "Figures for 2010" in flat(first)
    assert "The shortage for 2010 cannot be given" in flat(second)


def test_a_bad_parameter_gives_the_default_briefing(client, world):
    first, _second = pages(client.get("/en/workforce/countries/ken/briefing.pdf?year=abc&threshold=x"))
    assert "Figures for 2020" in flat(first)


def test_the_briefing_is_kept_per_data_version_language_and_parameters(client, world):
    run = ImportRun.objects.create(format=SourceFormat.LONG, file_name="test.csv")
    cache.clear()
    client.get("/en/workforce/countries/ken/briefing.pdf")
    assert cache.get(f"workforce:briefing:{run.pk}:ken:en:2020:sdg") is not None
    assert cache.get(f"workforce:briefing:{run.pk}:ken:fr:2020:sdg") is None
    # Another import: another version, made again.
    newer = ImportRun.objects.create(format=SourceFormat.LONG, file_name="test.csv")
    client.get("/en/workforce/countries/ken/briefing.pdf")
    assert cache.get(f"workforce:briefing:{newer.pk}:ken:en:2020:sdg") is not None
