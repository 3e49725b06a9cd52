"""Rules that look across fields and files, after every file is typed.

Each `_check_*` yields problems; `run()` gathers them all. A rule that needs a
file that failed to load is skipped (that file's own errors are reported).
"""

from __future__ import annotations

from collections import Counter

from . import limits
from .model import CalendarFile, CatalogueInfo, Center, Local, Matter
from .problems import ERROR, WARNING, Problem, message
from .unstated import Unstated, unstated
from .workdays import WorkCalendar
from .yamlread import Document

CATALOGUE, CALENDAR = "_catalogue.yaml", "_calendar.yaml"
# each matter prints as sheets/<id>.pdf beside these files of the sheets build (kiosk.sheets)
RESERVED_IDS = {"booklet": "窗口用汇编"}


def run(*, matters: dict[str, Matter], stems: set[str], info: CatalogueInfo | None,
        calendar_file: CalendarFile | None, calendar: WorkCalendar, docs: dict[str, Document],
        complete: bool = False) -> list[Problem]:
    """The county's rules. `matters` maps each file stem to its typed matter; `stems` holds every matter file.
    `complete`: what a guide left blank (未载明) and placeholder text are errors, not 提醒."""
    out: list[Problem] = []
    sample = bool(info and info.sample)
    for stem, m in matters.items():
        doc = docs[f"{stem}.yaml"]
        out += _check_matter(m, stem, doc)
        out += _check_unstated(m, doc, complete)
        out += _check_placeholders(doc, complete, sample)
        if info:
            out += _check_topics(m, doc, info)
    out += _check_unique(matters, docs)
    out += _check_prerequisites(matters, stems, docs)
    if info:
        out += _check_calendar_years(info, calendar, docs)
    if calendar_file:
        out += _check_calendar_file(calendar_file, docs[CALENDAR])
    return out


def check_township_names(matters: dict[str, Matter], centers: dict[str, Center], docs) -> list[Problem]:
    """A county matter file that names a particular township prints that township on every township's
    kiosk and paper: a 提醒 at each such line."""
    out = []
    for stem in sorted(matters):
        doc = docs[f"{stem}.yaml"]
        for loc, text in _texts(doc.data):
            for tid, center in sorted(centers.items()):
                if center.township_name in text:
                    out.append(doc.problem(loc, message("names_township", name=center.township_name), WARNING))
                    break
    return out


def run_township(*, matters: dict[str, Matter], stems: set[str], center: Center, local: Local,
                 center_doc: Document, local_doc: Document | None, docs: dict[str, Document],
                 complete: bool = False, sample: bool = False) -> list[Problem]:
    """One township's rules: its center, its notes on county matters, and who handles each matter there."""
    out: list[Problem] = list(_check_center(center, center_doc))
    for doc in (center_doc, local_doc):
        if doc is not None:
            out += _check_placeholders(doc, complete, sample)
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


def _check_matter(m: Matter, stem: str, doc: Document):
    if m.id != stem:
        yield doc.problem(("id",), message("id_not_stem", id=m.id, stem=stem))
    if m.id in RESERVED_IDS:
        yield doc.problem(("id",), message("reserved_id", id=m.id, what=RESERVED_IDS[m.id], file=f"{m.id}.pdf"))
    yield from _check_limits(m, doc)
    if m.project_type == "承诺件" and not m.materials:
        yield doc.problem(("materials",), message("no_materials"), WARNING)
    if m.is_fee and not m.fees:
        yield doc.problem(("is_fee",), message("fee_without_items"), WARNING)
    if m.fees and m.is_fee is False:
        yield doc.problem(("is_fee",), message("fees_without_flag"))
    for i, name in _repeats([x.material_name for x in m.materials]):
        yield doc.problem(("materials", i, "material_name"), message("duplicate_material", value=name))
    types = set(m.applicant_types)
    for i, x in enumerate(m.materials):
        for j, who in enumerate(x.applicants):
            if who not in types:
                yield doc.problem(("materials", i, "applicants", j), message(
                    "unknown_applicant", who=who, known="、".join(m.applicant_types) or "（没有写）"))
    for i, p in enumerate(m.prerequisites):
        if (p.matter is None) == (p.name is None):
            yield doc.problem(("prerequisites", i), message("prerequisite_form"))
    if m.is_online is False and (m.online_handle_url or m.mobile_terminal_url):
        yield doc.problem(("is_online",), message("online_url_but_not_online"))
    if not m.keywords:
        yield doc.problem(("keywords",), message("no_keywords"), WARNING, "keywords")
    if not m.summary:
        yield doc.problem(("summary",), message("no_summary"), WARNING, "summary")
    if not m.user_topic_type and not m.audiences:
        yield doc.problem(("user_topic_type",), message("no_topic"), WARNING, "user_topic_type")
    without = [i for i, step in enumerate(m.steps) if not step.who]
    if len(without) > 1 and len(without) == len(m.steps):  # a guide that names the steps only: said once
        yield doc.problem(("steps",), message("steps_without_who"), WARNING, "steps")
    else:
        for i in without:
            yield doc.problem(("steps", i), message("step_without_who"), WARNING, f"steps[{i}].who")


