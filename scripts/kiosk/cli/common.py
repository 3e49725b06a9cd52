"""What the `kiosk` commands share: options, the checked catalogue, reporting, writing output, click's
usage errors and help said in Chinese (Group, in_chinese), and the one error boundary (chinese_errors): the
kiosk's own errors (kiosk.exceptions) said in Chinese, a bug left to show its traceback."""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clock import missing_next_year
from ..exceptions import KioskError
from ..files import atomic_write
from ..problems import ERROR, WARNING, message

if TYPE_CHECKING:  # the catalogue's model is loaded when a command reads a catalogue, not to start `kiosk`
    from ..catalogue.load import Loaded

DEFAULT_DIR = "matters"

COMPLETE = click.option(
    "--complete", is_flag=True, help="要求目录写全：原指南未载明的要素和没填完的模板文字都算错误（不只是提醒）"
)
TOWNSHIP = click.option(
    "--township", help="哪个乡镇（_townships/ 下的文件夹名；默认见 _catalogue.yaml 的 default_township）"
)
CONFIG = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False))
JOBS = click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="同时排版（和做朗读）的进程数；默认每个处理器核一个"
)


def load_checked(directory: str | Path, township: str | None = None, complete: bool = False) -> Loaded:
    from ..catalogue.load import load

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


def contexts(
    config_file: str, township: str | None, all_townships: bool = False, complete: bool = False, jobs: int | None = None
) -> list:
    """The build context of each township to build, from mkdocs.yml's settings and its catalogue, loaded and
    checked once (every township's files when `all_townships`); on errors print them all and exit 1."""
    from ..printing.context import BuildContext
    from ..settings import cache_dir, stroke_data
    from ..site.build import project
    from ..site.strokes import dataset_version

    if all_townships and township:
        raise click.UsageError(message("all_townships_and_one"))
    folder, settings = project(config_file)  # a SettingsError is said by chinese_errors
    loaded = load_checked(
        _short(folder / settings.catalogue), None if all_townships else township or settings.township, complete
    )
    year = missing_next_year(loaded.calendar)
    if year is not None:  # the build goes on: next year's dates are said as unknown, never guessed
        click.echo(
            message("warning_prefix") + message("calendar_next_year_missing", year=year, file=loaded.calendar.file),
            err=True,
        )
    chosen = [loaded.of_township(t) for t in loaded.townships] if all_townships else [loaded]
    strokes = stroke_data(folder)
    if dataset_version(strokes) is None:  # the build goes on: handwriting is Zinnia's alone
        click.echo(message("warning_prefix") + message("hw_no_stroke_data", path=_short(strokes)), err=True)
    return [
        BuildContext(one, settings, cache_dir(folder), strokes=strokes, **({"jobs": jobs} if jobs else {}))
        for one in chosen
    ]


def _short(folder: Path) -> str:
    """A folder as short as it can be named from here (for error messages)."""
    return str(folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder)


