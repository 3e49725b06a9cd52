"""`kiosk desk backup` and `restore` on a served desk: a backup while saves go on, a file only its owner reads
and with nobody's login in it, encrypted with a passphrase, and a wrong passphrase or a cut or altered file
that restores nothing. Both databases (KIOSK_DESK_TEST_POSTGRES); the encryption format alone at the end."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import stat
import subprocess
import threading
import urllib.request

import pytest

from .support import Session, wait_until
from .test_server import PG, count_records

PASSPHRASE = "long enough passphrase 2026"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


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

    def saves(count: int) -> None:  # the writers have saved `count` records (a writer that failed ends it)
        wait_until(lambda: len(saved) >= count or not all(w.is_alive() for w in writers), 60, f"{count} saves")
        assert all(w.is_alive() for w in writers), "a writer stopped"

    saves(5)
    during = server.kiosk("backup", server.root / "during.backup")  # while saves go on
    saves(len(saved) + 5)
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


def test_a_backup_is_private_and_no_login_in_it_opens_the_desk(desk_server):
    server = desk_server().start(workers=1)
    session = Session(server.url)
    assert session.login()[0] == 302
    assert session.post("/intake/dibao-apply/", session.intake_fields(brought=["1"]))[0] == 302
    key = next(c.value for c in session.jar if c.name == "desk-session")
    Session(server.url).login(staff_id="s01", password="wrong-password")  # a lockout attempt on record

    def with_cookie(url):
        req = urllib.request.Request(url + "records/", headers={"Cookie": f"desk-session={key}"})
        opener = urllib.request.build_opener(NoRedirect())
        try:
            return opener.open(req, timeout=30).status, ""
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", "")

    assert with_cookie(server.url)[0] == 200  # the cookie opens the desk that made it
    target = server.root / "usb" / "center" / "desk.backup"
    umask = os.umask(0o022)  # as most accounts have it (the command inherits it): 0644 unless made otherwise
    try:
        server.kiosk("backup", target)
    finally:
        os.umask(umask)
    assert mode(target) == 0o600 and mode(target.parent) == 0o700 and mode(target.parent.parent) == 0o700
    if PG:

        def pg_restore(*args):
            return subprocess.run(["pg_restore", *args, str(target)], capture_output=True, text=True, check=True).stdout

        assert key not in pg_restore("--file=-")
        contents = pg_restore("--list")
        assert "TABLE DATA public auth_user" in contents
        for table in ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
            assert f"TABLE DATA public {table} " not in contents, table
    else:
        assert key.encode() not in target.read_bytes()
        copy = sqlite3.connect(target)
        for table in ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"):
            assert copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
        assert copy.execute("SELECT COUNT(*) FROM auth_user").fetchone()[0] == 2
        copy.close()
        live = sqlite3.connect(server.root / "desk-data" / "desk.sqlite3")
        assert live.execute("SELECT COUNT(*) FROM django_session").fetchone()[0] > 0  # only the copy forgot
        live.close()

    fresh = desk_server()  # same secret key (a copy of one desk): only the missing session keeps the door shut
    fresh.kiosk("restore", target)
    fresh.start(workers=1)
    status, location = with_cookie(fresh.url)
    assert status == 302 and location.startswith("/login/")
    assert Session(fresh.url).login()[0] == 302  # the accounts came back; the login did not


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_an_encrypted_backup_restores_only_with_its_passphrase_and_whole(desk_server):
    server = desk_server().start(workers=1)
    session = Session(server.url)
    session.login()
    for _ in range(2):
        assert session.post("/intake/dibao-apply/", session.intake_fields(brought=["1"]))[0] == 302
    sealed = server.root / "desk.backup.enc"
    done = server.kiosk("backup", sealed, "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert "已加密备份" in done.stdout and "2 条记录" in done.stdout
    raw = sealed.read_bytes()
    assert mode(sealed) == 0o600 and raw.startswith(b"KDESKENC")
    assert "王小明".encode() not in raw and b"SQLite format" not in raw and b"PGDMP" not in raw
    assert not list((server.root / "desk-data").glob(".desk-backup-*"))  # no clear copy left behind
    short = server.kiosk("backup", server.root / "x.enc", "--passphrase-stdin", input="short\n", check=False)
    assert short.returncode == 1 and "太短" in short.stderr and not (server.root / "x.enc").exists()
    server.stop()

    fresh = desk_server()  # one record of its own, which a failed restore must leave alone
    fresh.start(workers=1)
    own = Session(fresh.url)
    own.login()
    assert own.post("/intake/dibao-apply/", own.intake_fields(brought=["1"]))[0] == 302
    fresh.stop()
    cut, flipped, junk = (fresh.root / n for n in ("cut.enc", "flipped.enc", "junk.enc"))
    cut.write_bytes(raw[: len(raw) // 2])
    flipped.write_bytes(raw[: len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 1]) + raw[len(raw) // 2 + 1 :])
    junk.write_bytes(b"\x00" * 1000)
    for file, passphrase, said in [
        (sealed, "a wrong passphrase", "密码不对"),
        (cut, PASSPHRASE, "不完整或被改动过"),
        (flipped, PASSPHRASE, "不完整或被改动过"),
        (sealed.with_name("x"), PASSPHRASE, "找不到"),
        (junk, PASSPHRASE, "不是工作台的备份"),
    ]:
        done = fresh.kiosk("restore", file, "--force", "--passphrase-stdin", input=passphrase + "\n", check=False)
        assert done.returncode == 1 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert not list((fresh.root / "desk-data").glob(".desk-backup-*"))
    unchanged = fresh.kiosk("restore", sealed, "--passphrase-stdin", input=PASSPHRASE + "\n", check=False)
    assert "已有 1 条记录" in unchanged.stderr  # the desk's own record, nothing of the backup

    restored = fresh.kiosk("restore", sealed, "--force", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert "2 条记录" in restored.stdout
    fresh.start(workers=1)
    session = Session(fresh.url)
    assert session.login()[0] == 302
    assert count_records(session) == 2


def test_backup_errors_are_said_in_chinese(desk_server, tmp_path):
    server = desk_server()
    nowhere = server.kiosk("backup", "/proc/desk.backup", check=False)
    assert nowhere.returncode == 1 and "没有完成" in nowhere.stderr and "Traceback" not in nowhere.stderr
    if not PG:
        server.kiosk("backup", tmp_path / "good.backup")
        cut = tmp_path / "cut.backup"
        cut.write_bytes((tmp_path / "good.backup").read_bytes()[:50000])
        done = server.kiosk("restore", cut, "--force", check=False)
        assert done.returncode == 1 and "已损坏" in done.stderr and "Traceback" not in done.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(desk_server, tmp_path):
    server = desk_server()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all")
    done = server.kiosk("restore", junk, check=False)
    assert done.returncode == 1 and "不能恢复" in done.stderr


def test_check_warns_about_backups_others_can_read(desk_server):
    server = desk_server()
    data = server.root / "desk-data"
    server.kiosk("backup", data / "old" / "plain.backup")
    server.kiosk("backup", data / "sealed.enc", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert "0 个提醒" in server.kiosk("check").stdout
    (data / "old" / "plain.backup").chmod(0o644)
    (data / "sealed.enc").chmod(0o640)
    (data / "notes.txt").write_text("not a backup")
    found = server.kiosk("check").stdout
    assert "2 个提醒" in found, found
    assert f"{data / 'old' / 'plain.backup'} 里有工作台的全部记录" in found and "sealed.enc" in found
    assert "notes.txt" not in found


def test_the_passphrase_is_asked_twice_and_a_mismatch_said_in_chinese():
    import click
    from click.testing import CliRunner

    from kiosk.desk.cli import _new_passphrase

    @click.command()
    def ask():
        click.echo("got:" + _new_passphrase(False))

    result = CliRunner().invoke(ask, input=f"{PASSPHRASE}\nsomething else\n{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0 and "两次输入的密码不一样" in result.output
    assert result.output.endswith(f"got:{PASSPHRASE}\n") and PASSPHRASE not in result.output.replace(
        f"got:{PASSPHRASE}", ""
    )


# ---------------------------------------------------------------- the format, without a desk


@pytest.fixture
def fast(monkeypatch):
    from kiosk.desk import backup_crypt

    monkeypatch.setattr(backup_crypt, "SCRYPT", (12, 8, 1))  # the format reads its cost from the header
    monkeypatch.setattr(backup_crypt, "CHUNK", 1024)  # many chunks from a small file
    return backup_crypt


def seal(crypt, data: bytes, passphrase=PASSPHRASE) -> bytes:
    out = io.BytesIO()
    crypt.encrypt(io.BytesIO(data), out, passphrase)
    return out.getvalue()


def unseal(crypt, raw: bytes, passphrase=PASSPHRASE) -> bytes:
    out = io.BytesIO()
    crypt.decrypt(io.BytesIO(raw), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 1024, 3 * 1024, 3 * 1024 + 7])
def test_the_format_round_trips_any_size(fast, size):
    data = os.urandom(size)
    raw = seal(fast, data)
    assert unseal(fast, raw) == data
    assert len(raw) == 8 + 4 + 16 + 7 + 32 + size + 16 * max(1, -(-size // 1024))


def test_the_format_refuses_a_wrong_passphrase_and_every_change(fast):
    data = os.urandom(3 * 1024 + 100)  # four chunks
    raw = seal(fast, data)
    head, step = 8 + 4 + 16 + 7 + 32, 1024 + 16
    chunks = [raw[head + i : head + i + step] for i in range(0, len(raw) - head, step)]
    assert len(chunks) == 4
    with pytest.raises(fast.Failed) as e:
        unseal(fast, raw, "another passphrase")
    assert e.value.key == "desk_backup_wrong_passphrase"
    changed = {
        "cut at a chunk boundary": raw[:head] + b"".join(chunks[:3]),
        "cut inside a chunk": raw[:-5],
        "extended": raw + chunks[-1],
        "reordered": raw[:head] + chunks[1] + chunks[0] + chunks[2] + chunks[3],
        "a byte flipped": raw[: head + 1500] + bytes([raw[head + 1500] ^ 0x40]) + raw[head + 1501 :],
        "header only": raw[:head],
        "less than a header": raw[:20],
    }
    for what, bad in changed.items():
        with pytest.raises(fast.Failed) as e:
            unseal(fast, bad)
        assert e.value.key == "desk_backup_damaged", what
