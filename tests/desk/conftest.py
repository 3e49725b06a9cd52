"""Fixtures of the window desk's tests.

In-process tests run Django with the desk's own settings on a copy of the sample catalogue: SQLite in a
temporary folder, or PostgreSQL when KIOSK_DESK_TEST_POSTGRES names a server (a libpq URL of a database
the tests may create databases from, e.g. postgresql:///postgres?host=/tmp/pg&user=postgres; `.ci/run`
starts a throwaway cluster for it). Each test runs in a transaction rolled back at its end.

Not pytest-django: the desk's settings take their folders from the environment when first imported, and
pytest-django imports them before any fixture could make those folders (with an ini DJANGO_SETTINGS_MODULE),
or, set up from a conftest, lets xdist workers inherit the controller's folders and blocks the database
only when tests/desk is named on the command line. Set up here, lazily, Django stays out of the other tests.

Server tests (`desk_server`) run `kiosk desk init` and `kiosk desk serve` as a person would, each in a data
folder (and database) of its own.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import SAMPLE

from .support import PASSWORD, Server, free_port

PG = os.environ.get("KIOSK_DESK_TEST_POSTGRES", "").strip()
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_serial = itertools.count()


def pg_database(name: str, template: str | None = None) -> str:
    """A fresh PostgreSQL database `name` on the test server, empty or a copy of `template`; its URL."""
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    parts = urlsplit(PG)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


# ---------------------------------------------------------------- in-process Django


@pytest.fixture(scope="session")
def desk(tmp_path_factory):
    """Django set up with the desk's settings on a catalogue copy; the database migrated."""
    tmp = tmp_path_factory.mktemp("desk")
    catalogue = tmp / "matters"
    shutil.copytree(SAMPLE, catalogue)
    env = {
        "KIOSK_DESK_DATA": str(tmp / "data"),
        "KIOSK_DESK_CATALOGUE": str(catalogue),
        "DJANGO_SETTINGS_MODULE": "kiosk.desk.settings",
        "KIOSK_DESK_SECRET_KEY": "test-" + uuid.uuid4().hex * 2,
        # the browser tests' Playwright keeps an event loop in this process (sync API); these tests call the
        # ORM from plain synchronous code all the same, which is what Django's check is there to protect
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    if PG:
        env["DATABASE_URL"] = pg_database(f"desk_test_{WORKER}")
    os.environ.update(env)
    (tmp / "data").mkdir()
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS.append("testserver")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return {"catalogue": catalogue, "data": tmp / "data", "tmp": tmp}


@pytest.fixture
def db(desk):
    """The test runs in a transaction that is rolled back at its end."""
    from django.db import transaction

    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield desk
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def clock(db):
    """The desk's clock (deadlines.clock): the tests' fixed day unless a test sets another; set back after."""
    from kiosk.desk.deadlines import clock

    yield clock
    clock.set(None)


@pytest.fixture
def users(db):
    """One user of each role: window staff of two windows, heads of both townships, a county user."""
    from kiosk.desk import users as access

    def make(staff_id, role, township):
        return access.add_user(access.new_user(staff_id, role, township), PASSWORD)

    return {
        "window": make("s03", "window", "dahepingxiang"),  # 社会事务窗口
        "window2": make("s05", "window", "dahepingxiang"),  # 社保医保窗口
        "unresolved": make("s12", "window", "dahepingxiang"),  # “办不成事”反映窗口
        "head": make("s01", "head", "dahepingxiang"),
        "other_window": make("s03", "window", "guanzhuangzhen"),
        "other_head": make("s01", "head", "guanzhuangzhen"),
        "county": make("xian", "county", None),
    }


@pytest.fixture
def client_of(users):
    """A logged-in Django test client of one of `users`."""
    from django.test import Client

    def make(name):
        c = Client()
        c.force_login(users[name])
        return c

    return make


def _server_env(root: Path, catalogue: Path) -> dict:
    env = {**os.environ, "KIOSK_DESK_CATALOGUE": str(catalogue), "KIOSK_DESK_DATA": str(root / "desk-data")}
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "KIOSK_DESK_SECRET_KEY",
        "DATABASE_URL",
        "KIOSK_DESK_PAUSE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    return env


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory) -> tuple[Path, str | None]:
    """A desk made once per test process as a person would make it (`kiosk desk init`, users s03 window and
    s01 head of 大合坪乡): its data folder, and its PostgreSQL database to copy from. Each `desk_server` starts
    from a copy, which is what init and user add would give it again, without their 7 s."""
    root = tmp_path_factory.mktemp("desk-template")
    shutil.copytree(SAMPLE, root / "matters")
    env = _server_env(root, root / "matters")
    database = None
    if PG:
        database = f"desk_tpl_{WORKER}_{os.getpid()}"
        env["DATABASE_URL"] = pg_database(database)
    server = Server(root, env, "127.0.0.1:0", "http")
    server.kiosk("init")
    server.add_user("s03", "window", "dahepingxiang")
    server.add_user("s01", "head", "dahepingxiang")
    return root / "desk-data", database


@pytest.fixture
def desk_server(tmp_path, desk_template):
    """A fresh desk (init, users s03 window and s01 head of 大合坪乡) ready to serve; `start()` starts it."""
    made: list[Server] = []
    data, database = desk_template

    def make(bind_host="127.0.0.1", scheme="http", catalogue: Path | None = None) -> Server:
        root = tmp_path / f"desk{len(made)}"
        root.mkdir()
        if catalogue is None:
            catalogue = root / "matters"
            shutil.copytree(SAMPLE, catalogue)
        env = _server_env(root, catalogue)
        if PG:
            env["DATABASE_URL"] = pg_database(f"desk_srv_{WORKER}_{next(_serial)}_{os.getpid()}", template=database)
        shutil.copytree(data, root / "desk-data")
        server = Server(root, env, f"{bind_host}:{free_port()}", scheme)
        made.append(server)
        return server

    yield make
    for s in made:
        s.kill()
