"""The desk's own safety rules, in-process: CSRF on every form, sessions that end after idle time, pages kept
private (no cache, no outside scripts), the migrations in step with the models, the settings documented."""

from __future__ import annotations

import re

from conftest import ROOT

from .support import PASSWORD, form_fields


def test_every_form_refuses_a_post_without_its_csrf_token(client_of, users):
    from django.test import Client

    from .support import intake, record_of

    app = record_of(intake(client_of("window"), brought=["1"]))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["window"])
    for path in [
        "/intake/dibao-apply/",
        f"/records/{app.pk}/supplement/",
        f"/records/{app.pk}/refuse/",
        f"/records/{app.pk}/void/",
        "/logout/",
    ]:
        response = strict.post(path, {"version": "1", "reason": "x"})
        assert response.status_code == 403, path
        assert "这一页已过期，没有保存" in response.content.decode()
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post("/login/", {"township": "dahepingxiang", "username": "s03", "password": PASSWORD}).status_code
        == 403
    )
    page = strict.get(f"/records/{app.pk}/void/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_session_ends_after_idle_time(client_of):
    from django.conf import settings

    client = client_of("window")
    assert client.get("/").status_code == 200
    session = client.session
    # idle for longer than the limit: back from when the desk itself last saw this session (its own clock)
    session["seen"] -= settings.SESSION_COOKIE_AGE + 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].endswith("/login/?idle=1")
    assert client.get("/").status_code == 302  # logged out, not only redirected once
    page = client.get("/login/?idle=1").content.decode()
    assert "太久没有操作，已自动退出" in page


def test_pages_are_private_and_load_only_their_own_files(client_of):
    response = client_of("window").get("/")
    assert response["Cache-Control"] == "no-store"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    for src in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert src.startswith("/"), src  # nothing from outside: no CDN, no web fonts


def test_the_kiosk_search_file_is_the_very_file_the_kiosk_uses(client_of):
    response = client_of("window").get("/static/desk/kiosk-search.js")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == (ROOT / "scripts" / "kiosk" / "site" / "assets" / "kiosk-search.js").read_bytes()


def test_the_migrations_are_in_step_with_the_models(desk):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "desk", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_logins_are_told_apart_by_township(users):
    """s01 of 大合坪乡 and s01 of 官庄镇 are two people: the township chosen at login decides which."""
    from django.test import Client

    client = Client()
    page = client.get("/login/").content.decode()
    response = client.post(
        "/login/", {**form_fields(page), "township": "guanzhuangzhen", "username": "s01", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "彭某某" in client.get("/").content.decode()
    wrong = Client().post("/login/", {"township": "county", "username": "s01", "password": PASSWORD})
    assert wrong.status_code == 200 and "工号或密码不对" in wrong.content.decode()


def test_every_environment_variable_of_the_desk_is_in_the_readme():
    from kiosk.desk.config import ENVIRONMENT

    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [s.name for s in ENVIRONMENT if f"`{s.name}`" not in readme]
    assert missing == []
    for command in [
        "kiosk desk init",
        "kiosk desk user add",
        "kiosk desk serve",
        "kiosk desk backup",
        "kiosk desk restore",
        "kiosk desk check",
    ]:
        assert command in readme, command
