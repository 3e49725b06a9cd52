"""Where each field of a matter shows: the kiosk page, the sheet, the 补正 notice, the lists and search.

`surfaces()` fills every field of a matter with a value of its own and renders what a resident and a clerk
see. A text field shows on a surface where its own text is printed; any other field (a number, a yes/no,
a choice, an id) shows where leaving it out, or giving it another value, changes the surface. The export
holds every field, so it does not count as showing it.
"""

from __future__ import annotations

import copy
import datetime
import html
import typing
from pathlib import Path

from pydantic import BaseModel

from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView, page_source
from kiosk.model import Matter
from kiosk.printing.context import BuildContext
from kiosk.printing.correction import correction_notice
from kiosk.printing.documents import Documents
from kiosk.site import pages

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
# ids that must name something of the catalogue they are rendered in
REFERENCES = {
    ("responsible", "window"): "shehui",
    ("responsible", "person"): "s04",
    ("user_topic_type",): ["shehui-jiuzhu"],
    ("audiences",): ["laonianren"],
    ("prerequisites", "matter"): "renmin-tiaojie",
    ("id",): "quanbu",
}
# values that show more than the generic one would (a 0 visits, 核验 originals …)
CHOSEN = {
    ("project_type",): "承诺件",
    ("promise_day",): 9,
    ("anticipate_day",): 21,
    ("promise_type",): "工作日",
    ("anticipate_type",): "工作日",
    ("task_state",): "暂停",
    ("materials", "is_need"): "容缺后补",
    ("materials", "situations_match"): "全部",
    ("materials", "original_use"): "核验",
    ("special_procedure", "counted"): False,
    ("special_procedure", "time"): "7 天",
    ("steps", "time"): "5 个工作日",
    ("correction_type",): "工作日",
    ("extension", "type"): "工作日",
    ("promise_by", "type"): "工作日",
    ("is_fee",): True,
    ("online_depth",): "四级",
    ("materials", "applicants"): ["个人"],
    ("applicant_types",): ["个人", "单位"],
    ("materials", "situations"): ["甲情形", "乙情形"],
    ("result_type",): "证照",
    ("stated_none",): ["refusal_cases"],
}
# a field another one is shown instead of: seen with that other one left out
SEPARATE = {
    ("promise_day",): ("promise_by",),
    ("promise_type",): ("promise_by",),
    ("promise_explain",): ("promise_by",),
    ("prerequisites", "name"): ("prerequisites", "matter"),
    ("promise_by", "day"): ("promise_by", "instant"),
    ("promise_by", "type"): ("promise_by", "instant"),
    ("is_fee",): ("fees",),
    ("stated_none",): ("refusal_cases",),
}


def _unwrap(ann):
    """Optional[X] / Annotated[X, …] -> X; a Literal stays itself (kiosk.exchange.xlsx.unwrap makes it str)."""
    while typing.get_origin(ann) in (typing.Annotated, typing.Union):
        args = typing.get_args(ann)
        ann = args[0] if typing.get_origin(ann) is typing.Annotated else next(a for a in args if a is not type(None))
    return ann