def write(text: str, output: str | None) -> None:
    """`text` to the file `output` (whole or not at all), or to the screen."""
    if output:
        atomic_write(Path(output), text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


# ---------------------------------------------------------------- usage errors and help in Chinese
# click has no translations: its few English words are said here, its usage errors explained in Chinese.

CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")


class HelpFormatter(click.HelpFormatter):
    """click's help with its headings, the help option and the [default: …] marks in Chinese."""

    HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, message("cli_usage") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{self.HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, *args, **kwargs) -> None:
        said = {
            "Show this message and exit.": message("cli_help_option"),
            "[default: ": message("cli_default"),
            "[required]": message("cli_required"),
        }
        rows = [(term, functools.reduce(lambda t, kv: t.replace(*kv), said.items(), text)) for term, text in rows]
        super().write_dl(rows, *args, **kwargs)


class Context(click.Context):
    formatter_class = HelpFormatter

    @contextlib.contextmanager
    def scope(self, cleanup: bool = True):
        """click's parser raises some usage errors knowing no command: they are this context's."""
        try:
            with super().scope(cleanup) as ctx:
                yield ctx
        except click.UsageError as e:
            if e.ctx is None:
                e.ctx, e.cmd = self, self.command
            raise


def in_chinese(command: click.Command) -> None:
    """`command` and every command under it print their help and usage in Chinese."""
    command.context_class = Context
    command.options_metavar = message("cli_options_metavar")
    if isinstance(command, click.Group):
        command.subcommand_metavar = message("cli_command_metavar")
    for sub in getattr(command, "commands", {}).values():
        in_chinese(sub)


def _name(e: click.BadParameter) -> str:
    hint = e.param_hint if e.param_hint is not None else e.param.get_error_hint(e.ctx) if e.param else ""
    return (hint if isinstance(hint, str) else " / ".join(hint)).replace("'", "").replace('"', "")


def _bad_value(e: click.BadParameter) -> str:
    name, kind = _name(e), e.param.type if e.param else None
    found = re.search(r"'([^']*)'|^(\S+) is not", e.message)
    value = next((g for g in found.groups() if g is not None), "") if found else ""
    if isinstance(kind, click.Choice):
        return message("cli_bad_choice", name=name, value=value, choices="、".join(map(str, kind.choices)))
    if isinstance(kind, click.Path):
        what = next(
            (
                k
                for words, k in (
                    ("does not exist", "cli_path_missing"),
                    ("is a directory", "cli_path_folder"),
                    ("is a file", "cli_path_file"),
                )
                if words in e.message
            ),
            "cli_path_unusable",
        )
        return message(what, name=name, value=value)
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        return message("cli_bad_range", name=name, value=value, low=kind.min, high=kind.max)
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        return message("cli_bad_number", name=name, value=value)
    return message("cli_bad_value", name=name, value=e.message if CJK.search(e.message) or not value else value)


def explain(e: click.UsageError) -> str:
    """A usage error of click in plain Chinese (ours pass as they are)."""

    def maybe(possibilities) -> str:
        return message("cli_did_you_mean", names="、".join(possibilities)) if possibilities else ""

    if isinstance(e, click.MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param else "")
        return message("cli_missing_option" if kind == "option" else "cli_missing_argument", name=_name(e))
    if isinstance(e, click.NoSuchOption):
        return message("cli_no_such_option", name=e.option_name) + maybe(e.possibilities)
    if isinstance(e, click.exceptions.NoSuchCommand):
        return message("cli_no_such_command", name=e.command_name) + maybe(e.possibilities)
    if isinstance(e, click.BadOptionUsage):
        return message("cli_takes_no_value" if "does not take" in e.message else "cli_needs_value", name=e.option_name)
    if isinstance(e, click.BadParameter):
        return _bad_value(e)
    if CJK.search(e.message):
        return e.message
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", e.message)
    if extra:
        return message("cli_extra_arguments", args=extra.group(1))
    if e.message == "Missing command.":
        return message("cli_missing_command")
    return message("cli_usage_wrong", detail=e.format_message())


class ChineseUsageError(click.UsageError):
    """A usage error said in Chinese, with the command's usage and where its help is."""

    def __init__(self, error: click.UsageError):
        super().__init__(explain(error), error.ctx)

    def show(self, file=None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), err=True)
            click.echo(message("cli_help_hint", command=self.ctx.command_path), err=True)
        click.echo(message("cli_error", text=self.message), err=True)


@contextlib.contextmanager
def chinese_errors():
    """The one error boundary of `kiosk`: usage errors raised inside said in Chinese (exit 2); the kiosk's own
    errors (kiosk.exceptions.KioskError) as their plain-Chinese message, without a traceback (their exit
    code, 1 as a rule); an abort (Ctrl+C, end of input) too (exit 1). Nothing else is caught: any other
    exception is a bug and goes on with its traceback (click's own errors, MkDocs's Abort among them, are
    click's to show)."""
    try:
        yield
    except (click.exceptions.NoArgsIsHelpError, ChineseUsageError):
        raise
    except click.UsageError as e:
        raise ChineseUsageError(e) from None
    except KioskError as e:
        click.echo(e.message, err=True)
        raise click.exceptions.Exit(e.exit_code) from None
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo("", err=True)
        click.echo(message("cli_aborted"), err=True)
        raise click.exceptions.Exit(1) from None


class Group(click.Group):
    """The `kiosk` command: every usage error under it, and its help, in Chinese."""

    context_class = Context

    def make_context(self, *args, **kwargs) -> click.Context:
        with chinese_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with chinese_errors():
            return super().invoke(ctx)
