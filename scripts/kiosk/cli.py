"""The `kiosk` command: check, export, schema, due.

Exit codes: 0 done, 1 the catalogue (or the input) has errors, 2 usage error.
"""

from __future__ import annotations

import datetime
import json
import shutil
import sys
import tempfile
from pathlib import Path

import click

from .catalogue import load
from .model import Matter
from .problems import ERROR, WARNING, errors, message

DEFAULT_DIR = "matters"
WEEKDAYS = "一二三四五六日"


COMPLETE = click.option("--complete", is_flag=True,
                        help="要求目录写全：原指南未载明的要素和没填完的模板文字都算错误（不只是提醒）")
TOWNSHIP = click.option("--township", help="哪个乡镇（_townships/ 下的文件夹名；默认见 _catalogue.yaml 的 default_township）")


def _load_checked(directory: str, township: str | None = None, quiet_warnings: bool = True, complete: bool = False):
    """Load a catalogue; on errors print them all and exit 1."""
    loaded = load(directory, township, complete)
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
@TOWNSHIP
@COMPLETE
def check(directory, township, complete):
    """检查事项目录和各乡镇的文件（不指定 --township 时查全部乡镇），列出所有错误（文件:行:列: 字段: 说明）。"""
    loaded = load(directory, township, complete)
    _report(loaded.problems)
    if not loaded.ok:
        sys.exit(1)
    checked = [township] if township else loaded.townships
    click.echo(message("check_ok", count=len(loaded.catalogue.matters), version=loaded.catalogue.catalogue.version,
                       townships=len(checked), names="、".join(checked)))


@main.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json", show_default=True, help="导出格式")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件（json 默认输出到屏幕；xlsx 必填）")
@TOWNSHIP
def export(directory, fmt, output, township):
    """导出检查通过的目录：json（开放数据，一个乡镇看到的全部内容）或 xlsx（县目录的事项，给县里的表格）。"""
    loaded = _load_checked(directory, township)
    if fmt == "xlsx":
        if not output:
            raise click.UsageError(message("xlsx_needs_output"))
        from . import xlsx

        xlsx.write(loaded.catalogue.matters, Path(output))
        return
    from .unstated import open_data

    _write(json.dumps(open_data(loaded.catalogue), ensure_ascii=False, indent=2) + "\n", output)


@main.command(name="import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["catalogue", "guide"]), default="catalogue", show_default=True,
              help="catalogue：本工具导出的表格（整个目录）；guide：县里的实施清单（一行一个事项，表头是国家要素的中文名）")
@click.option("-o", "--output", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False),
              help="写入哪个事项目录")
def import_(workbook, fmt, directory):
    """从 Excel 表格导入事项；任何一行有错就什么也不写。guide 格式只新增或更新表里的事项，不删别的。"""
    from . import xlsx

    if fmt == "guide":
        from . import guides

        result = guides.read(Path(workbook))
        for line in result.notes:
            click.echo(line)
        replace_all = False
    else:
        result = xlsx.read(Path(workbook))
        replace_all = True  # the workbook is the whole list
    if result.problems:
        for line in result.problems:
            click.echo(line)
        click.echo(message("import_failed", count=len(result.problems)))
        sys.exit(1)
    # check the whole catalogue as it would be, before touching the real folder
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "matters"
        if Path(directory).is_dir():
            top = Path(directory).resolve()
            shutil.copytree(directory, staged, ignore=lambda d, names: [  # the county's matter files
                n for n in names if replace_all and Path(d).resolve() == top and n[:1].isalnum() and n.endswith(".yaml")])
        xlsx.write_matter_files(result.matters, staged)
        loaded = load(staged)
        if not loaded.ok:
            for p in loaded.problems:
                click.echo(str(p).replace(staged.as_posix(), directory.rstrip("/")))
            click.echo(message("import_failed", count=len(errors(loaded.problems))))
            sys.exit(1)
    if replace_all:
        keep = {m.id for m in result.matters}
        for old in Path(directory).glob("*.yaml"):
            if old.stem not in keep and old.name[:1].isalnum():
                old.unlink()
    xlsx.write_matter_files(result.matters, Path(directory))
    click.echo(message("import_ok", count=len(result.matters), dir=directory))


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
@click.option("--accepted", "--received", "accepted", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="受理日期 YYYY-MM-DD（材料齐全、受理的那天；--received 同义）")
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@TOWNSHIP
def due(matter_id, accepted, directory, township):
    """从受理之日算出办结日期（扣除法定节假日，计入调休上班日；不计入时限的公示等另加）。"""
    from . import limits

    loaded = _load_checked(directory, township)
    matter = loaded.matter(matter_id)
    if matter is None:
        click.echo(message("unknown_matter", id=matter_id), err=True)
        sys.exit(1)
    t = limits.deadline(matter, accepted.date(), loaded.calendar)
    if t.unknown_year:
        click.echo(message("calendar_unknown_year", year=t.unknown_year.year, file=t.unknown_year.file), err=True)
        sys.exit(1)
    for line in due_lines(matter.task_name, t):
        click.echo(line)


