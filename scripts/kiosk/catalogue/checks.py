"""Rules that look across fields and files of the county catalogue, after every file is typed (a township's
own rules: kiosk.catalogue.checks_township).

Each `_check_*` yields problems; `run()` gathers them all. A rule that needs a
file that failed to load is skipped (that file's own errors are reported).
"""

from __future__ import annotations

from collections import Counter

from ..calendar import limits
from ..calendar.workdays import WorkCalendar
from ..model import LIST_FIELDS, CalendarFile, CatalogueInfo, Matter
from ..problems import ERROR, WARNING, Problem, message
from .unstated import Unstated, unstated
from .yamlread import Document

CATALOGUE, CALENDAR = "_catalogue.yaml", "_calendar.yaml"
# each matter prints as sheets/<id>.pdf beside these files of the sheets build (kiosk.printing.sheets)
RESERVED_IDS = {"booklet": "窗口用汇编"}


def run(
    *,
    matters: dict[str, Matter],
    stems: set[str],
    info: CatalogueInfo | None,
    calendar_file: CalendarFile | None,
    calendar: WorkCalendar,
    docs: dict[str, Document],
    complete: bool = False,
) -> list[Problem]:
    """The county's rules. `matters` maps each file stem to its typed matter; `stems` holds every matter file.
    `complete`: what a guide left blank (未载明) and placeholder text are errors, not 提醒."""
    out: list[Problem] = []
    sample = bool(info and info.sample)
    for stem, m in matters.items():
        doc = docs[f"{stem}.yaml"]
        out += _check_matter(m, stem, doc)
        out += _check_unstated(m, doc, complete)
        out += check_placeholders(doc, complete, sample)
        if info:
            out += _check_topics(m, doc, info)
    out += _check_unique(matters, docs)
    out += _check_prerequisites(matters, stems, docs)
    if info:
        out += _check_calendar_years(info, calendar, docs)
    if calendar_file:
        out += _check_calendar_file(calendar_file, docs[CALENDAR])
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
    for i, name in repeats([x.material_name for x in m.materials]):
        yield doc.problem(("materials", i, "material_name"), message("duplicate_material", value=name))
    types = set(m.applicant_types)
    for i, x in enumerate(m.materials):
        for j, who in enumerate(x.applicants):
            if who not in types:
                yield doc.problem(
                    ("materials", i, "applicants", j),
                    message("unknown_applicant", who=who, known="、".join(m.applicant_types) or message("not_written")),
                )
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
    yield from _check_guide_shape(m, doc)
    without = [i for i, step in enumerate(m.steps) if not step.who]
    if len(without) > 1 and len(without) == len(m.steps):  # a guide that names the steps only: said once
        yield doc.problem(("steps",), message("steps_without_who"), WARNING, "steps")
    else:
        for i in without:
            yield doc.problem(("steps", i), message("step_without_who"), WARNING, f"steps[{i}].who")


# what a guide writes for a matter done wholly online (网上办理深度), which a visit count contradicts
NO_VISIT_WORDS = ("四级", "全程网办", "全程网上办", "零跑", "不见面")


def _check_guide_shape(m: Matter, doc: Document):
    """What a guide says in its own shape: 无 for a list element, and two elements that contradict."""
    for i, name in enumerate(m.stated_none):
        if name not in LIST_FIELDS:
            yield doc.problem(("stated_none", i), message("stated_none_unknown", name=name))
        elif getattr(m, name):
            yield doc.problem(("stated_none", i), message("stated_none_filled", name=name))
    if m.online_depth and any(w in m.online_depth for w in NO_VISIT_WORDS) and m.limit_scene_num:
        yield doc.problem(
            ("limit_scene_num",), message("online_but_visits", depth=m.online_depth, visits=m.limit_scene_num), WARNING
        )
    if m.is_online is False and m.online_depth:
        yield doc.problem(("online_depth",), message("depth_but_not_online", depth=m.online_depth), WARNING)


