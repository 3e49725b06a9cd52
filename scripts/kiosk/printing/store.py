"""Rendered PDFs kept by key, across builds: the only place that hashes, writes atomically and prunes.

    <folder>/<key>.pdf     the PDF
    <folder>/<key>.json    {"pages": its number of pages, "sha256": its checksum}: read instead of the PDF
    <folder>/<key>.html    the HTML it was rendered from (a kiosk's print view shows it)

Objects are never changed once written, so builds of different catalogues may share one store (a site
build hard-links from it). An object's last use is the time of its .json file: pruning keeps the ones in
use and the most recently used others.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..files import atomic_write, place, prune
from .renderer import default_renderer, render_all


class Store:
    def __init__(self, folder: Path, link: bool = False):
        self.folder, self.link = Path(folder), link
        self.fresh: set[str] = set()  # keys rendered by this build
        self._meta: dict[str, dict] = {}

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def has(self, key: str) -> bool:
        return self.path(key).is_file() and self.meta(key) is not None

    def meta(self, key: str) -> dict | None:
        if key not in self._meta:
            try:
                self._meta[key] = json.loads(self.path(key).with_suffix(".json").read_text("ascii"))
            except (FileNotFoundError, ValueError):
                return None
        return self._meta[key]

    def pages(self, key: str) -> int:
        return self.meta(key)["pages"]

    def html(self, key: str) -> str:
        """The HTML the object was rendered from."""
        return self.path(key).with_suffix(".html").read_text("utf-8")

    def render(
        self, wanted: dict[str, str], make_html, pool=None, force: bool = False, fonts: Callable[[], str] = str
    ) -> list[str]:
        """Give every key of `wanted` (name -> key) its PDF: render those the store lacks (all with
        `force`) from `make_html(name)`, on the `pool`'s processes (kiosk.printing.renderer.workers; None:
        this one), longest first, with the print font that
        `fonts()` gives (asked only when something renders); mark the rest as used. Returns WeasyPrint's
        warnings as "name: message"."""
        todo = {}
        for name, key in wanted.items():
            try:
                if force or not self.has(key):
                    raise FileNotFoundError
                self.touch(key)
            except FileNotFoundError:  # not there, or pruned by another build just now
                todo.setdefault(key, name)
        font = fonts() if todo else ""
        tasks = sorted(
            ((make_html(name), str(self.folder), key, font) for key, name in todo.items()), key=lambda t: -len(t[0])
        )
        said = []
        for (_, _, key, _), (warnings, meta) in zip(tasks, render_all(tasks, render_into, pool)):
            said += [f"{todo[key]}: {w}" for w in warnings]
            self._meta[key] = meta
            self.fresh.add(key)
        return said

    def add(self, key: str, data: bytes, pages: int) -> None:
        """Keep `data` (a PDF made elsewhere, such as the booklet put together) under `key`."""
        self._meta[key] = keep(self.folder, key, data, pages)
        self.fresh.add(key)

    def touch(self, key: str) -> None:
        """Mark an object as recently used: kept by pruning."""
        os.utime(self.path(key).with_suffix(".json"))

    def place(self, key: str, path: Path) -> str:
        """Put the object at `path`, by a copy renamed into place (with `link`, a hard link where the file
        system allows: objects are never changed); returns its SHA-256, from the store, not read again."""
        place(self.path(key), path, self.link)
        return self.meta(key)["sha256"]

    def prune(self, keep: set[str], limit: int) -> None:
        """Keep the objects in use and the most recently used others, `limit` in all (kiosk.files.prune)."""
        dated = {}
        for p in self.folder.glob("*.pdf"):
            try:
                dated[p.stem] = p.with_suffix(".json").stat().st_mtime
            except FileNotFoundError:
                dated[p.stem] = 0.0  # an object without its facts is of no use
        for key in prune(dated, keep, limit):
            for suffix in (".pdf", ".json", ".html"):
                self.path(key).with_suffix(suffix).unlink(missing_ok=True)


def render_into(html: str, folder: str, key: str, fonts: str = "") -> tuple[list[str], dict]:
    """Render `html` into the store at `folder` under `key` (in a worker process or this one)."""
    data, warnings, pages = default_renderer(fonts).render(html)
    return warnings, keep(Path(folder), key, data, pages, html)


def keep(folder: Path, key: str, data: bytes, pages: int, html: str | None = None) -> dict:
    """Write an object and its facts, each atomically, the facts last: an object is complete when both are."""
    meta = {"pages": pages, "sha256": sha256(data)}
    if html is not None:
        atomic_write(folder / f"{key}.html", html.encode("utf-8"))
    atomic_write(folder / f"{key}.pdf", data)
    atomic_write(folder / f"{key}.json", json.dumps(meta).encode("ascii"))
    return meta


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def clear_stale_temporaries(folder: Path, age: float = 600) -> None:
    """Temporary files a killed build left (a live one renames its file within seconds)."""
    now = time.time()
    for tmp in folder.rglob(".*.tmp") if folder.is_dir() else ():
        try:
            if now - tmp.stat().st_mtime > age:
                tmp.unlink()
        except FileNotFoundError:
            pass