def due_lines(name: str, t) -> list[str]:
    """What `kiosk due` says of a kiosk.limits.Deadline: each committed limit's date, or each stage's,
    and what is not counted, in words."""
    day = t.accepted
    if not t.cases and not t.stage_only:
        return [message("due_none", name=name, accepted=day)]
    periods = "、".join(f"{p.name}{' ' + p.text if p.text else ''}" for p in t.periods)
    out = []
    if t.cases:
        single = len(t.cases) == 1 and t.cases[0].who is None
        for c in t.cases:
            who = "" if single else f"{c.who}："
            if c.span and c.span.instant:
                out.append(message("due_instant", who=who, accepted=day))
            elif c.due:
                text = message("due_line", who=who, accepted=day, limit=_span(c.span), due=_dated(c.due))
                if periods:
                    text += message("due_periods", periods=periods) + (
                        message("due_latest", latest=_dated(c.latest)) if c.latest else "")
                out.append(text)
            elif c.span:
                out.append(message("due_unit_not_said", who=who, limit=_span(c.span)))
            else:
                out.append(message("due_case_unstated", who=who))
        if single:
            return [f"{name}：{out[0]}"]
        return [message("due_cases", name=name, accepted=day)] + [f"  {line}" for line in out]
    out.append(message("due_stages", name=name, accepted=day))
    for s in t.stages:
        out.append(f"  {s.name} {s.text}：" + (message("due_by", due=_dated(s.due)) if s.due else message("due_no_date")))
    if periods:
        out.append(f"  {message('due_periods', periods=periods).lstrip('；')}")
    return out


def _span(span) -> str:
    return {"月": f"{span.days} 个月", "日": f"{span.days} 日"}.get(span.unit, f"{span.days} 个{span.unit}")


def _dated(day: datetime.date) -> str:
    return f"{day}（星期{WEEKDAYS[day.weekday()]}）"


@main.group()
def calendar():
    """工作日日历：把国务院办公厅的放假通知写进 matters/_calendar.yaml。"""


@calendar.command(name="add")
@click.argument("notice", type=click.Path(exists=True, dir_okay=False))
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), help="哪一年（默认从通知标题读出）")
def calendar_add(notice, directory, year):
    """读放假通知的原文（每行一个节日，如“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。”），
    核对括号里的星期几和“共几天”，写进 _calendar.yaml；有一处对不上就什么也不写。"""
    from . import holidays
    from .catalogue import CALENDAR_FILE

    read = holidays.read_notice(Path(notice).read_text("utf-8"), notice, year)
    if read.problems:
        _report(read.problems)
        sys.exit(1)
    target = Path(directory) / CALENDAR_FILE
    holidays.add_to_file(read, target)
    click.echo(message("calendar_added", year=read.year, file=target, holidays=len(read.holidays),
                       workdays=len(read.workdays)))


@main.command()
@click.argument("old")
@click.argument("new", default=DEFAULT_DIR)
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, help="git 版本里事项目录的位置")
@TOWNSHIP
@click.option("--save", is_flag=True, help="把变化报告写进新目录的 _changes.yaml（自助机的“最近更新”页用它）")
@click.option("--pdf", type=click.Path(dir_okay=False), help="另存为给工作人员签字的变更通知（PDF）")
def diff(old, new, directory, township, save, pdf):
    """比较两个目录（文件夹，或 git 版本如 HEAD~1），按事项列出变化。"""
    from . import diff as changes
    from .view import CatalogueView

    with tempfile.TemporaryDirectory() as tmp:
        views = []
        for n, spec in enumerate((old, new)):
            folder = _catalogue_at(spec, directory, Path(tmp) / str(n))
            views.append(CatalogueView(_load_checked(str(folder), township).catalogue))
        report = changes.compare(*views)
    for line in changes.lines(report):
        click.echo(line)
    if save:
        if not Path(new).is_dir():
            raise click.UsageError(message("diff_save_needs_folder"))
        _write(changes.to_yaml(report), str(Path(new) / "_changes.yaml"))
    if pdf:
        from . import sheets as printed

        printed.write_change_notice(views[1], report, Path(pdf))
        click.echo(message("diff_pdf", path=pdf))


