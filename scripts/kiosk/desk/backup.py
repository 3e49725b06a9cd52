"""`kiosk desk backup FILE [--passphrase]` and `kiosk desk restore FILE`.

SQLite: SQLite's online backup API copies a consistent snapshot while the desk is serving (saves wait a
moment, none is lost or half-copied); the backup is an SQLite file, checked with `PRAGMA integrity_check`.
PostgreSQL: `pg_dump --format=custom` of a snapshot the desk exports (so the count it reports is the count in
the file) and `pg_restore --clean --single-transaction`. A backup is written under a temporary name and
renamed: a failed backup never leaves a half file under FILE.

A backup cannot be used to get in: the file is created readable by its owner only (0600, from its first
byte: mkstemp), a folder it makes is 0700, and the logins of the moment are not in it (the sessions and the
lockout's attempts: their rows are deleted from the SQLite copy with secure_delete on, so their bytes are
overwritten, or left out by pg_dump --exclude-table-data). With a passphrase the file is encrypted
(backup_crypt.py); the clear copy is then made inside the data folder, never where the encrypted file goes.

Restore refuses while anything holds the data folder's lock (a server, even workers a kill -9 left: lock.py),
refuses to replace a database holding records without --force, and refuses a backup of the other kind of
database. An encrypted backup is decrypted to a private temporary file in the data folder and restored
only once every chunk checked out. After a restore the database is migrated, so a backup made by an older
desk comes back in today's form, and sessions and lockouts are emptied (a backup from before they were
left out logs nobody in either).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from . import backup_crypt, lock

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
MAGICS = (SQLITE_MAGIC, PGDUMP_MAGIC, backup_crypt.MAGIC)
# who is logged in and who failed to: never in a backup, emptied after a restore (children first)
LOGIN_TABLES = (
    "django_session",
    "axes_accessattemptexpiration",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
)


class BackupError(Exception):
    """A backup or restore that cannot be done; `key` and `values` make its plain-Chinese message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def backup(target: Path, passphrase: str | None = None) -> int:
    """Write a backup of the desk's database to `target` (encrypted with `passphrase` when given); returns
    the number of records in it."""
    from django.conf import settings

    target = Path(target).absolute()
    _make_folder(target.parent)
    db = settings.DATABASES["default"]
    plain = _private_file(settings.DATA if passphrase else target.parent)
    sealed = _private_file(target.parent) if passphrase else None
    try:
        count = _sqlite_copy(db, plain) if db["ENGINE"].endswith("sqlite3") else _pg_dump(db, plain)
        if sealed:
            with open(plain, "rb") as src, open(sealed, "wb") as dst:
                backup_crypt.encrypt(src, dst, passphrase)
                dst.flush()
                os.fsync(dst.fileno())
        os.replace(sealed or plain, target)
    finally:
        plain.unlink(missing_ok=True)
        if sealed:
            sealed.unlink(missing_ok=True)
    return count


def _make_folder(folder: Path) -> None:
    """The backup's folder and any missing parent, each made 0700 (the backups in it are nobody else's)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for f in reversed(missing):
        os.mkdir(f, 0o700)


def _private_file(folder: Path) -> Path:
    """A new empty file readable by its owner only, from the start (mkstemp creates it 0600)."""
    fd, name = tempfile.mkstemp(prefix=".desk-backup-", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(name)


def _sqlite_copy(db: dict, path: Path) -> int:
    source = sqlite3.connect(f"file:{db['NAME']}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(path)
    try:
        with copy:
            source.backup(copy, pages=1024)  # in steps: saves go on while it copies
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        with copy:
            for table in LOGIN_TABLES:
                if table in tables:
                    copy.execute(f'DELETE FROM "{table}"')
        ok = copy.execute("PRAGMA integrity_check").fetchone()[0]
        count = copy.execute("SELECT COUNT(*) FROM desk_application").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if ok != "ok":
        raise BackupError("desk_backup_corrupt", detail=ok)
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
        # --file names the 0600 file made already: pg_dump truncates it and its mode stays
        _pg(
            "pg_dump",
            db,
            [
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                *[f"--exclude-table-data={t}" for t in LOGIN_TABLES],
                f"--file={path}",
                db["NAME"],
            ],
        )
    return count


def restore(source: Path, force: bool = False, ask_passphrase=None) -> int:
    """Replace the desk's database with the backup `source`; returns the number of records restored.
    `ask_passphrase()` gives the passphrase of an encrypted backup (it is asked only for one)."""
    from django.conf import settings

    source = Path(source)
    if not source.is_file():
        raise BackupError("desk_restore_no_file", file=source)
    try:
        with lock.exclusive(settings.DATA):
            return _restore(source, force, ask_passphrase)
    except lock.Held as held:
        raise BackupError("desk_restore_while_serving", who=lock.who(held.pids)) from None


def _restore(source: Path, force: bool, ask_passphrase) -> int:
    from django.conf import settings

    head = _head(source)
    if not head.startswith(MAGICS):
        raise BackupError("desk_restore_unknown", file=source)
    encrypted = backup_crypt.is_encrypted(head)
    if not encrypted:
        _check_kind(head)
    if not force and _count() > 0:
        raise BackupError("desk_restore_not_empty", count=_count())
    if not encrypted:
        return _restore_plain(source)
    if ask_passphrase is None:
        raise BackupError("desk_restore_needs_passphrase", file=source)
    passphrase = ask_passphrase()
    plain = _private_file(settings.DATA)
    try:
        with open(source, "rb") as src, open(plain, "wb") as dst:
            try:
                backup_crypt.decrypt(src, dst, passphrase)
            except backup_crypt.Failed as e:
                raise BackupError(e.key, file=source, **e.values) from None
        _check_kind(_head(plain))
        return _restore_plain(plain)
    finally:
        plain.unlink(missing_ok=True)


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)


def _check_kind(head: bytes) -> None:
    from django.conf import settings

    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if sqlite != head.startswith(SQLITE_MAGIC):
        raise BackupError(
            "desk_restore_wrong_kind",
            kind="SQLite" if head.startswith(SQLITE_MAGIC) else "PostgreSQL",
            here="SQLite" if sqlite else "PostgreSQL",
        )


def _restore_plain(source: Path) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    db = settings.DATABASES["default"]
    connections.close_all()
    if db["ENGINE"].endswith("sqlite3"):
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupError("desk_restore_corrupt", file=source, detail=ok)
            target = sqlite3.connect(db["NAME"], timeout=30)
            with target:
                backup_db.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.close()
        except sqlite3.DatabaseError as e:  # not a database after all: cut short, overwritten
            raise BackupError("desk_restore_corrupt", file=source, detail=str(e)) from None
        finally:
            backup_db.close()
    else:
        _pg(
            "pg_restore",
            db,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={db['NAME']}",
                str(source),
            ],
        )
    connections.close_all()
    call_command("migrate", interactive=False, verbosity=0)
    _forget_logins()
    return _count()


def _forget_logins() -> None:
    from django.db import connection

    names = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in LOGIN_TABLES:
            if table in names:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


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
