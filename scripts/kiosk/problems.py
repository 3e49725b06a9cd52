"""Problems found in the catalogue: one per line, `file:line:col: field: message`.

A user's mistake is a `Problem`, never an exception with a traceback. The
Chinese wording lives in `messages.yaml` beside this module, keyed by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

ERROR = "error"
WARNING = "warning"


@cache
def _messages() -> dict[str, str]:
    text = resources.files(__package__).joinpath("messages.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster


def message(key: str, /, **values) -> str:
    """The plain-Chinese message for `key`, with `values` filled in."""
    return _messages()[key].format(**values)


def weekday(day) -> str:
    """星期一 … 星期日."""
    return message("weekday", name=message("weekday_names")[day.weekday()])


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    field: str
    text: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = message("warning_prefix") if self.severity == WARNING else ""
        return f"{self.file}:{self.line}:{self.col}: {one_line(self.field) or '-'}: {prefix}{one_line(self.text)}"


def one_line(text: str) -> str:
    """Text from the catalogue as it may appear in a one-line message: control characters made visible."""
    return "".join(
        c if c.isprintable() or c == " " else repr(c)[1:-1] if c in "\n\r\t" else f"\\u{ord(c):04x}" for c in text
    )


def format_path(loc) -> str:
    """('materials', 2, 'material_name') -> 'materials[2].material_name'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def errors(problems) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
