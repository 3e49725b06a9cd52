"""`kiosk` commands that carry releases from the county to every hall: key, pull, status, county-server.

The county makes its signing key once (`kiosk key init`) and signs every `kiosk publish --key`; each hall
pulls (`kiosk pull`, on a timer), checks, switches and reports what it shows; the county reads the reports
(`kiosk status`, or the page of `kiosk county-server`).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..exceptions import Busy, PublishError, PullError
from ..problems import message

SIGNING_KEY = click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, exists=True),
    help="县里的签名私钥（kiosk key init 生成的 county.key）；乡镇大厅只接受签过名的版本",
)


@click.group()
def commands():
    """The commands of this module, added to `kiosk` by kiosk.cli.main."""


@commands.group()
def key():
    """签名钥匙：县里签发布的版本，大厅签自己报的状态。"""


@key.command("init")
@click.option("--dir", "folder", required=True, type=click.Path(file_okay=False), help="放钥匙的文件夹（只有本人能读）")
@click.option(
    "--name",
    default="county",
    show_default=True,
    type=click.Choice(["county", "hall"]),
    help="county：县里签发布用；hall：大厅签状态用",
)
@click.option("--force", is_flag=True, help="已有钥匙也换一把新的")
def key_init(folder, name, force):
    """生成一对钥匙：私钥留在本机（权限 600），公钥打印出来，装到另一边。"""
    from ..publish import signing

    private, public = signing.init(Path(folder), name, force)
    pem = public.read_text("ascii")
    fingerprint = signing.fingerprint(signing.load_public(public))
    click.echo(message("key_made", private=private, public=public, fingerprint=fingerprint, pem=pem.rstrip()))


def signing_key(key_file: str | None):
    """The county's private key for publish and rollback, or None (said as a warning: halls refuse it)."""
    from ..publish import signing

    if key_file is None:
        click.echo(message("warning_prefix") + message("publish_unsigned"), err=True)
        return None
    return signing.load_private(Path(key_file))


@commands.command()
@click.option(
    "--from",
    "source",
    required=True,
    help="本乡镇在县里的发布目录：文件夹，或 http(s):// 地址（如 http://county-server/kiosk/dahepingxiang/）",
)
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(dir_okay=False, exists=True),
    help="县里的公钥（county.pub）",
)
@click.option(
    "--to", "to", required=True, type=click.Path(file_okay=False), help="本机的目录（里面有 releases/ 和 live）"
)
@click.option("--keep", default=3, show_default=True, type=click.IntRange(1, 100), help="本机保留最近几个版本")
@click.option("--township", help="本机是哪个乡镇的（给了就只接受这个乡镇的版本；默认：和在用的版本相同）")
@click.option(
    "--hall-key",
    type=click.Path(dir_okay=False, exists=True),
    help="大厅的私钥（kiosk key init --name hall）：给了就把本机的状态签名报给县里",
)
@click.option("--report", help="状态报到哪里（默认：--from 的地址或文件夹）")
@click.option(
    "--ca",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="https:// 时另外信任的证书颁发机构（县里自己的 ca.pem；默认只信任系统的）",
)
@click.option(
    "--wait", default=0, show_default=True, type=click.IntRange(0, 86400), help="另一次更新还在做时，最多等几秒"
)
def pull(source, key_file, to, keep, township, hall_key, report, ca, wait):
    """从县里取最新的版本：核对签名和每个文件，只下载变了的，一下子切换；任何一步失败，在用的版本不变。"""
    from ..publish import pull as puller
    from ..publish import signing, status

    county = signing.load_public(Path(key_file))
    hall = signing.load_private(Path(hall_key)) if hall_key else None
    error, reached, pulled = None, True, None
    try:
        pulled = puller.pull(source, county, Path(to), keep, township, wait, ca)
    except Busy:
        click.echo(message("pull_busy"), err=True)
        return
    except PullError as e:
        error, reached = str(e), e.reached
    said = status.record(Path(to), error, reached=reached)
    if hall is not None:
        try:
            status.deliver(status.signed(said, hall), report or source, ca)
        except PublishError as e:
            click.echo(message("warning_prefix") + str(e), err=True)
    if error is not None:
        raise PullError(message("pull_failed", detail=error))
    if pulled.new:
        click.echo(
            message(
                "pull_new",
                release=pulled.release.name,
                fetched=pulled.fetched,
                mb=pulled.fetched_bytes / 1e6,
                reused=pulled.reused,
            )
        )
    else:
        click.echo(message("pull_same", release=pulled.release.name))


@commands.command("status")
@click.option(
    "--to",
    "to",
    required=True,
    type=click.Path(file_okay=False, exists=True),
    help="县里的发布目录（kiosk publish --all-townships 的 --to）",
)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每个乡镇一项）")
def status_(to, as_json):
    """每个乡镇的大厅在用哪个版本、从什么时候起、最后联系时间；标出落后的和一天多没消息的。"""
    from ..publish import status
    from ..publish.server import TEMPLATES
    from ..text.render import environment

    halls = status.halls(Path(to))
    if as_json:
        click.echo(json.dumps([h.row for h in halls], ensure_ascii=False, indent=2))
        return
    text = environment(TEMPLATES).get_template("halls.txt").render(halls=halls, **status.wording())
    click.echo(text, nl=False)


@commands.command("county-server")
@click.option("--dir", "folder", required=True, type=click.Path(file_okay=False, exists=True), help="县里的发布目录")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--bind", default="0.0.0.0", show_default=True, help="监听的地址（0.0.0.0：局域网里都能访问）")
def county_server(folder, port, bind):
    """把县里的发布目录给各大厅下载，收下各大厅报的状态，首页列出每个大厅在用的版本。"""
    from ..publish import server

    server.serve(Path(folder), port, bind)
