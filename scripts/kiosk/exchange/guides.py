"""A county's 实施清单 as exported by its platform, into matter files (kiosk import --format guide).

One sheet, one row per matter, Chinese column headers named after the national elements (事项名称,
基本编码, 实施编码, 事项类型, 实施主体, 法定办结时限, 承诺办结时限, 是否收费, 办理地点, 办理时间,
咨询方式, 监督投诉方式, 申请材料 …; shared/reference/matter-fields.md). Cells are read as the office wrote
them: "3个工作日", "即办", "不收费", one material or condition a line. The import keeps every fact:

- a known column fills its field; a blank cell stays blank, so the element is 未载明, never a default;
- a column the model has no field for, and a value a field cannot hold (事项类型 “某某”, 结果类型 “证明”,
  a phone number that is not one), are kept word for word in `other_elements` under the column's
  header, in column order, each with a 提醒; two columns saying different things of one field keep the
  second the same way. Nothing a cell says is dropped or cut; only a 序号 column (the table's own row
  numbers) is left out, with a 提醒. A row with content and no 事项名称 is an error, never skipped;
- 办件类型 as the column says, else as the promised limit implies (即办 -> 即办件, days -> 承诺件); the
  two disagreeing is an error at the 办件类型 cell;
- 咨询方式 / 监督投诉方式: one contact a phone, with the department named before it ("县民政局
  0745-4221234；县纪委监委 0745-4225678"); dashes of any kind become "-", 转 an extension; a window,
  a web address or a letter address without a phone is a contact too;
- list cells lose their item numbers ("1、", "(1)", "（一）", "①", "1." before text, a number glued
  to 《), and a line numbered "1、身份证；2、户口本" is split at them; numbers glued to the text ("1本县户籍", "2年满60周岁") only when every line of the cell starts
  with the next one, 1, 2, 3 … and none is followed by a unit (寸, 张, 份 …), with a 提醒; "无" alone
  in a list cell is the guide saying there is none (stated_none);
- a merged cell: openpyxl reads the rows under its first one as blank, so the sheet is opened with its
  merged ranges and the value of a range one column wide is copied into each of its rows, with a 提醒
  at each copied cell. A range across columns (which column says what?) or a header merged into the rows
  below is an error at its cell.

Errors (nothing is written) and notes name the cell and the column: `清单!L3: 咨询方式: 提醒：…`.
"""

from __future__ import annotations

import datetime
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path

from ..calendar import limits
from ..catalogue import validation
from ..model import LIST_FIELDS, PHONE_PATTERN, Matter, slug_ok
from ..model.types import ProjectType
from ..problems import message
from ..text.pinyin import lazy_pinyin
from .workbook import open_workbook

