"""`workforce load`, `workforce import` and the demo load the shipped data folder."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hw4all.workforce.dataset import dataset_current
from hw4all.workforce.loader import DATA_FILES, data_folder, data_load
from hw4all.workforce.models import Country, ImportRun, Observation, SafeguardListEntry, Source

pytestmark = pytest.mark.django_db


def test_loading_the_data_folder_imports_every_file_once():
    runs = data_load()
    assert {run.file_name for run in runs} == {
        data_file.file_name for data_file in DATA_FILES if (data_folder() / data_file.file_name).exists()
    }
    data = dataset_current()
    kenya = data.at("KEN", "HWF_0001", 2018)
    assert kenya is not None and kenya.value == 1.57
    assert data.countries["KEN"].who_region == "AFR"
    assert len(data.safeguard_lists[2023]) == 55
    assert not Country.objects.filter(iso3__in=["WLD", "SSF", "OWID_WRL"]).exists()
    gho = Source.objects.get(file_name="who_gho_health_workforce.csv")
    assert str(gho.file_date) == "2022-02-08"
    again = data_load()
    assert all(run.created == 0 and run.changed == 0 for run in again)
    assert sum(run.unchanged for run in again) == Observation.objects.count() + 1576 + 55


def test_the_retrieval_date_of_a_fetched_file_is_recorded(tmp_path):
    shutil.copy(data_folder() / "worldbank_population.csv", tmp_path)
    (tmp_path / "retrieved.json").write_text(
        '{"worldbank_population.csv": {"url": "https://api.worldbank.org/", "retrieved_on": "2026-11-20"}}'
    )
    (tmp_path / "notes.csv").write_text("anything\n")
    [run] = data_load(tmp_path)
    assert run.source is not None
    assert str(run.source.retrieved_on) == "2026-11-20"
    assert str(run.source.file_date) == "2026-11-20"


def test_a_fetched_file_is_dated_by_its_publisher_and_the_whos_own_index_replaces_the_copy(tmp_path):
    shutil.copy(data_folder() / "worldbank_population.csv", tmp_path)
    shutil.copy(data_folder() / "owid_uhc_service_coverage_index.csv", tmp_path)
    (tmp_path / "who_gho_uhc_index.csv").write_text(
        "iso3,indicator,year,value\nKEN,UHC_INDEX_REPORTED,2021,53.1\n", encoding="utf-8"
    )
    (tmp_path / "retrieved.json").write_text(
        '{"worldbank_population.csv": {"url": "https://api.worldbank.org/", "retrieved_on": "2026-11-20",'
        ' "file_date": "2026-10-28"},'
        ' "who_gho_uhc_index.csv": {"url": "https://ghoapi.azureedge.net/", "retrieved_on": "2026-11-20"}}'
    )
    runs = {run.file_name: run for run in data_load(tmp_path)}
    assert set(runs) == {"worldbank_population.csv", "who_gho_uhc_index.csv"}
    assert str(runs["worldbank_population.csv"].source.file_date) == "2026-10-28"
    point = dataset_current().at("KEN", "UHC_INDEX_REPORTED", 2021)
    assert point is not None and point.value == 53.1


def test_the_load_command_prints_counts_and_refuses_a_missing_folder(tmp_path):
    out = StringIO()
    shutil.copy(data_folder() / "who_ssl_2023.csv", tmp_path)
    call_command("workforce", "load", "--folder", str(tmp_path), stdout=out)
    assert "who_ssl_2023.csv: 55 lines, 55 created" in out.getvalue()
    with pytest.raises(CommandError, match="No data folder"):
        call_command("workforce", "load", "--folder", str(tmp_path / "nowhere"))


def test_the_import_command_prints_the_first_errors_and_fails_when_nothing_is_read(tmp_path):
    good = tmp_path / "uhc.csv"
    good.write_text("iso3,country,year,uhc_sci\nKEN,Kenya,2021,56\nXKX,Kosovo,2021,60\n")
    out = StringIO()
    call_command(
        "workforce",
        "import",
        str(good),
        "--format",
        "long",
        "--indicator",
        "SH.UHC.SRVS.CV.XD",
        "--value-column",
        "uhc_sci",
        "--file-date",
        "2025-01-28",
        stdout=out,
    )
    assert "1 created" in out.getvalue()
    assert "line 3: Unknown country code “XKX”." in out.getvalue()
    assert SafeguardListEntry.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    with pytest.raises(CommandError, match="Nothing could be read"):
        call_command("workforce", "import", str(bad), "--format", "long", stdout=StringIO())
    assert ImportRun.objects.count() == 2
