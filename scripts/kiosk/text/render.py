"""The Jinja environments: each stage's templates over the shared ones (kiosk/text/templates), autoescaped
(but for plain-text templates, *.txt), strict about missing values.

An environment is a pure function of where its templates are (`environment(*places)`, cached): it holds no
state of a build. What a build owns, its QR codes with their cache folder, the build passes to the templates
that draw them (`qr=ctx.qr`); a template that needs one and is not given it fails (StrictUndefined).
"""

from __future__ import annotations

from functools import cache

import jinja2

from ..problems import weekday

SHARED = ("kiosk.text", "templates")


@cache
def bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept between processes (in the user's own temporary folder, keyed by each
    template's source, written atomically): a build, a render worker or the desk then compiles none of them
    again, about a second a process."""
    return jinja2.FileSystemBytecodeCache()


@cache
def environment(*places: tuple[str, str]) -> jinja2.Environment:
    """The templates of `places` ((package, folder), searched in order), then the shared ones: printing's
    (kiosk.printing.documents.TEMPLATES), the site's (kiosk.site.pages.TEMPLATES), the desk's printed
    documents over printing's (kiosk.desk.paper)."""
    e = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(p, f) for p, f in (*places, SHARED)]),
        bytecode_cache=bytecode_cache(),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    e.globals["weekday"] = weekday  # 星期一 …, worded in messages.yaml
    return e


def shared() -> jinja2.Environment:
    """The shared templates alone (limit sentences, change notes, `kiosk due`)."""
    return environment()


def render(template: str, **context) -> str:
    """A shared template, rendered."""
    return shared().get_template(template).render(**context)


def notice(view, medium: str, href, env: jinja2.Environment | None = None, **context) -> str:
    """The one-time notice of a matter as HTML, shared by the kiosk page and the sheet (`qr=` the build's
    QR codes when the matter has any to draw)."""
    return (env or shared()).get_template("notice.html").render(v=view, medium=medium, href=href, **context)