# column header -> what it fills (aliases a county's export may use, same meaning)
COLUMNS = {
    "事项编号": "id",
    "事项名称": "task_name",
    "基本编码": "catalog_code",
    "实施编码": "task_code",
    "事项类型": "task_type",
    "事项状态": "task_state",
    "事项版本": "task_version",
    "行使层级": "use_level",
    "实施主体": "dept_name",
    "实施机关": "dept_name",
    "承办机构": "entrust_name",
    "受委托部门": "entrust_name",
    "联办机构": "other_dept",
    "服务对象": "server_type",
    "通办范围": "handle_area",
    "数量限制": "limit_explain",
    "受理条件": "accept_condition",
    "申请条件": "accept_condition",
    "不予受理情形": "refusal_cases",
    "设定依据": "by_law",
    "办理依据": "by_law",
    "申请材料": "materials",
    "办理流程": "steps",
    "办件类型": "project_type",
    "法定办结时限": "anticipate",
    "承诺办结时限": "promise",
    "法定时限说明": "anticipate_explain",
    "法定办结时限说明": "anticipate_explain",
    "承诺时限说明": "promise_explain",
    "承诺办结时限说明": "promise_explain",
    "时限起算": "time_start",
    "起算时间": "time_start",
    "受理时段": "accept_period",
    "申报提前量": "apply_ahead",
    "提前申报时间": "apply_ahead",
    "到办事现场次数": "limit_scene_num",
    "到现场次数": "limit_scene_num",
    "是否收费": "is_fee",
    "收费标准": "fees",
    "收费依据及标准": "is_fee",
    "办理结果": "result_name",
    "结果名称": "result_name",
    "审批结果类型": "result_type",
    "结果类型": "result_type",
    "办理地点": "transact_addr",
    "办理时间": "transact_time",
    "办理窗口": "guide_window",
    "咨询方式": "link_way",
    "咨询电话": "link_way",
    "监督投诉方式": "supervise_way",
    "监督电话": "supervise_way",
    "是否网办": "is_online",
    "网上办理地址": "online_handle_url",
    "网办地址": "online_handle_url",
    "网上办理深度": "online_depth",
    "俗称": "keywords",
    "一句话说明": "summary",
}
ROW_NUMBERS = {"序号", "行号"}  # the table's own numbering, not an element of the matter
LIST_OF_TEXT = {"server_type", "accept_condition", "refusal_cases", "keywords"}
YES = {"是", "收费"}
NO = {"否", "不收费", "免费", "此项不收费", "无"}
SCENES = re.compile(r"(?:最多|不超过)?\s*跑?\s*(\d+|[零〇一二两三])\s*次?")
SMALL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3}
KEYS = {"id", "task_name"}  # a wrong value here is an error, never kept aside: the file is named by them

# ---------------------------------------------------------------- item numbers
CN_NUMBERS = "一二三四五六七八九十"
MARK = re.compile(
    r"""^\s*(?:
      (?P<dot>\d{1,2})\s*(?:、|[.．](?!\d))
    | (?P<close>\d{1,2})\s*[)）]
    | [（(]\s*(?P<paren>\d{1,2})\s*[)）]
    | [（(]\s*(?P<cnparen>[一二三四五六七八九十]{1,3})\s*[)）]
    | (?P<cn>[一二三四五六七八九十]{1,3})\s*[、.．)）]
    | (?P<circled>[①-⑳])
    )\s*""",
    re.X,
)
GLUED = re.compile(r"^(\d{1,2})(?=[^\d\s、.．,，)）:：%‰/-])")
# after a number glued to the text, these say it is a quantity (2寸照片, 1张), never an item number
UNITS = set("寸张份件个岁周倍元万千百")
BEFORE_BOOK = re.compile(r"^\d{1,2}(?=《)")  # "1《中华人民共和国…》": never part of a law's name

# ---------------------------------------------------------------- phones and other channels
DASHES = "—－–‐‑−﹣―-"  # "-" last: literal in a character class
PHONE_CANDIDATE = re.compile(
    rf"(?<![\d{DASHES}])(?<!\d[:：.．])"
    rf"(?:[(（]\s*0\d{{2,3}}\s*[)）]\s*)?\d+(?:(?:\s*[{DASHES}]{{1,2}}\s*|[ \u3000])\d+)*(?:\s*(?:转|分机)\s*\d{{1,5}})?"
    r"(?!\d)(?![:：.．]\d)(?!\s*[号路街楼室层栋巷弄元年月日时点分个周岁次天])"
)
URL = re.compile(r"https?://[^\s，,；;、）)》\u3000]+")
SEGMENTS = re.compile(r"[\n；;。]+")
LABELS = re.compile(
    r"网上|在线|现场|当面|监督|投诉|举报|咨询|联系|服务|办公|值班|受理|办事|电话|热线|手机|座机|号码"
    r"|网址|网站|平台|方式|窗口|地址|地点|来信|来访|及|和|、|/|\s"
)
LABEL_TAIL = re.compile(
    r"(?:(?:网上|在线|现场|当面|监督|投诉|举报|咨询|联系|服务|办公|值班|受理|办事)*"
    r"(?:电话|热线|手机|座机|号码|网址|网站|平台|方式|地址|地点)|监督|投诉|举报|咨询)$"
)
WINDOW = re.compile(r"窗口|大厅|服务中心|便民服务")
ADDRESS = re.compile(r"地址|来信|来访|信箱|邮寄|邮编|路|街|大道|\d+号|楼|室")
PUNCT = " \t\u3000、,，。：:/／"


