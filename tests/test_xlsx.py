"""Spreadsheets for the county office: export, import, round trip, errors by sheet, row and column."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, SAMPLE, run_kiosk
from openpyxl import load_workbook


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


def test_the_guides_new_elements_round_trip_through_xlsx(tmp_path):
    """Where the clock starts, the source guide, the agent, other elements and a stated 无 survive the county's
    spreadsheet."""
    guides = tmp_path / "guides"
    shutil.copytree(FIXTURES / "real-guides", guides)
    laonian = guides / "laonian-longshan.yaml"
    laonian.write_text(laonian.read_text("utf-8") + "other_dept: 无\n", "utf-8")
    book = tmp_path / "guides.xlsx"
    assert run_kiosk("export", guides, "--format", "xlsx", "-o", book).returncode == 0
    assert "其他要素" in load_workbook(book).sheetnames
    target = tmp_path / "matters"
    shutil.copytree(guides, target)
    for f in target.glob("[a-z]*.yaml"):
        f.unlink()
    result = run_kiosk("import", book, "-o", target)
    assert result.returncode == 0, result.stdout
    back = export_json(target, tmp_path)
    assert back == export_json(guides, tmp_path)
    by_id = {m["id"]: m for m in back["matters"]}
    assert by_id["laonian-longshan"]["stated_none"] == ["other_dept"]
    assert by_id["linmu-huaxian"]["agent"]["materials"] == ["村民的委托书"]


def test_text_that_looks_like_a_number_stays_text(tmp_path):
    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    wb = load_workbook(book)
    ws = wb["材料"]
    ws[f"{header_column(ws, '规格')}2"] = "010"
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
    assert f"事项!{promise}12: 承诺办结时限: 应为整数（阿拉伯数字），这里写的是 “二十”" in lines
    assert f"事项!{kind}5: 办件类型: “马上办” 不在可选值里，可选：“即办件” / “承诺件”" in lines
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


# ---------------------------------------------------------------- spreadsheets as an attack surface

INJECTIONS = ['=HYPERLINK("http://example.org/x","点这里")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_text_that_looks_like_a_formula_is_stored_as_text_and_round_trips(tmp_path):
    """OWASP CSV injection: a summary starting with =, +, - or @ must never become a live formula."""
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    path = target / "dibao-apply.yaml"
    text = path.read_text("utf-8")
    for field, value in zip(("summary", "limit_explain", "task_state_note", "handle_area", "use_level"), INJECTIONS):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(f"{field}:")) + "\n"
        text += f"{field}: {json.dumps(value, ensure_ascii=False)}\n"
    path.write_text(text, "utf-8")
    book = tmp_path / "c.xlsx"
    assert run_kiosk("export", target, "--format", "xlsx", "-o", book).returncode == 0
    ws = load_workbook(book)["事项"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "dibao-apply")
    cells = {c.value: c for c in row if c.value in INJECTIONS}
    assert set(cells) == set(INJECTIONS)
    assert {c.data_type for c in cells.values()} == {"s"}, "text, never a formula (cell type f)"
    import zipfile

    sheet_xml = zipfile.ZipFile(book).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml
    assert run_kiosk("import", book, "-o", target).returncode == 0
    matter = next(m for m in export_json(target, tmp_path)["matters"] if m["id"] == "dibao-apply")
    assert [
        matter[f] for f in ("summary", "limit_explain", "task_state_note", "handle_area", "use_level")
    ] == INJECTIONS


def test_a_workbook_with_a_formula_is_refused_naming_the_cell(tmp_path):
    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    wb = load_workbook(book)
    ws = wb["事项"]
    ws[f"{header_column(ws, '一句话说明')}3"] = '=HYPERLINK("http://example.org","点这里")'  # a live formula
    wb.save(book)
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    before = files(target)
    result = run_kiosk("import", book, "-o", target)
    assert result.returncode == 1
    assert (
        f"事项!{header_column(ws, '一句话说明')}3: 单元格里是公式，为了安全不读：请改成文字或数字（复制后“选择性粘贴为数值”）"
        in result.stdout
    )
    assert files(target) == before


@pytest.mark.parametrize(
    "part, says",
    [
        ("xl/vbaProject.bin", "含有宏（xl/vbaProject.bin）"),
        ("xl/externalLinks/externalLink1.xml", "链接了别的文件（xl/externalLinks/externalLink1.xml）"),
    ],
)
def test_macros_and_external_links_are_refused_naming_the_part(tmp_path, part, says):
    import zipfile

    book = tmp_path / "c.xlsx"
    run_kiosk("export", SAMPLE, "--format", "xlsx", "-o", book)
    with zipfile.ZipFile(book, "a") as z:
        z.writestr(part, b"\0" * 16)
    result = run_kiosk("import", book, "-o", tmp_path / "m")
    assert result.returncode == 1 and says in result.stdout
    assert not (tmp_path / "m").exists()


def test_a_workbook_that_unpacks_too_big_is_refused(tmp_path):
    import zipfile

    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)  # 60 MB of zeros, about 60 KB packed
    assert book.stat().st_size < 200_000
    result = run_kiosk("import", book, "-o", tmp_path / "m", "--format", "guide")
    assert result.returncode == 1
    assert "解压后有 60 MB，超过 50 MB 的上限" in result.stdout
