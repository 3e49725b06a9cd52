"""`kiosk bench --townships K`: a county's K townships in one run (`kiosk build --all-townships`) against
K single-township builds, each from cold (its own empty cache, as separate runs would be).

Timings are wall-clock seconds on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .build import ROOT, generate, log, project, run


def add_townships(catalogue: Path, count: int) -> list[str]:
    """At least `count` townships in `catalogue`: copies of the first with their own id and phones."""
    folder = catalogue / "_townships"
    have = sorted(d.name for d in folder.iterdir() if d.is_dir())
    for k in range(len(have), count):
        tid = f"xiang{k:02d}"
        shutil.copytree(folder / have[0], folder / tid)
        center = folder / tid / "center.yaml"
        text = center.read_text("utf-8").replace("0745-", f"07{k % 10}5-")
        center.write_text(text.replace(f"id: {have[0]}", f"id: {tid}", 1), "utf-8")
    return sorted(d.name for d in folder.iterdir() if d.is_dir())[:count]


def measure(n: int, count: int, work: Path) -> dict:
    catalogue = generate(n, ROOT / "matters", work)
    names = add_townships(catalogue, count)
    site_project = project(work / "project", catalogue)
    kiosk = [sys.executable, "-m", "kiosk", "build"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    row: dict = {"n": n, "townships": count}
    log(f"N={n}: {count} 个乡镇一次生成（--all-townships，冷启动）")
    row["all_s"], row["all_rss_kb"] = run(
        kiosk + ["--all-townships"], site_project, {**env, "KIOSK_CACHE_DIR": str(work / "cache-all")}
    )
    row["single_s"] = 0.0
    for k, township in enumerate(names):
        log(f"N={n}: 单独生成 {township}（冷启动）")
        row["single_s"] += run(
            kiosk + ["--township", township, "--site-dir", f"single/{township}"],
            site_project,
            {**env, "KIOSK_CACHE_DIR": str(work / f"cache-{k}")},
        )[0]
    row["ratio"] = row["all_s"] / row["single_s"]
    return row


def table(rows: list[dict]) -> str:
    lines = [
        "| N | townships | --all-townships s | single builds s | all/single | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['n']} | {r['townships']} | {r['all_s']:.0f} | {r['single_s']:.0f} | {r['ratio']:.2f}× | "
        f"{r['all_rss_kb'] // 1024} |"
        for r in rows
    ]
    return "\n".join(lines)
