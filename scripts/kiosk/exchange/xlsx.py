"""The catalogue's matters as a spreadsheet, and back, without loss.

County offices work in spreadsheets. One workbook, one layout:

    事项        one row per matter: its plain fields, and responsible.* / proxy.* flattened;
                lists of words (keywords, accept_condition …) one item per line in the cell
    材料        one row per material: 事项编号, then the material's fields, in the matter's order
    步骤        one row per step, likewise
    依据 前置 收费 联办 特别程序 分类承诺时限 补助标准 咨询电话 监督电话 联系人 常见问题
                one row per item of the matter's other lists, likewise

Column headers are the Chinese names of the fields (the start of each field's
description in model.py); yes/no cells take 是/否. `read()` checks every row and
names each mistake as `sheet!cell: column: message`; it returns nothing unless
every row is right.
"""

from __future__ import annotations

import datetime
import typing
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from ..catalogue import validation
from ..model import Matter, label
from ..problems import message
from .workbook import as_text, open_workbook

MATTER_SHEET = "事项"
ID_HEADER = "事项编号"
CHILD_SHEETS = {  # list field of a matter -> its sheet
    "materials": "材料",
    "steps": "步骤",
    "by_law": "依据",
    "prerequisites": "前置",
    "fees": "收费",
    "other_dept": "联办",
    "special_procedure": "特别程序",
    "promise_by": "分类承诺时限",
    "standards": "补助标准",
    "link_way": "咨询电话",
    "supervise_way": "监督电话",
    "contacts": "联系人",
    "faq": "常见问题",
    "other_elements": "其他要素",
}
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # field path inside the row's model, e.g. ("responsible", "window")
    header: str
    kind: str  # "text", "int", "bool", "date", "lines"


