"""Small file-system helpers shared by the builders."""

from __future__ import annotations

import os
import tempfile
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
