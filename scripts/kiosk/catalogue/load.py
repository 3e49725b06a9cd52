"""Load a catalogue folder: every file read, typed and checked, one report.

    matters/_catalogue.yaml                 the county catalogue: version, date, topics, audiences, sample flag
    matters/_calendar.yaml                  holiday years the calendar library does not know (optional)
    matters/_changes.yaml                   the last change report, from `kiosk diff --save` (optional)
    matters/<id>.yaml                       one county matter each
    matters/_townships/<tid>/center.yaml    a township center: windows, staff, channels ...
    matters/_townships/<tid>/local.yaml     its own notes on county matters, and what it does not handle (optional)

`load()` checks the county catalogue and every township (or only the one asked
for), and builds the catalogue of one township. It never raises for a user's
mistake: it returns every problem found.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel

from ..calendar.workdays import WorkCalendar
from ..clock import missing_next_year
from ..exceptions import CatalogueError
from ..model import CalendarFile, Catalogue, CatalogueInfo, Center, ChangeReport, Local, Matter, slug_ok
from ..problems import ERROR, WARNING, Problem, format_path, message
from . import checks, checks_township, validation
from .yamlread import Document, read

CATALOGUE_FILE = "_catalogue.yaml"
CALENDAR_FILE = "_calendar.yaml"
CHANGES_FILE = "_changes.yaml"
TOWNSHIPS = "_townships"
CENTER_FILE = "center.yaml"
LOCAL_FILE = "local.yaml"
SPECIAL_FILES = {CATALOGUE_FILE: CatalogueInfo, CALENDAR_FILE: CalendarFile, CHANGES_FILE: ChangeReport}


@dataclass
class County:
    """The county catalogue's files, typed: matters by file stem, the special files by name."""

    matters: dict[str, Matter] = field(default_factory=dict)
    stems: set[str] = field(default_factory=set)  # every matter file's stem, typed or not
    typed: dict[str, BaseModel] = field(default_factory=dict)

    @property
    def info(self) -> CatalogueInfo | None:
        return self.typed.get(CATALOGUE_FILE)


@dataclass
class Loaded:
    """A checked catalogue for one township, or the problems that stop it."""

    root: Path
    township: str | None = None
    townships: list[str] = field(default_factory=list)
    catalogue: Catalogue | None = None
    calendar: WorkCalendar | None = None
    problems: list[Problem] = field(default_factory=list)
    docs: dict[str, Document] = field(default_factory=dict)  # path inside the folder -> document
    county: County = field(default_factory=County, repr=False)
    centers: dict[str, tuple[Center | None, Local | None]] = field(default_factory=dict, repr=False)  # read ones
    filled: list[str] = field(default_factory=list, repr=False)  # what each township's offices fill in (kiosk check)

    @property
    def ok(self) -> bool:
        return self.catalogue is not None and not any(p.severity == ERROR for p in self.problems)

    def matter(self, matter_id: str) -> Matter | None:
        return next((m for m in self.catalogue.matters if m.id == matter_id), None) if self.catalogue else None

    def of_township(self, township: str) -> "Loaded":
        """The same checked catalogue as another township sees it (load() without a township reads them all)."""
        other = replace(self, township=township, catalogue=None)
        other.catalogue = _catalogue(other)
        return other


def load(root: Path | str, township: str | None = None, complete: bool = False) -> Loaded:
    """`complete`: elements a guide left blank (未载明) and placeholder text are errors (kiosk check --complete)."""
    out = Loaded(Path(root))
    if not out.root.is_dir():
        out.problems.append(Problem(_shown(out, ""), 1, 1, "", message("not_a_dir", dir=out.root)))
        return out
    _read_county(out)  # 1. read and type every file of the county catalogue
    out.calendar = WorkCalendar(out.county.typed.get(CALENDAR_FILE), _shown(out, CALENDAR_FILE))  # 2. the calendar,
    out.problems += checks.run(
        matters=out.county.matters,
        stems=out.county.stems,
        info=out.county.info,  # the rules
        calendar_file=out.county.typed.get(CALENDAR_FILE),
        calendar=out.calendar,
        docs=out.docs,
        complete=complete,
    )
    out.problems += _next_year_reminder(out)
    _read_townships(out, township, complete)  # 3. the townships, each checked against the county matters
    out.catalogue = _catalogue(out)  # 4. a catalogue only when nothing is wrong
    out.problems.sort()
    return out