@dataclass
class GuideImport:
    matters: list[Matter] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # errors: nothing is written
    notes: list[str] = field(default_factory=list)  # said, not stopping: kept as 其他要素, copied, read as


def read(path: Path) -> GuideImport:
    out = GuideImport()
    wb = open_workbook(path, out.problems, read_only=False)  # a read-only sheet has no merged_cells
    if wb is None:
        return out
    ws = wb.worksheets[0]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    headers = [_header(h) for h in grid[0]] if grid else []
    _merged(ws, grid, headers, out)
    for i, h in enumerate(headers):
        if h in ROW_NUMBERS:
            out.notes.append(message("guide_row_numbers", cell=f"{ws.title}!{_letter(i)}1", header=h))
        elif h and h not in COLUMNS:
            out.notes.append(message("guide_kept_column", cell=f"{ws.title}!{_letter(i)}1", header=h))
        elif not h:
            filled = next((n for n, r in enumerate(grid[1:], 2) if i < len(r) and _text(r[i])), None)
            if filled:
                out.problems.append(message("guide_no_header", cell=f"{ws.title}!{_letter(i)}{filled}"))
    if "事项名称" not in headers:
        out.problems.append(message("xlsx_missing_column", sheet=ws.title, column="事项名称"))
        return out
    ids: set[str] = set()
    for n, values in enumerate(grid[1:], 2):
        cells = [
            (i, headers[i], _text(v))
            for i, v in enumerate(values[: len(headers)])
            if headers[i] and headers[i] not in ROW_NUMBERS and _text(v)
        ]
        if not cells:
            continue
        row = _Row(out, ws.title, n, headers)
        for col, header, text in cells:
            if header in COLUMNS:
                _column(row, col, header, text)
            else:
                row.keep(col, header, text)
        row.settle_project_type()
        matter = row.matter(ids)
        if matter is not None:
            out.matters.append(matter)
    if out.problems:
        out.matters = []
    return out


