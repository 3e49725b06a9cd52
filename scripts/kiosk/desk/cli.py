"""`kiosk desk …`: set up, run and keep the window desk.

    kiosk desk init [--host NAME …] [--new-cert]     data folder, secret key, database and migrations, roles,
                                                     the LAN certificate
    kiosk desk user add ID --role R [--township T]   a staff member (the staff id from the township's center file)
    kiosk desk user list | passwd ID | disable ID | unlock ID
    kiosk desk serve [--bind 127.0.0.1:8100]         gunicorn; HTTPS when bound off the loopback address
    kiosk desk backup FILE / restore FILE [--force]
    kiosk desk report --month M [--township T] [-o F] | --merge A.xlsx …   the monthly review (cli_report.py)
    kiosk desk check [--bind …]                      what is unsafe, in plain Chinese

Exit codes as the rest of `kiosk`: 0 done, 1 refused (the message says why), 2 usage error.
"""

from __future__ import annotations

import os
import secrets
import sys

import click

from kiosk.problems import message

ROLE_NAMES = {"window": "window", "head": "head", "county": "county",
              "窗口人员": "window", "中心负责人": "head", "县级": "county"}
DEFAULT_BIND = "127.0.0.1:8100"


def setup(extra_env: dict[str, str] | None = None) -> None:
    """Django, with the desk's settings (and `extra_env` set first: it decides the settings)."""
    os.environ.update(extra_env or {})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiosk.desk.settings")
    import django

    django.setup()


def fail(key: str, **values) -> None:
    click.echo(message(key, **values), err=True)
    sys.exit(1)


@click.group()
def desk():
    """窗口工作台：收件登记、一次性告知、受理、限时办结（网页，给窗口工作人员用）。"""


# ---------------------------------------------------------------- init


@desk.command()
@click.option("--host", "hosts", multiple=True, help="工作人员访问工作台用的机器名或地址（写进局域网证书；可写多个）")
@click.option("--new-cert", is_flag=True, help="重新生成局域网证书（证书快到期或地址变了时用）")
def init(hosts, new_cert):
    """建好工作台：数据文件夹、密钥、数据库和迁移、角色、局域网 HTTPS 证书。可以重复运行。"""
    from .config import DATA, SECRET_KEY_FILE, TLS_DIR, env

    DATA.mkdir(parents=True, exist_ok=True)
    os.chmod(DATA, 0o700)
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
            click.echo(message("desk_check_catalogue", township=tid, count=len(e.problems),
                               first=str(e.problems[0]) if e.problems else ""), err=True)
    click.echo(message("desk_init_done", data=DATA))


def _where() -> str:
    from django.db import connection

    return str(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else \
        f"PostgreSQL {connection.settings_dict['NAME']}"


# ---------------------------------------------------------------- serve, check


@desk.command()
@click.option("--bind", default=DEFAULT_BIND, show_default=True,
              help="监听地址:端口；只在本机用 127.0.0.1，给中心其他电脑用 0.0.0.0（此时只用 HTTPS）")
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

    from . import backup
    from .config import PID_FILE, SECRET_KEY_FILE, env

    if not SECRET_KEY_FILE.is_file() and not env("KIOSK_DESK_SECRET_KEY"):
        fail("desk_check_not_initialised")
    if _pending_migrations():
        fail("desk_serve_migrate")
    if backup.serving():
        fail("desk_serve_running", pid_file=PID_FILE)
    connections.close_all()  # the workers open their own
    scheme = "https" if cert else "http"
    shown = where.host if where.host not in ("0.0.0.0", "::") else (cert.names[-1] if cert and cert.names else where.host)
    click.echo(message("desk_serving", url=f"{scheme}://{shown}:{where.port}/"), err=True)
    server.run(where, workers, cert, PID_FILE, access_log)


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
    setup(server.https_environment(where, cert) if cert else
          (None if where.loopback else {"KIOSK_DESK_HTTPS": "1"}))
    from . import checks

    found = checks.run(where)
    marks = {checks.ERROR: message("desk_mark_error"), checks.WARNING: message("desk_mark_warning"),
             checks.OK: message("desk_mark_ok")}
    for f in found:
        click.echo(f"{marks[f.level]} {f.text}")
    errors = sum(f.level == checks.ERROR for f in found)
    warnings = sum(f.level == checks.WARNING for f in found)
    click.echo(message("desk_check_summary", errors=errors, warnings=warnings))
    sys.exit(1 if errors else 0)


# ---------------------------------------------------------------- backup, restore


@desk.command(name="backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_command(file):
    """备份全部记录到 FILE（工作台开着也可以备份）。"""
    setup()
    from . import backup

    try:
        count = backup.backup(file)
    except backup.BackupError as e:
        fail(e.key, **e.values)
    click.echo(message("desk_backup_done", file=file, count=count))


@desk.command(name="restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="数据库里已有记录时也恢复（现有记录会被备份里的替换）")
def restore_command(file, force):
    """从备份 FILE 恢复全部记录。先停止工作台；数据库里已有记录时要加 --force。"""
    setup()
    from . import backup

    try:
        count = backup.restore(file, force)
    except backup.BackupError as e:
        fail(e.key, **e.values)
    click.echo(message("desk_restore_done", file=file, count=count))


from . import cli_report, cli_users  # noqa: E402,F401  (kiosk desk report and user register on `desk`)