def _next_year_reminder(out: Loaded) -> list[Problem]:
    """From the reminder day on (clock.missing_next_year), a 提醒 that next year's holiday notice is missing."""
    year = missing_next_year(out.calendar)
    if year is None:
        return []
    where = CALENDAR_FILE if (out.root / CALENDAR_FILE).is_file() else CATALOGUE_FILE
    return [
        Problem(
            _shown(out, where),
            1,
            1,
            "years",
            message("calendar_next_year_missing", year=year, file=_shown(out, CALENDAR_FILE)),
            WARNING,
        )
    ]


def _shown(out: Loaded, name: str) -> str:
    return (out.root / name).as_posix()


def _read_county(out: Loaded) -> None:
    county = out.county
    for path in sorted(out.root.iterdir()):
        name = path.name
        if not path.is_file() or not name.endswith((".yaml", ".yml")):
            continue
        if name.endswith(".yml"):
            out.problems.append(Problem(_shown(out, name), 1, 1, "", message("yml_extension")))
            continue
        stem = name[: -len(".yaml")]
        if name.startswith("_"):
            if name not in SPECIAL_FILES:
                out.problems.append(Problem(_shown(out, name), 1, 1, "", message("unknown_special", name=name)))
                continue
        elif not slug_ok(stem):
            out.problems.append(Problem(_shown(out, name), 1, 1, "", message("bad_file_name", name=name)))
            continue
        else:
            county.stems.add(stem)
        value = _read_typed(out.root, name, SPECIAL_FILES.get(name, Matter), out)
        if isinstance(value, Matter):
            county.matters[stem] = value
        elif value is not None:
            county.typed[name] = value
    if CATALOGUE_FILE not in out.docs:
        shown = _shown(out, CATALOGUE_FILE)
        out.problems.append(Problem(shown, 1, 1, "", message("no_catalogue", file=shown)))
    if not county.stems:
        out.problems.append(Problem(_shown(out, ""), 1, 1, "", message("no_matters")))


def _read_townships(out: Loaded, township: str | None, complete: bool) -> None:
    """Every township's files (or the one asked for), checked; which township the catalogue is for."""
    info, folder = out.county.info, out.root / TOWNSHIPS
    out.townships = sorted(d.name for d in folder.iterdir() if d.is_dir()) if folder.is_dir() else []
    if not out.townships:
        out.problems.append(
            Problem(
                _shown(out, f"{TOWNSHIPS}/"),
                1,
                1,
                "",
                message("no_township", file=_shown(out, f"{TOWNSHIPS}/<乡镇编号>/{CENTER_FILE}")),
            )
        )
    out.township = (
        township or (info.default_township if info else None) or (out.townships[0] if len(out.townships) == 1 else None)
    )
    if info and info.default_township and info.default_township not in out.townships:
        out.problems.append(
            out.docs[CATALOGUE_FILE].problem(
                ("default_township",),
                message("unknown_township", id=info.default_township, known="、".join(out.townships)),
            )
        )
    if township and township not in out.townships:
        out.problems.append(
            Problem(
                _shown(out, f"{TOWNSHIPS}/"),
                1,
                1,
                "",
                message("unknown_township", id=township, known="、".join(out.townships)),
            )
        )
    for tid in [township] if township else out.townships:
        if tid in out.townships:
            _read_township(out, tid, complete)
    out.problems += checks_township.check_township_names(
        out.county.matters, {tid: center for tid, (center, _) in out.centers.items() if center is not None}, out.docs
    )
    if out.township is None and not any(p.severity == ERROR for p in out.problems):
        out.problems.append(
            Problem(
                _shown(out, CATALOGUE_FILE),
                1,
                1,
                "default_township",
                message("which_township", known="、".join(out.townships)),
            )
        )


