"""The kiosk's own errors: a mistake in what a person gave it (the catalogue, a setting, an input) or a thing
it refuses to do (a release that does not verify, a busy publish folder), each said in plain Chinese.

The `kiosk` command is their one boundary (kiosk.cli.common.chinese_errors): a KioskError is printed as its
message, without a traceback, and the command exits with its `exit_code`. Any other exception is a bug and
goes on with its traceback, as MkDocs turns only its own BuildError into an abort and re-raises the rest.

"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem


class KioskError(Exception):
    """An error of the kiosk's own: `message` says it in plain Chinese, `exit_code` is the command's exit code
    (1: the catalogue, an input or a step refused; as kiosk.cli.main's docstring says)."""

    exit_code = 1

    def __init__(self, message: str = "", exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self)


class CatalogueError(KioskError):
    """The catalogue has errors; `problems` holds every one of them (the message: one line each)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))

    def __reduce__(self):  # to and from a worker process: made again from its problems
        return type(self), (self.problems,)


class SettingsError(KioskError, ValueError):
    """A setting in mkdocs.yml that is not one, or not of its kind; `str(e)` says which, in plain Chinese."""


class SheetInputError(KioskError):
    """Wrong input for a 补正 notice; `str(e)` is the plain-Chinese message."""


class PublishError(KioskError):
    """A release did not verify, or the publish folder is busy; nothing was switched."""


class SiteBuildError(KioskError):
    """The kiosk site was not built (MkDocs aborted on its own BuildError, or a kiosk error stopped it); the
    site that was there is kept."""


class SpeechError(KioskError, RuntimeError):
    """espeak-ng or opusenc failed: the build stops (a broken installation, not a catalogue mistake); the
    message names the tool and what it printed."""


class UnknownYear(KioskError):
    """A day in a year neither `_calendar.yaml` nor the calendar library knows: never a guess."""

    def __init__(self, year: int, file: str):
        from .problems import message

        self.year, self.file = year, file
        super().__init__(message("calendar_unknown_year", year=year, file=file))

    def __reduce__(self):
        return type(self), (self.year, self.file)


class BadDrawing(KioskError, ValueError):
    """A request body that is not a drawing (the kiosk's handwriting input); str() says why, in plain Chinese."""


class PullError(PublishError):
    """A hall's `kiosk pull` did not take a release (unreachable, unsigned, wrong key, changed file, full disk,
    an older release replayed); `live` is as it was. `missing`: the source has no such file (HTTP 404)."""

    missing = False
    reached = True  # False: the county's server or folder did not answer at all


class Busy(PublishError):
    """Another publish, rollback or pull holds the folder's lock."""


class ReportRefused(PublishError):
    """A hall's status report the county does not take; `key` says why (report_older, report_garbage,
    report_no_key, report_not_theirs: a message of messages.yaml)."""

    def __init__(self, key: str, **values):
        from .problems import message

        self.key = key
        super().__init__(message(key, **values))
