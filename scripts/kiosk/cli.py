"""The `kiosk` command: check, export, schema, due.

Exit codes: 0 done, 1 the catalogue (or the input) has errors, 2 usage error.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click

from .catalogue import load
from .model import Matter
from .problems import ERROR, WARNING, message
from .workdays import UnknownYear

DEFAULT_DIR = "matters"
WEEKDAYS = "一二三四五六日"


def _load_checked(directory: str, quiet_warnings: bool = True):
    """Load a catalogue; on errors print them all and exit 1."""
    loaded = load(directory)
    if not loaded.ok:
        _report(loaded.problems)
        sys.exit(1)
    if not quiet_warnings:
        _report(loaded.problems)
    return loaded


def _report(problems) -> None:
    for p in problems:
        click.echo(str(p))
    n_err = sum(p.severity == ERROR for p in problems)
    n_warn = sum(p.severity == WARNING for p in problems)
    click.echo(message("summary", errors=n_err, warnings=n_warn))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """事项目录工具：检查、导出、生成自助机网站和一次性告知单。"""


@main.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
def check(directory):
    """检查事项目录，列出所有错误（文件:行:列: 字段: 说明）。"""
    loaded = load(directory)
    _report(loaded.problems)
    if not loaded.ok:
        sys.exit(1)
    click.echo(message("check_ok", count=len(loaded.catalogue.matters), version=loaded.catalogue.catalogue.version))


@main.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True, help="导出格式")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件（默认输出到屏幕）")
def export(directory, fmt, output):
    """导出检查通过的目录（开放数据）。"""
    loaded = _load_checked(directory)
    text = json.dumps(loaded.catalogue.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    _write(text, output)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件（默认输出到屏幕）")
def schema(output):
    """输出事项文件的 JSON Schema（保存为 matters/schema.json，供编辑器提示）。"""
    _write(matter_schema_text(), output)


def matter_schema_text() -> str:
    schema = Matter.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "事项（一个事项一个文件：matters/<id>.yaml）"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@main.command()
@click.argument("matter_id")
@click.option("--received", required=True, type=click.DateTime(["%Y-%m-%d"]), help="收件日期 YYYY-MM-DD")
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
def due(matter_id, received, directory):
    """按承诺时限算出办结日期（扣除法定节假日，计入调休上班日）。"""
    loaded = _load_checked(directory)
    matter = loaded.matter(matter_id)
    if matter is None:
        click.echo(message("unknown_matter", id=matter_id), err=True)
        sys.exit(1)
    received = received.date()
    try:
        day = loaded.calendar.due(received, matter.promise_day, matter.promise_type)
    except UnknownYear as e:
        click.echo(message("calendar_unknown_year", year=e.year, file=e.file), err=True)
        sys.exit(1)
    click.echo(due_line(matter, received, day))


def due_line(matter: Matter, received: datetime.date, day: datetime.date) -> str:
    if matter.promise_day == 0:
        return message("due_instant", name=matter.task_name, received=received)
    return message(
        "due_line", name=matter.task_name, received=received, days=matter.promise_day,
        unit=matter.promise_type, due=day, weekday=WEEKDAYS[day.weekday()],
    )


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
@click.option("--site-dir", type=click.Path(file_okay=False), help="输出目录（默认 mkdocs.yml 的 site_dir，即 site/）")
def build(config_file, site_dir):
    """检查目录，生成自助机网站（含一次性告知单）；目录有错时不生成，原来的网站不动。"""
    import os

    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file)
    folder = Path(config.config_file_path).parent / config.extra.get("kiosk", {}).get("catalogue", DEFAULT_DIR)
    _load_checked(str(folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder))
    from . import site

    try:
        final = site.build(config_file, site_dir)
    except Exception as e:  # mkdocs reports its own errors; the old site is kept
        click.echo(message("build_failed", detail=e), err=True)
        sys.exit(1)
    click.echo(message("build_ok", dir=final))


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口")
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False), help="网站目录")
def serve(port, site_dir):
    """在 127.0.0.1 上提供已生成的网站，给自助机的浏览器用。"""
    from .server import serve as run_server

    run_server(Path(site_dir), port)


def _write(text: str, output: str | None) -> None:
    if output:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, "utf-8")
        tmp.replace(path)
    else:
        click.echo(text, nl=False)


# ---------------------------------------------------------------- printed sheets (kiosk.sheets)


@main.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@click.option("--out", "out_dir", default="build/sheets", show_default=True, type=click.Path(file_okay=False),
              help="输出目录")
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64), help="同时排版的进程数")
@click.option("--force", is_flag=True, help="不用缓存，全部重新排版")
@click.option("--previews", is_flag=False, flag_value="build/previews", default=None, type=click.Path(file_okay=False),
              help="另存第 1 页预览图（PNG），默认放在 build/previews")
def sheets(directory, out_dir, jobs, force, previews):
    """生成每个事项的一次性告知单、三张空白表格和窗口用汇编（PDF，A4）。"""
    from . import sheets as printed

    loaded = _load_checked(directory)
    report = printed.build(loaded, Path(out_dir), jobs=jobs, force=force)
    for w in report.warnings:
        click.echo(message("sheets_warning", detail=w), err=True)
    for path in report.removed:
        click.echo(message("sheets_removed", path=path))
    click.echo(message("sheets_done", dir=out_dir, total=len(report.outputs), rendered=len(report.rendered),
                       reused=len(report.reused), seconds=report.seconds))
    if previews:
        for path in printed.write_previews(loaded, Path(previews)):
            click.echo(message("sheets_previews", path=path))


@main.command()
@click.argument("matter_id")
@click.option("--missing", required=True, help="还要补交的材料序号（一次性告知单上的序号），如 1,3")
@click.option("--received", required=True, help="收件日期 YYYY-MM-DD")
@click.option("--applicant", required=True, help="申请人姓名")
@click.option("--staff", help="经办人工号（默认：事项的首问责任人）")
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="写入的 PDF 文件")
def sheet(matter_id, missing, received, applicant, staff, directory, output):
    """开一张材料补正一次性告知书（PDF）：只列还要补交的材料和承诺办结日期。"""
    from . import sheets as printed

    loaded = _load_checked(directory)
    try:
        notice = printed.write_correction(loaded, matter_id, Path(output), missing=missing, received=received,
                                          applicant=applicant, staff=staff)
    except printed.SheetInputError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    for w in notice.warnings:
        click.echo(w, err=True)
    click.echo(message("sheet_done", path=output, count=len(notice.missing)))
