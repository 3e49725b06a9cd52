"""The README tells the truth: its two commands are what CI runs, and every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT
from kiosk.cli import main

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_opens_with_the_two_commands_ci_runs():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1).strip().splitlines()
    assert len(first_block) == 2
    setup_and_main, tests = first_block
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert setup_and_main.startswith("bash .ci/setup && ")
    assert "bash .ci/setup" in ci
    assert setup_and_main.removeprefix("bash .ci/setup && ") in ci
    assert tests in ci


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"`kiosk {name}" in README, name
