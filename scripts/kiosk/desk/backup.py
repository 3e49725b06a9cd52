"""`kiosk desk backup FILE` and `kiosk desk restore FILE`.

SQLite: SQLite's online backup API copies a consistent snapshot while the desk is serving (saves wait a
moment, none is lost or half-copied); the backup is an SQLite file, checked with `PRAGMA integrity_check`.
PostgreSQL: `pg_dump --format=custom` of a snapshot the desk exports (so the count it reports is the count in
the file) and `pg_restore --clean --single-transaction`. A backup is written under a temporary name and renamed: a failed backup never
leaves a half file under FILE.

Restore refuses while the desk is serving, refuses to replace a database holding records without
--force, and refuses a backup of the other kind of database. After a restore the database is migrated,
so a backup made by an older desk comes back in today's form.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from kiosk.files import alive

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; `key` and `values` make its plain-Chinese message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def backup(target: Path) -> int:
    """Write a backup of the desk's database to `target`; returns the number of records in it."""
    from django.conf import settings

    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    db = settings.DATABASES["default"]
    try:
        if db["ENGINE"].endswith("sqlite3"):
            source = sqlite3.connect(f"file:{db['NAME']}?mode=ro", uri=True, timeout=30)
            copy = sqlite3.connect(tmp)
            with copy:
                source.backup(copy, pages=1024)  # in steps: saves go on while it copies
            source.close()
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
            count = copy.execute("SELECT COUNT(*) FROM desk_application").fetchone()[0]
            copy.close()
            if ok != "ok":
                raise BackupError("desk_backup_corrupt", detail=ok)
        else:
            count = _pg_dump(db, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _pg_dump(db: dict, path: Path) -> int:
    """pg_dump of one snapshot, exported by a transaction that also counts the records it holds."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM desk_application")
        count = cursor.fetchone()[0]
        _pg("pg_dump", db, ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                            f"--file={path}", db["NAME"]])
    return count


def restore(source: Path, force: bool = False) -> int:
    """Replace the desk's database with the backup `source`; returns the number of records restored."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    source = Path(source)
    if not source.is_file():
        raise BackupError("desk_restore_no_file", file=source)
    if serving():
        raise BackupError("desk_restore_while_serving")
    head = source.read_bytes()[:16]
    db = settings.DATABASES["default"]
    sqlite = db["ENGINE"].endswith("sqlite3")
    if sqlite and not head.startswith(SQLITE_MAGIC) or not sqlite and not head.startswith(PGDUMP_MAGIC):
        kind = "SQLite" if head.startswith(SQLITE_MAGIC) else "PostgreSQL" if head.startswith(PGDUMP_MAGIC) else "?"
        raise BackupError("desk_restore_wrong_kind", kind=kind, here="SQLite" if sqlite else "PostgreSQL")
    if not force and _count() > 0:
        raise BackupError("desk_restore_not_empty", count=_count())
    connections.close_all()
    if sqlite:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        ok = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError("desk_backup_corrupt", detail=ok)
        target = sqlite3.connect(db["NAME"], timeout=30)
        with target:
            backup_db.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        backup_db.close()
    else:
        _pg("pg_restore", db, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                               f"--dbname={db['NAME']}", str(source)])
    connections.close_all()
    call_command("migrate", interactive=False, verbosity=0)
    return _count()


def serving() -> bool:
    """Whether `kiosk desk serve` is running on this data folder (its pid file names a live process)."""
    from django.conf import settings

    try:
        pid = int(settings.PID_FILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    return alive(pid)


def _count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT COUNT(*) FROM desk_application")
        except Exception:  # no table yet: an empty database
            return 0
        return cursor.fetchone()[0]


def _pg(tool: str, db: dict, args: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError("desk_pg_tool_missing", tool=tool)
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError("desk_pg_tool_failed", tool=tool, detail=done.stderr.strip()[-500:])
