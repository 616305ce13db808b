"""`manage.py library_import`: the same per-row report as the admin's preview, a dry run that
saves nothing, and a second run that creates nothing new."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hw4all.library.models import Resource

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def run(*args) -> str:
    out = StringIO()
    call_command("library_import", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_dry_run_reports_each_row_and_saves_nothing():
    report = run(SAMPLES / "zotero-export-bad.csv", "--dry-run")
    lines = report.splitlines()
    assert lines[0] == "Row 2: new — Human resources for health in Romania: a national analysis"
    assert lines[1] == "Row 5: error — (no title)"
    assert lines[2] == "    error: The title is missing."
    assert "    warning: Unknown type “statute”: imported as a report." in lines
    assert "7 rows (csv): 2 new, 0 updates, 5 with errors." in lines
    assert lines[-1] == "Dry run: nothing saved."
    assert not Resource.objects.exists()


@pytest.mark.parametrize("name", ["zotero-export.csv", "library.ris", "library.json"])
def test_importing_twice_creates_once(name):
    assert "Created 6, updated 0, skipped 0 with errors." in run(SAMPLES / name)
    code = Resource.objects.get(title__startswith="WHO Global Code of Practice")
    second = run(SAMPLES / name)
    assert f"updates #{code.pk} — WHO Global Code of Practice" in second
    assert "Created 0, updated 6, skipped 0 with errors." in second
    assert Resource.objects.count() == 6


def test_the_format_may_be_given(tmp_path):
    export = tmp_path / "export.txt"
    export.write_bytes((SAMPLES / "library.json").read_bytes())
    assert "6 rows (csl-json)" in run(export, "--dry-run")
    with pytest.raises(CommandError, match="no “Title” column"):
        run(export, "--format", "csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        ("Title\nSanté\n".encode("utf-16"), "The file is not UTF-8 text."),
        (b"TY  - RPRT\nTI  - Cut short\n", "1 rows (ris): 0 new, 0 updates, 1 with errors."),
    ],
)
def test_bad_files_are_answered_with_the_importers_message(tmp_path, data, message):
    path = tmp_path / "export"
    path.write_bytes(data)
    try:
        output = run(path)
    except CommandError as error:
        output = str(error)
    assert message in output
    assert not Resource.objects.exists()


def test_a_file_over_the_limit_is_refused(tmp_path, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes(b"Title\n" + b"Health workforce\n" * 70_000)
    with pytest.raises(CommandError, match=r"larger than 1\.0\sMB"):
        run(path)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "nowhere.csv")
