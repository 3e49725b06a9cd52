"""`kiosk` commands on the catalogue itself: check, export, import, schema, due, calendar add, diff."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import click

from ..problems import errors, message
from .common import COMPLETE, DEFAULT_DIR, TOWNSHIP, load_checked, report, write


@click.group()
def commands():
    """The commands of this module, added to `kiosk` by kiosk.cli.main."""


@commands.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@TOWNSHIP
@COMPLETE
def check(directory, township, complete):
    """检查事项目录和各乡镇的文件（不指定 --township 时查全部乡镇），列出所有错误（文件:行:列: 字段: 说明）。"""
    from ..catalogue.load import load

    loaded = load(directory, township, complete)
    for line in loaded.filled:  # every {乡镇} a township's offices fill in, before the problems
        click.echo(line)
    report(loaded.problems)
    if not loaded.ok:
        sys.exit(1)
    checked = [township] if township else loaded.townships
    click.echo(
        message(
            "check_ok",
            count=len(loaded.catalogue.matters),
            version=loaded.catalogue.catalogue.version,
            townships=len(checked),
            names="、".join(checked),
        )
    )


@commands.command()
@click.argument("directory", default=DEFAULT_DIR, type=click.Path(file_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(["json", "xlsx"]), default="json", show_default=True, help="导出格式"
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件（json 默认输出到屏幕；xlsx 必填）"
)
@TOWNSHIP
def export(directory, fmt, output, township):
    """导出检查通过的目录：json（开放数据，一个乡镇看到的全部内容）或 xlsx（县目录的事项，给县里的表格）。"""
    loaded = load_checked(directory, township)
    if fmt == "xlsx":
        if not output:
            raise click.UsageError(message("xlsx_needs_output"))
        from ..exchange import xlsx

        # the county's own matters, as its files write them: {乡镇} stays a placeholder, never one township's name
        xlsx.write([loaded.county.matters[s] for s in sorted(loaded.county.matters)], Path(output))
        return
    from ..catalogue.unstated import open_data

    write(json.dumps(open_data(loaded.catalogue), ensure_ascii=False, indent=2) + "\n", output)


@commands.command(name="import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["catalogue", "guide"]),
    default="catalogue",
    show_default=True,
    help="catalogue：本工具导出的表格（整个目录）；guide：县里的实施清单（一行一个事项，表头是国家要素的中文名）",
)
@click.option(
    "-o",
    "--output",
    "directory",
    default=DEFAULT_DIR,
    show_default=True,
    type=click.Path(file_okay=False),
    help="写入哪个事项目录",
)
def import_(workbook, fmt, directory):
    """从 Excel 表格导入事项；任何一行有错就什么也不写。guide 格式只新增或更新表里的事项，不删别的。"""
    from ..exchange import xlsx

    if fmt == "guide":
        from ..exchange import guides

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
    from ..catalogue.load import load, write_matter_files

    # check the whole catalogue as it would be, before touching the real folder
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "matters"
        if Path(directory).is_dir():
            top = Path(directory).resolve()
            shutil.copytree(
                directory,
                staged,
                ignore=lambda d, names: [  # the county's matter files
                    n
                    for n in names
                    if replace_all and Path(d).resolve() == top and n[:1].isalnum() and n.endswith(".yaml")
                ],
            )
        write_matter_files(result.matters, staged)
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
    write_matter_files(result.matters, Path(directory))
    click.echo(message("import_ok", count=len(result.matters), dir=directory))


@commands.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件（默认输出到屏幕）")
def schema(output):
    """输出事项文件的 JSON Schema（保存为 matters/schema.json，供编辑器提示）。"""
    write(matter_schema_text(), output)


def matter_schema_text() -> str:
    from ..model import Matter

    schema = Matter.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "事项（一个事项一个文件：matters/<id>.yaml）"
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@commands.command()
@click.argument("matter_id")
@click.option("--accepted", type=click.DateTime(["%Y-%m-%d"]), help="受理日期 YYYY-MM-DD（材料齐全、受理的那天）")
@click.option(
    "--received",
    type=click.DateTime(["%Y-%m-%d"]),
    help="收件日期 YYYY-MM-DD（原指南从收到申请之日算时用它；只写它时也当作受理日期）",
)
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@TOWNSHIP
def due(matter_id, accepted, received, directory, township):
    """从原指南写的那天（受理之日或收到申请之日）算出办结日期（扣除法定节假日，计入调休上班日；不计入时限的公示等另加）。"""
    from ..calendar import limits

    if accepted is None and received is None:
        raise click.UsageError(message("due_no_day"))
    received = received.date() if received else None
    accepted = accepted.date() if accepted else received
    loaded = load_checked(directory, township)
    matter = loaded.matter(matter_id)
    if matter is None:
        click.echo(message("unknown_matter", id=matter_id), err=True)
        sys.exit(1)
    t = limits.deadline(matter, accepted, loaded.calendar, received=received)
    if t.unknown_year:
        click.echo(message("calendar_unknown_year", year=t.unknown_year.year, file=t.unknown_year.file), err=True)
        sys.exit(1)
    for what, day in ((message("due_day_received"), received), (message("due_day_accepted"), accepted)):
        if day and not loaded.calendar.is_workday(day):
            click.echo(message("due_rest_day", what=what, day=day.isoformat()), err=True)
        if received and day == received and received == accepted:
            break
    for line in due_lines(matter.task_name, t):
        click.echo(line)


def due_lines(name: str, t) -> list[str]:
    """What `kiosk due` says of a kiosk.calendar.limits.Deadline (templates/due.txt): each committed limit's date, or
    each stage's, and what is not counted."""
    from ..text import render

    return render.render("due.txt", name=name, t=t).rstrip("\n").split("\n")


