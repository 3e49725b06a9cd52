"""The desk as it runs at a center: `kiosk desk serve` (gunicorn), HTTPS off the loopback address, a kill -9
in the middle of a save, a backup while serving and its restore, the login lockout, `kiosk desk check`."""

from __future__ import annotations

import os
import re
import ssl
import threading
import time

import pytest

from .support import PASSWORD, Session

PG = bool(os.environ.get("KIOSK_DESK_TEST_POSTGRES", "").strip())


def count_records(session: Session) -> int:
    status, _, page = session.get("/records/")
    assert status == 200
    return int(re.search(r"共 (\d+) 条", page.decode()).group(1))


def test_on_the_loopback_address_it_serves_http_off_it_only_https(desk_server):
    local = desk_server().start()
    status, headers, _ = Session(local.url).get("/login/")
    assert status == 200 and headers.get("Server", "").startswith("gunicorn")
    assert "Strict-Transport-Security" not in headers

    lan = desk_server(bind_host="0.0.0.0", scheme="https").start()
    context = ssl.create_default_context(cafile=str(lan.root / "desk-data" / "tls" / "ca.pem"))
    session = Session(lan.url, context)
    status, headers, _ = session.get("/login/")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = headers["Set-Cookie"]
    assert "Secure" in cookie and "__Host-desk-csrf" in cookie and "SameSite=Strict" in cookie
    status, headers, _ = session.login()
    assert status == 302
    session_cookie = next(c for c in session.jar if c.name == "__Host-desk-session")
    assert session_cookie.secure
    # plain HTTP to the same port is refused: nothing crosses the network unencrypted
    import urllib.request

    with pytest.raises(Exception):
        urllib.request.urlopen(f"http://127.0.0.1:{lan.port}/login/", timeout=5).read()
    # a host name the certificate does not name is refused (no Host-header tricks)
    req = urllib.request.Request(lan.url + "login/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=5)
    assert e.value.code == 400


def test_serving_off_loopback_without_a_certificate_is_refused(desk_server):
    lan = desk_server(bind_host="0.0.0.0", scheme="https")
    for name in ("cert.pem", "key.pem"):
        (lan.root / "desk-data" / "tls" / name).unlink()
    done = lan.kiosk("serve", "--bind", lan.bind, check=False)
    assert done.returncode == 1
    assert "只能用 HTTPS" in done.stderr and "kiosk desk init" in done.stderr


@pytest.mark.parametrize("point", ["before-commit", "after-commit"])
def test_a_kill_during_a_save_leaves_the_whole_record_or_none(desk_server, point):
    server = desk_server()
    paused = server.root / "paused"
    server.start({"KIOSK_DESK_PAUSE": f"{point}:{paused}"}, workers=1)
    session = Session(server.url)
    assert session.login()[0] == 302
    fields = session.intake_fields(brought=["1"])
    def save():
        try:
            session.post("/intake/dibao-apply/", fields)
        except OSError:  # the server is killed while this waits for its answer
            pass

    threading.Thread(target=save, daemon=True).start()
    deadline = time.monotonic() + 30
    while not paused.exists():
        assert time.monotonic() < deadline, "the save never reached the pause"
        time.sleep(0.05)
    server.kill()  # SIGKILL to gunicorn's master and its worker, in the middle of the save

    if not PG:
        import sqlite3

        db = sqlite3.connect(server.root / "desk-data" / "desk.sqlite3")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    server.start()
    session = Session(server.url)
    session.login()
    if point == "before-commit":
        assert count_records(session) == 0  # none of it: no record, no document, no number used
    else:
        assert count_records(session) == 1
        status, _, page = session.get("/records/")
        pk = re.search(r'href="/records/(\d+)/"', page.decode()).group(1)
        status, _, page = session.get(f"/records/{pk}/")
        docs = re.findall(r'href="(/records/\d+/documents/\d+\.pdf)"', page.decode())
        assert len(docs) == 1
        status, headers, pdf = session.get(docs[0])
        assert status == 200 and pdf.startswith(b"%PDF")
        assert "history" in page.decode()
    status, headers, _ = session.post("/intake/dibao-apply/", session.intake_fields(brought=["1"]))
    assert status == 302
    status, _, page = session.get(headers["Location"])
    number = re.search(r"DHP-\d{4}-(\d{6})", page.decode()).group(1)
    assert number == ("000001" if point == "before-commit" else "000002")


def test_a_new_catalogue_is_taken_without_a_restart(desk_server):
    server = desk_server().start()
    session = Session(server.url)
    session.login()
    assert "户口本" in session.get("/intake/dibao-apply/")[2].decode()
    path = server.root / "matters" / "dibao-apply.yaml"
    path.write_text(path.read_text("utf-8").replace("户口本", "户口簿（新版目录）"), "utf-8")
    deadline = time.monotonic() + 10
    while "户口簿（新版目录）" not in session.get("/intake/dibao-apply/")[2].decode():
        assert time.monotonic() < deadline, "the desk kept the old catalogue"
        time.sleep(0.3)
    path.write_text(path.read_text("utf-8") + "\nnot_a_field: 1\n", "utf-8")  # a publish with an error
    time.sleep(1.5)
    status, _, page = session.get("/")
    assert status == 200 and "工作台仍按上一版" in page.decode()


def test_a_backup_taken_while_serving_restores_every_record(desk_server):
    server = desk_server().start(workers=2)
    saved: list[str] = []
    stop = threading.Event()

    def write():
        s = Session(server.url)
        s.login()
        while not stop.is_set():
            status, headers, _ = s.post("/intake/dibao-apply/", s.intake_fields(brought=["1"]))
            assert status == 302
            saved.append(headers["Location"])

    writers = [threading.Thread(target=write, daemon=True) for _ in range(2)]  # two windows saving
    for w in writers:
        w.start()
    time.sleep(2)
    during = server.kiosk("backup", server.root / "during.backup")  # while saves go on
    time.sleep(1)
    stop.set()
    for w in writers:
        w.join(timeout=30)
    final = server.kiosk("backup", server.root / "final.backup")
    in_during = int(re.search(r"(\d+) 条记录", during.stdout).group(1))
    in_final = int(re.search(r"(\d+) 条记录", final.stdout).group(1))
    assert 0 < in_during <= in_final == len(saved)

    refused = server.kiosk("restore", server.root / "during.backup", check=False)
    assert refused.returncode == 1 and "正在运行" in refused.stderr
    server.stop()
    refused = server.kiosk("restore", server.root / "during.backup", check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr

    fresh = desk_server()
    restored = fresh.kiosk("restore", server.root / "during.backup")
    assert f"{in_during} 条记录" in restored.stdout
    fresh.kiosk("restore", server.root / "final.backup", "--force")
    fresh.start()
    session = Session(fresh.url)
    assert session.login()[0] == 302  # the users came back too
    assert count_records(session) == len(saved)
    for location in saved[:3] + saved[-3:]:
        status, _, page = session.get(location)
        assert status == 200
        doc = re.search(r'href="(/records/\d+/documents/\d+\.pdf)"', page.decode()).group(1)
        assert session.get(doc)[2].startswith(b"%PDF")


def test_restore_refuses_a_file_that_is_not_a_backup(desk_server, tmp_path):
    server = desk_server()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all")
    done = server.kiosk("restore", junk, check=False)
    assert done.returncode == 1 and "不能恢复" in done.stderr


def test_logins_lock_after_repeated_failures_until_unlocked(desk_server):
    server = desk_server().start()
    session = Session(server.url)
    for _ in range(4):
        status, _, page = session.login(password="wrong-password")
        assert status == 200 and "工号或密码不对" in page.decode()
    status, _, page = session.login(password="wrong-password")  # the fifth failure locks it
    assert status == 429 and "登录已锁定" in page.decode()
    status, _, page = session.login()  # the right password does not open it now
    assert status == 429 and "登录已锁定" in page.decode()
    other = Session(server.url)
    assert other.login(staff_id="s01")[0] == 302  # only that staff id is locked
    done = server.kiosk("user", "unlock", "s03@dahepingxiang")
    assert "已解锁" in done.stdout
    assert Session(server.url).login()[0] == 302


def test_check_says_what_is_unsafe_in_plain_chinese(desk_server):
    server = desk_server()
    ok = server.kiosk("check")
    assert "0 个错误" in ok.stdout and "用 HTTP 即可" in ok.stdout
    lan = server.kiosk("check", "--bind", "0.0.0.0:8100")
    assert "0 个错误，0 个提醒" in lan.stdout and "只用 HTTPS" in lan.stdout
    key = server.root / "desk-data" / "secret_key"
    key.chmod(0o644)
    (server.root / "desk-data" / "tls" / "cert.pem").unlink()
    bad = server.kiosk("check", "--bind", "0.0.0.0:8100", check=False)
    assert bad.returncode == 1
    assert "别人也能读" in bad.stdout and "还没有证书" in bad.stdout
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", bad.stdout.replace("kiosk desk init", "")), bad.stdout


def test_users_come_from_the_center_file_and_passwords_are_never_stored_in_clear(desk_server):
    server = desk_server()
    unknown = server.kiosk("user", "add", "s99", "--role", "窗口人员", "--township", "dahepingxiang",
                           "--password-stdin", input=PASSWORD + "\n", check=False)
    assert unknown.returncode == 1 and "不在大合坪乡中心文件的工作人员名单里" in unknown.stderr
    weak = server.kiosk("user", "add", "s04", "--role", "window", "--township", "dahepingxiang",
                        "--password-stdin", input="12345678\n", check=False)
    assert weak.returncode == 1 and "密码" in weak.stderr
    listed = server.kiosk("user", "list").stdout
    assert "s03@dahepingxiang\t李某某\t窗口人员\tdahepingxiang\tshehui" in listed
    if not PG:
        raw = (server.root / "desk-data" / "desk.sqlite3").read_bytes()
        assert PASSWORD.encode() not in raw and b"pbkdf2_sha256$" in raw
