"""A build that would change nothing is not done again: `kiosk build` keeps, beside the live site, a record
of what it was built from, and the next build from the same comes back at once (as make does).

The record (`.<site>-record.json`, beside the site's link, never served) holds one key of every input: the
bytes of mkdocs.yml, of every file of the catalogue folder, the hand-written pages and the theme overrides,
and of the kiosk package's own code and templates; the site's settings, every environment setting
(kiosk.settings.ENVIRONMENT) and the township; today (a page can say what a date is by it); the versions of
what renders the site; whether espeak-ng and opusenc are there to speak; the version of the stroke-order
data handwriting's templates come from. Beside the key, every file of the
live site with its size and modification time: a site changed or damaged by hand is built again. Anything
different builds again; `kiosk build --force` always does.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import clock, settings
from ..files import atomic_write
from ..printing.context import BuildContext
from . import speech, strokes

RENDERS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "weasyprint", "qrcode", "pypinyin")


def key(ctx: BuildContext, config_file: Path, folders: list[Path]) -> str:
    """One hash of everything the site of `ctx` is made from (`folders`: the catalogue, the hand-written
    pages, the theme overrides; the package's own folder is added)."""
    h = hashlib.sha256()
    for name, value in _facts(ctx):
        h.update(f"{name}\0{value}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for path in [Path(config_file).resolve()] + sorted(f for folder in [*folders, package] for f in _files(folder)):
        h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _facts(ctx: BuildContext):
    yield "township", ctx.township
    yield "settings", json.dumps(asdict(ctx.settings), sort_keys=True, default=str)
    for s in settings.ENVIRONMENT:
        yield s.name, settings.env(s.name)
    yield "today", clock.today().isoformat()
    yield "speech", speech.available()
    yield "strokes", strokes.dataset_version(ctx.strokes)
    for name in RENDERS:
        try:
            yield name, version(name)
        except PackageNotFoundError:
            yield name, "-"


def _files(folder: Path) -> list[Path]:
    """Every file under `folder` (none when it is not there), but compiled Python."""
    if not folder.is_dir():
        return []
    return [
        Path(root) / name
        for root, dirs, names in os.walk(folder)
        if "__pycache__" not in root
        for name in names
        if not name.endswith(".pyc")
    ]


def _outputs(site: Path) -> dict[str, list[int]]:
    """Every file of the live site with its size and modification time."""
    out = {}
    for path in _files(site.resolve()):
        st = path.stat()
        out[str(path)] = [st.st_size, st.st_mtime_ns]
    return out


def record_of(site: Path) -> Path:
    return site.parent / f".{site.name}-record.json"


def unchanged(site: Path, wanted: str) -> bool:
    """Whether the live `site` was built from `wanted` and is as that build left it."""
    try:
        record = json.loads(record_of(site).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    return (
        isinstance(record, dict)
        and record.get("key") == wanted
        and record.get("site") == os.path.realpath(site)
        and record.get("files") == _outputs(site)
    )


def write(site: Path, made_from: str) -> None:
    """Record the live `site` as built from `made_from`."""
    record = {"key": made_from, "site": os.path.realpath(site), "files": _outputs(site)}
    atomic_write(record_of(site), json.dumps(record, sort_keys=True).encode("utf-8"))


def forget(site: Path) -> None:
    """No record: the next build builds (before a build replaces the site, and when it fails)."""
    record_of(site).unlink(missing_ok=True)
