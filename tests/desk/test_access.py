"""Who may do what: every address of the desk × every role × a record of their own window, of another window
of their township, and of another township → allowed or refused as designed. An address of the desk that
this table does not list fails the test, so a new screen cannot be added without deciding who sees it.

    窗口人员 (window, s03 社会事务窗口)   their window's records and those they took in; acts on them
    窗口人员 (window2, s05 社保医保窗口)  another window of the same township
    窗口人员 (unresolved, s12 “办不成事”反映窗口)  every 办不成事 case of the township; no application
    中心负责人 (head)                      every record of the township; exports; the admin, read-only
    other_head, other_window               the same roles in 官庄镇
    县级 (county)                          every township, read-only; exports
A record a person may not see is 404, exactly like a record that does not exist.
"""

from __future__ import annotations

import io
import re

import pytest

from .support import case_of, case_step, intake, record_of, register_case
from .test_complaints import complaint_of
from .test_complaints import register as register_complaint
from .test_help import ask as help_ask
from .test_help import entrust as help_entrust
from .test_help import record as help_record

ROLES = ["anonymous", "window", "window2", "unresolved", "head", "other_window", "other_head", "county"]
# which records each role sees: own (大合坪乡, 社会事务窗口, by s03), mine2 (大合坪乡, 社保医保窗口, by s05),
# other (官庄镇, by its s03)
SEES = {
    "anonymous": set(),
    "window": {"own"},
    "window2": {"mine2"},
    "unresolved": set(),
    "head": {"own", "mine2"},
    "other_window": {"other"},
    "other_head": {"other"},
    "county": {"own", "mine2", "other"},
}
ACTS = {"window", "window2", "unresolved", "head", "other_window", "other_head"}  # may change records they see
EXPORTS = {"head", "other_head", "county"}
TAKES_IN = {"window", "window2", "unresolved", "head", "other_window", "other_head"}
# 办不成事 cases: own (大合坪乡, registered by s12, passed to 社会事务窗口), mine2 (大合坪乡, registered by s05,
# not passed yet), other (官庄镇, registered by its s03)
CASE_SEES = {
    "anonymous": set(),
    "window": {"own"},  # passed to its window
    "window2": {"mine2"},  # registered by its staff
    "unresolved": {"own", "mine2"},
    "head": {"own", "mine2"},
    "other_window": {"other"},
    "other_head": {"other"},
    "county": {"own", "mine2", "other"},
}
COORDINATES = {"unresolved": {"own", "mine2"}, "head": {"own", "mine2"}, "other_head": {"other"}}
HANDLES = {**COORDINATES, "window": {"own"}}  # the window a case is passed to records its handling
CASE_STATE = {"own": "passed", "mine2": "registered", "other": "registered"}
# complaints: own (大合坪乡, registered by s12), mine2 (大合坪乡, by s05), other (官庄镇, by its s03); all 已登记
COMPLAINT_SEES = {**CASE_SEES, "window": set()}  # no window sees complaints but those its staff registered
TAKES_COMPLAINTS = COORDINATES  # the 办不成事 window (where complaints are taken) and the head
HEADS = {"head": {"own", "mine2"}, "other_head": {"other"}}
COMPLAINT_STEPS = {  # step: (who, the states it starts from)
    "complaint_note": (TAKES_COMPLAINTS, {"registered"}),
    "complaint_answer": (TAKES_COMPLAINTS, {"registered"}),
    "complaint_outcome": (HEADS, {"registered"}),
    "complaint_close": (TAKES_COMPLAINTS, set()),
    "complaint_void": (TAKES_COMPLAINTS, {"registered"}),
}
# 首问 and 帮代办: own (大合坪乡, by s03 of 社会事务窗口; the proxy's 代办员 s03), mine2 (by s05, 社保医保窗口),
# other (官庄镇, by its s03): like applications, a window sees its window's and its own
HELP_SEES = {**SEES, "unresolved": set()}
HELP_ACTS = ACTS
HELP_STEPS = {"ask_tell", "ask_void", "proxy_return", "proxy_void"}  # all possible: asks are 待告知, proxies 代办中
CASE_STEPS = {  # step: (who, the states it starts from)
    "case_classify": (COORDINATES, {"registered"}),
    "case_pass": (COORDINATES, {"classified"}),
    "case_handle": (HANDLES, {"classified", "passed"}),
    "case_feedback": (HANDLES, {"finished"}),
    "case_follow_up": (COORDINATES, {"finished", "told"}),
    "case_archive": (COORDINATES, {"visited"}),
    "case_void": (COORDINATES, {"registered", "passed"}),
}
ADMIN = {"head", "other_head"}


