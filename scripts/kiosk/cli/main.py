"""The `kiosk` command. Its commands live with what they work on: the catalogue (kiosk.cli.catalogue) and
the site and paper made from it (kiosk.cli.site), carrying releases to every hall (kiosk.cli.county); what they share is kiosk.cli.common.

Exit codes: 0 done, 1 the catalogue (or the input) has errors, 2 usage error (said in Chinese with the
command's usage: cli_common.Group).

One error boundary (cli_common.chinese_errors, around every command): the kiosk's own errors
(kiosk.exceptions.KioskError), click's usage errors and Ctrl+C are said in plain Chinese with their exit
code; any other exception is a bug and shows its traceback.
"""

from __future__ import annotations

import click

from ..desk.cli import desk
from . import catalogue as cli_catalogue
from . import county as cli_county
from . import site as cli_site
from .catalogue import due_lines, matter_schema_text  # noqa: F401  (used by tests and the desk)
from .common import Group, in_chinese


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """事项目录工具：检查、导出、生成自助机网站和一次性告知单。"""


for group in (cli_catalogue.commands, cli_site.commands, cli_county.commands):
    for command in group.commands.values():
        main.add_command(command)
main.add_command(desk)
in_chinese(main)  # usage errors and help in Chinese, for every command
