"""One archive holds the whole site: the database and every media file, with a manifest that
lets a restore prove the archive whole before it touches anything (docs/backup.md).

Layout of a backup (.tar.gz): `database/db.sqlite3` (an SQLite online backup) or
`database/db.pgdump` (pg_dump's custom format), `media/<path>` for each file under the media
storage's folder, and `manifest.json`, written last because it lists every other member with
its size and SHA-256."""

from __future__ import annotations

import contextlib
import datetime
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "hw4all-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
# A manifest lists one line per file; even a million media files stay well below this.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the operator."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    restored: bool
    notes: list[str] = field(default_factory=list)


# Where things are


def _connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("The database is in memory or named by a URI; back up a database file.")
    return Path(name)


def _media_root() -> Path | None:
    """The folder media files are stored in, or None when they are not on this machine's disk
    (object storage: back up the bucket with its own versioning or replication)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def _project_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
            return str(tomllib.load(file)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def pg_binary(name: str) -> str:
    """pg_dump or pg_restore: from HW4ALL_PG_BIN (a setting or the environment) if set, else from
    PATH, else from the newest /usr/lib/postgresql/<version>/bin (Debian installs there without
    putting every tool on PATH)."""
    override = str(getattr(settings, "HW4ALL_PG_BIN", "") or os.environ.get("HW4ALL_PG_BIN", ""))
    if override:
        candidate = Path(override) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
        raise BackupError(f"HW4ALL_PG_BIN is {override}, which holds no executable {name}.")
    found = shutil.which(name)
    if found:
        return found

    def version(folder: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", Path(folder).parent.name))

    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} was not found on PATH nor in /usr/lib/postgresql/*/bin: install PostgreSQL's "
        "client programs (as new as the server) or set HW4ALL_PG_BIN to the folder that holds them."
    )


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for the connection's parameters: the password travels in the
    environment of the child process, never on a command line others can read."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for setting, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(setting):
            environment[variable] = str(params[setting])
    if params.get("HOST"):
        environment["PGHOST"] = str(params["HOST"])
    if params.get("PORT"):
        environment["PGPORT"] = str(params["PORT"])
    options = params.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
        ("options", "PGOPTIONS"),
    ):
        if options.get(option):
            environment[variable] = str(options[option])
    return environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    # The program is found by pg_binary and every argument is ours; no shell is involved.
    completed = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        program = Path(command[0]).name
        raise BackupError(f"{program} failed ({completed.returncode}): {completed.stderr.strip()}")


# Backing up


def _database_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.vendor == "sqlite":
        source_path = _sqlite_path(connection)
        if not source_path.exists():
            raise BackupError(f"The database {source_path} does not exist.")
        # SQLite's online backup reads one consistent snapshot while the site goes on writing
        # (WAL); all pages in one step, so a concurrent write cannot make it start over.
        source = sqlite3.connect(source_path, timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif connection.vendor == "postgresql":
        _run(
            [pg_binary("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
            _pg_environment(connection),
        )
    else:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    applied: dict[str, list[str]] = {}
    if recorder.has_table():
        for app_label, name in sorted(recorder.applied_migrations()):
            applied.setdefault(app_label, []).append(name)
    return applied


def _media_files(root: Path, notes: list[str]) -> Iterator[tuple[Path, str]]:
    """Every regular file under `root` with its member name; links are left out (a link could
    point anywhere, and restoring one would let an archive reach outside the media folder)."""
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                notes.append(f"Left out {relative}: not a regular file.")
                continue
            yield path, MEDIA_PREFIX + relative


class _HashingReader:
    """Reads `size` bytes of a file for tarfile, hashing what it hands over, so that the manifest
    describes exactly the bytes in the archive even if the file changes meanwhile."""

    def __init__(self, file: IO[bytes]):
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with open(path, "rb") as file:
        status = os.fstat(file.fileno())
        member = tarfile.TarInfo(name)
        member.size = status.st_size
        member.mtime = int(status.st_mtime)
        member.mode = 0o600
        reader = _HashingReader(file)
        archive.addfile(member, reader)
    return {"name": name, "size": member.size, "sha256": reader.digest.hexdigest()}


def _default_output() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"hw4all-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write the database and every media file to one .tar.gz, readable by its owner only (it
    holds personal data). The archive appears under its name only once it is complete."""
    connection = _connection()
    target = output or _default_output()
    if target.exists():
        raise BackupError(f"{target} exists already; name another file.")
    if output is None:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    notes: list[str] = []
    files: list[dict[str, Any]] = []
    media_root = _media_root()
    if media_root is not None and target.resolve().is_relative_to(media_root.resolve()):
        raise BackupError("Write the backup outside the media folder, or it would hold itself.")
    work = Path(tempfile.mkdtemp(prefix=".hw4all-backup-", dir=target.parent))
    # mkstemp creates the file with mode 0600, before a byte of personal data is in it.
    partial_fd, partial_name = tempfile.mkstemp(
        prefix=".hw4all-backup-", suffix=".partial", dir=target.parent
    )
    os.close(partial_fd)
    partial = Path(partial_name)
    try:
        database_member = DATABASE_MEMBERS.get(connection.vendor, "")
        dump = work / "database"
        _database_dump(connection, dump)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "hw4all_version": _project_version(),
            "database": {"vendor": connection.vendor, "member": database_member},
            "migrations": _applied_migrations(connection),
            "media": {"included": media_root is not None},
            "files": files,
        }
        with open(partial, "wb") as raw:
            with (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed,
                tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
            ):
                files.append(_add_file(archive, dump, database_member))
                if media_root is None:
                    notes.append(
                        "Media files are kept in object storage, not on this machine: this archive "
                        "holds the database only. Back up the bucket with its own versioning."
                    )
                elif media_root.is_dir():
                    for path, name in _media_files(media_root, notes):
                        try:
                            files.append(_add_file(archive, path, name))
                        except FileNotFoundError:
                            notes.append(f"Left out {name}: deleted while the backup ran.")
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                member = tarfile.TarInfo(MANIFEST)
                member.size = len(data)
                member.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
                member.mode = 0o600
                archive.addfile(member, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        partial.rename(target)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"The backup could not be written: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(path=target, manifest=manifest, notes=notes)


# Reading an archive back


def _member_name_check(name: str) -> None:
    """A member's name must be one the backup writes: relative, without "." or ".." parts, so that
    nothing can be written outside the folder it is extracted to."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or not (name == MANIFEST or name in DATABASE_MEMBERS.values() or name.startswith(MEDIA_PREFIX))
    ):
        raise BackupError(f"The archive holds a member named {name!r}, which no backup writes: refused.")


@dataclass
class _Staged:
    """An archive's contents, checked and extracted to a private folder, not yet in use."""

    manifest: dict[str, Any]
    folder: Path
    database: Path
    media: Path | None


def _stream_copy(source: IO[bytes], target: Path, limit: int | None = None) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(target, "xb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if limit is not None and size > limit:
                raise BackupError("The archive's manifest is implausibly large: refused.")
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _archive_members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """Each member of the archive with its contents. gzip's own check (the CRC of everything
    decompressed) is read at the end: a changed byte anywhere is found even where no member's
    checksum covers it."""
    with open(path, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as compressed:
        with tarfile.open(fileobj=compressed, mode="r|") as archive:
            for member in archive:
                _member_name_check(member.name)
                if not member.isreg():
                    raise BackupError(f"The archive's member {member.name!r} is not a regular file: refused.")
                contents = archive.extractfile(member)
                if contents is None:
                    raise BackupError(f"The archive's member {member.name!r} cannot be read.")
                yield member, contents
        while compressed.read(CHUNK):
            pass


def _manifest_check(manifest: Any, seen: dict[str, tuple[int, str]]) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not an hw4all backup (its manifest is missing or foreign).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format {manifest.get('format_version')!r}; this version of "
            f"hw4all reads format {FORMAT_VERSION}."
        )
    listed: dict[str, tuple[int, str]] = {}
    try:
        for entry in manifest["files"]:
            _member_name_check(entry["name"])
            listed[entry["name"]] = (entry["size"], entry["sha256"])
        vendor = manifest["database"]["vendor"]
        database_member = manifest["database"]["member"]
    except (KeyError, TypeError, AttributeError) as error:
        raise BackupError("The archive's manifest is malformed.") from error
    for name in sorted(set(listed) | set(seen)):
        if name not in seen:
            raise BackupError(f"The archive lacks {name}, which its manifest lists: it is incomplete.")
        if name not in listed:
            raise BackupError(f"The archive holds {name}, which its manifest does not list: refused.")
        if seen[name] != listed[name]:
            raise BackupError(f"{name} in the archive does not match its checksum: the archive is damaged.")
    if database_member != DATABASE_MEMBERS.get(vendor) or database_member not in listed:
        raise BackupError("The archive holds no database.")
    return manifest


def _stage(archive: Path, folder: Path) -> _Staged:
    """Extract the archive to `folder`, checking every member's name, type, size and SHA-256
    against the manifest; raises BackupError unless all of it is whole."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    seen: dict[str, tuple[int, str]] = {}
    manifest: Any = None
    media = folder / "media"
    database = folder / "database"
    media.mkdir()
    try:
        for member, contents in _archive_members(archive):
            if member.name in seen or (member.name == MANIFEST and manifest is not None):
                raise BackupError(f"The archive holds {member.name} twice: refused.")
            if member.name == MANIFEST:
                manifest_file = folder / MANIFEST
                _stream_copy(contents, manifest_file, limit=MANIFEST_MAX_BYTES)
                try:
                    manifest = json.loads(manifest_file.read_bytes())
                except ValueError as error:
                    raise BackupError("The archive's manifest is not readable JSON.") from error
                continue
            if member.name.startswith(MEDIA_PREFIX):
                target = media / member.name.removeprefix(MEDIA_PREFIX)
                if not target.resolve().is_relative_to(media.resolve()):
                    raise BackupError(f"The archive's member {member.name!r} leads outside the media folder.")
                target.parent.mkdir(parents=True, exist_ok=True)
            else:
                target = database
                if database.exists():
                    raise BackupError("The archive holds two databases: refused.")
            seen[member.name] = _stream_copy(contents, target)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(f"The archive is damaged or truncated: {error}") from error
    except OSError as error:
        raise BackupError(f"The archive could not be read or extracted: {error}") from error
    if manifest is None:
        raise BackupError("The archive has no manifest: it is not a complete hw4all backup.")
    manifest = _manifest_check(manifest, seen)
    included = bool(manifest.get("media", {}).get("included"))
    return _Staged(manifest=manifest, folder=folder, database=database, media=media if included else None)


def _migrations_check(manifest: dict[str, Any]) -> None:
    """An archive made by a newer hw4all has migrations this code cannot undo or understand."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app_label}.{name}"
        for app_label, names in manifest.get("migrations", {}).items()
        for name in names
        if (app_label, name) not in known
    )
    if unknown:
        raise BackupError(
            f"The archive was made by a newer hw4all ({manifest.get('hw4all_version')}): this code "
            f"lacks its migrations {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}. "
            "Install the version that made it, restore, then upgrade."
        )


def _tables_with_rows(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "sqlite" and not _sqlite_path(connection).exists():
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        filled = []
        for table in tables:
            # The table names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                filled.append(table)
    return filled


# Putting it back


def _sqlite_restore(connection: BaseDatabaseWrapper, staged: Path) -> None:
    copy = sqlite3.connect(staged)
    try:
        try:
            (result,) = copy.execute("PRAGMA quick_check").fetchone()
        except sqlite3.Error as error:
            result = str(error)
        if result != "ok":
            raise BackupError(f"The archive's database fails SQLite's check: {result}")
        live_path = _sqlite_path(connection)
        live_path.parent.mkdir(parents=True, exist_ok=True)
        # Copied into the live file in one write transaction rather than renamed over it: a
        # process that still has the database open (a worker nobody stopped) sees the restored
        # data, where after a rename it would go on writing to the old file, and the old file's
        # write-ahead log could never be applied to the new one.
        live = sqlite3.connect(live_path, timeout=20)
        try:
            copy.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"The database could not be written: {error}") from error
        finally:
            live.close()
    finally:
        copy.close()


def _postgresql_restore(connection: BaseDatabaseWrapper, staged: Path) -> None:
    # One transaction: if any statement fails, the database is left as it was.
    _run(
        [
            pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(staged),
        ],
        _pg_environment(connection),
    )


def _media_swap(staged: Path, root: Path, folder: Path) -> None:
    """Put the staged media in place of the current ones: renaming the folders when they can be,
    moving their contents when the media folder cannot be renamed (a mount point)."""
    replaced = folder / "replaced"
    if not root.exists():
        root.parent.mkdir(parents=True, exist_ok=True)
        staged.rename(root)
        return
    try:
        root.rename(replaced)
    except OSError:
        replaced.mkdir()
        for entry in list(root.iterdir()):
            shutil.move(entry, replaced / entry.name)
        for entry in list(staged.iterdir()):
            shutil.move(entry, root / entry.name)
        return
    try:
        staged.rename(root)
    except OSError:
        replaced.rename(root)
        raise


def _caches_clear() -> None:
    for alias in settings.CACHES:
        caches[alias].clear()


@contextlib.contextmanager
def _work_folder(near: Path | None) -> Iterator[Path]:
    """A private folder (mode 0700: it holds personal data), beside the media folder when there
    is one so that the media can be swapped in by renaming."""
    parent = near.parent if near is not None and near.parent.is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix=".hw4all-restore-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backup_check(*, archive: Path) -> dict[str, Any]:
    """Prove an archive whole (every member against the manifest) without restoring it."""
    with _work_folder(_media_root()) as folder:
        return _stage(archive, folder).manifest


def backup_restore(
    *, archive: Path, replace: bool, progress: Callable[[str], None] | None = None
) -> RestoreResult:
    """Bring back the database and media of `archive`. Nothing is touched until the whole archive
    has been checked; a database that holds data is replaced only when `replace` is given."""
    connection = _connection()
    media_root = _media_root()
    notes: list[str] = []
    say = progress or (lambda message: None)
    with _work_folder(media_root) as folder:
        staged = _stage(archive, folder)
        manifest = staged.manifest
        say(f"The archive is whole: {len(manifest['files'])} files, made {manifest.get('created_at')}.")
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database and this site uses {connection.vendor}: "
                "restore it on a site configured like the one that made it."
            )
        _migrations_check(manifest)
        filled = _tables_with_rows(connection)
        if filled and not replace:
            return RestoreResult(
                manifest=manifest, restored=False, notes=[f"{len(filled)} tables hold rows."]
            )
        # Our own connections would hold the database open (SQLite) or keep locks (PostgreSQL).
        connections.close_all()
        say("Restoring the database.")
        if vendor == "sqlite":
            _sqlite_restore(connection, staged.database)
        else:
            _postgresql_restore(connection, staged.database)
        connections.close_all()
        if staged.media is None:
            notes.append(
                "The archive holds no media files (they were in object storage): media left as they are."
            )
        elif media_root is None:
            notes.append(
                "This site keeps media in object storage: the archive's media files were not restored; "
                "extract its media/ folder and upload it to the bucket."
            )
        else:
            say("Restoring the media files.")
            try:
                _media_swap(staged.media, media_root, folder)
            except OSError as error:
                raise BackupError(
                    f"The database is restored but the media files could not be put in place: {error}. "
                    "Restore again once the cause is fixed."
                ) from error
        _caches_clear()
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            notes.append("The archive predates this code's migrations: run `manage.py migrate` now.")
        connections.close_all()
    return RestoreResult(manifest=manifest, restored=True, notes=notes)