def _catalogue_at(spec: str, directory: str, scratch: Path) -> Path:
    """A catalogue folder as given, or `directory` as it was in git revision `spec`."""
    if Path(spec).is_dir():
        return Path(spec)
    import io
    import subprocess
    import tarfile

    found = subprocess.run(["git", "archive", "--format=tar", spec, "--", directory], capture_output=True)
    if found.returncode != 0:
        raise click.UsageError(message("diff_no_such", spec=spec))
    with tarfile.open(fileobj=io.BytesIO(found.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / directory


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
@click.option("--site-dir", type=click.Path(file_okay=False), help="输出目录（默认 mkdocs.yml 的 site_dir，即 site/）")
@TOWNSHIP
def build(config_file, site_dir, township):
    """检查目录，生成自助机网站（含一次性告知单）；目录有错时不生成，原来的网站不动。"""
    import os

    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file)
    folder = _site_catalogue(config)
    loaded = _load_checked(folder, township)
    from . import site

    site.use_checked(folder, township, loaded)
    try:
        final = site.build(config_file, site_dir, township)
    except Exception as e:  # mkdocs reports its own errors; the old site is kept
        click.echo(message("build_failed", detail=e), err=True)
        sys.exit(1)
    click.echo(message("build_ok", dir=final))


@main.command()
@click.option("--to", "to", required=True, type=click.Path(file_okay=False), help="发布目录（里面有 releases/ 和 live）")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
@click.option("--keep", default=5, show_default=True, type=click.IntRange(1, 100), help="保留最近几个版本")
@TOWNSHIP
@COMPLETE
def publish(to, config_file, keep, township, complete):
    """检查、生成、校验一个新版本，再一下子切换为在用；任何一步失败，在用的网站不变。"""
    import os

    from mkdocs.config import load_config

    from . import publish as releases

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file)
    folder = _site_catalogue(config)
    _load_checked(folder, township, complete=complete)
    try:
        release = releases.publish(Path(to), township, keep, Path(config_file), Path(folder))
    except Exception as e:  # any failure: the live release is untouched
        click.echo(message("publish_failed", detail=e), err=True)
        sys.exit(1)
    click.echo(message("publish_ok", release=release))


@main.command()
@click.option("--to", "to", required=True, type=click.Path(file_okay=False), help="发布目录")
def rollback(to):
    """切换回上一个发布的版本。"""
    from . import publish as releases

    try:
        release = releases.rollback(Path(to))
    except (releases.PublishError, OSError) as e:
        click.echo(message("rollback_failed", detail=e), err=True)
        sys.exit(1)
    click.echo(message("rollback_ok", release=release))


@main.command()
@click.option("--sizes", default="100,1000,3000", show_default=True, help="事项数，逗号分开")
@click.option("--reps", default=3, show_default=True, type=click.IntRange(1, 20), help="每项重复几次取中位数")
@click.option("--out", type=click.Path(dir_okay=False), help="把结果另存为 JSON")
@click.option("--first-build-only", is_flag=True, help="只测目录检查和第一次整站生成（时间、内存峰值）")
def bench(sizes, reps, out, first_build_only):
    """测一测：目录检查、整站生成、重建、告知单、搜索和内存随事项数怎样增长。"""
    from . import bench as benchmark

    try:
        numbers = [int(x) for x in sizes.split(",") if x.strip()]
    except ValueError:
        raise click.UsageError(message("bench_sizes")) from None
    benchmark.bench(numbers, reps, Path(out) if out else None, first_build_only)


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口")
@click.option("--site-dir", default="site", show_default=True, type=click.Path(file_okay=False), help="网站目录")
def serve(port, site_dir):
    """在 127.0.0.1 上提供已生成的网站，给自助机的浏览器用。"""
    from .server import serve as run_server

    run_server(Path(site_dir), port)


def _site_catalogue(config) -> str:
    """The catalogue folder a MkDocs config builds from, as short as it can be named from here."""
    folder = Path(config.config_file_path).parent / config.extra.get("kiosk", {}).get("catalogue", DEFAULT_DIR)
    return str(folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder)


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
@TOWNSHIP
def sheets(directory, out_dir, jobs, force, previews, township):
    """生成每个事项的一次性告知单、三张空白表格和窗口用汇编（PDF，A4）。"""
    from . import sheets as printed

    loaded = _load_checked(directory, township)
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
@TOWNSHIP
def sheet(matter_id, missing, received, applicant, staff, directory, output, township):
    """开一张材料补正一次性告知书（PDF）：只列还要补交的材料和承诺办结日期。"""
    from . import sheets as printed

    loaded = _load_checked(directory, township)
    try:
        notice = printed.write_correction(loaded, matter_id, Path(output), missing=missing, received=received,
                                          applicant=applicant, staff=staff)
    except printed.SheetInputError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    for w in notice.warnings:
        click.echo(w, err=True)
    click.echo(message("sheet_done", path=output, count=len(notice.missing)))
