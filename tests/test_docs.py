"""The README tells the truth: its two commands are what CI runs, and every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT

from kiosk.cli.main import main
from kiosk.settings import ENVIRONMENT, SITE

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


def test_every_setting_is_in_the_readme_with_its_default():
    """Every kiosk plugin setting of mkdocs.yml and every environment variable (kiosk.settings) has its row."""
    for s in SITE + ENVIRONMENT:
        row = re.search(rf"^\| `{s.name}` \| ([^|]*) \|", README, re.M)
        assert row, s.name
        assert (f"`{s.default}`" if s.default is not None else "—") in row.group(1), s.name


def test_an_unknown_setting_is_refused_by_name(tmp_path):
    from conftest import project_copy, run_kiosk

    project = project_copy(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("      idle_seconds: 120", "      idle_second: 120"), "utf-8")
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 1
    assert "plugins: kiosk: idle_second: 没有这个设置" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