def columns(model: type[BaseModel], skip=()) -> list[Column]:
    out: list[Column] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        ann = unwrap(info.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += [Column((name,) + c.path, f"{label(model, name)}·{c.header}", c.kind) for c in columns(ann)]
            continue
        origin = typing.get_origin(ann)
        if origin is list:
            item = unwrap(typing.get_args(ann)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                continue  # its own sheet
            out.append(Column((name,), label(model, name), "lines"))
            continue
        kind = {int: "int", bool: "bool", datetime.date: "date"}.get(ann, "text")
        out.append(Column((name,), label(model, name), kind))
    headers = [c.header for c in out]
    return [
        c if headers.count(c.header) == 1 else Column(c.path, f"{c.header}（{'.'.join(c.path)}）", c.kind) for c in out
    ]


def unwrap(ann):
    """Optional[X] / Annotated[X, …] -> X."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin is typing.Union:
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            ann = args[0]
        elif origin is typing.Literal:
            return str
        else:
            return ann


def _child_model(name: str) -> type[BaseModel]:
    return unwrap(typing.get_args(unwrap(Matter.model_fields[name].annotation))[0])


MATTER_COLUMNS = columns(Matter, skip=set(CHILD_SHEETS))
CHILD_COLUMNS = {name: columns(_child_model(name)) for name in CHILD_SHEETS}


# ---------------------------------------------------------------- write


def write(matters: list[Matter], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = MATTER_SHEET
    _sheet(
        ws,
        [c.header for c in MATTER_COLUMNS],
        [[_cell(_get(m, c.path), c.kind) for c in MATTER_COLUMNS] for m in matters],
    )
    for name, sheet in CHILD_SHEETS.items():
        cols = CHILD_COLUMNS[name]
        rows = [
            [m.id] + [_cell(_get(item, c.path), c.kind) for c in cols] for m in matters for item in getattr(m, name)
        ]
        _sheet(wb.create_sheet(sheet), [ID_HEADER] + [c.header for c in cols], rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


def _sheet(ws, headers, rows):
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6EE")
    for row in rows:
        ws.append(row)
    for i, h in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(h) * 2 + 4))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            as_text(cell)  # whatever the catalogue holds: never a formula, no 010 -> 10
    ws.freeze_panes = "B2"


def _get(obj, path):
    for p in path:
        obj = getattr(obj, p) if obj is not None else None
    return obj


def _cell(value, kind):
    if value is None:
        return None
    if kind == "bool":
        return YES if value else NO
    if kind == "lines":
        return "\n".join(value) if value else None
    if kind == "date":
        return value.isoformat()
    return value


# ---------------------------------------------------------------- read


@dataclass
class ImportResult:
    matters: list[Matter] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read(path: Path) -> ImportResult:
    """Read a workbook; every wrong row is a problem, and then no matter is returned."""
    out = ImportResult()
    wb = open_workbook(path, out.problems)
    if wb is None:
        return out
    raw: dict[str, dict] = {}
    marks: dict[str, dict[tuple, str]] = {}  # matter id -> field path -> "sheet!cell"
    header_of: dict[str, dict[tuple, str]] = {}

    rows = _rows(wb, MATTER_SHEET, [c.header for c in MATTER_COLUMNS], out)
    for row_no, row, cells in rows:
        data: dict = {}
        mk: dict[tuple, str] = {(): f"{MATTER_SHEET}!A{row_no}"}
        hd: dict[tuple, str] = {}
        for c in MATTER_COLUMNS:
            value = _value(row.get(c.header), c.kind)
            mk[c.path] = f"{MATTER_SHEET}!{cells[c.header]}{row_no}"
            hd[c.path] = c.header
            if value is not None:
                _put(data, c.path, value)
        mid = str(data.get("id") or message("xlsx_row", row=row_no))
        if mid in raw:
            out.problems.append(
                f"{mk[('id',)]}: {label(Matter, 'id')}: " + message("duplicate_id", id=mid, other=marks[mid][()])
            )
            continue
        raw[mid], marks[mid], header_of[mid] = data, mk, hd

    for name, sheet in CHILD_SHEETS.items():
        cols = CHILD_COLUMNS[name]
        counters: dict[str, int] = {}
        for row_no, row, cells in _rows(wb, sheet, [ID_HEADER] + [c.header for c in cols], out):
            mid = _value(row.get(ID_HEADER), "text")
            if mid not in raw:
                out.problems.append(
                    f"{sheet}!{cells[ID_HEADER]}{row_no}: {ID_HEADER}: " + message("xlsx_unknown_matter", id=mid)
                )
                continue
            i = counters.get(mid, 0)
            counters[mid] = i + 1
            item: dict = {}
            marks[mid][(name, i)] = f"{sheet}!A{row_no}"
            for c in cols:
                value = _value(row.get(c.header), c.kind)
                marks[mid][(name, i) + c.path] = f"{sheet}!{cells[c.header]}{row_no}"
                header_of[mid][(name, i) + c.path] = c.header
                if value is not None:
                    _put(item, c.path, value)
            raw[mid].setdefault(name, []).append(item)

    for mid, data in raw.items():
        try:
            out.matters.append(Matter.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(p for p in err["loc"] if p != "[key]")
                where, col = (
                    _nearest(marks[mid], loc),
                    _nearest(header_of[mid], loc, default=str(loc[-1]) if loc else ""),
                )
                out.problems.append(f"{where}: {col}: {_text(err)}")
    if out.problems:
        out.matters = []
    return out


def _rows(wb, sheet: str, headers: list[str], out: ImportResult):
    """(row number, {header: value}, {header: column letter}) of each non-empty row."""
    if sheet not in wb.sheetnames:
        out.problems.append(message("xlsx_missing_sheet", sheet=sheet))
        return []
    ws = wb[sheet]
    it = ws.iter_rows(values_only=True)
    first = next(it, None) or ()
    have = {str(h).strip(): i for i, h in enumerate(first) if h is not None}
    for h in headers:
        if h not in have:
            out.problems.append(message("xlsx_missing_column", sheet=sheet, column=h))
    for h in have:
        if h not in headers:
            out.problems.append(f"{sheet}!{get_column_letter(have[h] + 1)}1: {h}: " + message("xlsx_unknown_column"))
    letters = {h: get_column_letter(i + 1) for h, i in have.items()}
    rows = []
    for n, values in enumerate(it, 2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((n, {h: values[i] if i < len(values) else None for h, i in have.items()}, letters))
    return rows


def _value(value, kind):
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if kind == "lines":
        return [line.strip() for line in str(value).splitlines() if line.strip()]
    if kind == "bool":
        return {YES: True, NO: False}.get(value, value) if isinstance(value, str) else value
    if kind == "date" and isinstance(value, datetime.datetime):
        return value.date()
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "text" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _put(data: dict, path: tuple, value) -> None:
    for p in path[:-1]:
        data = data.setdefault(p, {})
    data[path[-1]] = value


def _nearest(table: dict, loc: tuple, default=""):
    while loc not in table and loc:
        loc = loc[:-1]
    return table.get(loc, default)


def _text(err) -> str:
    if err["type"] == "missing":
        return message("xlsx_empty_required")
    return validation.explain(Matter, err)