@pytest.fixture
def world(client_of, users):
    from django.test import Client

    records = {
        "own": record_of(intake(client_of("window"), matter="dibao-apply", brought=["1"])),
        "mine2": record_of(intake(client_of("window2"), matter="yibao-canbao", brought=[])),
        "other": record_of(intake(client_of("other_window"), matter="dibao-apply", brought=["1"])),
    }
    assert records["mine2"].window == "shebao" and records["other"].township == "guanzhuangzhen"
    own = case_of(register_case(client_of("unresolved")))
    own = case_of(
        case_step(client_of("unresolved"), own, "classify", category="general", classified=own.received.isoformat())
    )
    own = case_of(case_step(client_of("unresolved"), own, "pass", window="shehui", passed=own.received.isoformat()))
    records.update(
        {
            "case_own": own,
            "case_mine2": case_of(register_case(client_of("window2"))),
            "case_other": case_of(register_case(client_of("other_window"))),
        }
    )
    assert records["case_other"].township == "guanzhuangzhen" and own.state == "passed"
    for which, who in (("own", "unresolved"), ("mine2", "window2"), ("other", "other_window")):
        records["complaint_" + which] = complaint_of(register_complaint(client_of(who)))
    from kiosk.desk.models import FirstAsk, ProxyCase

    for which, who, agent in (("own", "window", "s03"), ("mine2", "window2", "s05"), ("other", "other_window", "s03")):
        records["ask_" + which] = help_record(help_ask(client_of(who)), FirstAsk)
        records["proxy_" + which] = help_record(help_entrust(client_of(who), agent=agent), ProxyCase)
    clients = {name: (Client() if name == "anonymous" else client_of(name)) for name in ROLES}
    return records, clients


def expected_get(role: str, route: str, which: str | None) -> set[int]:
    """The statuses a GET of `route` (on record `which`) may answer for `role`."""
    if route == "login":
        return {200} if role == "anonymous" else {302}
    if role == "anonymous":
        return {302}
    if route in ("home", "records"):
        return {200}
    if route in ("intake_search", "intake"):
        return {200} if role in TAKES_IN else {403}
    if route in ("export", "ledger_export", "report", "report_pdf", "report_xlsx", "searches"):
        return {200} if role in EXPORTS else {403}
    if route == "ledger":
        return {200}
    if route == "cases":
        return {200}
    if route in ("asks", "proxies"):
        return {200}
    if route in ("ask_new", "proxy_new"):
        return {200} if role in TAKES_IN else {403}
    if route.startswith(("ask", "proxy")):
        if which not in HELP_SEES[role]:
            return {404}
        if route in HELP_STEPS:
            return {200} if role in HELP_ACTS else {403}
        return {200}
    if route in ("case_new", "complaint_new"):
        return {200} if role in TAKES_IN else {403}
    if route == "complaints":
        return {200}
    if route.startswith("complaint"):
        if which not in COMPLAINT_SEES[role]:
            return {404}
        if route in ("complaint", "complaint_history", "complaint_document"):
            return {200}
        who, states = COMPLAINT_STEPS[route]
        if which not in who.get(role, set()):
            return {403}
        return {200} if "registered" in states else {302}
    if route.startswith("case_") or route == "case":
        if which not in CASE_SEES[role]:
            return {404}
        if route in ("case", "case_history", "case_document"):
            return {200}
        who, states = CASE_STEPS[route]
        if which not in who.get(role, set()):
            return {403}
        return {200} if CASE_STATE[which] in states else {302}
    if which not in SEES[role]:
        return {404}
    if route in ("record", "record_history", "record_document"):
        return {200}
    if route in ("record_supplement", "record_refuse", "record_void"):
        return {200} if role in ACTS else {403}
    if route == "record_finish":  # the record is in 补正中: this step is not possible yet
        return {302} if role in ACTS else {403}
    raise AssertionError(route)