class _Row:
    """One matter's row: the fields it fills, which column filled each, and what is kept as 其他要素."""

    def __init__(self, out: GuideImport, sheet: str, n: int, headers: list[str]):
        self.out, self.sheet, self.n, self.headers = out, sheet, n, headers
        self.data: dict = {}
        self.origin: dict[str, list[tuple[int, str, str]]] = {}  # field -> [(column, header, cell text)]
        self.kept: list[tuple[int, int, dict]] = []  # (column, order, {name, text})
        self.implied: tuple | None = None  # project_type as the promised limit implies it

    def cell(self, col: int) -> str:
        return f"{self.sheet}!{_letter(col)}{self.n}"

    def note(self, key: str, col: int, header: str, **values) -> None:
        self.out.notes.append(message(key, cell=self.cell(col), header=header, **values))

    def keep(self, col: int, header: str, text: str) -> None:
        self.kept.append((col, len(self.kept), {"name": header, "text": text}))

    def put(self, col: int, header: str, text: str, **fields) -> None:
        """Fill `fields` from one cell; a field another column filled otherwise keeps this cell aside."""
        clash = next(
            (
                f
                for f, v in fields.items()
                if f in self.data and self.data[f] != v and not (isinstance(v, list) and isinstance(self.data[f], list))
            ),
            None,
        )
        if clash:
            self.keep(col, header, text)
            self.note("guide_same_field", col, header, other=self.origin[clash][0][1], text=text)
            return
        for f, v in fields.items():
            if isinstance(v, list) and isinstance(self.data.get(f), list):
                v = self.data[f] + [x for x in v if x not in self.data[f]]
            self.data[f] = v
            self.origin.setdefault(f, []).append((col, header, text))

    def settle_project_type(self) -> None:
        """办件类型 as the column says; else as the promised limit implies (即办 -> 即办件, days -> 承诺件)."""
        if self.implied is None:
            return
        value, col, header, text = self.implied
        said = self.data.get("project_type")
        if said is None:
            self.data["project_type"] = value
            self.origin.setdefault("project_type", []).append((col, header, text))
        elif said != value:
            own = self.origin["project_type"][0]
            self.out.problems.append(
                message("guide_project_type_conflict", cell=self.cell(own[0]), header=own[1], said=said, promise=text)
            )

    def matter(self, ids: set[str]) -> Matter | None:
        """The row's matter; a value its field cannot hold is kept aside with a 提醒, and tried again."""
        self.data["id"] = _unique(self.data.get("id") or _slug(self.data.get("task_name", "")), ids)
        while True:
            elements = [e for _, _, e in sorted(self.kept, key=lambda k: (k[0], k[1]))]
            data = {**self.data, "other_elements": elements} if elements else self.data
            matter, errors = validation.errors(Matter, data)
            if matter is not None:
                return matter
            moved: set[int] = set()
            for err in errors:
                name = err["loc"][0] if err["loc"] else None
                if name in KEYS or name not in self.origin:
                    continue
                for col, (header, text) in self._set_aside({c for c, _, _ in self.origin[name]}).items():
                    self.note("guide_value_kept", col, header, reason=validation.explain(Matter, err), text=text)
                    moved.add(col)
            if not moved:
                break
        for err in errors:
            name = err["loc"][0] if err["loc"] else "task_name"
            col, header, _ = (self.origin.get(name) or [(self._column_of(name), "", "")])[0]
            header = header or (self.headers[col] if col is not None else str(name))
            cell = self.cell(col) if col is not None else f"{self.sheet}!A{self.n}"
            self.out.problems.append(f"{cell}: {header}: {validation.explain(Matter, err)}")
        return None

    def _set_aside(self, cols: set[int]) -> dict[int, tuple[str, str]]:
        """Every field these columns filled, out; the columns' cells kept as 其他要素 (and so on, for a
        field that another column filled too). The cells set aside, by column."""
        cells = {c: (h, t) for entries in self.origin.values() for c, h, t in entries}
        done: dict[int, tuple[str, str]] = {}
        while cols - set(done):
            col = min(cols - set(done))
            done[col] = cells[col]
            for name in [f for f, o in self.origin.items() if any(c == col for c, _, _ in o)]:
                cols |= {c for c, _, _ in self.origin.pop(name)}
                self.data.pop(name, None)
            self.keep(col, *cells[col])
        return done

    def _column_of(self, name: str) -> int | None:
        header = next((h for h, f in COLUMNS.items() if f == name and h in self.headers), None)
        return self.headers.index(header) if header else None


