"""`manage.py backup` and `manage.py restore`: the archive is private and self-describing, and a
restore refuses a damaged, hostile or mismatched archive, or a site holding data without --yes,
before it changes anything. The round trip of a populated site is in tests/test_backup.py."""

import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from hw4all.core.backup import BackupError, pg_binary
from hw4all.core.tests.snapshots import database_snapshot, media_snapshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(settings, tmp_path):
    """A little site: groups in the database, files in the media folder."""
    settings.VAR_DIR = tmp_path / "var"
    for name in ("Country focal points", "Translators"):
        Group.objects.create(name=name)
    default_storage.save("documents/report.txt", ContentFile(b"Health workers for all.\n"))
    default_storage.save("images/logo.png", ContentFile(bytes(range(256)) * 8))


@pytest.fixture
def archive(site, tmp_path) -> Path:
    path = tmp_path / "site.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as source:
        return {member.name: source.extractfile(member).read() for member in source.getmembers()}


def rewrite(
    source: Path,
    target: Path,
    *,
    extra: tuple[tuple[tarfile.TarInfo, bytes], ...] = (),
    rename: dict[str, str] | None = None,
    manifest_change=None,
) -> Path:
    """`source` rewritten as a backup would write it, with members added or renamed and the
    manifest changed, every checksum in it correct: only the checks on names, types and contents
    can refuse it."""
    rename = rename or {}
    contents = members(source)
    manifest = json.loads(contents.pop("manifest.json"))
    for entry in manifest["files"]:
        entry["name"] = rename.get(entry["name"], entry["name"])
    if manifest_change:
        manifest_change(manifest)
    with tarfile.open(target, "w:gz") as archive:
        for name, data in contents.items():
            member = tarfile.TarInfo(rename.get(name, name))
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
        for member, data in extra:
            archive.addfile(member, io.BytesIO(data) if member.isreg() else None)
            manifest["files"].append(
                {"name": member.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
        data = json.dumps(manifest).encode()
        member = tarfile.TarInfo("manifest.json")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    return target


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_backup_is_private_and_lists_every_file_with_its_checksum(site, tmp_path):
    out = io.StringIO()
    call_command("backup", stdout=out)

    (path,) = (tmp_path / "var" / "backups").iterdir()
    assert path.name.startswith("hw4all-") and path.name.endswith(".tar.gz")
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert str(path) in out.getvalue() and "2 media files" in out.getvalue()
    with tarfile.open(path) as source:
        names = source.getnames()
    assert names[-1] == "manifest.json"
    contents = members(path)
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format"] == "hw4all-backup" and manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["auth"]
    listed = {entry["name"]: entry for entry in manifest["files"]}
    assert set(listed) == set(contents) - {"manifest.json"}
    assert {"media/documents/report.txt", "media/images/logo.png", manifest["database"]["member"]} == set(
        listed
    )
    for name, entry in listed.items():
        assert (entry["size"], entry["sha256"]) == (
            len(contents[name]),
            hashlib.sha256(contents[name]).hexdigest(),
        )
    assert contents["media/documents/report.txt"] == b"Health workers for all.\n"
    # Nothing half-written is left beside it.
    assert list(path.parent.iterdir()) == [path]


def test_a_backup_never_overwrites_a_file(archive):
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == before


def test_check_proves_an_archive_whole_and_changes_nothing(archive):
    Group.objects.create(name="Added after the backup")
    assert "is whole: 3 files" in restore(archive, "--check")
    assert Group.objects.filter(name="Added after the backup").exists()


def test_without_yes_a_database_holding_data_is_not_replaced(archive):
    Group.objects.create(name="Added after the backup")
    default_storage.save("documents/new.txt", ContentFile(b"new"))
    before, files = database_snapshot(), media_snapshot()

    with pytest.raises(CommandError, match="--yes"):
        restore(archive)

    assert database_snapshot() == before and media_snapshot() == files


def test_a_restore_brings_back_rows_and_files_and_clears_the_cache(archive):
    from django.core.cache import cache

    before, files = database_snapshot(), media_snapshot()
    Group.objects.filter(name="Translators").delete()
    Group.objects.create(name="Added after the backup")
    default_storage.delete("documents/report.txt")
    default_storage.save("documents/new.txt", ContentFile(b"new"))
    cache.set("page", "stale")

    assert "Restored from" in restore(archive, "--yes")

    assert database_snapshot() == before and media_snapshot() == files
    assert cache.get("page") is None


def _flip(data: bytes, where: str) -> bytes:
    damaged = bytearray(data)
    if where == "truncated":
        return bytes(damaged[: len(damaged) * 2 // 3])
    # The middle of the compressed stream, or gzip's trailer (the CRC of everything).
    damaged[len(damaged) // 2 if where == "middle" else -6] ^= 0x01
    return bytes(damaged)


@pytest.mark.parametrize("where", ["middle", "trailer", "truncated"])
def test_a_damaged_archive_is_refused_and_nothing_changes(archive, where):
    archive.write_bytes(_flip(archive.read_bytes(), where))
    Group.objects.create(name="Added after the backup")
    default_storage.save("documents/new.txt", ContentFile(b"new"))
    before, files = database_snapshot(), media_snapshot()

    with pytest.raises(CommandError, match="damaged|truncated|checksum"):
        restore(archive, "--yes")

    assert database_snapshot() == before and media_snapshot() == files
    assert not [path for path in archive.parent.iterdir() if path.name.startswith(".hw4all-restore-")]


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tuple[tarfile.TarInfo, bytes]:
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = link
    data = b"written by a hostile archive" if kind == tarfile.REGTYPE else b""
    member.size = len(data)
    return member, data


@pytest.mark.parametrize(
    ("name", "kind", "link"),
    [
        ("media/../../escape.txt", tarfile.REGTYPE, ""),
        ("media/documents/../../../escape.txt", tarfile.REGTYPE, ""),
        ("{tmp}/escape.txt", tarfile.REGTYPE, ""),
        ("media/link.txt", tarfile.SYMTYPE, "../../escape.txt"),
        ("media/hard.txt", tarfile.LNKTYPE, "manifest.json"),
        ("media/fifo", tarfile.FIFOTYPE, ""),
        ("settings.py", tarfile.REGTYPE, ""),
    ],
    ids=["dotdot", "nested-dotdot", "absolute", "symlink", "hardlink", "fifo", "outside-media"],
)
def test_an_archive_reaching_outside_the_media_folder_is_refused(archive, tmp_path, name, kind, link):
    hostile = _member(name.format(tmp=tmp_path), kind, link)
    hostile_archive = rewrite(archive, tmp_path / "hostile.tar.gz", extra=(hostile,))
    before, files = database_snapshot(), media_snapshot()

    with pytest.raises(CommandError, match="refused"):
        restore(hostile_archive, "--yes")

    assert database_snapshot() == before and media_snapshot() == files
    assert not list(tmp_path.parent.rglob("escape.txt"))


def test_an_archive_in_a_newer_format_is_refused(archive, tmp_path):
    newer = rewrite(archive, tmp_path / "newer.tar.gz", manifest_change=lambda m: m.update(format_version=2))
    with pytest.raises(CommandError, match="format 2"):
        restore(newer, "--yes")


def test_an_archive_from_another_database_vendor_is_refused(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    names = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}

    def vendor(manifest):
        manifest["database"] = {"vendor": other, "member": names[other]}

    foreign = rewrite(
        archive,
        tmp_path / "foreign.tar.gz",
        rename={names[connection.vendor]: names[other]},
        manifest_change=vendor,
    )
    before = database_snapshot()
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        restore(foreign, "--yes")
    assert database_snapshot() == before


def test_an_archive_made_by_newer_code_is_refused(archive, tmp_path):
    newer = rewrite(
        archive,
        tmp_path / "newer.tar.gz",
        manifest_change=lambda m: m["migrations"].setdefault("core", []).append("9999_from_the_future"),
    )
    before = database_snapshot()
    with pytest.raises(CommandError, match="core.9999_from_the_future"):
        restore(newer, "--yes")
    assert database_snapshot() == before


def test_a_member_not_in_the_manifest_is_refused(archive, tmp_path):
    member, data = _member("media/documents/smuggled.txt")
    contents = members(archive)
    with tarfile.open(tmp_path / "smuggled.tar.gz", "w:gz") as target:
        for name, content in [*contents.items(), (member.name, data)]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            target.addfile(info, io.BytesIO(content))
    with pytest.raises(CommandError, match="does not list"):
        restore(tmp_path / "smuggled.tar.gz", "--yes")


def test_a_backup_taken_while_the_site_writes_is_a_consistent_snapshot(archive, tmp_path):
    """Rows a writer adds one after the other: the archive has exactly the first k of them."""
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        try:
            n = 0
            while not stop.is_set():
                Group.objects.create(name=f"writer-{n:05d}")
                written.append(n)
                n += 1
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        at_start = len(written)
        call_command("backup", output=str(tmp_path / "busy.tar.gz"), stdout=io.StringIO())
        at_end = len(written)
    finally:
        stop.set()
        writer.join()

    restore(tmp_path / "busy.tar.gz", "--yes")
    names = sorted(Group.objects.filter(name__startswith="writer-").values_list("name", flat=True))
    assert at_start <= len(names) <= at_end + 1
    assert names == [f"writer-{n:05d}" for n in range(len(names))]


def test_postgresql_programs_come_from_hw4all_pg_bin_first(settings, tmp_path):
    settings.HW4ALL_PG_BIN = str(tmp_path)
    with pytest.raises(BackupError, match="holds no executable pg_dump"):
        pg_binary("pg_dump")
    program = tmp_path / "pg_dump"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert pg_binary("pg_dump") == str(program)


def test_postgresql_programs_come_from_path_before_the_debian_folders(settings, tmp_path, monkeypatch):
    settings.HW4ALL_PG_BIN = ""
    monkeypatch.delenv("HW4ALL_PG_BIN", raising=False)
    program = tmp_path / "pg_restore"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pg_binary("pg_restore") == str(program)


def test_a_missing_postgresql_program_is_named_with_the_way_to_fix_it(settings, tmp_path, monkeypatch):
    settings.HW4ALL_PG_BIN = ""
    monkeypatch.delenv("HW4ALL_PG_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_nonexistent was not found.*HW4ALL_PG_BIN"):
        pg_binary("pg_nonexistent")


def test_a_gzip_file_that_is_no_tar_is_refused(site, tmp_path):
    path = tmp_path / "not-a-backup.tar.gz"
    path.write_bytes(gzip.compress(b"just some text, no archive"))
    with pytest.raises(CommandError, match="damaged|no manifest"):
        restore(path, "--yes")
