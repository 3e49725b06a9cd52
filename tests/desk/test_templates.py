"""The desk's printed documents are the desk's own templates, over the kiosk's print base (issue 22, point 4)."""

from __future__ import annotations

from pathlib import Path

import jinja2

import kiosk
from kiosk.printing import documents

PACKAGE = Path(kiosk.__file__).resolve().parent


def test_the_desk_prints_from_its_own_templates_which_the_kiosk_cannot_see(desk):
    from kiosk.desk import paper

    desk = paper.environment()
    assert desk.get_template("print/desk-receipt.html").filename.startswith(str(PACKAGE / "desk" / "printing"))
    assert desk.get_template("print/base.html") is not None, "on the kiosk's base"
    try:
        documents.environment().get_template("print/desk-receipt.html")
    except jinja2.TemplateNotFound:
        pass
    else:
        raise AssertionError("the kiosk's environment must not find the desk's templates")
    assert not list((PACKAGE / "printing" / "templates" / "print").glob("desk-*"))