def _read_township(out: Loaded, tid: str, complete: bool) -> None:
    center_name, local_name = f"{TOWNSHIPS}/{tid}/{CENTER_FILE}", f"{TOWNSHIPS}/{tid}/{LOCAL_FILE}"
    if not (out.root / center_name).is_file():
        out.problems.append(
            Problem(_shown(out, center_name), 1, 1, "", message("no_center", file=_shown(out, center_name)))
        )
        return
    center = _read_typed(out.root, center_name, Center, out)
    local = _read_typed(out.root, local_name, Local, out) if (out.root / local_name).is_file() else Local()
    out.centers[tid] = (center, local)
    if center is not None and local is not None:
        info = out.county.info
        out.problems += checks_township.run_township(
            matters=out.county.matters,
            stems=out.county.stems,
            center=center,
            local=local,
            center_doc=out.docs[center_name],
            local_doc=out.docs.get(local_name),
            docs=out.docs,
            complete=complete,
            sample=bool(info and info.sample),
        )
        out.filled += checks_township.filled(out.county.matters, out.docs, center, out.docs[center_name].path)


def _catalogue(out: Loaded) -> Catalogue | None:
    """The township's catalogue, when nothing is wrong and its files were read."""
    if any(p.severity == ERROR for p in out.problems) or out.township not in out.centers:
        return None
    center, local = out.centers[out.township]
    county = out.county
    return Catalogue(
        township=out.township,
        center=center,
        catalogue=county.info,
        local=local or Local(),
        matters=[localized(county.matters[s], center.offices) for s in sorted(county.matters)],
        changes=county.typed.get(CHANGES_FILE),
    )


def localized(m: Matter, offices: dict[str, str]) -> Matter:
    """The matter as a township prints it: each {乡镇} (a key of its center's `offices`) filled in, in every
    text of the matter. Text without a placeholder stays exactly as written (a published guide's words)."""
    data = m.model_dump()
    filled = _filled(data, offices)
    return Matter.model_validate(filled) if filled != data else m


def _filled(value, offices: dict[str, str]):
    if isinstance(value, str):
        return checks_township.fill(value, offices)
    if isinstance(value, dict):
        return {k: _filled(v, offices) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, offices) for v in value]
    return value


def _read_typed(root: Path, name: str, model: type[BaseModel], out: Loaded):
    """Read `root/name`, type it as `model`; problems go to `out`; None when it cannot be typed."""
    doc = read(root / name, (root / name).as_posix())
    out.docs[name] = doc
    out.problems += doc.problems
    if doc.data is None or any(p.severity == ERROR for p in doc.problems):
        return None
    return validate(model, doc, out.problems)


def load_or_raise(root: Path | str, township: str | None = None, complete: bool = False) -> Loaded:
    loaded = load(root, township, complete)
    if not loaded.ok:
        raise CatalogueError(loaded.problems)
    return loaded


# ---------------------------------------------------------------- typing a document


def validate(model: type[BaseModel], doc: Document, problems: list[Problem]):
    """`doc` typed as `model`; every error goes to `problems` at its line, in plain Chinese."""
    value, found = validation.errors(model, doc.data)
    for err in found:
        loc = err["loc"]
        if err["type"] == "missing":  # the field is not there: point at what holds it
            line, col = doc.where(loc[:-1])
            problems.append(Problem(doc.path, line, col, format_path(loc), validation.explain(model, err)))
        else:
            problems.append(doc.problem(loc, validation.explain(model, err)))
    return value


# ---------------------------------------------------------------- writing matter files


def write_matter_files(matters: list[Matter], folder: Path) -> list[Path]:
    """One `<id>.yaml` per matter, as a person would write it (defaults left out)."""
    import yaml

    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for m in matters:
        data = m.model_dump(mode="json", exclude_defaults=True)
        data = {"id": data.pop("id"), **data}
        text = "# yaml-language-server: $schema=schema.json\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=100_000
        )
        path = folder / f"{m.id}.yaml"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, "utf-8")
        written.append((tmp, path))
    for tmp, path in written:
        tmp.replace(path)
    return [p for _, p in written]
