"""The desk's environment variables, declared once with their defaults and what they do, and the paths they
give. Importing this module does not load Django's settings: `kiosk desk serve` and `check` read it before
they decide the environment the settings are made from.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.settings import Setting

ENVIRONMENT = [
    Setting(
        "KIOSK_DESK_DATA",
        "desk-data",
        "the desk's own folder (0700, with a .gitignore of everything): the "
        "SQLite database, the secret key, the LAN certificate (tls/), the "
        "server's lock (serve.lock) and pid file (serve.pid, for information "
        "only); relative to the current folder",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "PostgreSQL instead of SQLite, for a county desk: postgresql://user:password@host:5432/"
        "name, or postgresql:///name?host=/run/postgresql for a local socket",
    ),
    Setting(
        "KIOSK_DESK_CATALOGUE",
        "matters",
        "the catalogue folder the desk reads with the kiosk's loader; a change "
        "(a new publish) is picked up within a second, without a restart",
    ),
    Setting(
        "KIOSK_DESK_TOWNSHIPS",
        None,
        "the townships this desk serves, comma-separated (folders of _townships/); "
        "default: every township of the catalogue (a county desk)",
    ),
    Setting(
        "KIOSK_DESK_SEARCHES",
        None,
        "where each township's kiosk keeps the searches that got nothing (kiosk serve --searches), as "
        "township=folder pairs, comma-separated; the center head sees them on the desk",
    ),
    Setting(
        "KIOSK_DESK_CODES",
        None,
        "record number prefixes, e.g. dahepingxiang=DHP,guanzhuangzhen=GZZ; default: the "
        "pinyin initials of the township's name without 乡/镇 (大合坪乡 -> DHP)",
    ),
    Setting("KIOSK_DESK_IDLE_MINUTES", 30, "a session ends after this many minutes without a request"),
    Setting("KIOSK_DESK_LOCKOUT", 5, "failed logins (per staff id and computer) before the login is locked"),
    Setting("KIOSK_DESK_LOCKOUT_MINUTES", 15, "how long a locked login stays locked"),
    Setting(
        "KIOSK_DESK_SECRET_KEY",
        None,
        "Django's secret key; default: the key `kiosk desk init` writes to "
        "KIOSK_DESK_DATA/secret_key (readable by its owner only)",
    ),
    Setting(
        "KIOSK_DESK_CERT",
        None,
        "a certificate the county issued for the desk (PEM); default: the one "
        "`kiosk desk init` made, KIOSK_DESK_DATA/tls/cert.pem",
    ),
    Setting("KIOSK_DESK_KEY", None, "the private key of KIOSK_DESK_CERT (PEM); default KIOSK_DESK_DATA/tls/key.pem"),
    Setting(
        "KIOSK_DESK_HOSTS",
        None,
        "more host names or addresses staff may type to reach the desk, comma-separated "
        "(the certificate's names are always allowed)",
    ),
    Setting(
        "KIOSK_DESK_HTTPS",
        None,
        "set by `kiosk desk serve` when it listens off the loopback address: secure "
        "cookies, HSTS, HTTPS only; not set by hand",
    ),
    Setting(
        "KIOSK_DESK_PAUSE",
        None,
        "for the crash test only: `before-commit:FILE` or `after-commit:FILE` makes a "
        "save create FILE and wait there, so the test can kill the server at that point",
    ),
]


def env(name: str) -> str | None:
    setting = next(s for s in ENVIRONMENT if s.name == name)
    value = os.environ.get(name, "").strip()
    return value or (None if setting.default is None else str(setting.default))


DATA = Path(env("KIOSK_DESK_DATA")).resolve()
SECRET_KEY_FILE = DATA / "secret_key"
TLS_DIR = DATA / "tls"
PID_FILE = DATA / "serve.pid"  # written by gunicorn for people to read; the lock (lock.py) decides
SQLITE_FILE = DATA / "desk.sqlite3"
CATALOGUE = Path(env("KIOSK_DESK_CATALOGUE")).resolve()
TOWNSHIPS = [t.strip() for t in (env("KIOSK_DESK_TOWNSHIPS") or "").split(",") if t.strip()]
CODES = dict(pair.split("=", 1) for pair in (env("KIOSK_DESK_CODES") or "").split(",") if "=" in pair)
SEARCHES = {
    t.strip(): Path(folder.strip())
    for t, folder in (p.split("=", 1) for p in (env("KIOSK_DESK_SEARCHES") or "").split(",") if "=" in p)
}
