"""Read one YAML file into plain data plus the line and column of every field.

Scalars are kept as the text the editor wrote: `no` stays "no", `010` stays
"010", `2024-01-01` stays "2024-01-01". Only an empty value, `~` and `null`
mean "nothing". The typed model turns text into numbers, booleans and dates
where a field asks for one, so a text field never changes silently.

Anchors and aliases (`&a` / `*a`) are refused: a catalogue gains nothing from
them and they are how an "alias bomb" blows a small file up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..problems import Problem, format_path, message

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: the same nodes and marks, faster
NULLS = {"", "~", "null", "Null", "NULL"}
# Invisible controls that reorder text on screen and paper (a spoofing trick): refused, never shown.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_DEPTH = 40
MAX_BYTES = 2_000_000


@dataclass
class Document:
    """A file's data and, for every field path, its (line, col), 1-based."""

    path: str
    data: object = None
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, loc) -> tuple[int, int]:
        """The mark of the longest prefix of `loc` that the file has."""
        loc = tuple(loc)
        while loc not in self.marks and loc:
            loc = loc[:-1]
        return self.marks.get(loc, (1, 1))

    def problem(self, loc, text, severity="error", field_name=None) -> Problem:
        line, col = self.where(loc)
        return Problem(self.path, line, col, field_name if field_name is not None else format_path(loc), text, severity)


class _Refused(Exception):
    def __init__(self, mark, code, **values):
        self.mark, self.code, self.values = mark, code, values


def read(path: Path, shown: str | None = None) -> Document:
    """Read `path`; `shown` is how the file is named in messages."""
    doc = Document(shown or str(path))
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        doc.problems.append(Problem(doc.path, 1, 1, "", message("file_too_big", size=len(raw) // 1024)))
        return doc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        doc.problems.append(Problem(doc.path, line, col, "", message("not_utf8")))
        return doc
    return parse(text, doc)


def parse(text: str, doc: Document) -> Document:
    for n, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            doc.problems.append(Problem(doc.path, n, indent.index("\t") + 1, "", message("tab_indent")))
    if doc.problems:
        return doc
    try:
        nodes = list(yaml.compose_all(text, Loader=LOADER))
    except yaml.MarkedYAMLError as e:
        # an unclosed quote or bracket is reported at the end of the file; point at where it opened
        at_end = e.problem and "end of stream" in e.problem
        mark = (e.context_mark if at_end else None) or e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        line = min(line, text.count("\n") + 1)  # libyaml may point one line past the end
        if "nesting depth" in (e.problem or ""):  # newer libyaml stops deep nesting itself
            doc.problems.append(Problem(doc.path, line, col, "", message("too_deep", depth=MAX_DEPTH)))
        else:
            doc.problems.append(Problem(doc.path, line, col, "", message("yaml_syntax", detail=e.problem or e.context)))
        return doc
    except yaml.reader.ReaderError as e:  # a control character YAML does not allow, such as NUL
        # libyaml counts bytes of UTF-8, PyYAML characters
        before = (
            text.encode("utf-8")[: e.position].decode("utf-8", "ignore")
            if LOADER is not yaml.SafeLoader
            else text[: e.position]
        )
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        doc.problems.append(
            Problem(
                doc.path,
                line,
                col,
                "",
                message("control_char", code=f"U+{e.character:04X}" if isinstance(e.character, int) else e.character),
            )
        )
        return doc
    except RecursionError:
        doc.problems.append(Problem(doc.path, 1, 1, "", message("too_deep", depth=MAX_DEPTH)))
        return doc
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        doc.problems.append(Problem(doc.path, 1, 1, "", message("empty_file")))
        return doc
    if len(nodes) > 1:
        m = nodes[1].start_mark
        doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, "", message("many_documents")))
        return doc
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        m = root.start_mark
        kind = message("kind_list") if isinstance(root, yaml.SequenceNode) else message("kind_text")
        doc.problems.append(Problem(doc.path, m.line + 1, m.column + 1, "", message("top_not_mapping", kind=kind)))
        return doc
    try:
        doc.data = _build(root, (), doc, set(), 0)
    except _Refused as r:
        doc.data = None
        doc.problems.append(Problem(doc.path, r.mark.line + 1, r.mark.column + 1, "", message(r.code, **r.values)))
    return doc


def _build(node, loc, doc: Document, seen: set, depth: int):
    if id(node) in seen:
        raise _Refused(node.start_mark, "alias")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(node.start_mark, "too_deep", depth=MAX_DEPTH)
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in NULLS:  # plain style: None from PyYAML, "" from libyaml
            return None
        found = next((c for c in node.value if c in BIDI_CONTROLS), None)
        if found:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            doc.problems.append(
                Problem(doc.path, line, col, format_path(loc), message("bidi_control", code=f"U+{ord(found):04X}"))
            )
        return node.value
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            doc.marks[loc + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(_build(item, loc + (i,), doc, seen, depth + 1))
        return items
    out = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node.start_mark, "complex_key")
        key = key_node.value
        here = loc + (key,)
        if key in out:
            first = doc.marks[here]
            doc.problems.append(
                Problem(
                    doc.path,
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    format_path(here),
                    message("duplicate_key", key=key, line=first[0]),
                )
            )
            continue
        doc.marks[here] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        out[key] = _build(value_node, here, doc, seen, depth + 1)
    return out
