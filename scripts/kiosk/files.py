"""Small file-system helpers shared by the builders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def alive(pid: int) -> bool:
    """Is process `pid` still running? (Its temporary files are then not leftovers.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary name in the same folder, then rename: never a partial file under `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune(objects: dict[str, float], keep: set[str], limit: int, age: float = 3600) -> list[str]:
    """Which of `objects` (key -> time last used) a cache shared by builds may remove: all but the ones in
    `keep` and the most recently used others, `limit` in all, and never one used within `age` seconds
    (another build sharing the cache may be about to read it)."""
    now = time.time()
    others = sorted(((t, k) for k, t in objects.items() if k not in keep), reverse=True)
    return [k for t, k in others[max(0, limit - len(keep)) :] if now - t > age]


def place(source: Path, path: Path, link: bool = True) -> None:
    """Put a copy of `source`, a file never changed once written (a cache's), at `path`: a hard link where
    asked and the file system allows, else a copy; renamed into place, so never a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        if not link:
            raise OSError
        os.link(source, tmp)
    except OSError:  # a copy: asked for, or another file system
        shutil.copyfile(source, tmp)
    os.replace(tmp, path)


def kept(folder: Path, data, make: Callable[[], str], limit: int = 20) -> str:
    """What `make()` returns, kept in `folder` across builds under the key of `data` (JSON-able: everything
    `make` reads, the version of its code among them); made again only when that changes. The `limit`
    most recently used are kept (kiosk.files.prune)."""
    key = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    path = folder / f"{key}.txt"
    try:
        text = path.read_text("utf-8")
        os.utime(path)
    except FileNotFoundError:
        text = make()
        atomic_write(path, text.encode("utf-8"))
    dated = {p.stem: p.stat().st_mtime for p in folder.glob("*.txt")}
    for old in prune(dated, {key}, limit):
        (folder / f"{old}.txt").unlink(missing_ok=True)
    return text
