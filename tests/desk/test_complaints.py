"""Complaints on the desk: every element of the rule, the committed answer day from the center file (or 未载明),
the written answer a written complaint needs, the complainant's identity seen by the center head only (never
on a window user's screen, history or paper), the outcome for the person complained about kept from windows,
and bad or hostile input."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from conftest import SAMPLE

from kiosk.catalogue.load import load_or_raise

from .support import errors, form_fields

D = datetime.date
NAME, PHONE = "秘密投诉人甲", "13912345678"


@pytest.fixture(scope="module")
def township(desk):
    loaded = load_or_raise(SAMPLE, "dahepingxiang")
    return loaded.catalogue.center, loaded.calendar


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


def register(client, **fields):
    page = client.get("/complaints/new/")
    assert page.status_code == 200
    data = {
        **form_fields(page.content.decode()),
        "channel": "written",
        "received": today().isoformat(),
        "target_unit": "社会事务窗口",
        "target_person": "钟某某",
        "matter": "办低保时要我请吃饭",
        "happened": "2026年11月上旬",
        "place": "中心大厅",
        "grounds": ["5", "6"],
        "complainant": NAME,
        "complainant_phone": PHONE,
        **fields,
    }
    return client.post("/complaints/new/", data)


def complaint_of(response):
    from kiosk.desk.models import Complaint

    found = re.fullmatch(r"/complaints/(\d+)/", response["Location"])
    assert found, (response.status_code, errors(response))
    return Complaint.objects.get(pk=int(found.group(1)))


def do(client, c, step, **fields):
    page = client.get(f"/complaints/{c.pk}/{step}/")
    assert page.status_code == 200, (step, page.status_code)
    return client.post(f"/complaints/{c.pk}/{step}/", {**form_fields(page.content.decode()), **fields})


def pdf_text(response, tmp_path, name="doc.pdf") -> str:
    (tmp_path / name).write_bytes(response.content)
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / name), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", out)


# ---------------------------------------------------------------- the committed answer day


def test_the_answer_is_due_the_centers_working_days_later(township):
    from kiosk.desk.deadlines import complaint_reply_due as reply_due

    center, calendar = township
    assert center.complaints.reply_days == 5
    assert reply_due(center, D(2026, 2, 13), calendar) == (D(2026, 2, 27), None)  # 14 (Sat, works), then 24-27
    assert reply_due(center, D(2026, 3, 6), calendar) == (D(2026, 3, 13), None)  # Friday + 5: the next Friday
    assert reply_due(center, D(2031, 3, 5), calendar) == (None, 2031)  # the calendar lacks 2031
    unset = center.model_copy(update={"complaints": center.complaints.model_copy(update={"reply_days": None})})
    assert reply_due(unset, D(2026, 3, 6), calendar) == (None, None)


def test_a_center_file_without_reply_days_still_checks(tmp_path):
    import shutil

    from kiosk.catalogue.load import load

    copy = tmp_path / "matters"
    shutil.copytree(SAMPLE, copy)
    path = copy / "_townships" / "dahepingxiang" / "center.yaml"
    path.write_text(re.sub(r"\n  reply_days: 5\n", "\n", path.read_text("utf-8")), "utf-8")
    loaded = load(copy, "dahepingxiang")
    assert loaded.ok and loaded.catalogue.center.complaints.reply_days is None
    path.write_text(path.read_text("utf-8").replace("  replies:", "  reply_days: 0\n  replies:"), "utf-8")
    assert not load(copy, "dahepingxiang").ok  # 0 working days is no commitment: refused


# ---------------------------------------------------------------- the whole way, and who sees what


def test_a_written_complaint_needs_its_written_answer_and_the_identity_stays_with_the_head(client_of, tmp_path):
    bbc, head = client_of("unresolved"), client_of("head")
    c = complaint_of(register(bbc))
    assert re.fullmatch(r"DHP-TS-\d{4}-\d{6}", c.number) and c.complainant == NAME
    assert c.grounds == ["有索、拿、卡、要等不廉洁行为", "服务质量、效率不高，态度、作风不好"]
    from kiosk.desk.catalogues import catalogues

    assert c.due == catalogues().get("dahepingxiang").calendar.add_workdays(c.received, 5)

    register_pdf = pdf_text(bbc.get(c.documents.get().get_absolute_url()), tmp_path)
    for part in (
        "投诉登记表",
        c.number,
        "社会事务窗口",
        "钟某某",
        "办低保时要我请吃饭",
        "2026年11月上旬",
        "中心大厅",
        "有索、拿、卡、要等不廉洁行为",
        "保密",
    ):
        assert part in register_pdf, part
    assert NAME not in register_pdf and PHONE not in register_pdf

    response = do(bbc, c, "note", day=today().isoformat(), text="找钟某某谈话，调监控")
    assert response.status_code == 302
    response = do(bbc, c, "answer", answer_kind="oral", answered=today().isoformat(), answer="已批评教育")
    assert response.status_code == 400 and any("书面投诉必须书面答复" in e for e in errors(response))
    response = do(bbc, c, "answer", answer_kind="written", answered=today().isoformat(), answer="经调查属实。")
    assert response.status_code == 400 and any("送到哪里" in e for e in errors(response))  # where it goes
    c = complaint_of(
        do(
            bbc,
            c,
            "answer",
            answer_kind="written",
            answered=today().isoformat(),
            answer="经调查属实，已责令钟某某当面道歉。",
            reply_to="邮寄：大合坪乡大合坪村3组",
        )
    )
    assert c.state == "answered" and c.reply_to == "邮寄：大合坪乡大合坪村3组"
    reply = c.documents.get(kind="reply")
    # it names the complainant: the head and the one who wrote it print it, and the writer is named on it
    text = pdf_text(bbc.get(reply.get_absolute_url()), tmp_path, "reply-by-writer.pdf")
    assert "经办人：周某某" in text and "邮寄：大合坪乡大合坪村3组" in text
    text = pdf_text(head.get(reply.get_absolute_url()), tmp_path, "reply.pdf")
    assert "投诉答复书" in text and NAME in text and "已责令钟某某当面道歉" in text and c.number in text

    assert bbc.get(f"/complaints/{c.pk}/outcome/").status_code == 403
    assert do(head, c, "outcome", outcome="钟某某诫勉谈话，扣当月绩效").status_code == 302
    c = complaint_of(do(bbc, c, "close", closed=today().isoformat()))
    assert c.state == "closed"

    # every screen a window user can open, and the history: neither the identity nor the outcome
    pages = [f"/complaints/{c.pk}/", "/complaints/", f"/complaints/{c.pk}/history/", "/", "/records/", "/cases/"]
    for client in (bbc, client_of("window2")):
        for url in pages:
            html = client.get(url).content.decode()
            assert NAME not in html and PHONE not in html and "诫勉谈话" not in html, url
    html = head.get(f"/complaints/{c.pk}/").content.decode()
    assert NAME in html and PHONE in html and "诫勉谈话" in html
    history = head.get(f"/complaints/{c.pk}/history/").content.decode()
    assert NAME not in history and PHONE not in history and "保密，只记下改过" in history  # for the head too
    for step in ("登记投诉", "记调查跟踪情况", "答复投诉人", "投诉办结", "投诉答复书"):
        assert step in history, step
    assert "投诉答复书" in bbc.get(f"/complaints/{c.pk}/history/").content.decode()  # its writer prints it
    assert "投诉答复书" not in client_of("window2").get(f"/complaints/{c.pk}/history/").content.decode()
    assert "大合坪村3组" not in bbc.get(f"/complaints/{c.pk}/").content.decode()  # where it went: the head's


def test_a_written_complaint_cannot_close_without_its_answer_paper(client_of):
    from kiosk.desk.models import Complaint

    bbc = client_of("unresolved")
    c = complaint_of(register(bbc))
    Complaint.objects.filter(pk=c.pk).update(state="answered", answer_kind="written", answered=today(), answer="x")
    response = do(bbc, c, "close", closed=today().isoformat())
    assert response.status_code == 400 and any("书面投诉必须书面答复" in e for e in errors(response))
    c.refresh_from_db()
    assert c.state == "answered" and c.closed is None


def test_an_oral_complaint_answered_orally_and_an_anonymous_one(client_of):
    bbc, head = client_of("unresolved"), client_of("head")
    c = complaint_of(register(bbc, channel="oral", complainant="", complainant_phone=""))
    assert c.anonymous and not c.documents.filter(kind="reply").exists()
    c = complaint_of(do(bbc, c, "answer", answer_kind="oral", answered=today().isoformat(), answer="当场说明了"))
    assert not c.documents.filter(kind="reply").exists()
    assert "匿名" in head.get(f"/complaints/{c.pk}/").content.decode()
    assert complaint_of(do(bbc, c, "close", closed=today().isoformat())).state == "closed"


def test_channels_passed_down_are_recorded(client_of):
    bbc = client_of("unresolved")
    for channel, said in (("discipline", "县纪委监委转来"), ("hotline", "12345 转来"), ("box", "举报箱")):
        c = complaint_of(register(bbc, channel=channel))
        assert said in bbc.get(f"/complaints/{c.pk}/").content.decode()


def test_bad_input_is_said_next_to_the_field_and_nothing_is_saved(client_of):
    from kiosk.desk.models import Complaint

    bbc = client_of("unresolved")
    before = Complaint.objects.count()
    response = register(
        bbc, grounds=[], matter="", complainant_phone="abc", received=(today() + datetime.timedelta(days=2)).isoformat()
    )
    assert response.status_code == 400 and Complaint.objects.count() == before
    said = errors(response)
    assert "请至少选一种投诉情形" in said and "这里要填" in said
    assert any("日期不能晚于今天" in s for s in said) and any("电话" in s for s in said)
    assert register(bbc, grounds=["99"]).status_code == 400
    assert Complaint.objects.count() == before


def test_hostile_text_shows_as_text(client_of):
    head = client_of("head")
    evil = "<script>alert(1)</script>"
    c = complaint_of(register(head, matter=evil, complainant=evil))
    html = head.get(f"/complaints/{c.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in c.documents.get().html


def test_a_window_that_registered_a_complaint_sees_it_masked_and_cannot_work_it(client_of):
    window2 = client_of("window2")
    c = complaint_of(register(window2))
    html = window2.get(f"/complaints/{c.pk}/").content.decode()
    assert NAME not in html and "保密" in html
    assert window2.get(f"/complaints/{c.pk}/answer/").status_code == 403
    assert client_of("window").get(f"/complaints/{c.pk}/").status_code == 404
    county = client_of("county").get(f"/complaints/{c.pk}/").content.decode()
    assert NAME not in county and PHONE not in county
    assert client_of("other_head").get(f"/complaints/{c.pk}/").status_code == 404
