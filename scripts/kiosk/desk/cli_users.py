"""`kiosk desk user …`: the staff's accounts (add, list, passwd, disable, enable, unlock, role). A township's
staff id comes from its center file; the password is typed twice (or one line on stdin) and only its hash is
stored.

An account is named as at login: the staff id with --township (s03 --township dahepingxiang), or the whole
login name (s03@dahepingxiang); a county user by their own id. --township may be left out when the desk serves
one township. Nothing matching is an error (exit 1), never a silent "done".
"""

from __future__ import annotations

import sys

import click

from kiosk.problems import message

from .cli_base import ROLE_NAMES, desk, fail, setup

TOWNSHIP_HELP = "乡镇（_townships/ 下的文件夹名）；工作台只服务一个乡镇时可以不写；县级账号不写"


@desk.group()
def user():
    """工作人员账号：添加、列出、改密码、停用、重新启用、解锁、改角色。"""


def account(command):
    """The arguments naming an existing account: STAFF_ID and --township."""
    command = click.option("--township", help=TOWNSHIP_HELP)(command)
    return click.argument("staff_id")(command)


def _read_password(from_stdin: bool) -> str:
    """A password typed twice (asked again while the two differ), or one line of stdin."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    while True:
        first = click.prompt(message("desk_password"), hide_input=True, prompt_suffix="：")
        if first == click.prompt(message("desk_password_again"), hide_input=True, prompt_suffix="："):
            return first
        click.echo(message("desk_password_mismatch"), err=True)


def _set_password(from_stdin: bool, check) -> object:
    """`check(password)` with a password read as _read_password does; Django's validators' messages said and
    asked again (three tries; one on stdin)."""
    from django.core.exceptions import ValidationError

    for attempt in range(3):
        try:
            return check(_read_password(from_stdin))
        except ValidationError as e:
            click.echo("\n".join(e.messages), err=True)
            if from_stdin or attempt == 2:
                sys.exit(1)


def find(staff_id: str, township: str | None):
    """The account named by a staff id (with its township) or a whole login name; exits 1 when none is."""
    from django.contrib.auth.models import User

    from . import roles
    from .catalogues import catalogues

    if "@" in staff_id:
        username = staff_id
        named = staff_id.partition("@")[2]
        if township and township != named:
            fail("desk_user_two_townships", username=staff_id, township=township)
    elif township:
        username = roles.username_for(township, staff_id)
    else:
        username = staff_id  # a county user, or the one township the desk serves
        served = catalogues().townships()
        if not User.objects.filter(username=username).exists() and len(served) == 1:
            username = roles.username_for(served[0], staff_id)
    found = User.objects.filter(username=username).first()
    if found is None:
        like = list(
            User.objects.filter(username__startswith=staff_id.partition("@")[0] + "@")
            .order_by("username")
            .values_list("username", flat=True)[:10]
        )
        if like:
            fail("desk_user_not_found_like", username=username, like="、".join(like))
        fail("desk_user_not_found", username=username)
    return found


@user.command(name="add")
@click.argument("staff_id")
@click.option(
    "--role",
    required=True,
    type=click.Choice(list(ROLE_NAMES)),
    help="窗口人员（window）、中心负责人（head）或 县级（county）",
)
@click.option("--township", help=TOWNSHIP_HELP)
@click.option("--name", help="县级账号的姓名（乡镇工作人员的姓名取自中心文件）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用；平时不用，按提示输入）")
def user_add(staff_id, role, township, name, password_stdin):
    """添加工作人员账号。乡镇工作人员的工号必须在本乡镇中心文件的工作人员名单里；密码按提示输入两次，只保存加密后的形式。"""
    setup()
    from . import users

    try:
        new = users.new_user(staff_id, ROLE_NAMES[role], township, name)
    except users.UserError as e:
        fail(e.key, **e.values)
    made = _set_password(password_stdin, lambda password: users.add_user(new, password))
    click.echo(message("desk_user_added", username=made.username, name=new.name, role=new.role.label))


@user.command(name="list")
def user_list():
    """列出账号：登录名、姓名、角色、乡镇、窗口、是否停用。"""
    setup()
    from django.contrib.auth.models import User

    from . import roles

    for u in User.objects.select_related("desk").order_by("username"):
        p = getattr(u, "desk", None)
        role = roles.role_of(u)
        click.echo(
            "\t".join(
                [
                    u.username,
                    p.name if p else "",
                    role.label if role else "",
                    p.township if p else "",
                    p.window if p else "",
                    "" if u.is_active else message("desk_user_disabled_mark"),
                ]
            )
        )


@user.command(name="passwd")
@account
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码")
def user_passwd(staff_id, township, password_stdin):
    """改密码。改好后，这个账号在各处的登录都要重新登录。"""
    setup()
    from django.contrib.auth import password_validation

    u = find(staff_id, township)

    def change(password):
        password_validation.validate_password(password, u)
        u.set_password(password)
        u.save()

    _set_password(password_stdin, change)
    click.echo(message("desk_user_password_set", username=u.username))


@user.command(name="disable")
@account
def user_disable(staff_id, township):
    """停用账号（调走、离职）：不能再登录，已登录的也退出；记录和历史里的名字留着。"""
    _set_active(staff_id, township, False)


@user.command(name="enable")
@account
def user_enable(staff_id, township):
    """重新启用停用了的账号（调回来了）：用原来的密码登录。"""
    _set_active(staff_id, township, True)


def _set_active(staff_id: str, township: str | None, active: bool) -> None:
    setup()
    u = find(staff_id, township)
    was = u.is_active
    u.is_active = active
    u.save()
    key = ("desk_user_was_enabled" if was else "desk_user_enabled") if active else "desk_user_disabled"
    click.echo(message(key, username=u.username))


@user.command(name="unlock")
@account
def user_unlock(staff_id, township):
    """解除登录锁定（连续输错密码被锁的账号）。"""
    setup()
    from axes.utils import reset

    u = find(staff_id, township)
    count = reset(username=u.username)
    click.echo(
        message("desk_user_unlocked", username=u.username, count=count)
        if count
        else message("desk_user_not_locked", username=u.username)
    )


@user.command(name="role")
@account
@click.option(
    "--role",
    required=True,
    type=click.Choice(list(ROLE_NAMES)),
    help="窗口人员（window）或中心负责人（head）；县级账号和乡镇账号不能互换",
)
def user_role(staff_id, township, role):
    """改账号的角色（如窗口人员当了中心负责人）。已登录的要重新打开页面才按新角色。"""
    setup()
    from django.contrib.auth.models import Group
    from django.db import transaction

    from . import roles

    u = find(staff_id, township)
    old, new = roles.role_of(u), roles.Role(ROLE_NAMES[role])
    if roles.Role.COUNTY in (old, new) and old != new:
        fail("desk_user_role_county", username=u.username, role=old.label if old else "")
    with transaction.atomic():  # one role group at a time; the admin (is_staff) for the center head only
        u.groups.remove(*Group.objects.filter(name__in=[r.value for r in roles.Role]))
        u.groups.add(Group.objects.get(name=new.value))
        u.is_staff = new == roles.Role.HEAD
        u.save()
    click.echo(message("desk_user_role_set", username=u.username, role=new.label))
