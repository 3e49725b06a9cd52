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


@cache
def with_templates(package: str, folder: str) -> jinja2.Environment:
    """The environment with another package's own templates first (the desk's printed documents): they
    extend and import the kiosk's (print/base.html, print/macros.html), and the kiosk never sees them."""
    e = env()
    return e.overlay(loader=jinja2.ChoiceLoader([jinja2.PackageLoader(package, folder), e.loader]))


def render(template: str, **context) -> str:
    return env().get_template(template).render(**context)


def notice(view, medium: str, href, **context) -> str:
    """The one-time notice of a matter as HTML, shared by the kiosk page and the sheet."""
    return render("notice.html", v=view, medium=medium, href=href, **context)
