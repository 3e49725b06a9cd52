"""One Jinja environment for pages and sheets: autoescaped (but for plain-text templates, *.txt), strict about
missing values."""

from __future__ import annotations

from functools import cache

import jinja2

from . import qr
from .problems import weekday


@cache
def bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept between processes (in the user's own temporary folder, keyed by each
    template's source, written atomically): a build, a render worker or the desk then compiles none of them
    again, about a second a process."""
    return jinja2.FileSystemBytecodeCache()


@cache
def env() -> jinja2.Environment:
    e = jinja2.Environment(
        loader=jinja2.PackageLoader("kiosk", "templates"),
        bytecode_cache=bytecode_cache(),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    e.globals["weekday"] = weekday  # 星期一 …, worded in messages.yaml
    e.globals["qr"] = qr.QrCodes()  # QR codes computed in memory; a build passes its own `qr`, with the cache
    return e


def render(template: str, **context) -> str:
    return env().get_template(template).render(**context)


def notice(view, medium: str, href, **context) -> str:
    """The one-time notice of a matter as HTML, shared by the kiosk page and the sheet."""
    return render("notice.html", v=view, medium=medium, href=href, **context)
