"""The 跟踪台账 and the 月报: one table of cases and complaints with its filters and xlsx export, scoped like
everything else; the monthly report's numbers (on screen, PDF, xlsx), `kiosk desk report` and a county total
added up from townships' workbooks with --merge."""

from __future__ import annotations

import datetime
import io
import re
import subprocess

import pytest

from .support import case_of, case_step, register_case
from .test_complaints import NAME, PHONE, complaint_of
from .test_complaints import register as register_complaint


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


@pytest.fixture
def month_of_cases(client_of):
    """This month: two 低保 cases (one finished on time and visited 满意, one passed to 社会事务窗口 and late),
    one 残疾证 case excluded, a written complaint; 官庄镇: one case."""
    from kiosk.desk.models import Case, Complaint

    bbc, window = client_of("unresolved"), client_of("window")
    first = today().replace(day=1)
    on_time = case_of(register_case(bbc, received=first.isoformat()))
    on_time = case_of(case_step(bbc, on_time, "classify", category="instant", classified=first.isoformat()))
    on_time = case_of(case_step(bbc, on_time, "handle", handling="当场办", result="办好了", finished=first.isoformat()))
    on_time = case_of(case_step(bbc, on_time, "follow-up", visited=first.isoformat(), satisfaction="good"))
    late = case_of(register_case(bbc, received=first.isoformat()))
    late = case_of(case_step(bbc, late, "classify", category="general", classified=first.isoformat()))
    late = case_of(case_step(bbc, late, "pass", window="shehui", passed=first.isoformat()))
    Case.objects.filter(pk=late.pk).update(due=first - datetime.timedelta(days=1))  # its day has passed
    excluded = case_of(register_case(bbc, matter_name="残疾人证申领", received=first.isoformat()))
    excluded = case_of(
        case_step(
            bbc, excluded, "classify", category="excluded", classified=first.isoformat(), explanation="上级规定不能办"
        )
    )
    complaint = complaint_of(register_complaint(bbc, received=first.isoformat(), target_unit="=1+2 社会事务窗口"))
    Complaint.objects.filter(pk=complaint.pk).update(due=first - datetime.timedelta(days=1))  # not answered in time
    other = case_of(register_case(client_of("other_window"), received=first.isoformat()))
    return {
        "on_time": on_time,
        "late": late,
        "excluded": excluded,
        "complaint": complaint,
        "other": other,
        "month": first.strftime("%Y-%m"),
        "window": window,
    }


def numbers(html: str) -> set[str]:
    return set(re.findall(r"[A-Z]+-(?:BB|TS)-\d{4}-\d{6}", html))


def test_the_ledger_holds_cases_and_complaints_and_its_filters_narrow_it(client_of, month_of_cases):
    m = month_of_cases
    head = client_of("head")
    mine = {m[k].number for k in ("on_time", "late", "excluded", "complaint")}
    assert numbers(head.get("/ledger/").content.decode()) == mine
    cases = {"on_time", "late", "excluded"}
    filters = {
        "status=open": {"late", "complaint"},
        "status=done": {"on_time", "excluded"},
        "window=shehui": {"late"},
        "category=complaint": {"complaint"},
        "category=excluded": {"excluded"},
        "overdue=1": {"late", "complaint"},  # the complaint's answer day has passed too
        f"month={m['month']}": cases | {"complaint"},
        "month=2020-01": set(),
        "status=nonsense": cases | {"complaint"},
    }
    for query, expected in filters.items():
        assert numbers(head.get(f"/ledger/?{query}").content.decode()) == {m[k].number for k in expected}, query
    # a window sees what it may: the case passed to it; another township's ledger never
    assert numbers(m["window"].get("/ledger/").content.decode()) == {m["late"].number}
    assert numbers(client_of("other_head").get("/ledger/").content.decode()) == {m["other"].number}
    assert numbers(client_of("county").get("/ledger/").content.decode()) == mine | {m["other"].number}