@commands.group()
def calendar():
    """工作日日历：把国务院办公厅的放假通知写进 matters/_calendar.yaml。"""


@calendar.command(name="add")
@click.argument("notice", type=click.Path(exists=True, dir_okay=False))
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, type=click.Path(file_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), help="哪一年（默认从通知标题读出）")
@click.option("--override", metavar="理由", help="通知与日历库（chinese-calendar）对不上时，仍照通知写入，并把理由记下")
def calendar_add(notice, directory, year, override):
    """读放假通知的原文（每行一个节日，如“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。”），
    核对括号里的星期几、“共几天”、七个节日是否都在、调休上班日是不是周末，再与日历库核对，写进 _calendar.yaml；
    有一处对不上就什么也不写（与日历库对不上、确认通知没错时用 --override "理由"）。"""
    from ..calendar import holidays
    from ..catalogue.load import CALENDAR_FILE

    if override is not None and not override.strip():
        raise click.UsageError(message("calendar_override_blank"))
    read = holidays.read_notice(Path(notice).read_text("utf-8"), notice, year)
    if read.problems:
        report(read.problems)
        sys.exit(1)
    differences = holidays.library_differences(read)
    if differences and override is None:
        report([d.problem(notice) for d in differences])
        click.echo(message("notice_library_refused", count=len(differences)))
        sys.exit(1)
    target = Path(directory) / CALENDAR_FILE
    holidays.add_to_file(read, target, override.strip() if differences else None, differences)
    click.echo(
        message("calendar_added", year=read.year, file=target, holidays=len(read.holidays), workdays=len(read.workdays))
    )
    if override is not None:
        click.echo(
            message("calendar_overridden", year=read.year, count=len(differences), file=target)
            if differences
            else message("calendar_override_unused", year=read.year)
        )


@commands.command()
@click.argument("old")
@click.argument("new", default=DEFAULT_DIR)
@click.option("--dir", "directory", default=DEFAULT_DIR, show_default=True, help="git 版本里事项目录的位置")
@TOWNSHIP
@click.option("--save", is_flag=True, help="把变化报告写进新目录的 _changes.yaml（自助机的“最近更新”页用它）")
@click.option("--pdf", type=click.Path(dir_okay=False), help="另存为给工作人员签字的变更通知（PDF）")
def diff(old, new, directory, township, save, pdf):
    """比较两个目录（文件夹，或 git 版本如 HEAD~1），按事项列出变化。"""
    from ..catalogue.view import CatalogueView
    from ..exchange import diff as changes

    with tempfile.TemporaryDirectory() as tmp:
        views = []
        for n, spec in enumerate((old, new)):
            folder = _catalogue_at(spec, directory, Path(tmp) / str(n))
            views.append(CatalogueView(load_checked(str(folder), township).catalogue))
        changed = changes.compare(*views)
    for line in changes.lines(changed):
        click.echo(line)
    if save:
        if not Path(new).is_dir():
            raise click.UsageError(message("diff_save_needs_folder"))
        write(changes.to_yaml(changed), str(Path(new) / "_changes.yaml"))
    if pdf:
        from ..printing import sheets as printed

        printed.write_change_notice(views[1], changed, Path(pdf))
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