def urls(records, which):
    app = records[which] if which else None
    doc = app.documents.first() if app else None
    return {
        "login": "/login/",
        "home": "/",
        "intake_search": "/intake/",
        "intake": "/intake/dibao-apply/",
        "records": "/records/",
        "export": "/records/export.xlsx",
        "record": f"/records/{app.pk}/" if app else None,
        "record_supplement": f"/records/{app.pk}/supplement/" if app else None,
        "record_finish": f"/records/{app.pk}/finish/" if app else None,
        "record_refuse": f"/records/{app.pk}/refuse/" if app else None,
        "record_void": f"/records/{app.pk}/void/" if app else None,
        "record_history": f"/records/{app.pk}/history/" if app else None,
        "record_document": f"/records/{app.pk}/documents/{doc.pk}.pdf" if app else None,
        "cases": "/cases/",
        "case_new": "/cases/new/",
        "complaints": "/complaints/",
        "complaint_new": "/complaints/new/",
        "ledger": "/ledger/",
        "ledger_export": "/ledger/export.xlsx",
        "report": "/reports/",
        "report_pdf": "/reports/report.pdf",
        "report_xlsx": "/reports/report.xlsx",
        "searches": "/searches/",
        "asks": "/asks/",
        "ask_new": "/asks/new/",
        "proxies": "/proxies/",
        "proxy_new": "/proxies/new/",
    }


def help_urls(records, which):
    a, p = records["ask_" + which], records["proxy_" + which]
    return {
        "ask": f"/asks/{a.pk}/",
        "ask_history": f"/asks/{a.pk}/history/",
        "ask_tell": f"/asks/{a.pk}/tell/",
        "ask_void": f"/asks/{a.pk}/void/",
        "proxy": f"/proxies/{p.pk}/",
        "proxy_history": f"/proxies/{p.pk}/history/",
        "proxy_return": f"/proxies/{p.pk}/return/",
        "proxy_void": f"/proxies/{p.pk}/void/",
        "proxy_document": f"/proxies/{p.pk}/documents/{p.documents.first().pk}.pdf",
    }


def case_urls(records, which):
    c = records["case_" + which]
    doc = c.documents.first()
    return {
        "case": f"/cases/{c.pk}/",
        "case_history": f"/cases/{c.pk}/history/",
        "case_document": f"/cases/{c.pk}/documents/{doc.pk}.pdf",
        **{step: f"/cases/{c.pk}/{step[5:].replace('_', '-')}/" for step in CASE_STEPS},
    }


def complaint_urls(records, which):
    c = records["complaint_" + which]
    doc = c.documents.first()
    return {
        "complaint": f"/complaints/{c.pk}/",
        "complaint_history": f"/complaints/{c.pk}/history/",
        "complaint_document": f"/complaints/{c.pk}/documents/{doc.pk}.pdf",
        **{step: f"/complaints/{c.pk}/{step[10:]}/" for step in COMPLAINT_STEPS},
    }


ON_RECORDS = [
    "record",
    "record_supplement",
    "record_finish",
    "record_refuse",
    "record_void",
    "record_history",
    "record_document",
]
ON_CASES = ["case", "case_history", "case_document", *CASE_STEPS]
ON_COMPLAINTS = ["complaint", "complaint_history", "complaint_document", *COMPLAINT_STEPS]
ON_HELP = [
    "ask",
    "ask_history",
    "ask_tell",
    "ask_void",
    "proxy",
    "proxy_history",
    "proxy_return",
    "proxy_void",
    "proxy_document",
]
ELSEWHERE = [
    "login",
    "home",
    "intake_search",
    "intake",
    "records",
    "export",
    "cases",
    "case_new",
    "complaints",
    "complaint_new",
    "ledger",
    "ledger_export",
    "report",
    "report_pdf",
    "report_xlsx",
    "searches",
    "asks",
    "ask_new",
    "proxies",
    "proxy_new",
]


def test_the_table_lists_every_address_of_the_desk(desk):
    from kiosk.desk import urls as desk_urls

    names = {p.name for p in desk_urls.desk}
    assert names == set(ON_RECORDS) | set(ON_CASES) | set(ON_COMPLAINTS) | set(ON_HELP) | set(ELSEWHERE) | {"logout"}


