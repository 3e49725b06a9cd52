"""The `kiosk desk` command group and what its commands share: Django set up with the desk's settings, a
refusal said in Chinese (exit 1). The commands are cli.py (init, serve, check, backup, restore), cli_users.py
(kiosk desk user …) and cli_report.py (kiosk desk report)."""

from __future__ import annotations

import os
import sys

import click

from kiosk.problems import message

ROLE_NAMES = {
    "window": "window",
    "head": "head",
    "county": "county",
    "窗口人员": "window",
    "中心负责人": "head",
    "县级": "county",
}


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
