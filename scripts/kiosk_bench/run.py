"""`kiosk bench`: each N measured (kiosk_bench.build, with the sheets' steps of kiosk_bench.sheets), the
county's townships built together when asked (kiosk_bench.townships), the tables printed and kept as JSON."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from . import townships as bench_townships
from .build import log, machine, measure, table, targets


def bench(
    sizes: list[int], reps: int, out: Path | None, first_build_only: bool = False, townships: int = 1
) -> list[dict]:
    rows, county = [], []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"kiosk-bench-{n}-") as tmp:
            rows.append(measure(n, reps, Path(tmp), first_build_only))
        if townships > 1:
            with tempfile.TemporaryDirectory(prefix=f"kiosk-bench-{n}-townships-") as tmp:
                county.append(bench_townships.measure(n, townships, Path(tmp)))
        if out:  # after each N: a long run that is stopped keeps what it measured
            out.parent.mkdir(parents=True, exist_ok=True)
            result = {"machine": machine(), "reps": reps, "rows": rows, "townships": county}
            out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
        if n != sizes[-1]:
            log(table(rows[-1:]))
    print(table(rows))
    print()
    print(targets(rows))
    if county:
        print()
        print(bench_townships.table(county))
    return rows
