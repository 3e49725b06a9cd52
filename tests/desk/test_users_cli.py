"""`kiosk desk user …` as the center head uses it: an account named by staff id and --township, by its whole
login name, or a county user's own id; nothing matching is exit 1 in Chinese (never "清除了 0 条" and exit 0);
passwd, disable, enable, unlock and role; a disabled account told so at the login (django-axes still counting);
the two passwords differing said in Chinese; click's usage errors in Chinese with the command's usage."""

from __future__ import annotations

import re

import pytest

from .support import PASSWORD

NEW = "Another-desk-2027"


def kiosk(*args, input=None):
    from click.testing import CliRunner

    from kiosk.cli.main import main

    return CliRunner().invoke(main, ["desk", "user", *args], input=input, prog_name="kiosk")


def login(staff_id="s03", township="dahepingxiang", password=PASSWORD):
    from django.test import Client

    return Client().post("/login/", {"township": township, "username": staff_id, "password": password})


@pytest.mark.parametrize("command", ["passwd", "disable", "enable", "unlock", "role"])
def test_an_account_that_is_not_there_is_an_error(users, command):
    extra = ["--role", "head"] if command == "role" else []
    done = kiosk(command, "s99", "--township", "dahepingxiang", *extra, input=f"{NEW}\n{NEW}\n")
    assert done.exit_code == 1 and "没有账号 s99@dahepingxiang" in done.output, done.output
    # s03 is in both townships: which one must be said
    done = kiosk(command, "s03", *extra, input=f"{NEW}\n{NEW}\n")
    assert done.exit_code == 1, done.output
    assert "没有账号 s03" in done.output and "s03@dahepingxiang、s03@guanzhuangzhen" in done.output
    done = kiosk(command, "s03@dahepingxiang", "--township", "guanzhuangzhen", *extra)
    assert done.exit_code == 1 and "不一样" in done.output


def test_unlock_names_the_account_and_says_what_it_did(users):
    for _ in range(2):
        assert login(password="wrong-password").status_code == 200
    done = kiosk("unlock", "s03", "--township", "dahepingxiang")
    assert done.exit_code == 0 and re.search(r"s03@dahepingxiang 已解锁（清除了 \d+ 条", done.output), done.output
    done = kiosk("unlock", "s03@dahepingxiang")
    assert done.exit_code == 0 and "s03@dahepingxiang 没有被锁定" in done.output
    assert kiosk("unlock", "xian").exit_code == 0  # a county user by their own id


def test_passwd_asks_again_when_the_two_differ(users):
    done = kiosk("passwd", "s03", "--township", "dahepingxiang", input=f"{NEW}\nsomething-else-1\n{NEW}\n{NEW}\n")
    assert done.exit_code == 0, done.output
    assert "两次输入的密码不一样，请重新输入" in done.output and "do not match" not in done.output
    assert "s03@dahepingxiang 的密码已改好" in done.output
    assert login(password=NEW).status_code == 302
    assert login(password=PASSWORD).status_code == 200
    done = kiosk("passwd", "s01@guanzhuangzhen", "--password-stdin", input="12345678\n")
    assert done.exit_code == 1 and "Error" not in done.output


def test_a_disabled_account_is_told_it_is_disabled_at_the_login(users):
    from django.conf import settings
    from django.test import Client

    users["window"].is_active = False
    users["window"].save()
    typed = {"township": "dahepingxiang", "username": "s03"}
    right = Client().post("/login/", {**typed, "password": PASSWORD})
    assert right.status_code == 200 and "这个账号已停用" in right.content.decode()
    wrong = Client().post("/login/", {**typed, "password": "not-the-password"})
    assert "这个账号已停用" not in wrong.content.decode() and "工号或密码不对" in wrong.content.decode()
    for _ in range(settings.AXES_FAILURE_LIMIT):  # django-axes still counts and locks: a locked login learns nothing
        Client().post("/login/", {**typed, "password": "not-the-password"})
    locked = Client().post("/login/", {**typed, "password": PASSWORD})
    assert locked.status_code != 302 and "这个账号已停用" not in locked.content.decode()


def test_an_interrupted_prompt_is_said_in_chinese(users):
    done = kiosk("passwd", "s03", "--township", "dahepingxiang", input="")  # the input ends: Ctrl+D
    assert done.exit_code == 1 and "已取消" in done.output and "Aborted" not in done.output


def test_disable_then_enable(users):
    done = kiosk("disable", "s03", "--township", "dahepingxiang")
    assert done.exit_code == 0 and "s03@dahepingxiang 已停用" in done.output
    refused = login()
    assert refused.status_code == 200 and "这个账号已停用" in refused.content.decode()
    done = kiosk("enable", "s03", "--township", "dahepingxiang")
    assert done.exit_code == 0 and "s03@dahepingxiang 已重新启用" in done.output
    assert login().status_code == 302
    done = kiosk("enable", "s03@dahepingxiang")
    assert done.exit_code == 0 and "本来就是启用的" in done.output


def test_role_keeps_one_role_group_and_the_admin_for_the_head_only(users):
    from django.contrib.auth.models import User

    def groups(username):
        u = User.objects.get(username=username)
        return {g.name for g in u.groups.all()}, u.is_staff

    assert groups("s03@dahepingxiang") == ({"window"}, False)
    done = kiosk("role", "s03", "--township", "dahepingxiang", "--role", "head")
    assert done.exit_code == 0 and "s03@dahepingxiang 的角色已改为中心负责人" in done.output, done.output
    assert groups("s03@dahepingxiang") == ({"head"}, True)
    assert kiosk("role", "s03@dahepingxiang", "--role", "窗口人员").exit_code == 0
    assert groups("s03@dahepingxiang") == ({"window"}, False)
    done = kiosk("role", "s03@dahepingxiang", "--role", "county")
    assert done.exit_code == 1 and "县级账号和乡镇账号不能互换角色" in done.output
    assert kiosk("role", "xian", "--role", "head").exit_code == 1
    assert groups("s03@dahepingxiang") == ({"window"}, False) and groups("xian") == ({"county"}, False)


def test_usage_errors_are_said_in_chinese_with_the_usage(desk):
    cases = [
        (["unlock"], "少写了 STAFF_ID"),
        (["unlock", "s03", "--town", "x"], "没有选项 --town，是不是 --township？"),
        (["add", "s03", "--role", "boss"], "--role 的值 boss 不对，只能是：window、head、county"),
        (["add", "s03"], "少写了选项 --role"),
        (["unlock", "s03", "s04"], "多写了：s04"),
        (["role", "s03", "--role"], "选项 --role 后面要写值"),
        (["lock", "s03"], "没有命令 lock"),
    ]
    for args, words in cases:
        done = kiosk(*args)
        assert done.exit_code == 2, (args, done.output)
        assert words in done.output, (args, done.output)
        assert done.output.startswith("用法：kiosk desk user"), done.output
        assert "看说明：kiosk desk user" in done.output and "错误：" in done.output
        assert not re.search(r"Usage:|Error:|Try '|Missing|No such|Invalid value", done.output), done.output
    helped = kiosk("unlock", "--help")
    assert helped.exit_code == 0 and "用法：kiosk desk user unlock [选项] STAFF_ID" in helped.output
    assert "选项：" in helped.output and "显示这段说明" in helped.output and "Show this message" not in helped.output
