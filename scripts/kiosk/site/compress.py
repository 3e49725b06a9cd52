"""Every text file of a built site with its gzip beside it (`index.html` → `index.html.gz`), which `kiosk
serve` sends to a browser that accepts gzip (kiosk.site.server).

Text only (TEXT): audio, PDFs and pictures are compressed already. The gzip is made reproducibly (no file
name, modification time 0, one level), so a build gives the same bytes every time, and kept in the build
cache by the file's content, so a build compresses only what changed.

A `.gz` never disagrees with its file: each is written (or copied from the cache) after the site's files are
complete, under a temporary name renamed into place; and a build first removes the `.gz` files an earlier build left in its
folder (`clear`: MkDocs's dirty builds do not empty it), so a build stopped half way leaves files without
a `.gz`, never a `.gz` of something else. The server also sends a file as it is when its `.gz` is older.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..files import atomic_write, place, prune

TEXT = frozenset({".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"})
SUFFIX = ".gz"
LEVEL = 9
FORMAT = f"gzip {LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION}"  # part of every key: another zlib may give other bytes


def packed(path: Path) -> Path:
    """Where the gzip of `path` is."""
    return path.with_name(path.name + SUFFIX)


def text_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in TEXT and p.is_file() and not p.is_symlink())


def clear(site: Path) -> None:
    """Remove the gzip of every text file from `site` (what an earlier build in the same folder left)."""
    if site.is_dir():
        for path in site.rglob(f"*{SUFFIX}"):
            if Path(path.stem).suffix in TEXT:
                path.unlink(missing_ok=True)


def gzip_site(site: Path, cache: Path | None = None, jobs: int = 1) -> None:
    """Write the gzip of every text file of `site` beside it; compressed ones kept by content in `cache`."""
    files = text_files(site)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max(1, jobs)) as pool:  # zlib lets go of the GIL while it compresses
        keys = list(pool.map(lambda path: _write(path, cache), files))
    if cache is not None:
        _prune(cache, set(keys))


def _write(path: Path, cache: Path | None) -> str:
    """The gzip of `path` beside it, copied from `cache` where it is kept; its key. A copy, not a link: the
    copy is as new as its file (a `.gz` older than its file is not sent), and marking the kept one used does
    not touch a site's files (kiosk.site.uptodate notes their times)."""
    data = path.read_bytes()
    key = hashlib.sha256(FORMAT.encode() + b"\0" + data).hexdigest()
    if cache is None:
        atomic_write(packed(path), _gzip(data))
        return key
    kept = cache / f"{key}{SUFFIX}"
    try:
        os.utime(kept)  # used now: pruned last
    except FileNotFoundError:
        atomic_write(kept, _gzip(data))
    place(kept, packed(path), link=False)
    return key


def _gzip(data: bytes) -> bytes:
    """The same bytes every time: no file name, modification time 0, one level."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def _prune(cache: Path, used: set[str]) -> None:
    """Forget what no build has used for a while (kiosk.files.prune)."""
    dated = {p.name[: -len(SUFFIX)]: p.stat().st_mtime for p in cache.glob(f"*{SUFFIX}")}
    for key in prune(dated, used, limit=2 * len(used)):
        (cache / f"{key}{SUFFIX}").unlink(missing_ok=True)
