"""A county's 实施清单 as exported by its platform, into matter files (kiosk import --format guide).

One sheet, one row per matter, Chinese column headers named after the national elements (事项名称,
基本编码, 实施编码, 事项类型, 实施主体, 法定办结时限, 承诺办结时限, 是否收费, 办理地点, 办理时间,
咨询方式, 监督投诉方式, 申请材料 …; shared/reference/matter-fields.md). Known columns map to fields;
unknown ones are listed; a blank cell stays blank, so the element is 未载明 on the kiosk and on paper,
never a default. Cells are read as the office wrote them: "3个工作日", "即办", "不收费", one material
or condition a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from . import limits, validation
from .model import PHONE_PATTERN, Matter, slug_ok
from .problems import message
from .workbook import open_workbook

# column header -> what it fills (aliases a county's export may use, same meaning)
COLUMNS = {
    "事项编号": "id", "事项名称": "task_name", "基本编码": "catalog_code", "实施编码": "task_code",
    "事项类型": "task_type", "事项状态": "task_state", "行使层级": "use_level",
    "实施主体": "dept_name", "实施机关": "dept_name", "承办机构": "entrust_name", "受委托部门": "entrust_name",
    "服务对象": "server_type", "通办范围": "handle_area", "数量限制": "limit_explain",
    "受理条件": "accept_condition", "申请条件": "accept_condition", "不予受理情形": "refusal_cases",
    "设定依据": "by_law", "办理依据": "by_law", "申请材料": "materials", "办理流程": "steps",
    "办件类型": "project_type", "法定办结时限": "anticipate", "承诺办结时限": "promise",
    "到办事现场次数": "limit_scene_num", "到现场次数": "limit_scene_num",
    "是否收费": "is_fee", "收费标准": "fees", "收费依据及标准": "is_fee",
    "办理结果": "result_name", "结果名称": "result_name", "办理地点": "transact_addr", "办理时间": "transact_time",
    "咨询方式": "link_way", "咨询电话": "link_way", "监督投诉方式": "supervise_way", "监督电话": "supervise_way",
    "是否网办": "is_online", "网上办理地址": "online_handle_url", "网办地址": "online_handle_url",
    "网上办理深度": "online_depth", "俗称": "keywords", "一句话说明": "summary",
}
LIST_OF_TEXT = {"server_type", "accept_condition", "refusal_cases", "keywords"}
YES = {"是", "收费"}
NO = {"否", "不收费", "免费", "此项不收费", "无"}
NUMBERING = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．)）]\s*|^\s*[（(]\s*\d+\s*[)）]\s*")
PHONE = re.compile(r"(?<![\d-])(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|\d{7,8}|12345)(?![\d-])")


@dataclass
class GuideImport:
    matters: list[Matter] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors: nothing is written
    notes: list[str] = field(default_factory=list)  # said, not stopping: unknown columns, text kept as said


def read(path: Path) -> GuideImport:
    out = GuideImport()
    wb = open_workbook(path, out.problems)
    if wb is None:
        return out
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for i, h in enumerate(headers):
        if h and h not in COLUMNS:
            out.notes.append(message("guide_unknown_column", cell=f"{ws.title}!{_letter(i)}1", header=h))
    if "事项名称" not in headers:
        out.problems.append(message("xlsx_missing_column", sheet=ws.title, column="事项名称"))
        return out
    ids: set[str] = set()
    for n, values in enumerate(rows, 2):
        cells = {h: _text(v) for h, v in zip(headers, values) if h in COLUMNS and _text(v)}
        if not cells:
            continue
        data = _matter(cells, out, f"{ws.title}!A{n}")
        data["id"] = _unique(data.get("id") or _slug(data.get("task_name", "")), ids)
        matter, errors = validation.errors(Matter, data)
        for err in errors:
            column = next((h for h, f in COLUMNS.items() if f == err["loc"][0] and h in cells), str(err["loc"][0]))
            out.problems.append(f"{ws.title}!{_letter(headers.index(column)) if column in headers else 'A'}{n}: "
                                f"{column}: {validation.explain(Matter, err)}")
        if matter is not None:
            out.matters.append(matter)
    if out.problems:
        out.matters = []
    return out


def _matter(cells: dict[str, str], out: GuideImport, row: str) -> dict:
    data: dict = {}
    for header, text in cells.items():
        target = COLUMNS[header]
        if target in LIST_OF_TEXT:
            data[target] = _items(text) if target != "server_type" else re.split(r"[、,，；;\s]+", text)
        elif target == "materials":
            data["materials"] = [{"material_name": t} for t in _items(text)]
        elif target == "steps":
            data["steps"] = [{"name": t} for t in _items(re.sub(r"\s*(?:→|->|—>)\s*", "\n", text))]
        elif target == "by_law":
            data["by_law"] = [{"name": t} for t in _items(text)]
        elif target in ("anticipate", "promise"):
            _limit(target, text, data, out, row, header)
        elif target == "is_fee":
            if text in YES or text in NO:
                data["is_fee"] = text in YES
            else:
                data["fees"] = [{"fee_name": "收费", "fee_stand": text}]
        elif target == "fees":
            data["fees"] = [{"fee_name": "收费", "fee_stand": text}]
        elif target == "is_online":
            data["is_online"] = text
        elif target in ("link_way", "supervise_way"):
            phones = [p for p in PHONE.findall(text) if re.match(PHONE_PATTERN, p)]
            if phones:
                data[target] = [{"phone": p} for p in phones]
            else:
                out.notes.append(message("guide_no_phone", row=row, header=header, text=text))
        elif target == "limit_scene_num":
            found = re.search(r"\d+", text)
            data[target] = found.group(0) if found else text
        else:
            data[target] = text
    return data


def _limit(target: str, text: str, data: dict, out: GuideImport, row: str, header: str) -> None:
    """"3个工作日", "30日", "一个月", "即办": the number and unit as stated; anything else kept in words."""
    day, unit, explain = f"{target}_day", f"{target}_type", f"{target}_explain"
    said = limits.parse(re.sub(r"^(?:承诺|法定)", "", text))
    if said and said.instant:
        if target == "promise":
            data["project_type"] = "即办件"
        else:
            data[explain] = text
    elif said:
        data[day], data[unit] = said.days, said.unit
        if target == "promise":
            data.setdefault("project_type", "承诺件")
    elif text not in NO:
        data[explain] = text
        out.notes.append(message("guide_limit_words", row=row, header=header, text=text))


def _items(text: str) -> list[str]:
    """One item a line (numbering such as "1、" or "(2)" taken off)."""
    return [NUMBERING.sub("", line).strip() for line in text.splitlines() if NUMBERING.sub("", line).strip()]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _slug(name: str) -> str:
    """A matter id from its name's pinyin: 林木采伐许可证 -> linmu-caifa-xukezheng (at most 6 syllables)."""
    syllables = [s for s in lazy_pinyin(name, errors=lambda s: [c.lower() for c in s if c.isascii() and c.isalnum()])
                 if s and s.isascii() and s.isalnum()]
    words = ["".join(syllables[i:i + 2]) for i in range(0, min(len(syllables), 6), 2)]
    slug = "-".join(words).lower()
    return slug if slug_ok(slug) else "matter"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
