"""Templates and browser files live with the code that uses them: the desk's printed documents in the desk,
the search matcher in the package; the sheets' version key follows only the templates the sheets use."""

from __future__ import annotations

from pathlib import Path

import jinja2

from kiosk import assets, render
from kiosk.documents import SHEET_TEMPLATES, used_templates

PACKAGE = Path(render.__file__).resolve().parent


def test_the_sheets_key_follows_every_template_a_sheet_uses_and_no_other():
    used = used_templates(SHEET_TEMPLATES)
    for name in (
        "notice.html",
        "limits.html",
        "macros.html",
        "print/base.html",
        "print/macros.html",
        "print/parts/sheet.html",
        "print/parts/form-proxy.html",
    ):
        assert name in used, name
    assert not [n for n in used if "desk" in n], "a desk document never re-renders the kiosk's sheets"
    assert "print/correction.html" not in used, "the 补正 notice is rendered on demand, not cached"


def test_the_desk_prints_from_its_own_templates_which_the_kiosk_cannot_see():
    desk = render.with_templates("kiosk.desk", "printing")
    assert desk.get_template("print/desk-receipt.html").filename.startswith(str(PACKAGE / "desk" / "printing"))
    assert desk.get_template("print/base.html") is not None, "on the kiosk's base"
    try:
        render.env().get_template("print/desk-receipt.html")
    except jinja2.TemplateNotFound:
        pass
    else:
        raise AssertionError("the kiosk's environment must not find the desk's templates")
    assert not list((PACKAGE / "templates" / "print").glob("desk-*"))


def test_the_search_matcher_is_the_packages_own():
    path = assets.path(assets.SEARCH)
    assert path.is_file() and path.is_relative_to(PACKAGE)
    assert not (PACKAGE.parent.parent / "overrides" / "assets" / assets.SEARCH).exists(), "one copy only"


def test_the_environment_is_read_in_the_settings_modules_only():
    """Every setting is declared once (kiosk.settings, kiosk.desk.config) and read there; elsewhere the
    environment is only copied for a child process or set for one."""
    import re

    reads = re.compile(r"os\.environ\.get\(|os\.environ\[[^\]]+\](?!\s*=)|os\.getenv\(")
    allowed = {PACKAGE / "settings.py", PACKAGE / "desk" / "config.py"}
    child = re.compile(r"dict\(os\.environ|\*\*os\.environ")  # a child process's environment, copied whole
    found = [
        f"{p.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if p not in allowed and not p.name.startswith("bench")
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if reads.search(line) and not child.search(line)
    ]
    assert not found, "read the environment through kiosk.settings.env / kiosk.desk.config.env:\n" + "\n".join(found)
