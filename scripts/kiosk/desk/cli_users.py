"""`kiosk desk user …`: the staff's accounts (add, list, passwd, disable, unlock). A township's staff id comes
from its center file; the password is typed twice (or one line on stdin) and only its hash is stored.
"""

from __future__ import annotations

import sys

import click

from kiosk.problems import message

from .cli import ROLE_NAMES, desk, fail, setup


@desk.group()
def user():
    """工作人员账号：添加、列出、改密码、停用、解锁。"""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(message("desk_password"), hide_input=True, confirmation_prompt=message("desk_password_again"))


def _checked_password(from_stdin: bool, user_obj) -> str:
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    for _ in range(3):
        password = _read_password(from_stdin)
        try:
            password_validation.validate_password(password, user_obj)
            return password
        except ValidationError as e:
            click.echo("\n".join(e.messages), err=True)
            if from_stdin:
                sys.exit(1)
    sys.exit(1)


@user.command(name="add")
@click.argument("staff_id")
@click.option("--role", required=True, type=click.Choice(list(ROLE_NAMES)),
              help="窗口人员（window）、中心负责人（head）或 县级（county）")
@click.option("--township", help="乡镇（_townships/ 下的文件夹名）；工作台只服务一个乡镇时可以不写；县级不写")
@click.option("--name", help="县级账号的姓名（乡镇工作人员的姓名取自中心文件）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用；平时不用，按提示输入）")
def user_add(staff_id, role, township, name, password_stdin):
    """添加工作人员账号。乡镇工作人员的工号必须在本乡镇中心文件的工作人员名单里；密码按提示输入两次，只保存加密后的形式。"""
    setup()
    from django.core.exceptions import ValidationError

    from . import access

    try:
        new = access.new_user(staff_id, ROLE_NAMES[role], township, name)
    except access.UserError as e:
        fail(e.key, **e.values)
    for attempt in range(3):
        try:
            made = access.add_user(new, _read_password(password_stdin))
            break
        except ValidationError as e:
            click.echo("\n".join(e.messages), err=True)
            if password_stdin or attempt == 2:
                sys.exit(1)
    click.echo(message("desk_user_added", username=made.username, name=new.name, role=new.role.label))


@user.command(name="list")
def user_list():
    """列出账号：登录名、姓名、角色、乡镇、窗口、是否停用。"""
    setup()
    from django.contrib.auth.models import User

    from . import access

    for u in User.objects.select_related("desk").order_by("username"):
        p = getattr(u, "desk", None)
        role = access.role_of(u)
        click.echo("\t".join([u.username, p.name if p else "", role.label if role else "", p.township if p else "",
                              p.window if p else "", "" if u.is_active else message("desk_user_disabled_mark")]))


def _user(username):
    from django.contrib.auth.models import User

    found = User.objects.filter(username=username).first()
    if found is None:
        fail("desk_user_not_found", username=username)
    return found


@user.command(name="passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码")
def user_passwd(username, password_stdin):
    """改密码（登录名如 s03@dahepingxiang）。"""
    setup()
    u = _user(username)
    u.set_password(_checked_password(password_stdin, u))
    u.save()
    click.echo(message("desk_user_password_set", username=username))


@user.command(name="disable")
@click.argument("username")
def user_disable(username):
    """停用账号（调走、离职）：不能再登录，记录和历史里的名字留着。"""
    setup()
    u = _user(username)
    u.is_active = False
    u.save()
    click.echo(message("desk_user_disabled", username=username))


@user.command(name="unlock")
@click.argument("username")
def user_unlock(username):
    """解除登录锁定（连续输错密码被锁的账号）。"""
    setup()
    from axes.utils import reset

    count = reset(username=username)
    click.echo(message("desk_user_unlocked", username=username, count=count))
