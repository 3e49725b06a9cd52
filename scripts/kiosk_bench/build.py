"""`kiosk bench`: how check, build, rebuild, sheets, search and memory grow with the catalogue.

For each N it generates a catalogue of N matters from the sample (names, summaries and keywords
varied per village; materials, steps and prerequisite chains kept) in a temporary folder, then
measures, each the median of `reps` runs:

    check        `load()` of the catalogue; floor: the same files through PyYAML's C loader alone
    full build   the first `kiosk build`: pages, site and every sheet from cold (its peak RSS is `rss`)
    build        `kiosk build` with the sheet cache warm; anchor: a bare mkdocs-material build (same
                 theme and navigation, no plugins) of the same Markdown, the generated pages written out
    rebuild_one  `kiosk build` after editing one matter (its page and its sheet change), against the full build
    rebuild_none `kiosk build` with nothing changed; sheets_none: the sheets step alone, nothing changed
    sheets       every PDF from cold on 2 cores and on 1, and each step of a sheet with the floor that
                 WeasyPrint allows (kiosk_bench.sheets)
    weight       the keyboard's search index; one matter page with every file it loads, as they are (cold,
                 nothing cached) and as `kiosk serve` sends them gzipped (kiosk_bench.page); booklet size
    query        Chromium: from the last key tapped on the on-screen keyboard to the results painted
    paint        Chromium: a matter page's first paint, tapped on the home page with the cache disabled
                 (kiosk_bench.page)
    rss          peak resident memory of a process of `kiosk build` (cold sheets)
    pull         a hall's `kiosk pull` of the site, cold, with nothing new, after one matter changed
                 (kiosk_bench.pull)

With `first_build_only` (`kiosk bench --first-build-only`), only check, its floor and the first full
build with its peak RSS: what a large N costs least to learn.

Timings are wall-clock seconds on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from . import page as bench_page
from . import pull as bench_pull
from . import sheets as bench_sheets

VILLAGES = [
    "大合坪村",
    "官庄村",
    "荔溪村",
    "火场村",
    "黄壤溪村",
    "新坪村",
    "红岩村",
    "杉木溪村",
    "岩屋潭村",
    "麻溪铺村",
]
ROOT = Path(__file__).resolve().parents[2]


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def generate(n: int, sample: Path, target: Path) -> Path:
    """A catalogue of `n` matters made from the sample's, in `target/matters`."""
    from kiosk.catalogue.load import load_or_raise

    loaded = load_or_raise(sample)
    base = loaded.catalogue.matters
    folder = target / "matters"
    top = sample.resolve()
    shutil.copytree(
        sample,
        folder,
        ignore=lambda d, names: [  # the center files, not the matters nor local notes
            x
            for x in names
            if (Path(d).resolve() == top and x.endswith(".yaml") and x[0].isalnum())
            or x in ("local.yaml", "_changes.yaml")
        ],
    )
    ids = {(m.id, k): f"{m.id}-{k:04d}" for k in range(n // len(base) + 1) for m in base}
    made = set()
    for i in range(n):
        m, k = base[i % len(base)], i // len(base)
        made.add(ids[(m.id, k)])
    for i in range(n):
        m, k = base[i % len(base)], i // len(base)
        village = VILLAGES[(i * 7 + k) % len(VILLAGES)]
        data = m.model_dump(mode="json", exclude_defaults=True)
        data["id"] = ids[(m.id, k)]
        data["task_name"] = f"{m.task_name}（{village}）" if k else m.task_name
        data["summary"] = f"{village}的群众：{m.summary or m.task_name}"
        data["keywords"] = list(m.keywords) + [f"{village}{m.keywords[0]}" if m.keywords else village]
        data["prerequisites"] = [
            ({**p, "matter": ids[(p["matter"], k)]} if p.get("matter") else p)
            for p in data.get("prerequisites", [])
            if not p.get("matter") or ids.get((p["matter"], k)) in made
        ]
        (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def project(target: Path, catalogue: Path) -> Path:
    """The site sources of this repository around `catalogue`."""
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace("catalogue: matters", f"catalogue: {catalogue}")
    config = config.replace("  - matters\n", f"  - {catalogue}\n")
    (target / "mkdocs.yml").write_text(config, "utf-8")
    return target


def run(args: list[str], cwd: Path, env: dict) -> tuple[float, int]:
    """Seconds and peak RSS (KB) of a command; its failure stops the benchmark."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {output.decode()[-2000:]}")
    return seconds, usage.ru_maxrss


def median_of(reps: int, fn) -> float:
    return statistics.median(fn() for _ in range(reps))


def measure(n: int, reps: int, work: Path, first_build_only: bool = False) -> dict:
    from kiosk.catalogue.load import load

    row: dict = {"n": n}
    log(f"N={n}: 生成目录")
    catalogue = generate(n, ROOT / "matters", work)
    site_project = project(work / "project", catalogue)
    cache = work / "cache"
    env = {**os.environ, "KIOSK_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    kiosk = [sys.executable, "-m", "kiosk"]
    files = sorted(catalogue.rglob("*.yaml"))

    log(f"N={n}: 1 检查目录")
    row["check_s"] = median_of(reps, lambda: _timed(lambda: load(catalogue)))
    row["yaml_floor_s"] = median_of(
        reps, lambda: _timed(lambda: [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader) for f in files])
    )

    log(f"N={n}: 8 第一次生成（告知单冷启动）的内存峰值")
    row["first_build_s"], row["rss_kb"] = run(kiosk + ["build"], site_project, env)
    if first_build_only:
        row["booklet_mb"] = (site_project / "site" / "sheets" / "booklet.pdf").stat().st_size / 2**20
        row["ratios"] = {"check_vs_yaml": row["check_s"] / row["yaml_floor_s"]}
        return row
    log(f"N={n}: 5 告知单（冷启动，2 核；1 核 {min(n, bench_sheets.ONE_CORE_SAMPLE)} 个事项；每步用时）")
    from kiosk.catalogue.load import load_or_raise

    loaded = load_or_raise(catalogue)
    small = min(n, bench_sheets.ONE_CORE_SAMPLE)  # all of N on one core would take N/3 sheet-seconds more
    row |= bench_sheets.measure(
        loaded, load_or_raise(generate(small, ROOT / "matters", work / "one-core")) if small < n else loaded, work, reps
    )

    log(f"N={n}: 2 整站生成（告知单已缓存）")
    # --force: the whole site built again (a build with nothing changed is not done again: rebuild 0)
    row["build_s"] = median_of(reps, lambda: run(kiosk + ["build", "--force"], site_project, env)[0])
    anchor = _anchor(work / "anchor", site_project / "content", loaded)
    row["anchor_s"] = median_of(reps, lambda: run([sys.executable, "-m", "mkdocs", "build", "-q"], anchor, env)[0])

    log(f"N={n}: 3 改一个事项后重建")
    before = work / "site-before"  # for the pull (9): the files of a build are never changed, so links will do
    shutil.copytree(site_project / "site", before, copy_function=os.link)
    one = sorted(catalogue.glob("[a-z]*.yaml"))[0]
    times = []
    for r in range(reps):
        text = one.read_text("utf-8")
        one.write_text(text.replace("summary: ", f"summary: 第{r}次修改：", 1), "utf-8")
        times.append(run(kiosk + ["build"], site_project, env)[0])
    row["rebuild_one_s"] = statistics.median(times)
    log(f"N={n}: 4 没有改动时重建")
    row["rebuild_none_s"] = median_of(reps, lambda: run(kiosk + ["build"], site_project, env)[0])

    log(f"N={n}: 6 页面大小")
    site = site_project / "site"
    row["keyboard_index_kb"] = (site / "assets" / "kiosk-index.js").stat().st_size / 1024
    matter = next(site.glob("matters/*/index.html"))
    row["matter_page_kb"], row["matter_page_gzip_kb"] = (b / 1024 for b in bench_page.weight(site, matter))
    row["booklet_mb"] = (site / "sheets" / "booklet.pdf").stat().st_size / 2**20

    log(f"N={n}: 7 屏幕键盘查询、事项页首次绘制（Chromium）")
    row["query_ms"] = _query_ms(site, reps)
    row |= bench_page.load(site, matter.parent.relative_to(site).as_posix() + "/", loads=max(9, 3 * reps))

    log(f"N={n}: 9 大厅从县里更新（kiosk pull：第一次、没有新版本、改了一个事项）")
    row |= bench_pull.measure(before, site, work / "pull", reps)

    row["ratios"] = {
        "check_vs_yaml": row["check_s"] / row["yaml_floor_s"],
        "build_vs_anchor": row["build_s"] / row["anchor_s"],
        "rebuild_one_vs_full": row["rebuild_one_s"] / row["first_build_s"],
        "sheets_none_vs_cold": row["sheets_none_s"] / row["sheets_2core_s"],
    }
    return row


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _anchor(target: Path, content: Path, loaded) -> Path:
    """A bare mkdocs-material project over the same Markdown (the hand-written pages and the generated ones,
    written to disk): same theme and navigation (the kiosk's `nav:`, the hand-written pages; mkdocs'
    default would list every page on every page), no plugins, no overrides."""
    from kiosk.printing.context import BuildContext
    from kiosk.site import pages

    shutil.copytree(content, target / "docs")
    for path, text in pages.site_files(BuildContext(loaded)).items():
        (target / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (target / "docs" / path).write_text(text, "utf-8")
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))["nav"]
    config = {
        "site_name": "anchor",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [],
        "markdown_extensions": ["attr_list", "md_in_html"],
        "nav": nav,
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def _query_ms(site: Path, reps: int) -> float:
    """Median ms from the last key tapped to the results painted, for three queries."""
    from playwright.sync_api import sync_playwright

    from .chromium import PORTRAIT, Browser, served

    times = []
    with sync_playwright() as p, served(site) as url:
        b = Browser(p)
        page = b.page(PORTRAIT)
        page.goto(url + "search/")
        page.wait_for_load_state("networkidle")
        for letters in ["dibao", "db", "gaifangzi"] * reps:
            page.locator('[data-key="clear"]').click()
            for k in letters[:-1]:
                page.locator(f'[data-key="{k}"]').click()
            times.append(
                page.evaluate(
                    """(k) => new Promise(done => {
                const t0 = performance.now();
                document.querySelector(`[data-key="${k}"]`).click();
                requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
            })""",
                    letters[-1],
                )
            )
        b.close()
    return statistics.median(times)


def machine() -> dict:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }


COLUMNS = [
    ("N", "n", "{:d}"),
    ("check s", "check_s", "{:.2f}"),
    ("YAML floor s", "yaml_floor_s", "{:.2f}"),
    ("full build s", "first_build_s", "{:.0f}"),
    ("build s", "build_s", "{:.1f}"),
    ("anchor s", "anchor_s", "{:.1f}"),
    ("rebuild 1 s", "rebuild_one_s", "{:.1f}"),
    ("rebuild 0 s", "rebuild_none_s", "{:.1f}"),
    ("font cut s", "font_cut_s", "{:.1f}"),
    ("sheets cold s", "sheets_2core_s", "{:.0f}"),
    ("sheets/s 2c", "sheets_per_s_2core", "{:.1f}"),
    ("sheets/s 1c", "sheets_per_s_1core", "{:.1f}"),
    ("sheets 0 s", "sheets_none_s", "{:.1f}"),
    ("pages/sheet", "pages_per_sheet", "{:.1f}"),
    ("layout ms", "layout_ms", "{:.0f}"),
    ("write ms", "write_ms", "{:.0f}"),
    ("untagged write ms", "write_untagged_ms", "{:.0f}"),
    ("tags ×", "tags_ratio", "{:.2f}"),
    ("floor/s 2c", "floor_per_s_2core", "{:.1f}"),
    ("index KB", "keyboard_index_kb", "{:.0f}"),
    ("page KB", "matter_page_kb", "{:.0f}"),
    ("page gz KB", "matter_page_gzip_kb", "{:.0f}"),
    ("booklet MB", "booklet_mb", "{:.0f}"),
    ("pull MB/s", "pull_mb_s", "{:.0f}"),
    ("pull 0 s", "pull_none_s", "{:.2f}"),
    ("pull 1 %", "pull_one_pct", "{:.1f}"),
    ("query ms", "query_ms", "{:.1f}"),
    ("paint ms", "first_paint_ms", "{:.0f}"),
    ("RSS MB", "rss_kb", "{}"),
]


def _ratio(a: str, b: str):
    return lambda r: r[a] / r[b] if r.get(a) is not None and r.get(b) else None


# Issues 22's, 23's (the lighter page) and 24's targets, each a value of the row against its limit at that N
# (None: no target stated there). The small sizes take N=100's limits; N=3000 has only the memory one.
TARGETS = [
    ("sheets/floor", _ratio("sheets_per_s_2core", "floor_per_s_2core"), "≥", lambda n: 0.8),
    ("2c/1c", _ratio("sheets_per_s_2core", "sheets_per_s_1core"), "≥", lambda n: 1.7),
    ("build/anchor", _ratio("build_s", "anchor_s"), "≤", lambda n: 1.5 if n < 1000 else 1.1),
    ("rebuild0/anchor", _ratio("rebuild_none_s", "anchor_s"), "≤", lambda n: 1.2 if n < 1000 else 1.0),
    ("booklet MB", lambda r: r.get("booklet_mb"), "≤", lambda n: 5 if n <= 100 else 35 if n <= 1000 else None),
    ("RSS MB", lambda r: r["rss_kb"] / 1024 if "rss_kb" in r else None, "≤", lambda n: 600 if n <= 1000 else 1024),
    ("tags ×", lambda r: r.get("tags_ratio"), "≤", lambda n: 1.10),
    # issue 23's lighter page, at any N
    ("page KB", lambda r: r.get("matter_page_kb"), "≤", lambda n: 200),
    ("paint ms", lambda r: r.get("first_paint_ms"), "≤", lambda n: 150),
    # issue 24's, at N=1000
    ("pull MB/s", lambda r: r.get("pull_mb_s"), "≥", lambda n: 50 if n >= 1000 else None),
    ("pull 0 s", lambda r: r.get("pull_none_s"), "≤", lambda n: 1 if n >= 1000 else None),
    ("pull 1 %", lambda r: r.get("pull_one_pct"), "≤", lambda n: 3 if n >= 1000 else None),
]


def targets(rows: list[dict]) -> str:
    """Each target of the row: its value, the limit, met (✓) or not (✗)."""
    lines = ["| N | " + " | ".join(label for label, *_ in TARGETS) + " |", "|" + "---|" * (len(TARGETS) + 1)]
    for r in rows:
        cells = []
        for _, value, sign, limit in TARGETS:
            v, lim = value(r), limit(r["n"])
            if v is None or lim is None:
                cells.append("–" if v is None else f"{v:.2f}")
                continue
            met = v >= lim if sign == "≥" else v <= lim
            cells.append(f"{v:.2f} {sign} {lim:g} {'✓' if met else '✗'}")
        lines.append(f"| {r['n']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    head = "| " + " | ".join(c[0] for c in COLUMNS) + " | check/floor | build/anchor | rebuild1/full | sheets0/cold |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 4)]
    for r in rows:
        cells = [
            "–" if key not in r else fmt.format(r[key] // 1024 if key == "rss_kb" else r[key])
            for _, key, fmt in COLUMNS
        ]
        ratios = r.get("ratios", {})
        cells += [
            f"{ratios[k]:.{d}f}×" if k in ratios else "–"
            for k, d in [
                ("check_vs_yaml", 2),
                ("build_vs_anchor", 2),
                ("rebuild_one_vs_full", 2),
                ("sheets_none_vs_cold", 3),
            ]
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
