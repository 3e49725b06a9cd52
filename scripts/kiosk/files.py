"""Small file-system helpers shared by the builders."""

from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """Is process `pid` still running? (Its temporary files are then not leftovers.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
