"""`kiosk desk …`: set up, run and keep the window desk.

    kiosk desk init [--host NAME …] [--new-cert]     data folder, secret key, database and migrations, roles,
                                                     the LAN certificate
    kiosk desk user add ID --role R [--township T]   a staff member (the staff id from the township's center file)
    kiosk desk user list | passwd | disable | enable | unlock | role   an account: ID --township T, or s03@township
    kiosk desk serve [--bind 127.0.0.1:8100]         gunicorn; HTTPS when bound off the loopback address
    kiosk desk backup FILE [--passphrase] / restore FILE [--force]   0600 files, no sessions; encrypted
    kiosk desk report --month M [--township T] [-o F] | --merge A.xlsx …   the monthly review (cli_report.py)
    (the group and what the commands share: cli_base.py)
    kiosk desk check [--bind …]                      what is unsafe, in plain Chinese

Exit codes as the rest of `kiosk`: 0 done, 1 refused (the message says why), 2 usage error.
"""

from __future__ import annotations

import errno
import os
import secrets
import sys
from contextlib import contextmanager

import click

from kiosk.problems import message

from . import cli_report, cli_users  # noqa: F401  (kiosk desk report and kiosk desk user register on `desk`)
from .cli_base import desk, fail, setup

DEFAULT_BIND = "127.0.0.1:8100"


# ---------------------------------------------------------------- init


@desk.command()
@click.option("--host", "hosts", multiple=True, help="工作人员访问工作台用的机器名或地址（写进局域网证书；可写多个）")
@click.option("--new-cert", is_flag=True, help="重新生成局域网证书（证书快到期或地址变了时用）")
def init(hosts, new_cert):
    """建好工作台：数据文件夹、密钥、数据库和迁移、角色、局域网 HTTPS 证书。可以重复运行。"""
    from . import lock
    from .config import DATA

    DATA.mkdir(parents=True, exist_ok=True)
    os.chmod(DATA, 0o700)
    _ignore_in_git(DATA)
    try:
        with lock.exclusive(DATA):  # not while a server (or a restore) uses the folder
            _init(hosts, new_cert)
    except lock.Held as held:
        fail("desk_init_while_serving", who=lock.who(held.pids))


