"""Intake (一次性告知) to 办结 in the desk, as window staff do it: the records, the printed documents, the due
dates (the same code as `kiosk due`), and bad input refused in plain Chinese with nothing saved."""

from __future__ import annotations

import datetime
import re

import pytest

from kiosk.calendar.limits import deadline

from .support import errors, intake, record_of, step


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


def workday_before(calendar, day, n):
    """The day from which `n` working days end on `day`: an accept date that makes a record due on `day`."""
    start = day
    while calendar.add_workdays(start, n) > day:
        start -= datetime.timedelta(days=1)
    return start


def test_missing_materials_give_the_correction_notice_with_the_record_number(client_of):
    from kiosk.desk.models import Application, Document, State

    response = intake(client_of("window"), brought=["1", "2"])
    assert response.status_code == 302
    app = record_of(response)
    assert app.state == State.CORRECTING
    assert app.number == f"DHP-{today().year}-000001"
    assert app.missing == [3, 4, 5, 6]
    assert app.window == "shehui" and app.township == "dahepingxiang"
    notice = Document.objects.get(application=app)
    assert notice.kind == "correction"
    assert "DHP-" in notice.html and app.number in notice.html and "王小明" in notice.html
    assert "户口本" in notice.html  # material 3, missing
    assert "最低生活保障申请书" not in notice.html.split("还需要补交")[1]  # material 1 was brought
    second = record_of(intake(client_of("window"), brought=["1"]))
    assert second.number == f"DHP-{today().year}-000002"
    assert Application.objects.count() == 2


def test_the_same_form_sent_twice_saves_one_record(client_of):
    from kiosk.desk.models import Application

    from .support import form_fields

    client = client_of("window")
    page = client.get("/intake/dibao-apply/")
    data = {
        **form_fields(page.content.decode()),
        "applicant": "王小明",
        "received": today().isoformat(),
        "brought": ["1"],
        "action": "auto",
    }
    first = client.post("/intake/dibao-apply/", data)
    again = client.post("/intake/dibao-apply/", data)
    assert first["Location"] == again["Location"]
    assert Application.objects.count() == 1


def test_accept_later_counts_the_due_date_as_kiosk_due_does(client_of):
    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.models import Document, State

    client = client_of("window")
    app = record_of(
        intake(client, matter="canjizheng-apply", brought=["1"], received=today() - datetime.timedelta(days=3))
    )
    t = catalogues().get("dahepingxiang")
    accepted = today()  # a working day (a rest day asks to be confirmed: test_limits_as_stated.py)
    assert t.calendar.is_workday(accepted)
    everything = [str(m["no"]) for m in app.told["materials"]]
    response = step(client, app, "supplement", brought=everything, accepted=accepted.isoformat(), action="accept")
    assert response.status_code == 302, errors(response)
    app.refresh_from_db()
    assert app.state == State.ACCEPTED and app.accepted == accepted
    expected = deadline(t.loaded.matter("canjizheng-apply"), accepted, t.calendar, received=app.received)
    if expected.unknown_year:
        assert app.due is None and app.due_kind == "unknown_year"
    else:
        assert app.due == (expected.cases[0].latest or expected.cases[0].due)
    assert [d.kind for d in Document.objects.filter(application=app)] == ["correction", "receipt"]
    finished = step(client, app, "finish", finished=today().isoformat(), result="已发放残疾人证")
    assert finished.status_code == 302
    app.refresh_from_db()
    assert app.state == State.FINISHED and app.result == "已发放残疾人证"


def test_stage_only_matters_are_due_on_their_last_stage(client_of):
    from kiosk.desk.catalogues import catalogues

    client = client_of("window")
    everything = [str(n) for n in range(1, 7)]
    app = record_of(
        intake(client, matter="dibao-apply", brought=everything, received=today() - datetime.timedelta(days=3))
    )
    t = catalogues().get("dahepingxiang")
    expected = deadline(t.loaded.matter("dibao-apply"), app.accepted, t.calendar)
    assert expected.stage_only
    assert app.due_kind in ("stages", "unknown_year")
    if app.due_kind == "stages":
        assert app.due == expected.stages[-1].due


def test_limits_per_applicant_type_need_the_type_and_use_its_own(client_of):
    from kiosk.desk.catalogues import catalogues

    t = catalogues().get("dahepingxiang")
    matter = next(m for m in t.cv.matters.values() if m.promise_by and len({c.who for c in m.promise_by}) > 1)
    client = client_of("head")
    count = len(t.cv.view(matter.id).materials)
    everything = [str(n) for n in range(1, count + 1)]
    refused = intake(client, matter=matter.id, brought=everything)
    assert refused.status_code == 400
    assert any("申请人类型" in e for e in errors(refused))
    who = matter.promise_by[-1].who
    app = record_of(intake(client, matter=matter.id, brought=everything, applicant_type=who))
    expected = deadline(matter, app.accepted, t.calendar)
    case = next(c for c in expected.cases if c.who == who)
    if not expected.unknown_year:
        assert app.due == (case.latest or case.due)
    assert app.applicant_type == who


def test_an_instant_matter_is_received_and_finished_in_one_step(client_of):
    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.models import State

    t = catalogues().get("dahepingxiang")
    matter = next(v for v in t.cv.views() if v.m.project_type == "即办件" and not v.m.promise_by and not v.not_handled)
    everything = [str(n) for n in range(1, len(matter.materials) + 1)]
    app = record_of(
        intake(client_of("window"), matter=matter.m.id, brought=everything, action="finish", result="当场出具")
    )
    assert app.state == State.FINISHED
    assert app.received == app.accepted == app.finished == today()
    assert app.documents.get().kind == "receipt"


