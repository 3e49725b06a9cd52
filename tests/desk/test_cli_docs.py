"""The README's window-desk section is true command by command: every `kiosk desk` command and sub-command
in click's own command tree is named there, and every option of it is named where the command is (what
would have caught `unlock ID` without its --township). All that is missing is reported at once."""

from __future__ import annotations

import re

import click
from conftest import ROOT

SECTION = "## The window desk (`kiosk desk`)"


def commands(group: click.Group, path: str):
    """(path, command) of every command under `group`, sub-commands of its groups included."""
    for name, command in sorted(group.commands.items()):
        yield f"{path} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{path} {name}")


def options(command: click.Command) -> list[list[str]]:
    """Each option of `command` as its names (-o and --output), the help option left out."""
    return [
        p.opts + p.secondary_opts
        for p in command.params
        if isinstance(p, click.Option) and not p.hidden and "--help" not in p.opts
    ]


def section_units(readme: str) -> list[str]:
    """The window-desk section as units a command is told in: each line of a code block, each paragraph,
    bullet or table row of the text (its lines joined)."""
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    units, prose, in_code = [], [], False
    for line in readme[start : end if end > 0 else None].splitlines():
        if line.startswith("```"):
            in_code = not in_code
            units.append(" ".join(prose))
            prose = []
        elif in_code:
            units.append(line)
        elif not line.strip() or re.match(r"\s*(- |\| |#)", line):
            units.append(" ".join(prose))
            prose = [line] if line.strip() else []
        else:
            prose.append(line)
    units.append(" ".join(prose))
    return [re.sub(r"\s+", " ", u).strip() for u in units if u.strip()]


def told(units: list[str], path: str) -> list[str]:
    """Where `path` is named: from each mention to the next `kiosk desk` command in the same unit."""
    found = []
    for unit in units:
        for m in re.finditer(re.escape(path) + r"(?![\w-])", unit):
            rest = unit[m.end() :]
            following = rest.find("kiosk desk ")
            found.append(rest if following < 0 else rest[:following])
    return found


def test_the_readme_names_every_desk_command_and_its_options():
    from kiosk.cli.main import main

    units = section_units((ROOT / "README.md").read_text("utf-8"))
    missing = []
    for path, command in commands(main.commands["desk"], "kiosk desk"):
        spans = told(units, path)
        if not spans:
            missing.append(f"{path}: not named")
            continue
        for names in options(command):
            if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", s) for n in names for s in spans):
                missing.append(f"{path}: {' / '.join(names)}")
    assert missing == [], "README.md's window-desk section lacks:\n" + "\n".join(missing)


def test_the_walk_finds_a_missing_option():
    """The check itself can fail: a section naming `unlock ID` without --township is caught."""
    from kiosk.cli.main import main

    unlock = main.commands["desk"].commands["user"].commands["unlock"]
    readme = f"{SECTION}\n\n```bash\nkiosk desk user unlock ID\nkiosk desk user add ID --township T\n```\n"
    units = section_units(readme)
    spans = told(units, "kiosk desk user unlock")
    assert spans == [" ID"]
    assert [names for names in options(unlock) if not any(n in s for n in names for s in spans)] == [["--township"]]
    assert told(units, "kiosk desk user role") == []
