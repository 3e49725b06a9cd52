"""Who may do what: every address of the desk × every role × a record of their own window, of another window
of their township, and of another township → allowed or refused as designed. An address of the desk that
this table does not list fails the test, so a new screen cannot be added without deciding who sees it.

    窗口人员 (window, s03 社会事务窗口)   their window's records and those they took in; acts on them
    窗口人员 (window2, s05 社保医保窗口)  another window of the same township
    中心负责人 (head)                      every record of the township; exports; the admin, read-only
    other_head, other_window               the same roles in 官庄镇
    县级 (county)                          every township, read-only; exports
A record a person may not see is 404, exactly like a record that does not exist.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from .support import intake, record_of

ROLES = ["anonymous", "window", "window2", "head", "other_window", "other_head", "county"]
# which records each role sees: own (大合坪乡, 社会事务窗口, by s03), mine2 (大合坪乡, 社保医保窗口, by s05),
# other (官庄镇, by its s03)
SEES = {
    "anonymous": set(),
    "window": {"own"},
    "window2": {"mine2"},
    "head": {"own", "mine2"},
    "other_window": {"other"},
    "other_head": {"other"},
    "county": {"own", "mine2", "other"},
}
ACTS = {"window", "window2", "head", "other_window", "other_head"}  # may change records they see
EXPORTS = {"head", "other_head", "county"}
TAKES_IN = {"window", "window2", "head", "other_window", "other_head"}
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
    if route == "export":
        return {200} if role in EXPORTS else {403}
    if which not in SEES[role]:
        return {404}
    if route in ("record", "history", "document"):
        return {200}
    if route in ("supplement", "refuse", "void"):
        return {200} if role in ACTS else {403}
    if route == "finish":  # the record is in 补正中: this step is not possible yet
        return {302} if role in ACTS else {403}
    raise AssertionError(route)


def urls(records, which):
    app = records[which] if which else None
    doc = app.documents.first() if app else None
    return {
        "login": "/login/", "home": "/", "intake_search": "/intake/", "intake": "/intake/dibao-apply/",
        "records": "/records/", "export": "/records/export.csv",
        "record": f"/records/{app.pk}/" if app else None,
        "supplement": f"/records/{app.pk}/supplement/" if app else None,
        "finish": f"/records/{app.pk}/finish/" if app else None,
        "refuse": f"/records/{app.pk}/refuse/" if app else None,
        "void": f"/records/{app.pk}/void/" if app else None,
        "history": f"/records/{app.pk}/history/" if app else None,
        "document": f"/records/{app.pk}/documents/{doc.pk}.pdf" if app else None,
    }


ON_RECORDS = ["record", "supplement", "finish", "refuse", "void", "history", "document"]
ELSEWHERE = ["login", "home", "intake_search", "intake", "records", "export"]


def test_the_table_lists_every_address_of_the_desk(desk):
    from kiosk.desk import urls as desk_urls

    names = {p.name for p in desk_urls.desk}
    assert names == set(ON_RECORDS) | set(ELSEWHERE) | {"logout"}


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
    wrong = {k: v for k, v in seen.items() if v not in expected_get(role, k[0], k[1])}
    assert wrong == {}, wrong


@pytest.mark.parametrize("role", ROLES)
def test_a_step_posted_on_a_record_of_someone_else_changes_nothing(world, role):
    from kiosk.desk.models import Application

    records, clients = world
    for which, app in records.items():
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
    numbers = {k: a.number for k, a in records.items()}
    for role in ROLES[1:]:
        page = clients[role].get("/records/").content.decode()
        shown = {k for k, n in numbers.items() if n in page}
        # numbers are per township: 官庄镇's first number is GZ-…, never DHP-…
        assert shown == SEES[role], (role, shown)
    for role in EXPORTS:
        response = clients[role].get("/records/export.csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert {r[0] for r in rows[1:]} == {numbers[k] for k in SEES[role]}, role


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
        assert (app.number in listing) == (which in SEES[role]), (which, role)
        change = client.get(f"/admin/desk/application/{app.pk}/change/")
        if which in SEES[role]:
            assert change.status_code == 200
            assert 'type="submit"' not in change.content.decode() or "保存" not in change.content.decode()
        else:
            assert change.status_code == 302  # the admin's "not found", the same as for an unknown id
    assert client.get("/admin/desk/application/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.post(f"/admin/desk/application/{records['own'].pk}/delete/", {"post": "yes"}).status_code in (403, 302)
    from kiosk.desk.models import Application

    assert Application.objects.filter(pk=records["own"].pk).exists()


def test_logout_needs_a_post_and_ends_the_session(world):
    _, clients = world
    client = clients["window"]
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
