"""`kiosk desk report`: the monthly review of the 办不成事 cases and the complaints, from the desk's database or
added up from townships' monthly workbooks.

    kiosk desk report --month 2026-11 [--township T] [-o FILE.xlsx|FILE.pdf]
    kiosk desk report --merge A.xlsx B.xlsx … [-o COUNTY.xlsx|COUNTY.pdf]
"""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.problems import message

from .cli_base import desk, fail, setup

FORMATS = (".xlsx", ".pdf")


@desk.command(name="report")
@click.option("--month", help="哪个月，如 2026-11")
@click.option("--township", help="乡镇（_townships/ 下的文件夹名）；不写就是工作台服务的全部乡镇合计")
@click.option("--merge", "merge_files", is_flag=True, help="把后面列出的各乡镇月报（xlsx）加起来，得到全县合计")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写到哪个文件：.xlsx 表格或 .pdf 打印件")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def report_command(month, township, merge_files, output, files):
    """办不成事和投诉的月报：登记数、按期办结、超期、按类别/窗口/事项、回访满意度、投诉情形、最多的 5 类事。"""
    if output and Path(output).suffix.lower() not in FORMATS:
        raise click.UsageError(message("desk_report_bad_output", file=output))
    setup()
    from . import report
    from .catalogues import catalogues
    from .forms import fields

    served = catalogues().townships()
    if merge_files:
        if not files:
            raise click.UsageError(message("desk_report_no_files"))
        try:
            r = report.merge([report.from_xlsx(Path(f)) for f in files])
        except report.ReportError as e:
            fail(e.key, **e.values)
        name = "county"
    else:
        if files:
            raise click.UsageError(message("desk_report_files_need_merge"))
        if not month:
            raise click.UsageError(message("desk_report_month_needed"))
        try:
            fields.month(month)
        except fields.BadMonth as e:
            fail("desk_bad_month", **e.values)
        if township and township not in served:
            fail("desk_report_unknown_township", township=township, known="、".join(served))
        chosen = [township] if township else served
        from .deadlines import today
        from .models import Case, Complaint

        names = catalogues().window_names(chosen)
        try:
            r = report.build(
                Case.objects.filter(township__in=chosen),
                Complaint.objects.filter(township__in=chosen),
                month,
                today(),
                [catalogues().name(t) for t in chosen],
                names,
            )
        except report.ReportError as e:
            fail(e.key, **e.values)
        name = township or "county"
    out = Path(output or f"desk-report-{name}-{r.month}.xlsx")
    if out.suffix.lower() == ".pdf":
        from . import paper

        t = catalogues().get(township or served[0])
        data, _ = paper.pdf(report.html(r, t))
    else:
        data = report.to_xlsx(r)
    out.write_bytes(data)
    click.echo(message("desk_report_written", file=out))
    for section, key, n in r.rows()[: len(report.TOTALS)]:
        click.echo(f"{key}\t{n}")