@pytest.mark.parametrize("role", ROLES)
def test_every_address_for_every_role_and_township(world, role):
    records, clients = world
    client = clients[role]
    seen = {}
    for route in ELSEWHERE:
        seen[(route, None)] = client.get(urls(records, None)[route]).status_code
    for which in ("own", "mine2", "other"):
        for route in ON_RECORDS:
            seen[(route, which)] = client.get(urls(records, which)[route]).status_code
        for route in ON_CASES:
            seen[(route, which)] = client.get(case_urls(records, which)[route]).status_code
        for route in ON_COMPLAINTS:
            seen[(route, which)] = client.get(complaint_urls(records, which)[route]).status_code
        for route in ON_HELP:
            seen[(route, which)] = client.get(help_urls(records, which)[route]).status_code
    wrong = {k: v for k, v in seen.items() if v not in expected_get(role, k[0], k[1])}
    assert wrong == {}, wrong


@pytest.mark.parametrize("role", ROLES)
def test_a_step_posted_on_a_record_of_someone_else_changes_nothing(world, role):
    from kiosk.desk.models import Application

    records, clients = world
    for which, app in records.items():
        if which.startswith(("case_", "complaint_", "ask_", "proxy_")):
            continue
        before = Application.objects.get(pk=app.pk)
        response = clients[role].post(f"/records/{app.pk}/void/", {"version": before.version, "reason": "试图作废"})
        after = Application.objects.get(pk=app.pk)
        if role in ACTS and which in SEES[role]:
            assert response.status_code == 302 and after.state == "void"
        else:
            assert response.status_code in ({302} if role == "anonymous" else {403, 404}), (which, response.status_code)
            assert after.state == before.state and after.version == before.version


def test_the_list_and_the_export_hold_only_what_a_person_may_see(world):
    records, clients = world
    numbers = {k: a.number for k, a in records.items() if not k.startswith(("case_", "complaint_", "ask_", "proxy_"))}
    for role in ROLES[1:]:
        page = clients[role].get("/records/").content.decode()
        shown = {k for k, n in numbers.items() if n in page}
        # numbers are per township: 官庄镇's first number is GZ-…, never DHP-…
        assert shown == SEES[role], (role, shown)
    from openpyxl import load_workbook

    for role in EXPORTS:
        response = clients[role].get("/records/export.xlsx")
        rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
        assert {r[0] for r in rows[1:]} == {numbers[k] for k in SEES[role]}, role
        assert all(r[1] in ("大合坪乡", "官庄镇") for r in rows[1:])  # names as people read them, not ids


def test_a_document_of_another_record_is_not_found_through_ones_own(world):
    records, clients = world
    other_doc = records["other"].documents.first()
    assert clients["window"].get(f"/records/{records['own'].pk}/documents/{other_doc.pk}.pdf").status_code == 404


def test_unknown_and_foreign_records_answer_alike(world):
    records, clients = world
    foreign = clients["window"].get(f"/records/{records['other'].pk}/")
    missing = clients["window"].get("/records/999999/")
    assert foreign.status_code == missing.status_code == 404
    unmasked = lambda r: re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content)  # noqa: E731
    assert unmasked(foreign) == unmasked(missing)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_read_only_and_scoped(world, role):
    records, clients = world
    client = clients[role]
    index = client.get("/admin/")
    if role not in ADMIN:
        assert index.status_code == 302 and "/admin/login/" in index["Location"]
        return
    assert index.status_code == 200
    listing = client.get("/admin/desk/application/").content.decode()
    for which, app in records.items():
        if which.startswith(("case_", "complaint_", "ask_", "proxy_")):
            continue
        assert (app.number in listing) == (which in SEES[role]), (which, role)
        change = client.get(f"/admin/desk/application/{app.pk}/change/")
        if which in SEES[role]:
            assert change.status_code == 200
            assert 'type="submit"' not in change.content.decode() or "保存" not in change.content.decode()
        else:
            assert change.status_code == 302  # the admin's "not found", the same as for an unknown id
    assert client.get("/admin/desk/application/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.post(f"/admin/desk/application/{records['own'].pk}/delete/", {"post": "yes"}).status_code in (
        403,
        302,
    )
    from kiosk.desk.models import Application

    assert Application.objects.filter(pk=records["own"].pk).exists()


