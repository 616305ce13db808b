"""`workforce fetch` against recorded responses of the WHO GHO and World Bank APIs, served by a
real HTTP server on 127.0.0.1 (the publishers are not reachable from the tests)."""

from __future__ import annotations

import datetime
import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hw4all.workforce import fetch, formats
from hw4all.workforce.dataset import DataSet, Point, dataset_current
from hw4all.workforce.fetch import workforce_fetch
from hw4all.workforce.formats import CountryRecord, ObservationRecord
from hw4all.workforce.loader import data_load
from hw4all.workforce.models import SourceFormat
from hw4all.workforce.services.imports import import_file

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
TODAY = datetime.date(2026, 11, 30)

GHO_ROUTES = {
    "DIMENSION/COUNTRY/DimensionValues": "dimension_country.json",
    "HWF_0001?$skip=4": "HWF_0001.page2.json",
    **{code: f"{code}.json" for code in [*fetch.WHO_WORKFORCE_INDICATORS, "UHC_INDEX_REPORTED"]},
}
WB_ROUTES = {
    "country?format=json&per_page=400&page=1": "country.json",
    **{
        f"country/all/indicator/{code}?format=json&per_page=20000&page={page}": f"{code}.page{page}.json"
        for code, pages in (("SP.POP.TOTL", 2), ("SH.UHC.SRVS.CV.XD", 1))
        for page in range(1, pages + 1)
    },
}
FILES = [
    "who_gho_health_workforce.csv",
    "who_gho_uhc_index.csv",
    "worldbank_population.csv",
    "worldbank_uhc_service_coverage_index.csv",
    "worldbank_countries.csv",
]


@dataclass
class Publishers:
    """The recorded responses at /gho/api/ and /wb/v2/; `failures` makes a path answer with a
    status (or a body) the next n times before its recording."""

    base: str
    requests: Counter = field(default_factory=Counter)
    user_agents: set = field(default_factory=set)
    failures: dict = field(default_factory=dict)

    @property
    def gho(self) -> str:
        return f"{self.base}/gho/api/"

    @property
    def world_bank(self) -> str:
        return f"{self.base}/wb/v2/"

    def answer(self, path: str) -> tuple[int, bytes]:
        self.requests[path] += 1
        failure = self.failures.get(path)
        if failure and failure[1] > 0:
            failure[1] -= 1
            status_or_body = failure[0]
            return (status_or_body, b"") if isinstance(status_or_body, int) else (200, status_or_body)
        for prefix, routes, folder in (("/gho/api/", GHO_ROUTES, "gho"), ("/wb/v2/", WB_ROUTES, "worldbank")):
            if path.startswith(prefix) and path[len(prefix) :] in routes:
                text = (FIXTURES / folder / routes[path[len(prefix) :]]).read_text(encoding="utf-8")
                return 200, text.replace("{base}", self.gho).encode()
        return 404, b'{"error": "not recorded"}'


@pytest.fixture
def publishers(settings) -> Iterator[Publishers]:
    state = Publishers(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.user_agents.add(self.headers.get("User-Agent"))
            status, body = state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.WORKFORCE_GHO_API = state.gho
    settings.WORKFORCE_WORLD_BANK_API = state.world_bank
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch) -> None:
    # Retries wait seconds in a deployment; here the recorded server answers at once.
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _observations(
    path: Path, format: str, indicator: str = "", value_column: str = ""
) -> dict[tuple[str, str, int], float]:
    result = formats.parse(path, format, indicator=indicator, value_column=value_column)
    assert result.errors == []
    return {
        (record.iso3, record.indicator, record.year): record.value
        for record in result.records
        if isinstance(record, ObservationRecord)
    }