def read_xlsx(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    cells = [c for row in wb.worksheets[0].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no cell is a formula, whatever its text
    return [tuple(c.value for c in row) for row in wb.worksheets[0].iter_rows()]


def test_the_ledger_export_is_scoped_never_carries_an_identity_nor_a_formula(client_of, month_of_cases):
    m = month_of_cases
    response = client_of("head").get("/ledger/export.xlsx?overdue=1")
    assert response.status_code == 200
    rows = read_xlsx(response.content)
    assert rows[0][:2] == ("类别", "编号") and {r[1] for r in rows[1:]} == {m["late"].number, m["complaint"].number}
    rows = read_xlsx(client_of("head").get("/ledger/export.xlsx").content)
    flat = " ".join(str(v) for r in rows for v in r)
    assert NAME not in flat and PHONE not in flat
    assert {r[1] for r in rows[1:]} == {m[k].number for k in ("on_time", "late", "excluded", "complaint")}
    # text as typed, kept as text (read_xlsx: no formula), nothing added to it
    assert [r[4] for r in rows if r[1] == m["complaint"].number] == ["=1+2 社会事务窗口"]
    assert client_of("window").get("/ledger/export.xlsx").status_code == 403
    county = read_xlsx(client_of("county").get("/ledger/export.xlsx").content)
    assert m["other"].number in {r[1] for r in county}


def test_the_monthly_report_counts_the_month(client_of, month_of_cases, tmp_path):

    m = month_of_cases
    head = client_of("head")
    page = head.get(f"/reports/?month={m['month']}").content.decode()
    assert "城乡低保申请：2 件" in page and "残疾人证申领：1 件" in page  # the top five
    rows = {(r[0], r[1]): r[2] for r in read_xlsx(head.get(f"/reports/report.xlsx?month={m['month']}").content)[3:]}
    assert rows[("总数", "登记的办不成事")] == 3
    assert rows[("总数", "按期办结")] == 1 and rows[("总数", "超期未办结")] == 1
    assert rows[("总数", "不纳入受理")] == 1 and rows[("总数", "登记的投诉")] == 1
    assert rows[("按交办窗口", "社会事务窗口")] == 1 and rows[("按事项", "城乡低保申请")] == 2
    assert rows[("回访满意度", "满意")] == 1 and rows[("投诉情形", "有索、拿、卡、要等不廉洁行为")] == 1
    assert rows[("按办理时限", "不纳入受理范围")] == 1
    pdf = head.get(f"/reports/report.pdf?month={m['month']}")
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    )
    assert "办不成事和投诉月报" in text and "城乡低保申请" in text and m["month"] in text
    assert client_of("window").get("/reports/").status_code == 403
    other = {
        (r[0], r[1]): r[2]
        for r in read_xlsx(client_of("other_head").get(f"/reports/report.xlsx?month={m['month']}").content)[3:]
    }
    assert other[("总数", "登记的办不成事")] == 1  # 官庄镇's own only


def test_kiosk_desk_report_and_the_county_total_from_townships_workbooks(month_of_cases, tmp_path):
    from click.testing import CliRunner

    from kiosk.cli.main import main

    m = month_of_cases
    runner = CliRunner()
    files = []
    for township in ("dahepingxiang", "guanzhuangzhen"):
        out = tmp_path / f"{township}.xlsx"
        done = runner.invoke(main, ["desk", "report", "--month", m["month"], "--township", township, "-o", str(out)])
        assert done.exit_code == 0, done.output
        files.append(str(out))
    county = tmp_path / "county.xlsx"
    done = runner.invoke(main, ["desk", "report", "--merge", *files, "-o", str(county)])
    assert done.exit_code == 0, done.output
    rows = {(r[0], r[1]): r[2] for r in read_xlsx(county.read_bytes())[3:]}
    assert rows[("总数", "登记的办不成事")] == 4 and rows[("按事项", "城乡低保申请")] == 3
    assert "大合坪乡" in read_xlsx(county.read_bytes())[1][1] and "官庄镇" in read_xlsx(county.read_bytes())[1][1]
    pdf = tmp_path / "county.pdf"
    assert runner.invoke(main, ["desk", "report", "--merge", *files, "-o", str(pdf)]).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    # refused: another month, something that is not a report, a month written wrong
    other = tmp_path / "other.xlsx"
    assert runner.invoke(main, ["desk", "report", "--month", "2020-01", "-o", str(other)]).exit_code == 0
    done = runner.invoke(main, ["desk", "report", "--merge", files[0], str(other)])
    assert done.exit_code == 1 and "不是同一个月" in done.output
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    done = runner.invoke(main, ["desk", "report", "--merge", str(junk)])
    assert done.exit_code == 1 and "不是工作台导出的月报" in done.output
    done = runner.invoke(main, ["desk", "report", "--month", "2026-13"])
    assert done.exit_code == 1 and "月份要写成" in done.output