def test_logout_needs_a_post_and_ends_the_session(world):
    _, clients = world
    client = clients["window"]
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_a_step_posted_on_a_case_of_someone_else_changes_nothing(world, role):
    from kiosk.desk.models import Case

    records, clients = world
    for which in ("own", "mine2", "other"):
        case = Case.objects.get(pk=records["case_" + which].pk)
        response = clients[role].post(f"/cases/{case.pk}/void/", {"version": case.version, "reason": "试图作废"})
        after = Case.objects.get(pk=case.pk)
        if which in COORDINATES.get(role, set()):
            assert response.status_code == 302 and after.state == "void"
        else:
            assert response.status_code in ({302} if role == "anonymous" else {403, 404}), (which, response.status_code)
            assert after.state == case.state and after.version == case.version


def test_the_case_list_holds_only_what_a_person_may_see(world):
    records, clients = world
    numbers = {k: records["case_" + k].number for k in ("own", "mine2", "other")}
    for role in ROLES[1:]:
        page = clients[role].get("/cases/").content.decode()
        assert {k for k, n in numbers.items() if n in page} == CASE_SEES[role], role


def test_the_complaint_list_holds_only_what_a_person_may_see_and_no_identity(world):
    records, clients = world
    numbers = {k: records["complaint_" + k].number for k in ("own", "mine2", "other")}
    for role in ROLES[1:]:
        page = clients[role].get("/complaints/").content.decode()
        assert {k for k, n in numbers.items() if n in page} == COMPLAINT_SEES[role], role
        assert "秘密投诉人甲" not in page


@pytest.mark.parametrize("role", ROLES)
def test_a_step_posted_on_a_complaint_of_someone_else_changes_nothing(world, role):
    from kiosk.desk.models import Complaint

    records, clients = world
    for which in ("own", "mine2", "other"):
        c = Complaint.objects.get(pk=records["complaint_" + which].pk)
        response = clients[role].post(f"/complaints/{c.pk}/outcome/", {"version": c.version, "outcome": "记过"})
        after = Complaint.objects.get(pk=c.pk)
        if which in HEADS.get(role, set()):
            assert response.status_code == 302 and after.outcome == "记过"
        else:
            assert response.status_code in ({302} if role == "anonymous" else {403, 404}), (which, response.status_code)
            assert after.outcome == "" and after.version == c.version


def test_the_ledger_of_another_township_is_never_reachable(world):
    records, clients = world
    ours = {records[k].number for k in ("case_own", "case_mine2", "complaint_own", "complaint_mine2")}
    theirs = {records[k].number for k in ("case_other", "complaint_other")}
    for role in ("window", "window2", "unresolved", "head"):
        for url in ("/ledger/", "/ledger/?township=guanzhuangzhen", "/reports/?township=guanzhuangzhen"):
            page = clients[role].get(url).content.decode()
            assert not any(n in page for n in theirs), (role, url)
    page = clients["other_head"].get("/ledger/").content.decode()
    assert not any(n in page for n in ours) and all(n in page for n in theirs)
    export = clients["head"].get("/ledger/export.xlsx").content
    import io

    from openpyxl import load_workbook

    cells = {c.value for row in load_workbook(io.BytesIO(export)).worksheets[0].iter_rows() for c in row}
    assert ours <= cells and not (theirs & cells)