def _column(row: _Row, col: int, header: str, text: str) -> None:
    target = COLUMNS[header]
    if text == "无" and target in LIST_FIELDS:  # the guide says there is none: stated_none
        row.put(col, header, text, **{target: "无"})
    elif target in LIST_OF_TEXT:
        row.put(
            col,
            header,
            text,
            **{
                target: _items(row, col, header, text)
                if target != "server_type"
                else [t for t in re.split(r"[、,，；;\s]+", text) if t]
            },
        )
    elif target == "other_dept":
        items = _items(row, col, header, text)
        if len(items) == 1:
            items = [t for t in re.split(r"[、，,；;]+", items[0]) if t.strip()]
        row.put(col, header, text, other_dept=[{"name": t.strip()} for t in items])
    elif target == "materials":
        row.put(col, header, text, materials=[{"material_name": t} for t in _items(row, col, header, text)])
    elif target == "steps":
        steps = _items(row, col, header, re.sub(r"\s*(?:→|->|—>)\s*", "\n", text))
        row.put(col, header, text, steps=[{"name": t} for t in steps])
    elif target == "by_law":
        row.put(col, header, text, by_law=[{"name": t} for t in _items(row, col, header, text)])
    elif target in ("anticipate", "promise"):
        _limit(row, col, header, text, target)
    elif target == "project_type":
        if text in typing.get_args(ProjectType):
            row.put(col, header, text, project_type=text)
        else:
            row.keep(col, header, text)
            options = " / ".join(f"“{o}”" for o in typing.get_args(ProjectType))
            reason = message("literal_error", input=text, expected=options)
            row.note("guide_value_kept", col, header, reason=reason, text=text)
    elif target == "is_fee":
        if text in YES or text in NO:
            row.put(col, header, text, is_fee=text in YES)
        else:
            row.put(col, header, text, fees=[{"fee_name": "收费", "fee_stand": text}])
    elif target == "fees":
        row.put(col, header, text, fees=[{"fee_name": "收费", "fee_stand": text}])
    elif target in ("link_way", "supervise_way"):
        _channels(row, col, header, text, target)
    elif target == "limit_scene_num":
        found = SCENES.fullmatch(text)  # "0次", "1", "最多跑一次"; other words are kept with a 提醒
        number = None if not found else int(found.group(1)) if found.group(1).isdigit() else SMALL[found.group(1)]
        row.put(col, header, text, limit_scene_num=text if number is None else number)
    else:
        row.put(col, header, text, **{target: text})


def _limit(row: _Row, col: int, header: str, text: str, target: str) -> None:
    """ "3个工作日", "30日", "一个月", "即办": the number and unit as stated; anything else kept in words."""
    day, unit, explain = f"{target}_day", f"{target}_type", f"{target}_explain"
    said = limits.parse(re.sub(r"^(?:承诺|法定)", "", text))
    if said and said.instant:
        if target == "promise":
            row.implied = ("即办件", col, header, text)
        else:
            row.put(col, header, text, **{explain: text})
    elif said:
        row.put(col, header, text, **{day: said.days, unit: said.unit})
        if target == "promise":
            row.implied = ("承诺件", col, header, text)
    else:
        row.put(col, header, text, **{explain: text})
        if text not in NO:
            row.note("guide_limit_words", col, header, row=row.cell(col), text=text)


# ---------------------------------------------------------------- 咨询方式, 监督投诉方式


def _channels(row: _Row, col: int, header: str, text: str, target: str) -> None:
    """One contact a phone (or a window, a web address, an address); what cannot be read is kept."""
    contacts: list[dict] = []
    for segment in (s.strip() for s in SEGMENTS.split(text)):
        if not segment:
            continue
        found = _segment(segment)
        if isinstance(found, list):
            contacts += found
        else:
            row.keep(col, header, segment)
            if found:
                row.note("guide_phone_kept", col, header, phone=found, text=segment)
            else:
                row.note("guide_channel_kept", col, header, text=segment)
    if contacts:
        row.put(col, header, text, **{target: contacts})


def phone(raw: str) -> str | None:
    """A phone number as written ("023—65751638", "(0745)1234567", "0745-1234567转801") in the model's
    shape ("023-65751638", "0745-1234567", "0745-1234567-801"), or None when it is not one."""
    t = re.sub(f"[{DASHES}]{{1,2}}", "-", raw.strip())
    t = re.sub(r"\s*(?:转|分机)\s*", "-", t)
    t = re.sub(r"^[(（]\s*(0\d{2,3})\s*[)）]\s*", r"\1-", t)
    t = re.sub(r"\s*-\s*", "-", t)
    t = re.sub(r"[ \u3000]", "", t)
    return t if re.fullmatch(PHONE_PATTERN, t) else None