def _at(data: DataSet, iso3: str, indicator: str, year: int) -> Point:
    point = data.at(iso3, indicator, year)
    assert point is not None, (iso3, indicator, year)
    return point


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def test_the_files_written_read_back_as_the_recorded_figures(publishers, tmp_path):
    result = workforce_fetch(tmp_path, today=TODAY)

    assert result.errors == []
    assert sorted(file.name for file in result.files) == sorted(FILES)
    workforce = _observations(tmp_path / "who_gho_health_workforce.csv", "who_gho")
    # The second page (after @odata.nextLink) is read; regions, the globe and empty values are not.
    assert workforce == {
        ("AFG", "HWF_0001", 2001): 1.9,
        ("AFG", "HWF_0001", 2016): 2.8,
        ("KEN", "HWF_0001", 2018): 1.56,
        ("FRA", "HWF_0001", 2020): 32.7,
        ("CIV", "HWF_0001", 2019): 1.7,
        ("AFG", "HWF_0002", 2016): 9880,
        ("KEN", "HWF_0002", 2018): 7958,
        ("FRA", "HWF_0003", 2020): 102730,
        ("FRA", "HWF_0004", 2020): 108567,
        ("KEN", "HWF_0005", 2018): 7958,
        ("AFG", "HWF_0006", 2016): 4.5,
        ("KEN", "HWF_0006", 2018): 11.66,
        ("FRA", "HWF_0006", 2020): 114.6,
        ("CIV", "HWF_0006", 2019): 7.2,
        ("KEN", "HWF_0007", 2018): 59901,
        ("KEN", "HWF_0008", 2018): 51303,
        ("KEN", "HWF_0009", 2018): 8598,
    }
    who_rows = formats.parse(tmp_path / "who_gho_health_workforce.csv", "who_gho").records
    civ = next(
        record for record in who_rows if isinstance(record, ObservationRecord) and record.iso3 == "CIV"
    )
    assert (civ.country_name, civ.who_region, civ.file_date) == (
        "Côte d’Ivoire",
        "AFR",
        datetime.date(2022, 1, 24),
    )

    assert _observations(tmp_path / "who_gho_uhc_index.csv", "long") == {
        ("AFG", "UHC_INDEX_REPORTED", 2021): 40.6,
        ("FRA", "UHC_INDEX_REPORTED", 2021): 83.76,
        ("KEN", "UHC_INDEX_REPORTED", 2021): 52.8,
    }
    # Both pages of the population; the world aggregate is the importers' to skip.
    population = _observations(tmp_path / "worldbank_population.csv", "world_bank", indicator="SP.POP.TOTL")
    assert population == {
        ("AFG", "SP.POP.TOTL", 2020): 38972230,
        ("FRA", "SP.POP.TOTL", 2020): 67571107,
        ("KEN", "SP.POP.TOTL", 2020): 51985780,
    }
    uhc = _observations(
        tmp_path / "worldbank_uhc_service_coverage_index.csv",
        "long",
        indicator="SH.UHC.SRVS.CV.XD",
        value_column="uhc_sci",
    )
    assert uhc == {
        ("AFG", "SH.UHC.SRVS.CV.XD", 2021): 41,
        ("CIV", "SH.UHC.SRVS.CV.XD", 2021): 48,
        ("FRA", "SH.UHC.SRVS.CV.XD", 2021): 84,
        ("KEN", "SH.UHC.SRVS.CV.XD", 2021): 53,
    }
    countries = formats.parse(tmp_path / "worldbank_countries.csv", "world_bank_countries")
    assert countries.errors == []
    assert [
        (row.iso3, row.region, row.income_group)
        for row in countries.records
        if isinstance(row, CountryRecord)
    ] == [
        ("AFG", "South Asia", "LIC"),
        ("CIV", "Sub-Saharan Africa", "LMC"),
        ("FRA", "Europe & Central Asia", "HIC"),
        ("KEN", "Sub-Saharan Africa", "LMC"),
        ("VEN", "Latin America & Caribbean", ""),
    ]
    assert _leftovers(tmp_path) == []


