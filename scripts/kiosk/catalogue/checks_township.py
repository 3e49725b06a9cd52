"""Rules of one township, after its files are typed: its center file, its notes on the county's matters,
who handles each matter there, and county matters that name a township (kiosk.catalogue.checks has the county's)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..model import Center, Local, Matter
from ..problems import WARNING, Problem, format_path, message, one_line
from .checks import check_placeholders, repeats, texts
from .yamlread import Document

# a county matter writes {乡镇} where it means "this township"; each center's `offices` says what it is there
OFFICE = re.compile(r"\{(\w+)\}")


def run_township(
    *,
    matters: dict[str, Matter],
    stems: set[str],
    center: Center,
    local: Local,
    center_doc: Document,
    local_doc: Document | None,
    docs: dict[str, Document],
    complete: bool = False,
    sample: bool = False,
) -> list[Problem]:
    """One township's rules: its center, its notes on county matters, and who handles each matter there."""
    out: list[Problem] = list(_check_center(center, center_doc))
    out += check_offices(matters, docs, center, center_doc.path)
    for doc in (center_doc, local_doc):
        if doc is not None:
            out += check_placeholders(doc, complete, sample)
    not_handled = {n.matter for n in local.not_handled}
    if local_doc is not None:
        for mid in local.matters:
            if mid not in stems:
                out.append(local_doc.problem(("matters", mid), message("override_missing", id=mid)))
        for i, n in enumerate(local.not_handled):
            if n.matter not in stems:
                out.append(local_doc.problem(("not_handled", i, "matter"), message("override_missing", id=n.matter)))
    for stem, m in matters.items():
        if stem in not_handled:
            continue
        out += _check_people(m, docs[f"{stem}.yaml"], center, center_doc.path, local.matters.get(stem), local_doc)
    return out


def fill(text: str, offices: dict[str, str]) -> str:
    """`text` with each {key} that `offices` maps filled in; everything else stays as written."""
    return OFFICE.sub(lambda found: offices.get(found.group(1), found.group(0)), text)


def check_offices(matters: dict[str, Matter], docs: dict[str, Document], center: Center, center_file: str):
    """A {key} in a county matter that this township's `offices` does not map: an error at its line."""
    for stem in sorted(matters):
        doc = docs[f"{stem}.yaml"]
        for loc, text in texts(doc.data):
            for key in dict.fromkeys(OFFICE.findall(text)):
                if key not in center.offices:
                    yield doc.problem(loc, message("unknown_office", key=key, center=center_file))


def filled(matters: dict[str, Matter], docs: dict[str, Document], center: Center, center_file: str) -> list[str]:
    """What this township's `offices` fill in, as `kiosk check` lists it: a heading, then one line per text,
    `file:line: field: as written → as printed`. Empty when nothing is filled."""
    lines = []
    for stem in sorted(matters):
        doc = docs[f"{stem}.yaml"]
        for loc, text in texts(doc.data):
            if (new := fill(text, center.offices)) != text:
                lines.append(f"{doc.path}:{doc.where(loc)[0]}: {format_path(loc)}: {one_line(text)} → {one_line(new)}")
    head = message(
        "offices_filled",
        name=center.township_name,
        id=PurePosixPath(center_file).parent.name,
        center=center_file,
        count=len(lines),
    )
    return [head, *lines] if lines else []


def check_township_names(matters: dict[str, Matter], centers: dict[str, Center], docs) -> list[Problem]:
    """A county matter file that names a particular township prints that township on every township's
    kiosk and paper: a 提醒 at each such line."""
    out = []
    for stem in sorted(matters):
        doc = docs[f"{stem}.yaml"]
        for loc, text in texts(doc.data):
            for tid, center in sorted(centers.items()):
                if center.township_name in text:
                    out.append(doc.problem(loc, message("names_township", name=center.township_name), WARNING))
                    break
    return out


def _check_people(m: Matter, doc: Document, center: Center, center_file: str, override, local_doc):
    """The window and the first-asked person of a matter must exist in this township."""
    windows = {w.id for w in center.windows}
    staff = {s.id for s in center.staff}
    at_window = {s.window for s in center.staff}
    own = m.responsible
    local = lambda key: (local_doc, ("matters", m.id, key))  # noqa: E731
    window, (wdoc, wloc) = (
        (override.window, local("window"))
        if override and override.window
        else (own.window if own else None, (doc, ("responsible", "window")))
    )
    person, (pdoc, ploc) = (
        (override.person, local("person"))
        if override and override.person
        else (own.person if own else None, (doc, ("responsible", "person")))
    )
    if window is not None and window not in windows:
        yield wdoc.problem(wloc, message("unknown_window", id=window, center=center_file))
    elif window is not None and person is None and window not in at_window:
        yield wdoc.problem(wloc, message("window_without_staff", id=window, center=center_file))
    if person is not None and person not in staff:
        yield pdoc.problem(ploc, message("unknown_staff", id=person, center=center_file))
    if override:
        names = {x.material_name for x in m.materials}
        for i, x in enumerate(override.extra_materials):
            if x.material_name in names:
                yield local_doc.problem(
                    ("matters", m.id, "extra_materials", i, "material_name"),
                    message("duplicate_material", value=x.material_name),
                )


def _check_center(center: Center, doc: Document):
    windows = {w.id for w in center.windows}
    for i, name in repeats([w.id for w in center.windows]):
        yield doc.problem(("windows", i, "id"), message("duplicate_in_list", what="窗口编号", value=name))
    for i, name in repeats([s.id for s in center.staff]):
        yield doc.problem(("staff", i, "id"), message("duplicate_in_list", what="工号", value=name))
    for i, s in enumerate(center.staff):
        if s.window not in windows:
            yield doc.problem(("staff", i, "window"), message("unknown_window", id=s.window, center=doc.path))
    if center.unresolved.window not in windows:
        yield doc.problem(
            ("unresolved", "window"), message("unknown_window", id=center.unresolved.window, center=doc.path)
        )