def _segment(segment: str) -> list[dict] | str | None:
    """The contacts of one part of a cell; or the text that looks like a phone number and is not one; or
    None when the part names no channel at all."""
    tokens = [(m.start(), m.end(), "url", m.group(0)) for m in URL.finditer(segment)]
    masked = URL.sub(lambda m: "\0" * len(m.group(0)), segment)
    for m in PHONE_CANDIDATE.finditer(masked):
        number = phone(m.group(0))
        parts = [(p, phone(p.group(0))) for p in re.finditer(r"[^ \u3000]+", m.group(0))]
        if number:
            tokens.append((m.start(), m.end(), "phone", number))
        elif len(parts) > 1 and all(n for _, n in parts):  # "0745-4221234 0745-4225678": two numbers
            tokens += [(m.start() + p.start(), m.start() + p.end(), "phone", n) for p, n in parts]
        elif sum(c.isdigit() for c in m.group(0)) >= 5 or re.search(f"[{DASHES}]|转", m.group(0)):
            return m.group(0)
    if not tokens:
        return _place(segment)
    contacts: list[dict] = []
    pos = 0
    for start, end, kind, value in sorted(tokens):
        between = segment[pos:start]
        if contacts:
            bracket = re.match(r"^\s*[（(]([^）)]*)[）)]", between)
            if bracket:
                contacts[-1]["note"] = bracket.group(1).strip() or None
                between = between[bracket.end() :]
        name = _name(between)
        if name is None and contacts and re.fullmatch(r"[\s、,，/／或和及]*", between):
            name = contacts[-1].get("name")
        contacts.append({k: v for k, v in (("name", name), (kind, value)) if v})
        pos = end
    after = segment[pos:].strip(PUNCT)
    bracket = re.fullmatch(r"[（(](.*)[）)]", after)
    after = (bracket.group(1) if bracket else after).strip()
    if after:
        contacts[-1]["note"] = "；".join(filter(None, (contacts[-1].get("note"), after)))
    return contacts


def _place(segment: str) -> list[dict] | None:
    """A window ("县政务服务中心5号窗口") or a letter or visiting address, named by whose it is when the text
    says so before a colon ("县民政局地址：某某路1号")."""
    kind = "window" if WINDOW.search(segment) else "address" if ADDRESS.search(segment) else None
    if kind is None:
        return None
    parts = re.split(r"[:：]", segment, maxsplit=1)
    if len(parts) == 2 and parts[1].strip(PUNCT):
        return [{k: v for k, v in (("name", _name(parts[0])), (kind, parts[1].strip())) if v}]
    return [{kind: segment}]


def _name(text: str) -> str | None:
    """Whose number it is, from the text before it: "县纪委监委监督电话：" -> 县纪委监委; labels alone
    ("咨询电话：", "电话:") name no one."""
    t = text.strip(PUNCT)
    if re.search(r"[:：]", t):
        left, right = re.split(r"[:：]", t, maxsplit=1)
        if not LABELS.sub("", left):
            t = right.strip(PUNCT)
        elif not right.strip(PUNCT):
            t = left.strip(PUNCT)
    while True:
        shorter = LABEL_TAIL.sub("", t).strip(PUNCT)
        if shorter == t:
            break
        t = shorter
    return t if LABELS.sub("", t) else None


# ---------------------------------------------------------------- list cells


def _items(row: _Row, col: int, header: str, text: str) -> list[str]:
    """One item a line, or a line numbered 1、… 2、… split at its numbers; item numbers taken off."""
    items: list[str] = []
    for line in text.splitlines():
        items += _split_numbered(line)
    items = [BEFORE_BOOK.sub("", _unmark(t)).strip().rstrip("；;，,").strip() for t in items]
    items = [t for t in items if t]
    glued = [GLUED.match(t) for t in items]
    if (
        len(items) > 1
        and all(m and int(m.group(1)) == k for k, m in enumerate(glued, 1))
        and not any(t[m.end()] in UNITS for t, m in zip(items, glued))
    ):
        items = [t[m.end() :].strip() for t, m in zip(items, glued)]
        row.note("guide_numbers_taken_off", col, header)
    return items


