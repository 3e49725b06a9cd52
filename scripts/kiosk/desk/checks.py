"""`kiosk desk check`: what is unsafe or missing on this machine, in plain Chinese.

Django's deployment checks (`check --deploy`, with the settings `kiosk desk serve` would use for the
address given), each said in the words of messages.yaml (key desk_check_<id>), plus the desk's own: the
secret key, the database and its migrations, each township's catalogue, the HTTPS certificate, and whether
a database or backup in the data folder (a file starting as SQLite, pg_dump or an encrypted backup does)
can be read by anyone but the desk's account.
"""

from __future__ import annotations

import datetime
import os
import stat
from dataclasses import dataclass

from kiosk.problems import message

from . import config

ERROR, WARNING, OK = "error", "warning", "ok"
# Django checks that say nothing about a desk on the loopback address: only this PC reaches it, over HTTP
LOOPBACK_ONLY = {"security.W004", "security.W008", "security.W012", "security.W016", "security.W021"}
# not for a LAN address: browsers' HSTS preload list is for public domains
NOT_FOR_LAN = {"security.W021"}


@dataclass
class Finding:
    level: str
    text: str


def run(bind) -> list[Finding]:
    """Every finding for a desk that would serve on `bind` (server.Bind)."""
    from django.conf import settings
    from django.core import checks

    out: list[Finding] = []
    for m in checks.run_checks(include_deployment_checks=True):
        if bind.loopback and m.id in LOOPBACK_ONLY or m.id in NOT_FOR_LAN:
            continue
        key = "desk_check_" + m.id.replace(".", "_")
        try:
            text = message(key)
        except KeyError:
            text = message("desk_check_other", id=m.id, text=m.msg)
        out.append(Finding(ERROR if m.level >= checks.ERROR else WARNING, text))
    out += _secret_key(settings)
    out += _database()
    out += _readable_backups(settings.DATA)
    out += _catalogues()
    out += _next_year()
    if not bind.loopback:
        out += _certificate(bind)
    else:
        out.append(Finding(OK, message("desk_check_loopback", bind=str(bind))))
    return out


def _secret_key(settings) -> list[Finding]:
    if config.env("KIOSK_DESK_SECRET_KEY"):
        return [Finding(OK, message("desk_check_secret_env"))]
    path = settings.SECRET_KEY_FILE
    if not path.is_file():
        return [Finding(ERROR, message("desk_check_not_initialised"))]
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return [Finding(ERROR, message("desk_check_secret_mode", file=path, mode=oct(mode)))]
    return [Finding(OK, message("desk_check_secret_ok"))]


def _database() -> list[Finding]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        plan = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    except Exception as e:  # the database cannot be reached at all
        return [Finding(ERROR, message("desk_check_database", detail=str(e)[:200]))]
    if plan:
        return [Finding(ERROR, message("desk_check_migrations", count=len(plan)))]
    vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    return [Finding(OK, message("desk_check_database_ok", vendor=vendor))]


def _readable_backups(folder) -> list[Finding]:
    """Databases and backups in the data folder that group or others may read, and the folder itself."""
    from .backup import MAGICS

    if not folder.is_dir():
        return []
    out = []
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        out.append(Finding(WARNING, message("desk_check_data_folder_open", folder=folder, mode=oct(mode))))
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                mode = stat.S_IMODE(os.lstat(path).st_mode)
                if not mode & 0o044 or not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as f:
                    head = f.read(16)
            except OSError:
                continue
            if head.startswith(MAGICS):
                out.append(Finding(WARNING, message("desk_check_backup_readable", file=path, mode=oct(mode))))
    return out or [Finding(OK, message("desk_check_backups_ok"))]


def _catalogues() -> list[Finding]:
    from .catalogues import Unavailable, catalogues

    out = []
    served = catalogues().townships()
    if not served:
        return [Finding(ERROR, message("desk_check_no_township", folder=catalogues().folder))]
    codes: dict[str, str] = {}
    for tid in served:
        try:
            t = catalogues().get(tid)
        except Unavailable as e:
            out.append(
                Finding(
                    ERROR,
                    message(
                        "desk_check_catalogue",
                        township=tid,
                        count=len(e.problems),
                        first=str(e.problems[0]) if e.problems else "",
                    ),
                )
            )
            continue
        if t.code in codes:
            out.append(Finding(WARNING, message("desk_check_same_code", code=t.code, a=codes[t.code], b=tid)))
        codes[t.code] = tid
        out.append(
            Finding(
                OK,
                message(
                    "desk_check_catalogue_ok",
                    township=t.center.township_name,
                    code=t.code,
                    version=t.version,
                    matters=len(t.cv.matters),
                ),
            )
        )
    return out


def _next_year() -> list[Finding]:
    """From the reminder day on (KIOSK_CALENDAR_REMINDER), next year's holiday notice missing from a calendar."""
    from kiosk.clock import missing_next_year

    from .catalogues import Unavailable, catalogues
    from .deadlines import today

    years = set()
    for tid in catalogues().townships():
        try:
            t = catalogues().get(tid)
        except Unavailable:
            continue
        year = missing_next_year(t.calendar, today())
        if year:
            years.add((year, t.calendar.file))
    return [Finding(WARNING, message("calendar_next_year_missing", year=y, file=f)) for y, f in sorted(years)]


def _certificate(bind) -> list[Finding]:
    from . import server, tls

    cert = server.certificate()
    if cert is None:
        return [Finding(ERROR, message("desk_check_no_certificate"))]
    out = []
    left = cert.not_after - datetime.datetime.now(datetime.timezone.utc)
    if left.days < 0:
        out.append(Finding(ERROR, message("desk_check_certificate_expired", day=cert.not_after.date())))
    elif left.days < 30:
        out.append(Finding(WARNING, message("desk_check_certificate_expiring", day=cert.not_after.date())))
    if not tls.strict_ready(cert.cert):
        given = config.env("KIOSK_DESK_CERT")  # the county's: only its issuer can make it again
        out.append(
            Finding(
                WARNING, message("desk_check_certificate_strict_county" if given else "desk_check_certificate_strict")
            )
        )
    if bind.host not in ("0.0.0.0", "::") and bind.host not in cert.names:
        out.append(
            Finding(WARNING, message("desk_check_certificate_name", host=bind.host, names="、".join(cert.names)))
        )
    out.append(Finding(OK, message("desk_check_https", bind=str(bind), names="、".join(cert.names))))
    return out