def test_each_file_is_recorded_with_its_address_retrieval_date_and_file_date(publishers, tmp_path):
    workforce_fetch(tmp_path, today=TODAY)

    retrieved = json.loads((tmp_path / "retrieved.json").read_text())
    assert sorted(retrieved) == sorted(FILES)
    assert {entry["retrieved_on"] for entry in retrieved.values()} == {"2026-11-30"}
    population = retrieved["worldbank_population.csv"]
    assert (
        population["url"]
        == f"{publishers.world_bank}country/all/indicator/SP.POP.TOTL?format=json&per_page=20000"
    )
    # The World Bank's `lastupdated` is the file's date.
    assert population["file_date"] == "2025-07-01"
    assert retrieved["worldbank_uhc_service_coverage_index.csv"]["file_date"] == "2025-01-28"
    assert retrieved["who_gho_health_workforce.csv"]["file_date"] == "2022-02-08"
    assert f"{publishers.gho}HWF_0009" in retrieved["who_gho_health_workforce.csv"]["requests"]
    assert retrieved["who_gho_uhc_index.csv"] == {
        "url": f"{publishers.gho}UHC_INDEX_REPORTED",
        "retrieved_on": "2026-11-30",
        "file_date": "2023-12-05",
    }


def test_requests_name_the_platform(publishers, tmp_path):
    workforce_fetch(tmp_path, only="worldbank", today=TODAY)

    assert len(publishers.user_agents) == 1
    assert "Health Workers for All" in publishers.user_agents.pop()


def test_only_one_publisher_writes_its_files_and_keeps_the_others_record(publishers, tmp_path):
    (tmp_path / "retrieved.json").write_text(
        json.dumps(
            {
                "owid_uhc_service_coverage_index.csv": {
                    "url": "https://example.org",
                    "retrieved_on": "2025-02-22",
                }
            }
        )
    )

    result = workforce_fetch(tmp_path, only="who", today=TODAY)

    assert sorted(file.name for file in result.files) == [
        "who_gho_health_workforce.csv",
        "who_gho_uhc_index.csv",
    ]
    assert not (tmp_path / "worldbank_population.csv").exists()
    assert not any(path.startswith("/wb/") for path in publishers.requests)
    retrieved = json.loads((tmp_path / "retrieved.json").read_text())
    assert sorted(retrieved) == [
        "owid_uhc_service_coverage_index.csv",
        "who_gho_health_workforce.csv",
        "who_gho_uhc_index.csv",
    ]


def test_a_server_error_is_tried_again(publishers, tmp_path):
    publishers.failures["/gho/api/HWF_0003"] = [503, 1]
    publishers.failures["/wb/v2/country?format=json&per_page=400&page=1"] = [500, 2]

    result = workforce_fetch(tmp_path, today=TODAY)

    assert result.errors == []
    assert publishers.requests["/gho/api/HWF_0003"] == 2
    assert publishers.requests["/wb/v2/country?format=json&per_page=400&page=1"] == 3
    assert (tmp_path / "worldbank_countries.csv").read_text().startswith("iso3,name,region,income_group\n")


def test_a_server_failing_three_times_writes_nothing_of_its_publisher(publishers, tmp_path):
    publishers.failures["/gho/api/HWF_0007"] = [500, 3]

    result = workforce_fetch(tmp_path, today=TODAY)

    assert publishers.requests["/gho/api/HWF_0007"] == 3
    assert result.errors == [
        f"Could not reach 127.0.0.1: HTTP 500 Internal Server Error (tried 3 times; {publishers.gho}HWF_0007)."
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "retrieved.json",
        "worldbank_countries.csv",
        "worldbank_population.csv",
        "worldbank_uhc_service_coverage_index.csv",
    ]


def test_an_unreachable_publisher_is_a_clear_error_and_the_other_files_are_still_written(
    publishers, settings, tmp_path
):
    settings.WORKFORCE_GHO_API = f"http://127.0.0.1:{_closed_port()}/api/"
    earlier = "iso3,country,who_region,year,indicator_code,indicator,value,is_latest_year,date_modified\n"
    (tmp_path / "who_gho_health_workforce.csv").write_text(earlier)

    with pytest.raises(CommandError, match=r"^Could not reach 127\.0\.0\.1: .*refused"):
        call_command("workforce", "fetch", "--folder", str(tmp_path), "--timeout", "5")

    # The earlier WHO file is left as it was; the World Bank's are written and recorded.
    assert (tmp_path / "who_gho_health_workforce.csv").read_text() == earlier
    assert not (tmp_path / "who_gho_uhc_index.csv").exists()
    assert sorted(json.loads((tmp_path / "retrieved.json").read_text())) == [
        "worldbank_countries.csv",
        "worldbank_population.csv",
        "worldbank_uhc_service_coverage_index.csv",
    ]
    assert _leftovers(tmp_path) == []


