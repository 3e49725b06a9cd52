"""Spreadsheets for the county office: export, import, round trip, errors by sheet, row and column."""

from __future__ import annotations

import json
import shutil

from openpyxl import load_workbook

from conftest import SAMPLE, run_kiosk


def export_json(folder, cwd):
    result = run_kiosk("export", folder, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def header_column(ws, header):
    return next(c.column_letter for c in ws[1] if c.value == header)


def test_sample_round_trips_through_xlsx_without_loss(tmp_path):
    book = tmp_path / "catalogue.xlsx"
    assert run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book).returncode == 0
    wb = load_workbook(book)
    assert wb.sheetnames[:3] == ["事项", "材料", "步骤"]
    assert wb["事项"]["A1"].value == "事项编号"
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    for f in target.glob("[a-z]*.yaml"):
        f.unlink()
    result = run_kiosk("import", book, "-o", target)
    assert result.returncode == 0, result.stdout
    assert "已导入 30 个事项" in result.stdout
    assert export_json(target, tmp_path) == export_json(SAMPLE, tmp_path)


def test_text_that_looks_like_a_number_stays_text(tmp_path):
    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    wb = load_workbook(book)
    ws = wb["材料"]
    ws[f"{header_column(ws, '纸质规格')}2"] = "010"
    wb.save(book)
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    assert run_kiosk("import", book, "-o", target).returncode == 0
    data = export_json(target, tmp_path)
    first = next(m for m in data["matters"] if m["materials"])
    assert first["materials"][0]["page_format"] == "010"


def test_wrong_rows_are_named_by_sheet_cell_and_column_and_nothing_is_written(tmp_path):
    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    wb = load_workbook(book)
    ws = wb["事项"]
    promise = header_column(ws, "承诺办结时限")
    kind = header_column(ws, "办件类型")
    ws[f"{promise}12"] = "二十"
    ws[f"{kind}5"] = "马上办"
    wb["材料"]["A4"] = "no-such-matter"
    wb.save(book)
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    before = files(target)
    result = run_kiosk("import", book, "-o", target)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"事项!{promise}12: 承诺办结时限: 应为数字，这里是“二十”" in lines
    assert f"事项!{kind}5: 办件类型: “马上办” 不在可选值里，可选：即办件、承诺件" in lines
    assert "材料!A4: 事项编号: “事项”表中没有编号为 no-such-matter 的事项" in lines
    assert lines[-1] == "共 3 处错误，什么也没有写入"
    assert files(target) == before


def test_a_cross_reference_error_writes_nothing_either(tmp_path):
    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    wb = load_workbook(book)
    ws = wb["事项"]
    ws[f"{header_column(ws, '首问责任·窗口编号')}3"] = "houtai"
    wb.save(book)
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    before = files(target)
    result = run_kiosk("import", book, "-o", target)
    assert result.returncode == 1
    assert "responsible.window: 窗口 houtai 不在" in result.stdout
    assert "_townships/dahepingxiang/center.yaml 的窗口列表里" in result.stdout
    assert str(tmp_path) not in result.stdout.replace(str(target), "matters")
    assert files(target) == before


def test_not_a_workbook_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("hello", "utf-8")
    result = run_kiosk("import", bad, "-o", tmp_path / "m")
    assert result.returncode == 1
    assert "不是能读的 Excel 文件" in result.stdout
    assert "Traceback" not in result.stderr