def test_refusal_before_and_after_acceptance_prints_the_reason_and_the_rights(client_of):
    from kiosk.desk.models import State

    client = client_of("window")
    app = record_of(intake(client, brought=["1"]))
    response = step(client, app, "refuse", decided=today().isoformat(), reason="申请人家庭收入超过低保标准")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.REJECTED
    notice = app.documents.order_by("-id").first()
    assert notice.kind == "rejection"
    assert "不予受理通知书" in notice.html and "申请人家庭收入超过低保标准" in notice.html
    assert "行政复议" in notice.html  # the center's rights and remedies
    accepted = record_of(intake(client, brought=[str(n) for n in range(1, 7)]))
    step(client, accepted, "refuse", decided=today().isoformat(), reason="经审核不符合条件")
    accepted.refresh_from_db()
    assert accepted.state == State.DENIED
    assert "不予许可决定书" in accepted.documents.order_by("-id").first().html


def test_a_record_is_voided_with_a_reason_never_deleted(client_of):
    from kiosk.desk.models import Application, State

    client = client_of("window")
    app = record_of(intake(client, brought=["1"]))
    refused = step(client, app, "void", reason="")
    assert refused.status_code == 400 and "这里要填" in errors(refused)
    step(client, app, "void", reason="重复登记")
    app.refresh_from_db()
    assert app.state == State.VOID and app.void_reason == "重复登记"
    with pytest.raises(PermissionError):
        app.delete()
    assert Application.objects.filter(pk=app.pk).exists()
    assert client.get(f"/records/{app.pk}/finish/").status_code == 302  # nothing more to do with it


@pytest.mark.parametrize(
    "fields, field_error",
    [
        ({"applicant": ""}, "这里要填"),
        ({"applicant": "   "}, "这里要填"),
        ({"received": "2999-01-01"}, "日期不能晚于今天"),
        ({"received": "2026-02-30"}, "日期应写成"),
        ({"received": "昨天"}, "日期应写成"),
        ({"brought": ["1", "99"]}, "没有第 99 项材料"),
        ({"brought": ["x"]}, "没有第 x 项材料"),
        ({"applicant": "王\u202e明"}, "文字方向控制字符"),
        ({"applicant": "王\x00明"}, "控制字符"),
        ({"applicant": "王" * 51}, "最多 50 个字"),
        ({"phone": "call me"}, "电话只能写数字"),
        ({"id_last4": "12345"}, "最多 4 个字"),
        ({"id_last4": "12a4"}, "身份证后四位"),
        ({"brought": [str(n) for n in range(1, 7)], "action": "correct"}, "材料都齐了"),
        ({"brought": ["1"], "action": "accept"}, "还缺第 2、3、4、5、6 项材料"),
        ({"brought": ["1"], "action": "finish"}, "还缺第"),
        ({"brought": [str(n) for n in range(1, 7)], "action": "finish"}, "不是即办件"),
        ({"brought": ["5"], "not_needed": ["5"]}, "第 5 项既勾了"),
        ({"not_needed": ["1"]}, "没有第 1 项材料"),  # material 1 always applies: 不需要 is not offered
        ({"token": "not-a-token"}, "这张表已过期"),
        ({"materials_key": "0000"}, "目录刚刚更新了"),
    ],
)
def test_bad_input_is_a_chinese_error_next_to_the_field_and_nothing_is_saved(client_of, fields, field_error):
    from kiosk.desk.models import Application, Counter, Document

    response = intake(client_of("window"), **fields)
    assert response.status_code == 400
    said = errors(response)
    assert any(field_error in e for e in said), said
    assert not any(re.search(r"[A-Za-z]{3,}", e) for e in said), said  # no English from Django or Python
    assert Application.objects.count() == Document.objects.count() == 0
    assert not Counter.objects.exists()


def test_the_record_keeps_what_was_told_when_the_catalogue_changes(client_of, desk):
    """A later catalogue (a material renamed, the limit changed) never rewrites what a record told."""
    import shutil

    from kiosk.desk.catalogues import catalogues

    client = client_of("window")
    app = record_of(intake(client, brought=["1"]))
    told = app.told
    path = desk["catalogue"] / "dibao-apply.yaml"
    original = path.read_text("utf-8")
    backup = desk["tmp"] / "dibao-apply.yaml.orig"
    shutil.copy(path, backup)
    try:
        path.write_text(original.replace("户口本", "户口簿（新）"), "utf-8")
        catalogues().refresh()  # the desk looks at the folder again at most once a second
        t = catalogues().get("dahepingxiang")
        assert any(x.material_name == "户口簿（新）" for x in t.cv.view("dibao-apply").materials)
        app.refresh_from_db()
        assert app.told == told and any(m["name"] == "户口本" for m in app.materials)
        page = client.get(f"/records/{app.pk}/").content.decode()
        assert "户口本" in page and "户口簿（新）" not in page
        # a fresh notice would number the materials differently: refused, the old one can be reprinted
        response = step(client, app, "supplement", brought=["1", "2"], action="notice")
        assert response.status_code == 400
        assert any("材料清单变了" in e for e in errors(response))
        # a new intake gets the new list
        assert "户口簿（新）" in client.get("/intake/dibao-apply/").content.decode()
    finally:
        shutil.copy(backup, path)
        catalogues().refresh()
        catalogues().get("dahepingxiang")
