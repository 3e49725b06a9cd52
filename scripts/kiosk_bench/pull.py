"""`kiosk bench`: a hall's `kiosk pull` of the benchmark's site, from `kiosk county-server` over loopback.

Two releases of the site as the benchmark built it, before and after one matter was edited (its page, its
sheet, the booklet, the lists and the search index change), signed with a throwaway key:

    pull_cold   the first pull of the whole release (`pull_mb_s`: its bytes over those seconds)
    pull_none   `kiosk pull` as the hall's timer runs it, nothing new: the whole command, Python's start too
    pull_one    the pull after the one-matter change: `pull_one_pct`, the share of the release's bytes fetched

The county's server runs in a process of its own, as at the county; each is the median of `reps`.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ABOUT = {"township": "bench", "center_name": "bench", "catalogue_version": "bench", "effective_date": "2026-01-01"}


def measure(before: Path, after: Path, work: Path, reps: int) -> dict:
    from kiosk.publish import pull, signing

    signing.init(work / "keys", "county")
    key = signing.load_private(work / "keys" / "county.key")
    public = signing.load_public(work / "keys" / "county.pub")
    county = work / "county" / "bench"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "county-server", "--dir", work / "county", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _release(county, before, key)
        url = f"http://127.0.0.1:{port}/bench/"
        _wait_for(port)
        row: dict = {}
        cold = []
        for r in range(reps):
            hall = work / f"hall-{r}"
            started = time.perf_counter()
            got = pull.pull(url, public, hall)
            cold.append(time.perf_counter() - started)
        row["pull_cold_s"] = statistics.median(cold)
        row["release_mb"] = got.total_bytes / 1e6
        row["pull_mb_s"] = got.total_bytes / 1e6 / row["pull_cold_s"]
        hall = work / "hall-0"
        command = [sys.executable, "-m", "kiosk", "pull", "--from", url, "--key", str(work / "keys" / "county.pub")]
        row["pull_none_s"] = statistics.median(_run(command + ["--to", str(hall)]) for _ in range(reps))
        _release(county, after, key)
        changed = pull.pull(url, public, hall)
        row["pull_one_pct"] = 100 * changed.fetched_bytes / changed.total_bytes
        row["pull_one_files"] = changed.fetched
        return row
    finally:
        server.terminate()
        server.wait()


def _release(county: Path, site: Path, key) -> None:
    from kiosk.publish import releases

    def fill(staging: Path) -> None:
        shutil.copytree(site, staging / "site", copy_function=os.link, symlinks=False)

    with releases.locked(county, "publish", 0):
        releases.add_release(county, ABOUT, fill, key, keep=2)


def _run(command: list) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("kiosk county-server did not start")
