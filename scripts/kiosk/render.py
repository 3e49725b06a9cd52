"""One Jinja environment for pages and sheets: autoescaped, strict about missing values."""

from __future__ import annotations

from functools import cache

import jinja2

from . import qr


@cache
def env() -> jinja2.Environment:
    e = jinja2.Environment(
        loader=jinja2.PackageLoader("kiosk", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    e.globals["qr_svg"] = lambda data, label="": jinja2.utils.markupsafe.Markup(qr.svg(data, label))
    e.globals["qr_img"] = lambda data, label="": jinja2.utils.markupsafe.Markup(qr.img(data, label))
    return e


def render(template: str, **context) -> str:
    return env().get_template(template).render(**context)


def notice(view, medium: str, href) -> str:
    """The one-time notice of a matter as HTML, shared by the kiosk page and the sheet."""
    return render("notice.html", v=view, medium=medium, href=href)