def _check_limits(m: Matter, doc: Document):
    """Each limit whole (a number with its unit), none contradicting another; "日" asked about."""
    for day, unit in (("promise_day", "promise_type"), ("anticipate_day", "anticipate_type"),
                      ("correction_day", "correction_type")):
        yield from _pair(doc, (day,), (unit,), getattr(m, day), getattr(m, unit))
    if m.extension:
        yield from _pair(doc, ("extension", "day"), ("extension", "type"), m.extension.day, m.extension.type)
    if m.project_type == "即办件" and m.promise_day:
        yield doc.problem(("promise_day",), message("instant_with_days", days=m.promise_day))
    if m.project_type == "承诺件" and m.promise_day == 0:
        yield doc.problem(("promise_day",), message("promise_zero"))
    if m.promise_by and m.promise_day is not None:
        yield doc.problem(("promise_by",), message("promise_by_and_total"))
    for i, name in _repeats([c.who for c in m.promise_by]):
        yield doc.problem(("promise_by", i, "who"), message("duplicate_in_list", what="适用对象", value=name))
    for i, c in enumerate(m.promise_by):
        if c.instant and c.day:
            yield doc.problem(("promise_by", i, "day"), message("instant_case_with_days", days=c.day))
        yield from _pair(doc, ("promise_by", i, "day"), ("promise_by", i, "type"), c.day, c.type)
    if m.anticipate_day and m.promise_day and m.promise_type and m.anticipate_type == m.promise_type:
        if m.promise_day > m.anticipate_day:
            yield doc.problem(("promise_day",), message(
                "promise_over_limit", promise=m.promise_day, limit=m.anticipate_day, unit=m.promise_type))
        elif m.promise_day == m.anticipate_day:
            yield doc.problem(("promise_day",), message("promise_equals_limit"), WARNING)
    for i, step in enumerate(m.steps):
        stated = limits.parse(step.time)
        if stated and not stated.dated:
            yield doc.problem(("steps", i, "time"), message("unit_not_said", text=step.time), WARNING)
    for i, p in enumerate(m.special_procedure):
        stated = limits.parse(p.time)
        if stated and not stated.dated:
            yield doc.problem(("special_procedure", i, "time"), message("unit_not_said", text=p.time), WARNING)
    total = _steps_workdays(m)
    if m.project_type == "承诺件" and m.promise_type == "工作日" and m.promise_day and total is not None \
            and total < m.promise_day:
        yield doc.problem(("steps",), message("steps_shorter", sum=total, promise=m.promise_day), WARNING)


def _pair(doc: Document, day_loc: tuple, unit_loc: tuple, day, unit):
    if day and not unit:
        yield doc.problem(day_loc, message("day_without_unit", unit=unit_loc[-1]))
    elif unit and day is None:
        yield doc.problem(unit_loc, message("unit_without_day", day=day_loc[-1]))
    elif unit == limits.AMBIGUOUS:
        yield doc.problem(unit_loc, message("unit_not_said", text=f"{day} 日"), WARNING)


def _check_unstated(m: Matter, doc: Document, complete: bool):
    found = unstated(m) + [
        Unstated(("special_procedure", i, "counted"), f"{p.name}是否计入时限")
        for i, p in enumerate(m.special_procedure) if p.counted is None]
    if not found:
        return
    if complete:
        for u in found:
            yield doc.problem(u.loc, message("unstated_error", label=u.label))
    else:
        yield Problem(doc.path, 1, 1, "", message(
            "unstated_summary", count=len(found), labels="、".join(u.label for u in found)), WARNING)


PLACEHOLDERS = ("可根据自身情况具实填写", "XXX", "xxx", "ＸＸＸ", "某某", "待定", "示例", "此处填写", "请填写", "TODO", "TBD")
SAMPLE_MARKS = ("某某", "示例")  # the sample's own names and addresses say so


def _check_placeholders(doc: Document, complete: bool, sample: bool):
    """Text left from a template ("XXX", "待定", "此处填写") is not what the guide says."""
    allowed = SAMPLE_MARKS if sample else ()
    for loc, text in _texts(doc.data):
        found = next((w for w in PLACEHOLDERS if w in text and w not in allowed), None)
        if found:
            yield doc.problem(loc, message("placeholder", word=found), ERROR if complete else WARNING)


def _texts(data, loc=()):
    """Every text of a file's data, with its field path."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, loc + (i,))


def _steps_workdays(m: Matter) -> int | None:
    """Sum of the steps' working-day limits, when every step gives one (当场 counts 0)."""
    total = 0
    for step in m.steps:
        stated = limits.parse(step.time)
        if stated is None or stated.unit not in ("工作日", limits.INSTANT):
            return None
        total += stated.days
    return total if m.steps else None