def _check_limits(m: Matter, doc: Document):
    """Each limit whole (a number with its unit), none contradicting another; "日" asked about."""
    for day, unit in (
        ("promise_day", "promise_type"),
        ("anticipate_day", "anticipate_type"),
        ("correction_day", "correction_type"),
    ):
        yield from _pair(doc, (day,), (unit,), getattr(m, day), getattr(m, unit))
    if m.extension:
        yield from _pair(doc, ("extension", "day"), ("extension", "type"), m.extension.day, m.extension.type)
    if m.project_type == "即办件" and m.promise_day:
        yield doc.problem(("promise_day",), message("instant_with_days", days=m.promise_day))
    if m.project_type == "承诺件" and m.promise_day == 0:
        yield doc.problem(("promise_day",), message("promise_zero"))
    if m.promise_by and m.promise_day is not None:
        yield doc.problem(("promise_by",), message("promise_by_and_total"))
    for i, name in repeats([c.who for c in m.promise_by]):
        yield doc.problem(("promise_by", i, "who"), message("duplicate_in_list", what="适用对象", value=name))
    for i, c in enumerate(m.promise_by):
        if c.instant and c.day:
            yield doc.problem(("promise_by", i, "day"), message("instant_case_with_days", days=c.day))
        yield from _pair(doc, ("promise_by", i, "day"), ("promise_by", i, "type"), c.day, c.type)
    if m.anticipate_day and m.promise_day and m.promise_type and m.anticipate_type == m.promise_type:
        if m.promise_day > m.anticipate_day:
            yield doc.problem(
                ("promise_day",),
                message("promise_over_limit", promise=m.promise_day, limit=m.anticipate_day, unit=m.promise_type),
            )
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
    if (
        m.project_type == "承诺件"
        and m.promise_type == "工作日"
        and m.promise_day
        and total is not None
        and total < m.promise_day
    ):
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
        for i, p in enumerate(m.special_procedure)
        if p.counted is None
    ]
    if not found:
        return
    if complete:
        for u in found:
            yield doc.problem(u.loc, message("unstated_error", label=u.label))
    else:
        yield Problem(
            doc.path,
            1,
            1,
            "",
            message("unstated_summary", count=len(found), labels="、".join(u.label for u in found)),
            WARNING,
        )


PLACEHOLDERS = (
    "可根据自身情况具实填写",
    "XXX",
    "xxx",
    "ＸＸＸ",
    "某某",
    "待定",
    "示例",
    "此处填写",
    "请填写",
    "TODO",
    "TBD",
)
SAMPLE_MARKS = ("某某", "示例")  # the sample's own names and addresses say so


def check_placeholders(doc: Document, complete: bool, sample: bool):
    """Text left from a template ("XXX", "待定", "此处填写") is not what the guide says."""
    allowed = SAMPLE_MARKS if sample else ()
    for loc, text in texts(doc.data):
        found = next((w for w in PLACEHOLDERS if w in text and w not in allowed), None)
        if found:
            yield doc.problem(loc, message("placeholder", word=found), ERROR if complete else WARNING)


def texts(data, loc=()):
    """Every text of a file's data, with its field path."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, loc + (i,))


def _steps_workdays(m: Matter) -> int | None:
    """Sum of the steps' working-day limits, when every step gives one (当场 counts 0)."""
    total = 0
    for step in m.steps:
        stated = limits.parse(step.time)
        if stated is None or stated.unit not in ("工作日", limits.INSTANT):
            return None
        total += stated.days
    return total if m.steps else None


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
                yield doc.problem(
                    ("task_code",),
                    message("duplicate_task_code", code=m.task_code, other=docs[first_code[m.task_code]].path),
                )
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
            ("prerequisites", i, "matter"), message("prerequisite_cycle", cycle=" → ".join(cycle))
        )


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


def _check_calendar_years(info: CatalogueInfo, calendar: WorkCalendar, docs):
    year = info.effective_date.year
    if not calendar.knows(year):
        yield docs[CATALOGUE].problem(
            ("effective_date",), message("calendar_unknown_year", year=year, file=calendar.file)
        )


def _check_calendar_file(calendar_file: CalendarFile, doc: Document):
    for year, spec in calendar_file.years.items():
        for i, span in enumerate(spec.holidays):
            for key in ("start", "end"):
                if getattr(span, key).year != year:
                    yield doc.problem(
                        ("years", str(year), "holidays", i, key),
                        message("calendar_date_wrong_year", date=getattr(span, key), year=year),
                    )
            if span.end < span.start:
                yield doc.problem(
                    ("years", str(year), "holidays", i, "end"),
                    message("calendar_span_backwards", start=span.start, end=span.end),
                )
        for i, day in enumerate(spec.workdays):
            if day.year != year:
                yield doc.problem(
                    ("years", str(year), "workdays", i), message("calendar_date_wrong_year", date=day, year=year)
                )


def repeats(values):
    counts, seen = Counter(values), set()
    for i, v in enumerate(values):
        if counts[v] > 1:
            if v in seen:
                yield i, v
            seen.add(v)