def _ignore_in_git(folder) -> None:
    """A .gitignore of everything in the data folder: the database, the secret key and the CA key never show
    in `git status` of a checkout it sits in (made once; one edited by hand is kept)."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# the desk's data: records, secret key, certificate keys; never in git\n*\n", "utf-8")


def _init(hosts, new_cert) -> None:
    from .config import DATA, SECRET_KEY_FILE, SQLITE_FILE, TLS_DIR, env

    if not env("DATABASE_URL"):  # the database readable by its owner only, as backups are
        os.close(os.open(SQLITE_FILE, os.O_WRONLY | os.O_CREAT, 0o600))
        for f in (
            SQLITE_FILE,
            SQLITE_FILE.with_name(SQLITE_FILE.name + "-wal"),
            SQLITE_FILE.with_name(SQLITE_FILE.name + "-shm"),
        ):
            if f.exists():
                os.chmod(f, 0o600)
    if not SECRET_KEY_FILE.exists() and not env("KIOSK_DESK_SECRET_KEY"):
        fd = os.open(SECRET_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
    setup()
    from django.core.management import call_command

    from . import tls
    from .catalogues import Unavailable, catalogues

    call_command("migrate", interactive=False, verbosity=0)
    click.echo(message("desk_init_database", where=_where()))
    if not env("KIOSK_DESK_CERT") and (new_cert or hosts or not (TLS_DIR / "cert.pem").is_file()):
        cert = tls.make(TLS_DIR, list(dict.fromkeys([*tls.lan_names(), *hosts])))
        click.echo(message("desk_init_cert", ca=TLS_DIR / "ca.pem", names="、".join(cert.names)))
    if not catalogues().townships():
        click.echo(message("desk_check_no_township", folder=catalogues().folder), err=True)
    for tid in catalogues().townships():
        try:
            t = catalogues().get(tid)
            click.echo(message("desk_init_township", name=t.center.township_name, code=t.code, version=t.version))
        except Unavailable as e:
            click.echo(
                message(
                    "desk_check_catalogue",
                    township=tid,
                    count=len(e.problems),
                    first=str(e.problems[0]) if e.problems else "",
                ),
                err=True,
            )
    click.echo(message("desk_init_done", data=DATA))


def _where() -> str:
    from django.db import connection

    return (
        str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite"
        else f"PostgreSQL {connection.settings_dict['NAME']}"
    )


# ---------------------------------------------------------------- serve, check


@desk.command()
@click.option(
    "--bind",
    default=DEFAULT_BIND,
    show_default=True,
    help="监听地址:端口；只在本机用 127.0.0.1，给中心其他电脑用 0.0.0.0（此时只用 HTTPS）",
)
@click.option("--workers", default=3, show_default=True, type=click.IntRange(1, 32), help="同时处理请求的进程数")
@click.option("--access-log", is_flag=True, help="把每个请求记到屏幕上（排查问题时用）")
def serve(bind, workers, access_log):
    """启动工作台（gunicorn）。不在本机地址上时只用 HTTPS。按 Ctrl+C 停止。"""
    from . import server

    try:
        where = server.parse_bind(bind)
    except ValueError:
        raise click.UsageError(message("desk_bad_bind", bind=bind)) from None
    cert = None
    if not where.loopback:
        cert = server.certificate()
        if cert is None:
            fail("desk_serve_no_certificate")
    setup(server.https_environment(where, cert) if cert else None)
    from django.db import connections

    from . import lock
    from .config import DATA, PID_FILE, SECRET_KEY_FILE, env

    if not SECRET_KEY_FILE.is_file() and not env("KIOSK_DESK_SECRET_KEY"):
        fail("desk_check_not_initialised")
    if _pending_migrations():
        fail("desk_serve_migrate")
    DATA.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:  # held by this process, gunicorn's master, and its workers until the last is gone (lock.py)
        held = lock.acquire(DATA, wait=3)  # workers of a master killed by kill -9 let go within 2 s
    except lock.Held as e:
        fail("desk_serve_running", who=lock.who(e.pids), data=DATA)
    try:
        server.check_port(where)
    except server.PortBusy as e:
        fail(e.key, **e.values)
    connections.close_all()  # the workers open their own
    scheme = "https" if cert else "http"
    shown = (
        where.host if where.host not in ("0.0.0.0", "::") else (cert.names[-1] if cert and cert.names else where.host)
    )
    click.echo(message("desk_serving", url=f"{scheme}://{shown}:{where.port}/"), err=True)
    server.run(where, workers, cert, PID_FILE, access_log)
    os.close(held)


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@desk.command()
@click.option("--bind", default=DEFAULT_BIND, show_default=True, help="按这个监听地址检查（与 serve 的 --bind 相同）")
def check(bind):
    """检查这台机器上的工作台有哪些不安全或没做完的地方，用中文说明。有错误时退出码为 1。"""
    from . import server

    try:
        where = server.parse_bind(bind)
    except ValueError:
        raise click.UsageError(message("desk_bad_bind", bind=bind)) from None
    cert = None if where.loopback else server.certificate()
    setup(server.https_environment(where, cert) if cert else (None if where.loopback else {"KIOSK_DESK_HTTPS": "1"}))
    from . import checks

    found = checks.run(where)
    marks = {
        checks.ERROR: message("desk_mark_error"),
        checks.WARNING: message("desk_mark_warning"),
        checks.OK: message("desk_mark_ok"),
    }
    for f in found:
        click.echo(f"{marks[f.level]} {f.text}")
    errors = sum(f.level == checks.ERROR for f in found)
    warnings = sum(f.level == checks.WARNING for f in found)
    click.echo(message("desk_check_summary", errors=errors, warnings=warnings))
    sys.exit(1 if errors else 0)


# ---------------------------------------------------------------- backup, restore


@desk.command(name="backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--passphrase",
    "encrypt",
    is_flag=True,
    help="加密备份（备份要带出这台电脑时一定要用）：按提示输入两次密码，恢复时要用",
)
@click.option("--passphrase-stdin", is_flag=True, help="加密备份，密码从标准输入读一行（脚本用；平时用 --passphrase）")
def backup_command(file, encrypt, passphrase_stdin):
    """备份全部记录到 FILE（工作台开着也可以备份）。文件只有本账号能读，不含谁登录着；带出电脑请加 --passphrase。"""
    setup()
    from . import backup

    passphrase = _new_passphrase(passphrase_stdin) if encrypt or passphrase_stdin else None
    with _refusals(file):
        count = backup.backup(file, passphrase)
    click.echo(message("desk_backup_done_encrypted" if passphrase else "desk_backup_done", file=file, count=count))


@desk.command(name="restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="数据库里已有记录时也恢复（现有记录会被备份里的替换）")
@click.option("--passphrase-stdin", is_flag=True, help="备份是加密的时，从标准输入读一行作为密码（脚本用）")
def restore_command(file, force, passphrase_stdin):
    """从备份 FILE 恢复全部记录。先停止工作台；数据库里已有记录时要加 --force；加密的备份会要求输入密码。"""
    setup()
    from . import backup

    def ask() -> str:
        if passphrase_stdin:
            return sys.stdin.readline().rstrip("\n")
        return click.prompt(message("desk_restore_passphrase"), hide_input=True)

    with _refusals(file):
        count = backup.restore(file, force, ask)
    click.echo(message("desk_restore_done", file=file, count=count))


def _new_passphrase(from_stdin: bool) -> str:
    """A backup passphrase, typed twice unseen (or one line on stdin). Not click's confirmation_prompt: its
    mismatch message is English."""
    from .backup_crypt import MIN_PASSPHRASE

    for _ in range(3):
        if from_stdin:
            passphrase = sys.stdin.readline().rstrip("\n")
        else:
            passphrase = click.prompt(message("desk_backup_passphrase"), hide_input=True)
            if passphrase != click.prompt(message("desk_backup_passphrase_again"), hide_input=True):
                click.echo(message("desk_backup_passphrase_mismatch"), err=True)
                continue
        if len(passphrase) >= MIN_PASSPHRASE:
            return passphrase
        click.echo(message("desk_backup_passphrase_short", min=MIN_PASSPHRASE), err=True)
        if from_stdin:
            break
    sys.exit(1)


@contextmanager
def _refusals(file):
    """A backup or restore that fails says why in Chinese and exits 1, never with a traceback."""
    import sqlite3

    from django.db import Error as DatabaseError

    from .backup import BackupError

    try:
        yield
    except BackupError as e:
        fail(e.key, **e.values)
    except OSError as e:
        name = errno.errorcode.get(e.errno or 0, "")
        try:
            reason = message(f"desk_os_{name}")
        except KeyError:
            reason = message("desk_os_other", detail=e.strerror or e)
        fail("desk_backup_os_error", file=file, reason=reason)
    except (sqlite3.Error, DatabaseError) as e:
        fail("desk_backup_database_error", detail=str(e).strip()[:300])
