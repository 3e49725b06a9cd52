"""Load a catalogue folder: every file read, typed and checked, one report.

    matters/_catalogue.yaml   version, effective date, topics, audiences, sample flag
    matters/_center.yaml      the township center: windows, staff, channels ...
    matters/_calendar.yaml    holiday years the calendar library does not know (optional)
    matters/<id>.yaml         one matter each

`load()` never raises for a user's mistake: it returns every problem found.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import checks
from .model import (
    ID_PATTERN, PHONE_PATTERN, URL_PATTERN, CalendarFile, Catalogue, CatalogueInfo, Center, Matter, slug_ok,
)
from .problems import ERROR, CatalogueError, Problem, format_path, message
from .workdays import WorkCalendar
from .yamlread import Document, read

CENTER_FILE = "_center.yaml"
CATALOGUE_FILE = "_catalogue.yaml"
CALENDAR_FILE = "_calendar.yaml"
SPECIAL_FILES = {CENTER_FILE: Center, CATALOGUE_FILE: CatalogueInfo, CALENDAR_FILE: CalendarFile}
PATTERN_CODES = {ID_PATTERN: "pattern_id", URL_PATTERN: "pattern_url", PHONE_PATTERN: "pattern_phone"}


@dataclass
class Loaded:
    """A checked catalogue, or the problems that stop it."""

    root: Path
    catalogue: Catalogue | None = None
    calendar: WorkCalendar | None = None
    problems: list[Problem] = field(default_factory=list)
    docs: dict[str, Document] = field(default_factory=dict)  # file name -> document

    @property
    def ok(self) -> bool:
        return self.catalogue is not None and not any(p.severity == ERROR for p in self.problems)

    def matter(self, matter_id: str) -> Matter | None:
        return next((m for m in self.catalogue.matters if m.id == matter_id), None) if self.catalogue else None


def load(root: Path | str) -> Loaded:
    root = Path(root)
    out = Loaded(root)
    shown = lambda name: (root / name).as_posix()  # noqa: E731
    if not root.is_dir():
        out.problems.append(Problem(shown(""), 1, 1, "", message("not_a_dir", dir=root)))
        return out

    # 1. read and type every file
    typed: dict[str, BaseModel] = {}
    matters: dict[str, Matter] = {}
    stems: set[str] = set()
    for path in sorted(root.iterdir()):
        name = path.name
        if not path.is_file() or not name.endswith((".yaml", ".yml")):
            continue
        if name.endswith(".yml"):
            out.problems.append(Problem(shown(name), 1, 1, "", message("yml_extension")))
            continue
        stem = name[: -len(".yaml")]
        if name.startswith("_"):
            if name not in SPECIAL_FILES:
                out.problems.append(Problem(shown(name), 1, 1, "", message("unknown_special", name=name)))
                continue
        elif not slug_ok(stem):
            out.problems.append(Problem(shown(name), 1, 1, "", message("bad_file_name", name=name)))
            continue
        else:
            stems.add(stem)
        doc = read(path, shown(name))
        out.docs[name] = doc
        out.problems += doc.problems
        if doc.data is None or doc.problems and any(p.severity == ERROR for p in doc.problems):
            continue
        model = SPECIAL_FILES.get(name, Matter)
        value = validate(model, doc, out.problems)
        if value is None:
            continue
        if model is Matter:
            matters[stem] = value
        else:
            typed[name] = value

    for name in (CATALOGUE_FILE, CENTER_FILE):
        if name not in out.docs:
            out.problems.append(Problem(shown(name), 1, 1, "", message(
                "no_center" if name == CENTER_FILE else "no_catalogue", file=shown(name))))
    if not stems:
        out.problems.append(Problem(shown(""), 1, 1, "", message("no_matters")))

    # 2. the calendar, then the rules that look across fields and files
    out.calendar = WorkCalendar(typed.get(CALENDAR_FILE), shown(CALENDAR_FILE))
    out.problems += checks.run(
        matters=matters,
        stems=stems,
        center=typed.get(CENTER_FILE),
        info=typed.get(CATALOGUE_FILE),
        calendar_file=typed.get(CALENDAR_FILE),
        calendar=out.calendar,
        docs=out.docs,
    )

    # 3. a catalogue only when nothing is wrong
    if not any(p.severity == ERROR for p in out.problems):
        out.catalogue = Catalogue(
            center=typed[CENTER_FILE],
            catalogue=typed[CATALOGUE_FILE],
            matters=[matters[s] for s in sorted(matters)],
        )
    out.problems.sort()
    return out


def load_or_raise(root: Path | str) -> Loaded:
    loaded = load(root)
    if not loaded.ok:
        raise CatalogueError(loaded.problems)
    return loaded


# ---------------------------------------------------------------- pydantic errors -> problems


def validate(model: type[BaseModel], doc: Document, problems: list[Problem]):
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(_problem(model, doc, err))
        return None


def _problem(model: type[BaseModel], doc: Document, err) -> Problem:
    loc, kind, ctx = tuple(err["loc"]), err["type"], err.get("ctx") or {}
    loc = tuple(p for p in loc if p != "[key]")
    shown_input = _short(err.get("input"))
    if kind == "missing":
        line, col = doc.where(loc[:-1])
        return Problem(doc.path, line, col, format_path(loc), message("missing", field=loc[-1]))
    if kind == "extra_forbidden":
        known = list(_model_at(model, loc[:-1]).model_fields)
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = message("did_you_mean", name=close[0]) if close else ""
        return doc.problem(loc, message("extra_forbidden", field=loc[-1], hint=hint))
    if kind == "string_pattern_mismatch":
        return doc.problem(loc, message(PATTERN_CODES.get(ctx.get("pattern"), "pattern_id"), input=shown_input))
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", "、").replace(", ", "、")
        return doc.problem(loc, message("literal_error", input=shown_input, expected=expected))
    if kind == "value_error":
        return doc.problem(loc, message("value_error", detail=ctx.get("error")))
    try:
        return doc.problem(loc, message(kind, input=shown_input, **ctx))
    except KeyError:
        return doc.problem(loc, message("unknown_type", detail=err["msg"]))


def _short(value, limit=40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _model_at(model: type[BaseModel], loc) -> type[BaseModel]:
    """The model class that holds the field at `loc` (list indexes skipped)."""
    for part in loc:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = _inner_model(model.model_fields[part].annotation)
        if inner is None:
            break
        model = inner
    return model


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