def _unmark(item: str) -> str:
    return MARK.sub("", item, count=1)


def _split_numbered(line: str) -> list[str]:
    """ "1、本县户籍；2、年满60周岁" -> two items: split where the next number follows a separator."""
    found = MARK.match(line)
    if not found:
        return [line]
    style = found.lastgroup
    k = _number(found.group(style))
    pieces, start, pos = [], 0, found.end()
    while k is not None:
        k += 1
        nxt = _mark_pattern(style, k).search(line, pos)
        if not nxt:
            break
        pieces.append(line[start : nxt.start()])
        start, pos = nxt.start(), nxt.end()
    return pieces + [line[start:]]


def _mark_pattern(style: str, k: int) -> re.Pattern:
    cn = _cn(k)
    after = r"(?<=[；;。，,\s])" if style != "circled" else ""
    return re.compile(
        after
        + {
            "dot": rf"{k}\s*(?:、|[.．](?!\d))",
            "close": rf"{k}\s*[)）]",
            "paren": rf"[（(]\s*{k}\s*[)）]",
            "cnparen": rf"[（(]\s*{cn}\s*[)）]",
            "cn": rf"{cn}\s*[、.．)）]",
            "circled": chr(ord("①") + k - 1) if k <= 20 else "(?!)",
        }[style]
    )


def _number(mark: str) -> int | None:
    if "①" <= mark <= "⑳":  # before isdigit(), which is true of them
        return ord(mark) - ord("①") + 1
    if mark.isdigit():
        return int(mark)
    return CN_VALUES.get(mark)


def _cn(k: int) -> str:
    tens, ones = divmod(k, 10)
    return (("" if tens == 1 else CN_NUMBERS[tens - 1]) + "十" if tens else "") + (CN_NUMBERS[ones - 1] if ones else "")


CN_VALUES = {_cn(k): k for k in range(1, 100)}

# ---------------------------------------------------------------- the sheet


def _merged(ws, grid: list[list], headers: list[str], out: GuideImport) -> None:
    """The value of a merged range one column wide into each of its rows, with a 提醒 at each copy."""
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        first = f"{_letter(rng.min_col - 1)}{rng.min_row}"
        header = headers[rng.min_col - 1] if rng.min_col - 1 < len(headers) else ""
        if rng.min_row == 1:
            if rng.max_row > 1:
                out.problems.append(message("guide_merged_header", cell=f"{ws.title}!{first}", range=rng.coord))
            continue  # across the header row only: the columns after the first have no header (guide_no_header)
        value = grid[rng.min_row - 1][rng.min_col - 1]
        if not _text(value):
            continue
        if rng.max_col > rng.min_col:
            out.problems.append(
                message("guide_merged_across", cell=f"{ws.title}!{first}", header=header, range=rng.coord)
            )
            continue
        for r in range(rng.min_row + 1, rng.max_row + 1):
            grid[r - 1][rng.min_col - 1] = value
            out.notes.append(
                message(
                    "guide_merged_copied",
                    cell=f"{ws.title}!{_letter(rng.min_col - 1)}{r}",
                    header=header,
                    range=rng.coord,
                    first=first,
                )
            )


def _header(value) -> str:
    """A header as the platform wrote it, without the line breaks and spaces of a wrapped cell and the *
    of a required column: "办件\n类型" is 办件类型."""
    return re.sub(r"\s+", "", _text(value)).strip("*＊")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return str(value).strip()


def _slug(name: str) -> str:
    """A matter id from its name's pinyin: 林木采伐许可证 -> linmu-caifa-xukezheng (at most 6 syllables)."""
    syllables = [
        s
        for s in lazy_pinyin(name, errors=lambda s: [c.lower() for c in s if c.isascii() and c.isalnum()])
        if s and s.isascii() and s.isalnum()
    ]
    words = ["".join(syllables[i : i + 2]) for i in range(0, min(len(syllables), 6), 2)]
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
