"""办不成事 cases and complaints on a served desk: a kill -9 in the middle of registering one leaves the whole
record (number, paper, history) or none of it, and a backup restores every case and complaint with its paper."""

from __future__ import annotations

import datetime
import os
import re
import threading

import pytest

from kiosk.clock import today

from .support import Session, form_fields, wait_until

PG = bool(os.environ.get("KIOSK_DESK_TEST_POSTGRES", "").strip())


def case_fields(session: Session) -> dict:
    status, _, page = session.get("/cases/new/")
    assert status == 200, status
    return {
        **form_fields(page.decode()),
        "channel": "phone",
        "matter_name": "残疾人证申领",
        "units": "社会事务窗口",
        "received": today().isoformat(),
        "person": "张三",
        "phone": "13800000001",
        "reason": "跑了两趟没办成",
    }


def count_cases(session: Session) -> int:
    status, _, page = session.get("/cases/")
    assert status == 200
    return int(re.search(r"共 (\d+) 件", page.decode()).group(1))


def unresolved_session(server) -> Session:
    session = Session(server.url)
    assert session.login("s12")[0] == 302
    return session


@pytest.mark.parametrize("point", ["before-commit", "after-commit"])
def test_a_kill_while_registering_a_case_leaves_all_of_it_or_none(desk_server, point):
    server = desk_server()
    server.add_user("s12", "window", "dahepingxiang")
    paused = server.root / "paused"
    server.start({"KIOSK_DESK_PAUSE": f"{point}:{paused}"}, workers=1)
    session = unresolved_session(server)
    fields = case_fields(session)

    def save():
        try:
            session.post("/cases/new/", fields)
        except OSError:  # the server is killed while this waits
            pass

    threading.Thread(target=save, daemon=True).start()
    wait_until(paused.exists, 30, "the save to reach the pause")
    server.kill()
    if not PG:
        import sqlite3

        db = sqlite3.connect(server.root / "desk-data" / "desk.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    server.start()
    session = unresolved_session(server)
    if point == "before-commit":
        assert count_cases(session) == 0
    else:
        assert count_cases(session) == 1
        page = session.get("/cases/")[2].decode()
        pk = re.search(r'href="/cases/(\d+)/"', page).group(1)
        page = session.get(f"/cases/{pk}/")[2].decode()
        docs = re.findall(r'href="(/cases/\d+/documents/\d+\.pdf)"', page)
        assert len(docs) == 1 and session.get(docs[0])[2].startswith(b"%PDF")
        assert "登记办不成事" in session.get(f"/cases/{pk}/history/")[2].decode()
    status, headers, _ = session.post("/cases/new/", case_fields(session))
    assert status == 302
    number = re.search(r"DHP-BB-\d{4}-(\d{6})", session.get(headers["Location"])[2].decode()).group(1)
    assert number == ("000001" if point == "before-commit" else "000002")  # a killed save takes no number


def test_a_backup_restores_every_case_with_its_paper(desk_server):
    server = desk_server()
    server.add_user("s12", "window", "dahepingxiang")
    server.start()
    session = unresolved_session(server)
    made = []
    for _ in range(3):
        status, headers, _ = session.post("/cases/new/", case_fields(session))
        assert status == 302
        made.append(headers["Location"])
    status, _, page = session.get("/complaints/new/")
    status, headers, _ = session.post(
        "/complaints/new/",
        {
            **form_fields(page.decode()),
            "channel": "phone",
            "target_unit": "社保医保窗口",
            "matter": "电话总没人接",
            "happened": "本周",
            "place": "中心",
            "grounds": ["6"],
            "received": today().isoformat(),
        },
    )
    assert status == 302
    complaint = headers["Location"]
    status, _, page = session.get("/proxies/new/")
    status, headers, _ = session.post(
        "/proxies/new/",
        {
            **form_fields(page.decode()),
            "person": "张奶奶",
            "phone": "13822223333",
            "agent": "s12",
            "matter_name": "城乡低保年审",
            "received": today().isoformat(),
            "due": (today() + datetime.timedelta(days=5)).isoformat(),
            "handed": "户口本",
        },
    )
    assert status == 302
    proxy = headers["Location"]
    status, _, page = session.get("/asks/new/")
    status, headers, _ = session.post(
        "/asks/new/",
        {
            **form_fields(page.decode()),
            "way": "phone",
            "asked": today().isoformat(),
            "question": "残疾人两项补贴怎么申请",
            "outcome": "follow",
            "phone": "13811112222",
        },
    )
    assert status == 302
    first_ask = headers["Location"]
    server.kiosk("backup", server.root / "cases.backup")
    server.stop()
    fresh = desk_server()
    fresh.kiosk("restore", server.root / "cases.backup", "--force")
    fresh.start()
    session = unresolved_session(fresh)
    assert count_cases(session) == 3
    for location in made:
        status, _, page = session.get(location)
        assert status == 200 and "跑了两趟没办成" in page.decode()
        doc = re.search(r'href="(/cases/\d+/documents/\d+\.pdf)"', page.decode()).group(1)
        assert session.get(doc)[2].startswith(b"%PDF")
        assert "登记办不成事" in session.get(location + "history/")[2].decode()
    assert "残疾人两项补贴怎么申请" in session.get(first_ask)[2].decode()
    page = session.get(proxy)[2].decode()
    assert "城乡低保年审" in page
    assert session.get(re.search(r'href="(/proxies/\d+/documents/\d+\.pdf)"', page).group(1))[2].startswith(b"%PDF")
    page = session.get(complaint)[2].decode()
    assert "电话总没人接" in page and session.get(
        re.search(r'href="(/complaints/\d+/documents/\d+\.pdf)"', page).group(1)
    )[2].startswith(b"%PDF")


def test_a_kill_while_registering_a_complaint_leaves_none_of_it(desk_server):
    server = desk_server()
    server.add_user("s12", "window", "dahepingxiang")
    paused = server.root / "paused"
    server.start({"KIOSK_DESK_PAUSE": f"before-commit:{paused}"}, workers=1)
    session = unresolved_session(server)
    status, _, page = session.get("/complaints/new/")
    fields = {
        **form_fields(page.decode()),
        "channel": "oral",
        "target_unit": "社会事务窗口",
        "matter": "态度差",
        "happened": "上午",
        "place": "大厅",
        "grounds": ["6"],
        "received": today().isoformat(),
    }
    threading.Thread(target=lambda: _quietly(session.post, "/complaints/new/", fields), daemon=True).start()
    wait_until(paused.exists, 30, "the save to reach the pause")
    server.kill()
    server.start()
    session = unresolved_session(server)
    assert "共 0 件" in session.get("/complaints/")[2].decode()
    status, _, page = session.get("/complaints/new/")
    status, headers, _ = session.post("/complaints/new/", {**fields, **form_fields(page.decode())})
    assert status == 302
    assert "DHP-TS-" + str(today().year) + "-000001" in session.get(headers["Location"])[2].decode()


def _quietly(call, *args):
    try:
        call(*args)
    except OSError:
        pass