def _value(model: type[BaseModel], name: str, path: tuple, n: list[int]):
    key = tuple(p for p in path if not isinstance(p, int))
    if key in REFERENCES:
        return REFERENCES[key]
    if key in CHOSEN:
        return CHOSEN[key]
    ann = _unwrap(model.model_fields[name].annotation)
    n[0] += 1
    if typing.get_origin(ann) is typing.Literal:
        return typing.get_args(ann)[-1]
    if typing.get_origin(ann) is list:
        item = _unwrap(typing.get_args(ann)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return [full(item, path)]
        if typing.get_origin(item) is typing.Literal:
            return [typing.get_args(item)[0]]
        return [_text(model, name, n[0], path)]
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return full(ann, path)
    if ann is bool:
        return True
    if ann is int:
        return 3 + n[0] % 5
    if ann is datetime.date:
        return "2026-05-0" + str(1 + n[0] % 8)
    return _text(model, name, n[0], path)


def _text(model, name, n, path):
    annotation = str(model.model_fields[name].annotation) + str(model.model_fields[name].metadata)
    if "https?" in annotation:
        return f"https://example.org/{'/'.join(map(str, path))}"
    if "1[3-9]" in annotation:
        return f"0745-77{n:05d}"
    return f"标记{'·'.join(map(str, path))}"


def full(model: type[BaseModel], path: tuple = ()) -> dict:
    counter = [len(path) * 100]
    return {name: _value(model, name, path + (name,), counter) for name in model.model_fields}


def field_paths(model: type[BaseModel] = Matter, path: tuple = ()) -> list[tuple]:
    out = []
    for name, info in model.model_fields.items():
        ann = _unwrap(info.annotation)
        out.append(path + (name,))
        inner = _unwrap(typing.get_args(ann)[0]) if typing.get_origin(ann) is list else ann
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out += field_paths(inner, path + (name,))
    return out


def _without(data: dict, path: tuple) -> dict:
    data = copy.deepcopy(data)
    _holder(data, path).pop(path[-1], None)
    return data


def _holder(data: dict, path: tuple) -> dict:
    """The dict that holds the field at `path` (the first item of each list on the way)."""
    for part in path[:-1]:
        data = data[part]
        if isinstance(data, list):
            data = data[0]
    return data


ALTERNATIVES = {("responsible", "window"): "zonghe"}


def _other(path: tuple, value):
    """Another valid value for a required field."""
    key = tuple(p for p in path if not isinstance(p, int))
    if key in ALTERNATIVES:
        return ALTERNATIVES[key]
    if isinstance(value, bool):
        return not value
    if isinstance(value, str) and value[:1].isdigit():  # a phone number
        return value[:-1] + str((int(value[-1]) + 1) % 10)
    return f"{value}乙"


def _with(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    _holder(data, path)[path[-1]] = value
    return data


def _get(data: dict, path: tuple):
    return _holder(data, path)[path[-1]]


def render_all(loaded, data: dict) -> dict[str, str]:
    matter = Matter.model_validate(data)
    c = loaded.catalogue.model_copy(update={"matters": [m for m in loaded.catalogue.matters] + [matter]})
    loaded.catalogue = c
    cv = CatalogueView(c)
    v = cv.view(matter.id)
    files = pages.site_files(BuildContext(loaded))
    page = files[page_source(matter.id)]
    lists = "".join(text for name, text in files.items() if not name.startswith("matters/"))
    numbers = ",".join(str(i + 1) for i in range(len(v.materials)))
    correction = correction_notice(loaded, matter.id, numbers, "2026-03-02", "王某某").html if numbers else ""
    return {"page": page, "sheet": Documents(cv).sheet(matter.id), "correction": correction, "lists": lists}


def surfaces() -> dict[str, set[str]]:
    loaded = load_or_raise(GOOD)
    base_catalogue = loaded.catalogue
    data = full(Matter)
    out = {}
    for path in field_paths():
        if path == ("id",):
            out["id"] = {"page", "sheet", "lists"}  # every page's address; leaving it out is not a matter
            continue
        start = _without(data, SEPARATE[path]) if path in SEPARATE else data
        loaded.catalogue = base_catalogue
        seen = render_all(loaded, start)
        value = _get(start, path)
        value = value[0] if isinstance(value, list) and value and isinstance(value[0], str) else value
        if isinstance(value, str) and value.startswith(("标记", "0745-")):
            # text of the editor's own: it shows where it is printed, not merely where its label is
            out[".".join(path)] = {k for k in seen if html.escape(value) in seen[k]}
            continue
        loaded.catalogue = base_catalogue
        try:
            gone = render_all(loaded, _without(start, path))
            out[".".join(path)] = {k for k in seen if seen[k] != gone[k]}
        except ValueError:  # a required field cannot be left out: it shows where another value changes it
            loaded.catalogue = base_catalogue
            other = render_all(loaded, _with(start, path, _other(path, _get(start, path))))
            out[".".join(path)] = {k for k in seen if seen[k] != other[k]}
    loaded.catalogue = base_catalogue
    return out


if __name__ == "__main__":
    for field, where in surfaces().items():
        print(f"{field:40} {sorted(where)}")
