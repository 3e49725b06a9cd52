"""What the `kiosk` commands share: options, the checked catalogue, reporting, writing output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .catalogue import Loaded, load
from .files import atomic_write
from .problems import ERROR, WARNING, message

DEFAULT_DIR = "matters"

COMPLETE = click.option("--complete", is_flag=True,
                        help="要求目录写全：原指南未载明的要素和没填完的模板文字都算错误（不只是提醒）")
TOWNSHIP = click.option("--township", help="哪个乡镇（_townships/ 下的文件夹名；默认见 _catalogue.yaml 的 default_township）")
CONFIG = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))


def load_checked(directory: str | Path, township: str | None = None, complete: bool = False) -> Loaded:
    """A checked catalogue; on errors print them all and exit 1."""
    loaded = load(directory, township, complete)
    if not loaded.ok:
        report(loaded.problems)
        sys.exit(1)
    return loaded


def report(problems) -> None:
    for p in problems:
        click.echo(str(p))
    n_err = sum(p.severity == ERROR for p in problems)
    n_warn = sum(p.severity == WARNING for p in problems)
    click.echo(message("summary", errors=n_err, warnings=n_warn))


def contexts(config_file: str, township: str | None, all_townships: bool = False, complete: bool = False) -> list:
    """The build context of each township to build, from mkdocs.yml's settings and its catalogue, loaded and
    checked once (every township's files when `all_townships`); on errors print them all and exit 1."""
    from mkdocs.config import load_config

    from .context import BuildContext
    from .settings import SettingsError, cache_dir, read

    if all_townships and township:
        raise click.UsageError(message("all_townships_and_one"))
    config = load_config(config_file)
    project = Path(config.config_file_path).parent
    try:
        settings = read(config.extra.get("kiosk"))
    except SettingsError as e:
        raise click.ClickException(str(e)) from None
    loaded = load_checked(_short(project / settings.catalogue), None if all_townships else township or settings.township,
                          complete)
    chosen = [loaded.of_township(t) for t in loaded.townships] if all_townships else [loaded]
    return [BuildContext(one, settings, cache_dir(project)) for one in chosen]


def _short(folder: Path) -> str:
    """A folder as short as it can be named from here (for error messages)."""
    return str(folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder)


def write(text: str, output: str | None) -> None:
    """`text` to the file `output` (whole or not at all), or to the screen."""
    if output:
        atomic_write(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
