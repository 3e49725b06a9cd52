"""`kiosk` commands that make what people see and print: build, publish, rollback, serve, sheets, sheet, bench."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from ..exceptions import KioskError, PublishError, SiteBuildError
from ..problems import message
from .common import COMPLETE, CONFIG, DEFAULT_DIR, JOBS, TOWNSHIP, contexts, load_checked
from .county import SIGNING_KEY, signing_key

ALL_TOWNSHIPS = click.option("--all-townships", is_flag=True, help="每个乡镇各一份（县里一次做完；相同的排版只做一次）")


@click.group()
def commands():
    """The commands of this module, added to `kiosk` by kiosk.cli.main."""


@commands.command()
@CONFIG
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False),
    help="输出目录（默认 mkdocs.yml 的 site_dir，即 site/；--all-townships 时默认 sites/，每个乡镇一个子目录）",
)
@TOWNSHIP
@ALL_TOWNSHIPS
@JOBS
@click.option("--force", is_flag=True, help="没有任何改动也重新生成（默认：和上次生成时完全一样就不再生成）")
def build(config_file, site_dir, township, all_townships, jobs, force):
    """检查目录，生成自助机网站（含一次性告知单）；目录有错时不生成，原来的网站不动。"""
    from ..site import build as site

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    chosen = contexts(config_file, township, all_townships, jobs=jobs)
    if not all_townships:
        try:
            final = site.build(chosen[0], config_file, site_dir, again=force)
        except site.OWN_ERRORS as e:  # said by kiosk.cli.common's boundary; a bug goes on with its traceback
            raise SiteBuildError(message("build_failed", detail=site.detail(e))) from e
        click.echo(message("build_unchanged" if chosen[0].unchanged else "build_ok", dir=final))
        return
    root = Path(site_dir or "sites")
    _each_township(chosen, lambda ctx: site.build(ctx, config_file, root / ctx.township, again=force), "build_township")


@commands.command()
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(file_okay=False),
    help="发布目录（里面有 releases/ 和 live；--all-townships 时每个乡镇一个子目录）",
)
@CONFIG
@click.option("--keep", default=5, show_default=True, type=click.IntRange(1, 100), help="保留最近几个版本")
@click.option(
    "--wait",
    default=600,
    show_default=True,
    type=click.IntRange(0, 86400),
    help="别人正在发布或回退时，最多等几秒（0：不等，说明是谁在用）",
)
@TOWNSHIP
@ALL_TOWNSHIPS
@COMPLETE
@JOBS
@SIGNING_KEY
def publish(to, config_file, keep, wait, township, all_townships, complete, jobs, key_file):
    """检查、生成、校验一个新版本，再一下子切换为在用；任何一步失败，在用的网站不变。"""
    from ..publish import releases
    from ..site.build import OWN_ERRORS, detail

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    chosen = contexts(config_file, township, all_townships, complete, jobs)  # each checked before any is built
    key = signing_key(key_file)

    def one(ctx):
        target = Path(to) / ctx.township if all_townships else Path(to)
        return releases.publish(
            target, ctx, keep, Path(config_file), wait=wait, waiting=lambda text: click.echo(text, err=True), key=key
        )

    if all_townships:
        _each_township(chosen, one, "publish_township")
        return
    try:
        release = one(chosen[0])
    except OWN_ERRORS as e:  # the live release is untouched (by a bug too, which goes on with its traceback)
        raise PublishError(message("publish_failed", detail=detail(e))) from e
    click.echo(message("publish_ok", release=release))


def _each_township(chosen: list, make, done_key: str) -> None:
    """Build or publish every township in turn, one progress line each, then a summary; exit 1 if any failed
    (the others are done, and a failed one keeps its last good site). A bug stops them all with its
    traceback (each township done so far is done; the one at work keeps its last good site)."""
    from ..site.build import OWN_ERRORS, detail

    failed = []
    for n, ctx in enumerate(chosen, 1):
        started = time.perf_counter()
        try:
            path = make(ctx)
        except OWN_ERRORS as e:
            failed.append(ctx.township)
            click.echo(
                message("township_failed", n=n, total=len(chosen), township=ctx.township, detail=detail(e)), err=True
            )
            continue
        sheets = ctx.sheets
        click.echo(
            message(
                "build_township_unchanged" if ctx.unchanged else done_key,
                n=n,
                total=len(chosen),
                township=ctx.township,
                name=ctx.catalogue.center.name,
                path=path,
                matters=len(ctx.catalogue.matters),
                seconds=time.perf_counter() - started,
                rendered=len(sheets.rendered) if sheets else 0,
                reused=len(sheets.reused) + len(sheets.restored) if sheets else 0,
            )
        )
    click.echo(
        message(
            "townships_summary",
            total=len(chosen),
            ok=len(chosen) - len(failed),
            failed=len(failed),
            names="、".join(failed) or "—",
        )
    )
    if failed:
        sys.exit(1)


@commands.command()
@click.option("--to", "to", required=True, type=click.Path(file_okay=False), help="发布目录")
@click.option(
    "--wait",
    default=600,
    show_default=True,
    type=click.IntRange(0, 86400),
    help="别人正在发布或回退时，最多等几秒（0：不等）",
)
@click.option("--keep", default=5, show_default=True, type=click.IntRange(1, 100), help="保留最近几个版本")
@SIGNING_KEY
def rollback(to, wait, keep, key_file):
    """把上一个发布的版本再发布一次（序号更高，各大厅照常更新过去）。"""
    from ..publish import releases

    key = signing_key(key_file)
    # A rollback only reads manifests and renames a link in the publish folder: an OSError there is that
    # folder's (not there, not ours to write), said as before, not a bug; any other exception still is one.
    try:
        release = releases.rollback(
            Path(to), wait=wait, waiting=lambda text: click.echo(text, err=True), key=key, keep=keep
        )
    except (PublishError, OSError) as e:
        raise KioskError(message("rollback_failed", detail=e)) from e
    click.echo(message("rollback_ok", release=release))


SEARCHES_DIR = "build/searches"


def searches_folder(*names: str, help: str):
    """The option naming where `kiosk serve` keeps the searches that got nothing (kiosk.site.searches)."""
    return click.option(
        *names, "searches_dir", default=SEARCHES_DIR, show_default=True, type=click.Path(file_okay=False), help=help
    )


@commands.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口")
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False), help="网站目录")
@searches_folder("--searches", help="记下没找到的搜索词的目录（只记词和日期，给 kiosk searches 看）")
def serve(port, site_dir, searches_dir):
    """在 127.0.0.1 上提供已生成的网站，给自助机的浏览器用。"""
    from ..site.server import serve as run_server

    run_server(Path(site_dir), port, Path(searches_dir))


@commands.command()
@searches_folder("--dir", help="kiosk serve 记搜索词的目录")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="从哪天起（年-月-日；默认：记下的全部）")
@click.option(
    "--catalogue",
    "directory",
    default=DEFAULT_DIR,
    show_default=True,
    type=click.Path(file_okay=False),
    help="事项目录（给出建议加到哪个事项）",
)
@TOWNSHIP
@click.option("--limit", default=30, show_default=True, type=click.IntRange(1, 1000), help="最多列几个")
def searches(searches_dir, since, directory, township, limit):
    """自助机上没找到（或找到了没点开）的搜索词，最常见的在前，每个附上可以加为俗称的事项。"""
    from ..catalogue.view import CatalogueView
    from ..site.pages import search_index
    from ..site.searches import suggest, summary

    rows = summary(Path(searches_dir), since.date() if since else None)[:limit]
    if not rows:
        click.echo(message("searches_none", dir=searches_dir))
        return
    index = search_index(CatalogueView(load_checked(directory, township).catalogue))  # its pinyin made once
    click.echo(message("searches_head"))
    for text, none, left in rows:
        found = suggest(text, index)
        click.echo(
            message(
                "searches_row",
                text=text,
                none=none,
                left=left,
                matter=message("searches_matter", name=found["name"], id=found["id"])
                if found
                else message("searches_no_matter"),
            )
        )


@commands.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@click.option(
    "--out", "out_dir", default="build/sheets", show_default=True, type=click.Path(file_okay=False), help="输出目录"
)
@JOBS
@click.option("--force", is_flag=True, help="不用缓存，全部重新排版")
@click.option(
    "--previews",
    is_flag=False,
    flag_value="build/previews",
    default=None,
    type=click.Path(file_okay=False),
    help="另存第 1 页预览图（PNG），默认放在 build/previews",
)
@TOWNSHIP
def sheets(directory, out_dir, jobs, force, previews, township):
    """生成每个事项的一次性告知单、三张空白表格和窗口用汇编（PDF，A4）。"""
    from ..printing import sheets as printed

    loaded = load_checked(directory, township)
    report = printed.build(loaded, Path(out_dir), jobs=jobs, force=force)
    for w in report.warnings:
        click.echo(message("sheets_warning", detail=w), err=True)
    for path in report.removed:
        click.echo(message("sheets_removed", path=path))
    click.echo(
        message(
            "sheets_done",
            dir=out_dir,
            total=len(report.outputs),
            rendered=len(report.rendered),
            reused=len(report.reused) + len(report.restored),
            seconds=report.seconds,
        )
    )
    if previews:
        for path in printed.write_previews(loaded, Path(previews)):
            click.echo(message("sheets_previews", path=path))


@commands.command()
@click.argument("matter_id")
@click.option("--missing", required=True, help="还要补交的材料序号（一次性告知单上的序号），如 1,3")
@click.option("--received", required=True, help="收件日期 YYYY-MM-DD（申请真正交来的那天）")
@click.option("--today", help="打印日期 YYYY-MM-DD（默认今天）：告知书上“如在这天补齐”的日期从它算")
@click.option("--applicant", required=True, help="申请人姓名")
@click.option("--staff", help="经办人工号（默认：事项的首问责任人）")
@click.option("--number", help="登记编号（印在告知书上，如 DHP-2026-000123）")
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="写入的 PDF 文件")
@TOWNSHIP
def sheet(matter_id, missing, received, today, applicant, staff, number, directory, output, township):
    """开一张材料补正一次性告知书（PDF）：只列还要补交的材料和承诺办结日期。"""
    from ..printing.correction import write_correction

    loaded = load_checked(directory, township)
    # a wrong input (SheetInputError) is said by kiosk.cli.common's boundary, exit 1
    notice = write_correction(
        loaded,
        matter_id,
        Path(output),
        missing=missing,
        received=received,
        today=today,
        applicant=applicant,
        staff=staff,
        number=number,
    )
    for w in notice.warnings:
        click.echo(w, err=True)
    click.echo(message("sheet_done", path=output, count=len(notice.missing)))


@commands.command()
@click.option("--sizes", default="100,1000,3000", show_default=True, help="事项数，逗号分开")
@click.option("--reps", default=3, show_default=True, type=click.IntRange(1, 20), help="每项重复几次取中位数")
@click.option("--out", type=click.Path(dir_okay=False), help="把结果另存为 JSON")
@click.option("--first-build-only", is_flag=True, help="只测目录检查和第一次整站生成（时间、内存峰值）")
@click.option(
    "--townships",
    default=1,
    show_default=True,
    type=click.IntRange(1, 50),
    help="几个乡镇（大于 1 时另测 --all-townships 一次做完与逐个生成之比）",
)
@click.option(
    "--desk",
    is_flag=True,
    help="改测窗口工作台：保存、首页和补正告知书 PDF 的速度（SQLite；有 --pg 时也测 PostgreSQL）",
)
@click.option(
    "--records", default=100_000, show_default=True, type=click.IntRange(0), help="工作台：库里预先放多少条记录"
)
@click.option("--clients", default=10, show_default=True, type=click.IntRange(1, 100), help="工作台：同时几个客户端")
@click.option("--seconds", default=20.0, show_default=True, type=click.FloatRange(1), help="工作台：每项测几秒")
@click.option(
    "--pg", envvar="KIOSK_DESK_TEST_POSTGRES", help="工作台：可以建库的 PostgreSQL 地址（bash .ci/postgres 给出）"
)
@click.option("--ledger", is_flag=True, help="工作台：改测跟踪台账和月报（--records 条办不成事）")
@click.option(
    "--handwriting",
    is_flag=True,
    help="改测手写：示例目录的每个字照三种笔画数据写出（原样、手指写歪），认对几成、多快（结果存进 build/bench-handwriting.json）",
)
def bench(sizes, reps, out, first_build_only, townships, desk, records, clients, seconds, pg, ledger, handwriting):
    """测一测：目录检查、整站生成、重建、告知单、搜索和内存随事项数怎样增长；--desk 测窗口工作台，--handwriting 测手写。"""
    if handwriting:
        from kiosk_bench import handwriting as handwriting_bench

        handwriting_bench.bench(Path(out or "build/bench-handwriting.json"))
        return
    if desk:
        from kiosk_bench import desk as desk_bench

        desk_bench.bench(
            records,
            clients,
            seconds,
            pg_admin=pg or None,
            ledger=ledger,
            out=Path(out or ("build/bench-ledger.json" if ledger else "build/bench-desk.json")),
            say=lambda s: click.echo(s, err=True),
        )
        return
    from kiosk_bench import run as benchmark

    try:
        numbers = [int(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        raise click.UsageError(message("bench_sizes")) from None
    benchmark.bench(numbers, reps, Path(out) if out else None, first_build_only, townships)
