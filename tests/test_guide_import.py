"""kiosk import --format guide keeps every fact of a county's 实施清单 (issue 21, point 8): phones in any
shape, whose phone it is, channels without a phone, item numbers off, merged cells, the columns the model
has, and whatever it has no field for as 其他要素, each with a 提醒 at its cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run_kiosk
from openpyxl import Workbook

from kiosk.exchange import guides

GUIDES = FIXTURES / "real-guides"


def book(path: Path, headers: list[str], *rows: list, merge: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "清单"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for cells in merge:
        ws.merge_cells(cells)
    wb.save(path)
    return path


def read(tmp_path: Path, headers: list[str], *rows: list, merge: tuple[str, ...] = ()) -> guides.GuideImport:
    return guides.read(book(tmp_path / "list.xlsx", headers, *rows, merge=merge))


def by_name(result: guides.GuideImport) -> dict:
    assert result.problems == [], result.problems
    return {m.task_name: m for m in result.matters}


def contacts(ways) -> list[dict]:
    return [c.model_dump(exclude_none=True) for c in ways]


def elements(matter) -> list[tuple[str, str]]:
    return [(e.name, e.text) for e in matter.other_elements]


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "cell, number",
    [
        ("电话:0745-1234567", "0745-1234567"),
        ("咨询电话：0745-1234567", "0745-1234567"),
        ("023—65751638", "023-65751638"),  # em dash: never 65751638
        ("023－65751638", "023-65751638"),  # full-width hyphen
        ("023——65751638", "023-65751638"),
        ("0833-12345", "0833-12345"),  # area code and a short service number
        ("0745-1234567转801", "0745-1234567-801"),
        ("0745-1234567-801", "0745-1234567-801"),
        ("（0745）1234567", "0745-1234567"),
        ("13907451234", "13907451234"),
        ("12345", "12345"),
    ],
)
def test_a_phone_in_any_shape_is_read_whole(tmp_path, cell, number):
    result = read(tmp_path, ["事项名称", "咨询方式"], ["甲事项", cell])
    matter = by_name(result)["甲事项"]
    assert [c.phone for c in matter.link_way] == [number]
    assert matter.other_elements == [] and result.notes == []


@pytest.mark.parametrize(
    "cell, bad",
    [("1234567转801", "1234567转801"), ("0745-123456", "0745-123456"), ("县民政局 023—6575163812", "023—6575163812")],
)
def test_a_number_that_is_not_a_phone_is_kept_as_written_with_a_note(tmp_path, cell, bad):
    result = read(tmp_path, ["事项名称", "咨询方式"], ["甲事项", cell])
    matter = by_name(result)["甲事项"]
    assert matter.link_way == []
    assert elements(matter) == [("咨询方式", cell)], "kept whole, never cut to the digits that fit"
    assert result.notes == [f"清单!B2: 咨询方式: 提醒：“{bad}”不是有效的电话号码；这一段照原文写进了其他要素：“{cell}”"]


def test_whose_phone_it_is_is_kept(tmp_path):
    result = read(
        tmp_path,
        ["事项名称", "咨询方式", "监督投诉方式"],
        [
            "甲事项",
            "县民政局咨询电话：0745-4221111（工作日）、0745-4221112",
            "县民政局 0745-4221234；县纪委监委 0745-4225678",
        ],
    )
    matter = by_name(result)["甲事项"]
    assert contacts(matter.supervise_way) == [
        {"name": "县民政局", "phone": "0745-4221234"},
        {"name": "县纪委监委", "phone": "0745-4225678"},
    ]
    assert contacts(matter.link_way) == [
        {"name": "县民政局", "phone": "0745-4221111", "note": "工作日"},
        {"name": "县民政局", "phone": "0745-4221112"},
    ]
    assert result.notes == []


def test_a_channel_without_a_phone_is_a_contact_and_words_are_kept(tmp_path):
    cell = "县政务服务中心5号窗口；网上投诉：http://zwfw.example.gov.cn/ts；来信：县民政局办公室（人民路1号）；工作日上班时间"
    result = read(tmp_path, ["事项名称", "监督投诉方式"], ["甲事项", cell])
    matter = by_name(result)["甲事项"]
    assert contacts(matter.supervise_way) == [
        {"window": "县政务服务中心5号窗口"},
        {"url": "http://zwfw.example.gov.cn/ts"},
        {"address": "县民政局办公室（人民路1号）"},
    ]
    assert elements(matter) == [("监督投诉方式", "工作日上班时间")]
    assert result.notes == [
        "清单!B2: 监督投诉方式: 提醒：没有读到电话、网址、窗口或地址；照原文写进了其他要素：“工作日上班时间”"
    ]


# ---------------------------------------------------------------- item numbers


def test_item_numbers_are_taken_off_and_numbers_of_the_text_are_not(tmp_path):
    result = read(
        tmp_path,
        ["事项名称", "设定依据", "受理条件", "申请材料", "不予受理情形", "俗称"],
        [
            "甲事项",
            "1《中华人民共和国老年人权益保障法》\n2《社会救助暂行办法》",
            "1本县户籍\n2年满60周岁",
            "1、身份证；2、户口本；3、2寸照片",
            "（一）材料不全的\n（二）不属本县的",
            "12345热线",
        ],
        [
            "乙事项",
            "①《法律援助条例》②《贵州省法律援助条例》",
            "1.5倍以内的",
            "身份证\n2寸照片",
            "(1)甲\n(2)乙",
            "1寸照片\n2寸照片",
        ],
    )
    matters = by_name(result)
    first, second = matters["甲事项"], matters["乙事项"]
    assert [x.name for x in first.by_law] == ["《中华人民共和国老年人权益保障法》", "《社会救助暂行办法》"]
    assert first.accept_condition == ["本县户籍", "年满60周岁"]
    assert [x.material_name for x in first.materials] == ["身份证", "户口本", "2寸照片"]
    assert first.refusal_cases == ["材料不全的", "不属本县的"]
    assert first.keywords == ["12345热线"]
    assert [x.name for x in second.by_law] == ["《法律援助条例》", "《贵州省法律援助条例》"]
    assert second.accept_condition == ["1.5倍以内的"]
    assert [x.material_name for x in second.materials] == ["身份证", "2寸照片"]
    assert second.refusal_cases == ["甲", "乙"]
    assert second.keywords == ["1寸照片", "2寸照片"], "a number followed by a unit is the text's own"
    assert result.notes == [
        "清单!C2: 受理条件: 提醒：每行开头的数字 1、2、3… 当作序号去掉了；如果数字是正文的一部分，"
        "请在导入的事项文件里改回"
    ]


# ---------------------------------------------------------------- merged cells


def test_a_merged_cell_is_copied_into_each_row_with_a_note(tmp_path):
    result = read(
        tmp_path,
        ["事项名称", "实施主体", "办理地点"],
        ["甲事项", "县民政局", "县政务服务中心"],
        ["乙事项", None, "乡便民服务中心"],
        ["丙事项", None, None],
        merge=("B2:B4",),
    )
    matters = by_name(result)
    assert [matters[n].dept_name for n in ("甲事项", "乙事项", "丙事项")] == ["县民政局"] * 3
    assert matters["丙事项"].transact_addr is None, "a blank that is not merged stays blank"
    assert result.notes == [f"清单!B{r}: 实施主体: 提醒：合并单元格（B2:B4），照 B2 的内容导入" for r in (3, 4)]


def test_a_cell_merged_across_columns_is_an_error_at_its_cell(tmp_path):
    result = read(tmp_path, ["事项名称", "办理地点", "办理时间"], ["甲事项", "县政务服务中心", None], merge=("B2:C2",))
    assert result.matters == []
    assert result.problems == [
        "清单!B2: 办理地点: 跨几列合并的单元格（B2:C2），读不出每一列各写什么：请取消合并，每列写各自的内容"
    ]


def test_a_header_merged_into_the_rows_below_is_an_error(tmp_path):
    result = read(tmp_path, ["事项名称", "实施主体"], [None, None], ["甲事项", "县民政局"], merge=("B1:B2",))
    assert result.matters == []
    assert "清单!B1: 表头的合并单元格（B1:B2）伸到了第2行以下" in result.problems[0]


def test_a_column_with_content_and_no_header_is_an_error(tmp_path):
    result = read(tmp_path, ["事项名称", None], ["甲事项", "县民政局"])
    assert result.problems == ["清单!B2: 这一列有内容却没有表头，读不出是什么要素：请在第1行写上表头"]


def test_a_row_without_a_name_is_an_error_and_row_numbers_are_not_a_fact(tmp_path):
    result = read(
        tmp_path,
        ["序号", "事项名称", "权力来源"],
        [1, "甲事项", "法定本级行使"],
        [2, None, "上级下放"],
        [3, None, None],
    )
    assert result.problems == ["清单!B3: 事项名称: 缺少必填字段 task_name"], "never skipped silently"
    assert result.notes[0] == "清单!A1: 序号: 提醒：这一列是表格自己的行号，不是事项的要素，没有导入"


def test_a_formula_is_still_refused_now_that_the_sheet_is_opened_with_its_merged_ranges(tmp_path):
    result = read(tmp_path, ["事项名称", "实施主体"], ["甲事项", '=HYPERLINK("http://x.example","县民政局")'])
    assert result.matters == [] and result.problems == [
        "清单!B2: 单元格里是公式，为了安全不读：请改成文字或数字（复制后“选择性粘贴为数值”）"
    ]


# ---------------------------------------------------------------- columns


COLUMNS = [
    "事项名称",
    "事项版本",
    "审批结果类型",
    "法定时限说明",
    "承诺办结时限说明",
    "办件类型",
    "受理时段",
    "提前申报时间",
    "办理窗口",
    "时限起算",
    "网上办理深度",
    "联办机构",
    "权力来源",
    "送达方式",
]


def test_the_columns_the_model_has_are_read(tmp_path):
    result = read(
        tmp_path,
        COLUMNS,
        [
            "甲事项",
            "2.0",
            "证照",
            "自受理之日起20个工作日",
            "材料齐全的当场办结",
            "即办件",
            "每月1-20日集中受理",
            "需提前1个月申报",
            "民政窗口（5号窗口）",
            "受理之日起",
            "全程网办",
            "无",
            "法定本级行使",
            "无",
        ],
    )
    matter = by_name(result)["甲事项"]
    assert (matter.task_version, matter.result_type, matter.project_type) == ("2.0", "证照", "即办件")
    assert (matter.anticipate_explain, matter.promise_explain) == ("自受理之日起20个工作日", "材料齐全的当场办结")
    assert (matter.accept_period, matter.apply_ahead, matter.guide_window, matter.time_start) == (
        "每月1-20日集中受理",
        "需提前1个月申报",
        "民政窗口（5号窗口）",
        "受理之日起",
    )
    assert matter.online_depth == "全程网办"
    assert matter.other_dept == [] and matter.stated_none == ["other_dept"], "联办机构 无: the guide says none"
    assert elements(matter) == [("权力来源", "法定本级行使"), ("送达方式", "无")], "column order; 无 stays its text"
    assert result.notes == [
        "清单!M1: 权力来源: 提醒：没有对应的字段，这一列照原文作为其他要素导入",
        "清单!N1: 送达方式: 提醒：没有对应的字段，这一列照原文作为其他要素导入",
    ]


def test_a_value_the_field_cannot_hold_is_kept_with_a_note_not_refused(tmp_path):
    result = read(
        tmp_path,
        ["事项名称", "事项类型", "结果类型", "办件类型", "服务对象", "网上办理地址", "备注"],
        ["甲事项", "公共服务事项", "证明", "即办", "自然人、个体户", "无", "村委会盖章"],
        ["乙事项", "行政给付", "证照", "承诺件", "自然人", "https://zwfw.example.gov.cn/b", None],
    )
    matters = by_name(result)
    first, second = matters["甲事项"], matters["乙事项"]
    assert (first.task_type, first.result_type, first.project_type, first.server_type) == (None, None, None, [])
    assert elements(first) == [
        ("事项类型", "公共服务事项"),
        ("结果类型", "证明"),
        ("办件类型", "即办"),
        ("服务对象", "自然人、个体户"),
        ("网上办理地址", "无"),
        ("备注", "村委会盖章"),
    ]
    assert (second.task_type, second.result_type, second.project_type) == ("行政给付", "证照", "承诺件")
    assert elements(second) == []
    notes = {n.split(":")[0]: n for n in result.notes}
    assert len(notes) == len(result.notes) == 6
    assert notes["清单!C2"].startswith("清单!C2: 结果类型: 提醒：“证明” 不在可选值里，可选：“证照” / “批文”")
    assert notes["清单!C2"].endswith("；照原文写进了其他要素：“证明”")
    assert notes["清单!D2"].startswith("清单!D2: 办件类型: 提醒：“即办” 不在可选值里")
    for cell, text in (("B2", "公共服务事项"), ("E2", "自然人、个体户"), ("F2", "无")):
        assert notes[f"清单!{cell}"].endswith(f"照原文写进了其他要素：“{text}”"), notes[f"清单!{cell}"]
    assert notes["清单!G1"] == "清单!G1: 备注: 提醒：没有对应的字段，这一列照原文作为其他要素导入"


def test_two_columns_of_one_field_saying_different_things_keep_both(tmp_path):
    result = read(tmp_path, ["事项名称", "实施主体", "实施机关"], ["甲事项", "县民政局", "县人民政府"])
    matter = by_name(result)["甲事项"]
    assert matter.dept_name == "县民政局" and elements(matter) == [("实施机关", "县人民政府")]
    assert result.notes == [
        "清单!C2: 实施机关: 提醒：和“实施主体”列是同一个要素，写的却不一样；照原文写进了其他要素：“县人民政府”"
    ]


def test_a_wrapped_header_is_the_same_column(tmp_path):
    result = read(tmp_path, ["事项名称", "办件\n类型", "承诺办结\n时限"], ["甲事项", "承诺件", "3个工作日"])
    matter = by_name(result)["甲事项"]
    assert (matter.project_type, matter.promise_day, matter.promise_type) == ("承诺件", 3, "工作日")
    assert result.notes == []


def test_project_type_and_the_promised_limit_that_disagree_are_an_error(tmp_path):
    result = read(
        tmp_path,
        ["事项名称", "办件类型", "承诺办结时限"],
        ["甲事项", "即办件", "3个工作日"],
        ["乙事项", "承诺件", "即办"],
        ["丙事项", None, "即办"],
    )
    assert result.matters == []
    assert result.problems == [
        "清单!B2: 办件类型: 写的是“即办件”，承诺办结时限却是“3个工作日”：请改成一致",
        "清单!B3: 办件类型: 写的是“承诺件”，承诺办结时限却是“即办”：请改成一致",
    ]


# ---------------------------------------------------------------- the whole way, through kiosk import


def test_import_writes_every_fact_and_passes_check(tmp_path):
    """The cases above through `kiosk import --format guide`: the matter files written hold every fact, the
    notes are printed, and the catalogue passes kiosk check."""
    headers = [
        "事项名称",
        "实施主体",
        "咨询方式",
        "监督投诉方式",
        "设定依据",
        "申请材料",
        "结果类型",
        "联办机构",
        "网上办理深度",
        "受理时段",
        "权力来源",
    ]
    path = book(
        tmp_path / "list.xlsx",
        headers,
        [
            "甲事项",
            "县民政局",
            "电话:0745-1234567；县政务服务中心5号窗口",
            "县民政局 0745-4221234；县纪委监委 0745-4225678",
            "1《中华人民共和国老年人权益保障法》",
            "1、身份证；2、户口本",
            "证明",
            "无",
            "全程网办",
            "每月1-20日",
            "法定本级行使",
        ],
        ["乙事项", None, "023—65751638", "1234567转801", None, "身份证\n2寸照片", "证照", None, None, None, None],
        merge=("B2:B3",),
    )
    target = tmp_path / "matters"
    shutil.copytree(
        GUIDES,
        target,
        ignore=lambda folder, names: [
            n for n in names if Path(folder) == GUIDES and (n[:1].isalnum() and n.endswith(".yaml") or n == "README.md")
        ],
    )
    result = run_kiosk("import", "--format", "guide", path, "-o", target, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for said in (
        "清单!K1: 权力来源: 提醒：没有对应的字段",
        "清单!B3: 实施主体: 提醒：合并单元格（B2:B3），照 B2 的内容导入",
        "清单!G2: 结果类型: 提醒：“证明” 不在可选值里",
        "清单!D3: 监督投诉方式: 提醒：“1234567转801”不是有效的电话号码",
    ):
        assert said in result.stdout, said
    checked = run_kiosk("check", target, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    data = {m["task_name"]: m for m in json.loads(run_kiosk("export", target, cwd=tmp_path).stdout)["matters"]}
    first, second = data["甲事项"], data["乙事项"]
    assert [(c["name"], c["phone"], c["window"]) for c in first["link_way"]] == [
        (None, "0745-1234567", None),
        (None, None, "县政务服务中心5号窗口"),
    ]
    assert [(c["name"], c["phone"]) for c in first["supervise_way"]] == [
        ("县民政局", "0745-4221234"),
        ("县纪委监委", "0745-4225678"),
    ]
    assert [x["name"] for x in first["by_law"]] == ["《中华人民共和国老年人权益保障法》"]
    assert [x["material_name"] for x in first["materials"]] == ["身份证", "户口本"]
    assert first["stated_none"] == ["other_dept"] and first["online_depth"] == "全程网办"
    assert first["accept_period"] == "每月1-20日" and first["result_type"] is None
    assert first["other_elements"] == [
        {"name": "结果类型", "text": "证明"},
        {"name": "权力来源", "text": "法定本级行使"},
    ]
    assert second["dept_name"] == "县民政局"
    assert [c["phone"] for c in second["link_way"]] == ["023-65751638"]
    assert second["supervise_way"] == [] and second["other_elements"] == [
        {"name": "监督投诉方式", "text": "1234567转801"}
    ]
    assert [x["material_name"] for x in second["materials"]] == ["身份证", "2寸照片"]
    assert second["result_type"] == "证照"