def _check_people(m: Matter, doc: Document, center: Center, center_file: str, override, local_doc):
    """The window and the first-asked person of a matter must exist in this township."""
    windows = {w.id for w in center.windows}
    staff = {s.id for s in center.staff}
    at_window = {s.window for s in center.staff}
    own = m.responsible
    local = lambda key: (local_doc, ("matters", m.id, key))  # noqa: E731
    window, (wdoc, wloc) = (override.window, local("window")) if override and override.window else (
        own.window if own else None, (doc, ("responsible", "window")))
    person, (pdoc, ploc) = (override.person, local("person")) if override and override.person else (
        own.person if own else None, (doc, ("responsible", "person")))
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
                yield local_doc.problem(("matters", m.id, "extra_materials", i, "material_name"),
                                        message("duplicate_material", value=x.material_name))


def _check_topics(m: Matter, doc: Document, info: CatalogueInfo):
    topics = [t.id for t in info.topics]
    audiences = [a.id for a in info.audiences]
    for i, t in enumerate(m.user_topic_type):
        if t not in topics:
            yield doc.problem(("user_topic_type", i), message("unknown_topic", id=t, known="、".join(topics)))
    for i, a in enumerate(m.audiences):
        if a not in audiences:
            yield doc.problem(("audiences", i), message("unknown_audience", id=a, known="、".join(audiences)))


def _check_unique(matters: dict[str, Matter], docs):
    first_id: dict[str, str] = {}
    first_code: dict[str, str] = {}
    for stem, m in sorted(matters.items()):
        doc = docs[f"{stem}.yaml"]
        if m.id in first_id:
            yield doc.problem(("id",), message("duplicate_id", id=m.id, other=docs[first_id[m.id]].path))
        else:
            first_id[m.id] = f"{stem}.yaml"
        if m.task_code:
            if m.task_code in first_code:
                yield doc.problem(("task_code",), message(
                    "duplicate_task_code", code=m.task_code, other=docs[first_code[m.task_code]].path))
            else:
                first_code[m.task_code] = f"{stem}.yaml"


def _check_prerequisites(matters: dict[str, Matter], stems: set[str], docs):
    graph: dict[str, list[str]] = {}
    for stem, m in matters.items():
        doc = docs[f"{stem}.yaml"]
        graph[stem] = []
        for i, p in enumerate(m.prerequisites):
            if p.matter is None:
                continue
            if p.matter == stem:
                yield doc.problem(("prerequisites", i, "matter"), message("prerequisite_self"))
            elif p.matter not in stems:
                yield doc.problem(("prerequisites", i, "matter"), message("prerequisite_missing", id=p.matter))
            else:
                graph[stem].append(p.matter)
    for cycle in _cycles(graph):
        start = cycle[0]
        m = matters[start]
        i = next(i for i, p in enumerate(m.prerequisites) if p.matter == cycle[1])
        yield docs[f"{start}.yaml"].problem(
            ("prerequisites", i, "matter"), message("prerequisite_cycle", cycle=" → ".join(cycle)))


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, starting from its smallest id: ['a', 'b', 'a']."""
    found, seen = [], set()
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, []):
                if nxt == start:
                    cycle = path + [start]
                    key = frozenset(path)
                    if key not in seen and min(path) == start:
                        seen.add(key)
                        found.append(cycle)
                elif nxt not in path and nxt > start:
                    stack.append((nxt, path + [nxt]))
    return found


def _check_center(center: Center, doc: Document):
    windows = {w.id for w in center.windows}
    for i, name in _repeats([w.id for w in center.windows]):
        yield doc.problem(("windows", i, "id"), message("duplicate_in_list", what="窗口编号", value=name))
    for i, name in _repeats([s.id for s in center.staff]):
        yield doc.problem(("staff", i, "id"), message("duplicate_in_list", what="工号", value=name))
    for i, s in enumerate(center.staff):
        if s.window not in windows:
            yield doc.problem(("staff", i, "window"), message("unknown_window", id=s.window, center=doc.path))
    if center.unresolved.window not in windows:
        yield doc.problem(("unresolved", "window"), message("unknown_window", id=center.unresolved.window, center=doc.path))


def _check_calendar_years(info: CatalogueInfo, calendar: WorkCalendar, docs):
    year = info.effective_date.year
    if not calendar.knows(year):
        yield docs[CATALOGUE].problem(("effective_date",), message(
            "calendar_unknown_year", year=year, file=calendar.file))


def _check_calendar_file(calendar_file: CalendarFile, doc: Document):
    for year, spec in calendar_file.years.items():
        for i, span in enumerate(spec.holidays):
            for key in ("start", "end"):
                if getattr(span, key).year != year:
                    yield doc.problem(("years", str(year), "holidays", i, key),
                                      message("calendar_date_wrong_year", date=getattr(span, key), year=year))
            if span.end < span.start:
                yield doc.problem(("years", str(year), "holidays", i, "end"),
                                  message("calendar_span_backwards", start=span.start, end=span.end))
        for i, day in enumerate(spec.workdays):
            if day.year != year:
                yield doc.problem(("years", str(year), "workdays", i),
                                  message("calendar_date_wrong_year", date=day, year=year))


def _repeats(values):
    counts, seen = Counter(values), set()
    for i, v in enumerate(values):
        if counts[v] > 1:
            if v in seen:
                yield i, v
            seen.add(v)
