"""Every change is kept (who, when, from what to what), and two people saving one record never overwrite
each other silently: the second is told, and nothing of theirs is saved."""

from __future__ import annotations

import datetime
import re

import pytest

from .support import errors, form_fields, intake, record_of, step


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


def test_every_step_is_in_the_history_with_who_when_and_before_after(client_of):
    window, head = client_of("window"), client_of("head")
    app = record_of(intake(window, brought=["1", "2"], received=today() - datetime.timedelta(days=2)))
    step(window, app, "supplement", brought=["1", "2", "3"], action="save")
    step(head, app, "supplement", brought=[str(n) for n in range(1, 7)], accepted=today().isoformat(), action="accept")
    app.refresh_from_db()
    step(window, app, "finish", finished=today().isoformat(), result="已报县民政局审批")

    from kiosk.desk import changes

    app.refresh_from_db()
    entries = changes.history(app, app.created_by)
    assert [e.step for e in entries] == ["intake", "supplement-save", "supplement-accept", "finish"]
    assert [e.who for e in entries] == [("李某某", "s03"), ("李某某", "s03"), ("向某某", "s01"), ("李某某", "s03")]
    first = {c.field: c.after for c in entries[0].changes}
    assert first["applicant"] == "王小明" and first["brought"] == [1, 2] and first["state"] == "补正中"
    second = {c.field: (c.before, c.after) for c in entries[1].changes}
    assert second == {"brought": ([1, 2], [1, 2, 3])}
    third = {c.field: (c.before, c.after) for c in entries[2].changes}
    assert third["state"] == ("补正中", "已受理")
    assert third["accepted"] == (None, today())
    fourth = {c.field: (c.before, c.after) for c in entries[3].changes}
    assert fourth["state"] == ("已受理", "已办结") and fourth["result"] == ("", "已报县民政局审批")
    assert [d.kind for d in entries[0].documents] == ["correction"]
    assert [d.kind for d in entries[2].documents] == ["receipt"]
    assert all(e.when <= f.when for e, f in zip(entries, entries[1:]))

    page = window.get(f"/records/{app.pk}/history/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    for words in [
        "李某某（s03）",
        "向某某（s01）",
        "收件，开补正告知书",
        "补交材料并受理",
        "办结",
        "第 1、2 项",
        "第 1、2、3 项",
        "补正中",
        "已受理",
        "已办结",
        "已报县民政局审批",
        "材料补正一次性告知书",
        "受理回执",
    ]:
        assert words in text, words


def test_the_second_of_two_people_saving_one_record_is_told_and_nothing_of_theirs_is_saved(client_of):
    from kiosk.desk.models import Application

    window, head = client_of("window"), client_of("head")
    app = record_of(intake(window, brought=["1"]))
    seen_by_window = form_fields(window.get(f"/records/{app.pk}/supplement/").content.decode())
    seen_by_head = form_fields(head.get(f"/records/{app.pk}/supplement/").content.decode())
    assert seen_by_window["version"] == seen_by_head["version"] == "1"
    first = window.post(f"/records/{app.pk}/supplement/", {**seen_by_window, "brought": ["1", "2"], "action": "save"})
    assert first.status_code == 302
    second = head.post(f"/records/{app.pk}/supplement/", {**seen_by_head, "brought": ["1", "3"], "action": "save"})
    assert second.status_code == 409
    said = " ".join(errors(second))
    assert "已被李某某改过" in said and "没有保存" in said and "您填的内容都还在" in said
    assert Application.objects.get(pk=app.pk).brought == [1, 2]
    page = second.content.decode()
    assert form_fields(page)["version"] == "2"  # the form again, on the record as it is now
    # with what the second person typed, to check and send again: 1 and 3 ticked, not the first person's 2
    assert 'value="3" id="b3" aria-labelledby="b3-l m3-name" checked' in page
    assert 'value="2" id="b2" aria-labelledby="b2-l m2-name" checked' not in page
    # the second saves again, knowingly: now it is saved
    again = head.post(
        f"/records/{app.pk}/supplement/",
        {**form_fields(second.content.decode()), "brought": ["1", "2", "3"], "action": "save"},
    )
    assert again.status_code == 302
    assert Application.objects.get(pk=app.pk).brought == [1, 2, 3]


def test_a_step_that_the_first_save_made_impossible_says_so_on_the_record(client_of):
    window, head = client_of("window"), client_of("head")
    app = record_of(intake(window, brought=["1"]))
    seen = form_fields(head.get(f"/records/{app.pk}/refuse/").content.decode())
    step(window, app, "void", reason="重复登记")
    response = head.post(
        f"/records/{app.pk}/refuse/", {**seen, "decided": today().isoformat(), "reason": "不符合条件"}, follow=True
    )
    page = response.content.decode()
    assert "已被李某某改过" in page and "作废" in page
    app.refresh_from_db()
    assert app.state == "void" and app.void_reason == "重复登记"


def test_the_version_is_checked_again_inside_the_transaction(users, desk):
    """Two saves that both passed the page's check: the record's lock and version decide, the second fails."""
    from kiosk.desk import lifecycle
    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.models import Application
    from kiosk.desk.steps import application

    t = catalogues().get("dahepingxiang")
    v = t.cv.view("dibao-apply")
    import uuid

    app = application.take_in(
        t,
        v,
        {
            "applicant": "甲",
            "received": today(),
            "brought": {1},
            "not_needed": set(),
            "action": "correct",
            "token": uuid.uuid4(),
        },
        users["window"],
    )

    def supplement(brought, user):
        data = {"brought": brought, "not_needed": set(), "action": "save"}
        return lifecycle.step(
            Application, app.pk, 1, user, "supplement", lambda r: application.supplement(t, r, data, user)
        )

    supplement({1, 2}, users["window"])
    with pytest.raises(lifecycle.Conflict) as e:
        supplement({1, 3}, users["head"])
    assert e.value.current.version == 2 and e.value.who == "李某某"
    assert Application.objects.get(pk=app.pk).brought == [1, 2]