@pytest.mark.parametrize("role", ROLES)
def test_a_step_posted_on_a_first_ask_or_proxy_of_someone_else_changes_nothing(world, role):
    from kiosk.desk.models import FirstAsk, ProxyCase

    records, clients = world
    for prefix, model, url in (("ask_", FirstAsk, "asks"), ("proxy_", ProxyCase, "proxies")):
        for which in ("own", "mine2", "other"):
            r = model.objects.get(pk=records[prefix + which].pk)
            response = clients[role].post(f"/{url}/{r.pk}/void/", {"version": r.version, "reason": "试图作废"})
            after = model.objects.get(pk=r.pk)
            if role in HELP_ACTS and which in HELP_SEES[role]:
                assert response.status_code == 302 and after.state == "void"
            else:
                assert response.status_code in ({302} if role == "anonymous" else {403, 404}), (which, role)
                assert after.state == r.state and after.version == r.version


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_step_of_every_kind_answers_as_the_permission_table_says(world, users, role):
    """Generated from the view sets (kinds.py) and the one table (permissions.py): every step's page of every
    kind of record, for every record: 404 where the person may not see it, 403 where they may not take the
    step, 302 back to the record where its state does not allow it, else the form. The hand-written tables above
    check the table itself; this checks that no step asks anything else."""
    from kiosk.desk.kinds import VIEWSETS

    records, clients = world
    user, wrong = users[role], {}
    for viewset in VIEWSETS:
        kept = [r for r in records.values() if isinstance(r, viewset.model)]
        assert kept, viewset.prefix
        for record in kept:
            record.refresh_from_db()
            for name in viewset.steps:
                spec = viewset.model.steps[name]
                if not user.has_perm(f"desk.view_{viewset.model._meta.model_name}", record):
                    expected = 404
                elif not user.has_perm(f"desk.{spec.perm}", record):
                    expected = 403
                else:
                    expected = 200 if record.state in spec.sources else 302
                got = clients[role].get(
                    f"{record.get_absolute_url()}{viewset.steps[name].slug or name.replace('_', '-')}/"
                )
                if got.status_code != expected:
                    wrong[(viewset.prefix, record.pk, name)] = (got.status_code, expected)
    assert wrong == {}


def test_the_admin_shows_every_kind_scoped_and_view_on_site_reveals_nothing(world):
    from django.contrib.contenttypes.models import ContentType

    from kiosk.desk.models import KINDS

    records, clients = world
    head = clients["head"]
    for model in KINDS:
        listing = head.get(f"/admin/desk/{model._meta.model_name}/")
        assert listing.status_code == 200, model
        ours = [r for k, r in records.items() if isinstance(r, model) and r.township == "dahepingxiang"]
        theirs = [r for k, r in records.items() if isinstance(r, model) and r.township == "guanzhuangzhen"]
        ct = ContentType.objects.get_for_model(model).pk
        assert ours and theirs
        for r in ours:
            assert head.get(f"/admin/desk/{model._meta.model_name}/{r.pk}/change/").status_code == 200
            seen = head.get(f"/admin/r/{ct}/{r.pk}/")
            assert seen.status_code == 302 and seen["Location"] == r.get_absolute_url()
        for r in theirs:
            # another township's record: exactly as a missing id, in the admin and its "view on site"
            assert head.get(f"/admin/r/{ct}/{r.pk}/").status_code == 404
            assert head.get(f"/admin/desk/{model._meta.model_name}/{r.pk}/change/").status_code == 302
        assert head.get(f"/admin/r/{ct}/999999/").status_code == 404
    complaint = records["complaint_own"]
    page = clients["head"].get(f"/admin/desk/complaint/{complaint.pk}/change/").content.decode()
    assert "秘密投诉人甲" in page  # the head reads the identity; the admin is the head's only
    assert clients["window"].get("/admin/").status_code == 302


def test_the_head_sees_what_their_townships_kiosk_did_not_find(world, tmp_path):
    """The kiosk keeps a search that found nothing (`kiosk serve --searches`); the desk shows it to that
    township's head with the matter it may belong to, and to no other township's head."""
    import datetime

    from django.conf import settings

    from kiosk.site.searches import Searches

    _, clients = world
    ours, theirs = tmp_path / "dahepingxiang", tmp_path / "guanzhuangzhen"
    Searches(ours).add("低保怎么领", "none", datetime.date(2026, 9, 14))
    Searches(theirs).add("娃娃没人管", "none", datetime.date(2026, 9, 14))
    before = settings.SEARCHES
    settings.SEARCHES = {"dahepingxiang": ours, "guanzhuangzhen": theirs}
    try:
        page = clients["head"].get("/searches/").content.decode()
        assert "低保怎么领" in page and "最低生活保障" in page and "娃娃没人管" not in page
        assert "编号 dibao-apply" in page  # where the township's local.yaml names it, to add the words as its 俗称
        other = clients["other_head"].get("/searches/").content.decode()
        assert "娃娃没人管" in other and "低保怎么领" not in other
        county = clients["county"].get("/searches/").content.decode()
        assert "娃娃没人管" in county and "低保怎么领" in county
        assert clients["window"].get("/searches/").status_code == 403
    finally:
        settings.SEARCHES = before
