"""The desk as it runs at a center: `kiosk desk serve` (gunicorn), HTTPS off the loopback address (plain HTTP
redirected, the certificate strict verification accepts), a kill -9 in the middle of a save, a kill -9 of the
master alone, the data folder's lock, the login lockout, `kiosk desk check`. Backups: test_backup.py."""

from __future__ import annotations

import fcntl
import os
import re
import socket
import ssl
import subprocess
import threading
import time

import pytest

from .support import PASSWORD, Session, wait_until

PG = bool(os.environ.get("KIOSK_DESK_TEST_POSTGRES", "").strip())


def count_records(session: Session) -> int:
    status, _, page = session.get("/records/")
    assert status == 200
    return int(re.search(r"共 (\d+) 条", page.decode()).group(1))


def test_on_the_loopback_address_it_serves_http_off_it_only_https(desk_server):
    from cryptography import x509

    local = desk_server().start()
    status, headers, _ = Session(local.url).get("/login/")
    assert status == 200 and headers.get("Server", "").startswith("gunicorn")
    assert "Strict-Transport-Security" not in headers

    lan = desk_server(bind_host="0.0.0.0", scheme="https").start()
    tls = lan.root / "desk-data" / "tls"
    for pem in ("ca.pem", "cert.pem"):  # key identifiers: Python 3.13's strict verification wants them
        cert = x509.load_pem_x509_certificate((tls / pem).read_bytes())
        assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        assert cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    context = ssl.create_default_context(cafile=str(tls / "ca.pem"))
    context.verify_flags |= ssl.VERIFY_X509_STRICT  # the default of Python 3.13
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
    # plain HTTP to the same port: only a redirect to https://, nothing of the desk crosses unencrypted
    import urllib.request

    status, headers, body = Session(f"http://127.0.0.1:{lan.port}/").get("/login/?next=/records/")
    assert status == 301 and headers["Location"] == f"https://127.0.0.1:{lan.port}/login/?next=/records/"
    assert "Set-Cookie" not in headers and "加密连接" in body.decode()
    assert Session(f"http://localhost:{lan.port}/").get("/")[1]["Location"] == f"https://localhost:{lan.port}/"
    with socket.create_connection(("127.0.0.1", lan.port), timeout=5) as raw:  # a host the desk does not serve
        raw.sendall(b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    # a host name the certificate does not name is refused (no Host-header tricks)
    req = urllib.request.Request(lan.url + "login/", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=5)
    assert e.value.code == 400


def test_the_data_folder_keeps_itself_out_of_git(desk_server):
    server = desk_server()
    data = server.root / "desk-data"
    (data / ".gitignore").unlink()
    server.kiosk("init")
    assert (data / ".gitignore").read_text().splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q", str(server.root)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=server.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "matters/" in status and "desk-data" not in status


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
    wait_until(paused.exists, 30, "the save to reach the pause")
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
    # the server looks at its folder again at most once a second (catalogues.RECHECK_SECONDS): within 10 s
    wait_until(
        lambda: "户口簿（新版目录）" in session.get("/intake/dibao-apply/")[2].decode(),
        10,
        "the desk to take the new catalogue",
    )
    path.write_text(path.read_text("utf-8") + "\nnot_a_field: 1\n", "utf-8")  # a publish with an error

    def keeps_the_last_good_one() -> bool:
        status, _, page = session.get("/")
        return status == 200 and "工作台仍按上一版" in page.decode()

    wait_until(keeps_the_last_good_one, 10, "the desk to say it keeps the last good catalogue")


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
    # from 1 November, next year's holiday notice: a 提醒 naming the command that adds it
    late = server.kiosk("check", env_extra={"KIOSK_TODAY": "2030-11-05"}, check=False)
    assert "明年（2031 年）的放假安排还没有加进工作日日历" in late.stdout and "kiosk calendar add" in late.stdout
    assert "明年" not in ok.stdout


def test_users_come_from_the_center_file_and_passwords_are_never_stored_in_clear(desk_server):
    server = desk_server()
    unknown = server.kiosk(
        "user",
        "add",
        "s99",
        "--role",
        "窗口人员",
        "--township",
        "dahepingxiang",
        "--password-stdin",
        input=PASSWORD + "\n",
        check=False,
    )
    assert unknown.returncode == 1 and "不在大合坪乡中心文件的工作人员名单里" in unknown.stderr
    weak = server.kiosk(
        "user",
        "add",
        "s04",
        "--role",
        "window",
        "--township",
        "dahepingxiang",
        "--password-stdin",
        input="12345678\n",
        check=False,
    )
    assert weak.returncode == 1 and "密码" in weak.stderr
    listed = server.kiosk("user", "list").stdout
    assert "s03@dahepingxiang\t李某某\t窗口人员\tdahepingxiang\tshehui" in listed
    if not PG:
        raw = (server.root / "desk-data" / "desk.sqlite3").read_bytes()
        assert PASSWORD.encode() not in raw and b"pbkdf2_sha256$" in raw


def test_workers_follow_a_master_killed_with_kill_9_and_a_restart_serves(desk_server):
    """kill -9 of gunicorn's master alone in a loop of saves: its workers are gone within 2 s, the restart
    serves within 5 s, and every save that was answered 302 is there, whole, and no other."""
    server = desk_server().start(workers=2)
    workers = server.workers()
    assert len(workers) == 2
    saved: list[str] = []
    unexpected: list[int] = []
    killed = threading.Event()

    def write():
        s = Session(server.url)
        s.login()
        while True:
            try:
                status, headers, _ = s.post("/intake/dibao-apply/", s.intake_fields(brought=["1"]))
            except (OSError, AssertionError):  # the server is gone (intake_fields asserts a 200 page)
                return
            if status != 302:
                unexpected.append(status)
                return
            saved.append(headers["Location"])

    writers = [threading.Thread(target=write, daemon=True) for _ in range(2)]
    for w in writers:
        w.start()
    wait_until(lambda: len(saved) >= 10, 30, "ten saves")
    killed.set()
    server.kill_master()
    # they are told at once (PR_SET_PDEATHSIG) and finish the request in hand: well under 2 s when the machine
    # is quiet; the bound here is loose so that a busy CI machine does not fail it
    wait_until(lambda: all(server.exited(pid) for pid in workers), 10, "the workers to follow their master")
    for w in writers:
        w.join(timeout=30)
    assert unexpected == []
    assert (server.root / "desk-data" / "serve.pid").is_file()  # it names a dead process: nobody minds

    server.start()  # no pid file, no orphan in the way: it serves again (within 5 s on a quiet machine)
    session = Session(server.url)
    session.login()
    assert count_records(session) == len(saved) >= 10  # every answered save, and nothing else
    for location in saved[-2:]:
        status, _, page = session.get(location)
        assert status == 200
        doc = re.search(r'href="(/records/\d+/documents/\d+\.pdf)"', page.decode()).group(1)
        assert session.get(doc)[2].startswith(b"%PDF")


def test_a_restart_says_in_chinese_what_holds_the_port(desk_server):
    server = desk_server()
    with socket.socket() as other:  # an orphan, another program: something listening on the desk's port
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.bind(("127.0.0.1", server.port))
        other.listen()
        started = time.monotonic()
        done = server.kiosk("serve", "--bind", server.bind, check=False)
    assert done.returncode == 1 and time.monotonic() - started < 15
    assert f"端口 {server.port} 已被占用" in done.stderr and f"进程 {os.getpid()}" in done.stderr, done.stderr
    assert "Connection in use" not in done.stderr + done.stdout


def test_restore_and_init_refuse_while_anything_holds_the_data_folder(desk_server):
    server = desk_server()
    server.kiosk("backup", server.root / "empty.backup")
    server.start(workers=1)
    for args in (["restore", server.root / "empty.backup", "--force"], ["init"]):
        done = server.kiosk(*args, check=False)
        assert done.returncode == 1 and "正在运行" in done.stderr and "kiosk desk serve" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    again = server.kiosk("serve", "--bind", server.bind, check=False)  # a second server on the same folder
    assert again.returncode == 1 and "已经在运行" in again.stderr
    server.stop()
    with open(server.root / "desk-data" / "serve.lock", "a") as held:  # any process: here, this test
        fcntl.flock(held, fcntl.LOCK_EX)
        done = server.kiosk("init", check=False)
        assert done.returncode == 1 and f"进程 {os.getpid()}" in done.stderr
    server.kiosk("restore", server.root / "empty.backup", "--force")
    server.kiosk("init")
