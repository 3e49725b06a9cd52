"""Every setting of the kiosk, declared once: its default and what it does.

Two places set them. The kiosk plugin's options in mkdocs.yml (`plugins: - kiosk: {…}`, checked by MkDocs
against SITE, then by `read()`) hold the site's own settings; the
environment holds what differs between machines and runs. `tests/test_docs.py` fails when the README does
not document one of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .exceptions import SettingsError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    description: str
    least: int | None = None  # a number below this is raised to it


# mkdocs.yml, plugins: - kiosk: {…}
SITE = [
    Setting("catalogue", "matters", "the catalogue folder, relative to mkdocs.yml"),
    Setting(
        "township",
        None,
        "the township to build (a folder of _townships/); default: default_township of "
        "_catalogue.yaml; --township overrides it",
    ),
    Setting("idle_seconds", 120, "no touch for this long: the kiosk asks 还在使用吗？"),
    Setting("countdown_seconds", 30, "then goes home after this countdown (at least 20 s: WCAG 2.2.1)", least=20),
    Setting("attract_seconds", 60, "the home page untouched this long shows the attract screen"),
    Setting("print_return_seconds", 20, "a print view goes back to its matter at the latest after this long"),
]

# the environment
ENVIRONMENT = [
    Setting(
        "KIOSK_CACHE_DIR",
        "build/cache",
        "what builds keep for later builds (rendered sheets, QR codes, audio), relative to mkdocs.yml",
    ),
    Setting(
        "SOURCE_DATE_EPOCH",
        None,
        "the date written into every PDF and page, as seconds since 1970; default: the catalogue's effective date",
    ),
    Setting(
        "KIOSK_VOICE",
        None,
        "the espeak-ng voice of 朗读; default cmn-latn-pinyin; a voice asked for and missing stops the build",
    ),
    Setting(
        "KIOSK_ZINNIA_MODEL",
        None,
        "the handwriting model of kiosk serve; default Debian's tegaki-zinnia-simplified-chinese",
    ),
    Setting(
        "KIOSK_STROKE_DATA",
        "node_modules/hanzi-writer-data",
        "the stroke-order data kiosk build makes handwriting's templates from (hanzi-writer-data's folder, "
        "which npm ci installs), relative to mkdocs.yml; without it handwriting is Zinnia's alone",
    ),
    Setting(
        "KIOSK_TODAY",
        None,
        "the day every command and the desk take as today (YYYY-MM-DD), to rehearse a "
        "year's end or in tests; default: today's date in China",
    ),
    Setting(
        "KIOSK_CALENDAR_REMINDER",
        "11-01",
        "from this day of the year (MM-DD) on, kiosk check, kiosk build, "
        "kiosk desk check and the center head's home screen say when next "
        "year's holiday notice is not in the calendar yet",
    ),
]


@dataclass(frozen=True)
class SiteSettings:
    catalogue: str
    township: str | None
    idle_seconds: int
    countdown_seconds: int
    attract_seconds: int
    print_return_seconds: int


def read(options: dict | None) -> SiteSettings:
    """The site's settings from the kiosk plugin's options in mkdocs.yml, each with its default where it is
    not set."""
    from .problems import message

    given = options or {}
    known = {s.name for s in SITE}
    for name in given:
        if name not in known:
            raise SettingsError(message("setting_unknown", name=name, known="、".join(sorted(known))))
    values = {}
    for s in SITE:
        value = given.get(s.name, s.default)
        if isinstance(s.default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(message("setting_not_number", name=s.name, value=value))
            if s.least is not None:
                value = max(s.least, value)
        values[s.name] = value
    return SiteSettings(**values)


def env(name: str) -> str | None:
    """The environment setting `name` (declared in ENVIRONMENT: the only place the package reads the
    environment), stripped; its default where it is blank or unset."""
    setting = next(s for s in ENVIRONMENT if s.name == name)
    value = os.environ.get(name, "").strip()
    return value or (None if setting.default is None else str(setting.default))


def given(name: str) -> bool:
    """Whether the environment sets `name` itself (not left to its default)."""
    return env(name) is not None and bool(os.environ.get(name, "").strip())


def default_jobs() -> int:
    """Worker processes for layout and speech: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def cache_dir(project: Path) -> Path:
    """KIOSK_CACHE_DIR, else build/cache beside mkdocs.yml."""
    return Path(env("KIOSK_CACHE_DIR")) if given("KIOSK_CACHE_DIR") else project / "build" / "cache"


def stroke_data(project: Path) -> Path:
    """KIOSK_STROKE_DATA, else node_modules/hanzi-writer-data beside mkdocs.yml."""
    return Path(env("KIOSK_STROKE_DATA")) if given("KIOSK_STROKE_DATA") else project / str(env("KIOSK_STROKE_DATA"))


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH when it is a number, else None (the catalogue's effective date is used)."""
    value = env("SOURCE_DATE_EPOCH") or ""
    return int(value) if value.isdigit() else None