def test_a_response_that_is_not_json_is_a_clear_error(publishers, tmp_path):
    publishers.failures["/gho/api/HWF_0002"] = [b"<html><body>Service maintenance</body></html>", 1]

    result = workforce_fetch(tmp_path, today=TODAY)

    assert len(result.errors) == 1
    assert result.errors[0].startswith(
        f"127.0.0.1 answered {publishers.gho}HWF_0002 with something that is not JSON"
    )
    assert not (tmp_path / "who_gho_health_workforce.csv").exists()
    assert _leftovers(tmp_path) == []


def test_json_of_another_shape_is_a_clear_error(publishers, tmp_path):
    publishers.failures["/wb/v2/country/all/indicator/SP.POP.TOTL?format=json&per_page=20000&page=2"] = [
        b'{"value": []}',
        1,
    ]

    result = workforce_fetch(tmp_path, only="worldbank", today=TODAY)

    assert result.errors == [
        f"127.0.0.1 answered {publishers.world_bank}country/all/indicator/SP.POP.TOTL?format=json&per_page=20000 "
        "with a response that is not a World Bank page."
    ]
    assert list(tmp_path.iterdir()) == []


def test_the_world_bank_refusing_a_request_names_its_message(publishers, tmp_path):
    publishers.failures[
        "/wb/v2/country/all/indicator/SH.UHC.SRVS.CV.XD?format=json&per_page=20000&page=1"
    ] = [
        b'[{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]',
        1,
    ]

    result = workforce_fetch(tmp_path, only="worldbank", today=TODAY)

    assert result.errors == [
        f"127.0.0.1 refused {publishers.world_bank}country/all/indicator/SH.UHC.SRVS.CV.XD?format=json&per_page=20000: "
        "The provided parameter value is not valid."
    ]


def test_the_command_reports_each_file(publishers, tmp_path, capsys):
    call_command("workforce", "fetch", "--folder", str(tmp_path), "--only", "worldbank")

    output = capsys.readouterr().out
    assert "worldbank_population.csv: 4 rows, file of 2025-07-01" in output
    assert "worldbank_countries.csv: 5 rows" in output


def test_the_command_refuses_a_timeout_that_is_not_positive(tmp_path):
    with pytest.raises(CommandError, match="positive"):
        call_command("workforce", "fetch", "--folder", str(tmp_path), "--timeout", "0")


@pytest.mark.django_db
def test_the_files_written_import_to_the_recorded_figures(publishers, tmp_path):
    workforce_fetch(tmp_path, today=TODAY)

    runs = data_load(tmp_path)
    who_uhc = import_file(
        tmp_path / "who_gho_uhc_index.csv",
        format=SourceFormat.LONG,
        file_name="who_gho_uhc_index.csv",
        dataset="WHO Global Health Observatory: UHC service coverage index",
        retrieved_on=TODAY,
    )

    assert [(run.file_name, run.errors) for run in [*runs, who_uhc] if run.errors] == []
    data = dataset_current()
    assert [(point.year, point.value) for point in data.points("KEN", "HWF_0001")] == [(2018, 1.56)]
    assert _at(data, "FRA", "HWF_0006", 2020).value == 114.6
    assert _at(data, "KEN", "SP.POP.TOTL", 2020).value == 51985780
    assert _at(data, "AFG", "SH.UHC.SRVS.CV.XD", 2021).value == 41
    assert _at(data, "FRA", "UHC_INDEX_REPORTED", 2021).value == 83.76
    assert (data.countries["KEN"].who_region, data.countries["KEN"].income_group) == ("AFR", "LMC")
    assert "WLD" not in data.countries
    assert _at(data, "KEN", "SP.POP.TOTL", 2020).source.retrieved_on == TODAY
